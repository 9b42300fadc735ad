import { GetExperimentTemplateCommand, type FisClient } from "@aws-sdk/client-fis";
import type { TargetDirectory } from "../core/ports";
import type { FisTarget } from "../core/template/schema";

/** A deployed template's targets, in the shape of the template files (GetExperimentTemplate answers the same keys). */
export const fisTemplateTargets =
  (client: FisClient): TargetDirectory["templateTargets"] =>
  async (templateId) => {
    const response = await client.send(new GetExperimentTemplateCommand({ id: templateId }));
    const targets = response.experimentTemplate?.targets;
    if (!targets) return undefined;
    return Object.fromEntries(
      Object.entries(targets).map(([name, t]): [string, FisTarget] => [
        name,
        {
          resourceType: t.resourceType ?? "",
          selectionMode: t.selectionMode ?? "ALL",
          ...(t.resourceArns?.length ? { resourceArns: t.resourceArns } : {}),
          ...(t.resourceTags && Object.keys(t.resourceTags).length ? { resourceTags: t.resourceTags } : {}),
          ...(t.filters?.length
            ? { filters: t.filters.map((f) => ({ path: f.path ?? "", values: f.values ?? [] })) }
            : {}),
          ...(t.parameters && Object.keys(t.parameters).length ? { parameters: t.parameters } : {}),
        },
      ]),
    );
  };

/** A template's stop conditions as FIS describes them (source and alarm ARN). */
export const fisTemplateStopConditions =
  (client: FisClient) =>
  async (templateId: string): Promise<{ source: string; value?: string }[]> => {
    const response = await client.send(new GetExperimentTemplateCommand({ id: templateId }));
    return (response.experimentTemplate?.stopConditions ?? []).map((c) => ({
      source: c.source ?? "",
      ...(c.value ? { value: c.value } : {}),
    }));
  };
