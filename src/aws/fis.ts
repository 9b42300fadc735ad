import {
  GetExperimentCommand,
  ListExperimentResolvedTargetsCommand,
  type Experiment,
  type FisClient,
} from "@aws-sdk/client-fis";
import type { ExperimentControl, ExperimentState, ExperimentView } from "../core/ports";
import { stopConditionAlarmArns } from "../core/probes/alarms";

const iso = (d: Date | undefined) => (d ? d.toISOString() : undefined);

export function experimentView(e: Experiment): ExperimentView {
  const alarms = stopConditionAlarmArns(e.stopConditions);
  return {
    id: e.id!,
    templateId: e.experimentTemplateId ?? "",
    status: (e.state?.status ?? "pending") as ExperimentState,
    ...(e.state?.reason ? { reason: e.state.reason } : {}),
    ...(e.startTime ? { startTime: iso(e.startTime) } : {}),
    ...(e.endTime ? { endTime: iso(e.endTime) } : {}),
    tags: e.tags ?? {},
    actions: Object.entries(e.actions ?? {}).map(([name, a]) => ({
      name,
      actionId: a.actionId ?? "",
      status: a.state?.status ?? "pending",
      ...(a.targets ? { targets: { ...a.targets } } : {}),
      ...(a.state?.reason ? { reason: a.state.reason } : {}),
      ...(a.startTime ? { startTime: iso(a.startTime) } : {}),
      ...(a.endTime ? { endTime: iso(a.endTime) } : {}),
    })),
    ...(alarms.length ? { stopConditionAlarms: alarms } : {}),
  };
}

export const fisGetExperiment =
  (client: FisClient): ExperimentControl["get"] =>
  async (experimentId) => {
    const response = await client.send(new GetExperimentCommand({ id: experimentId }));
    return experimentView(response.experiment!);
  };

/** ListExperimentResolvedTargets, page by page (at most 100 a page): target name → the ARNs FIS resolved it to. */
export const fisResolvedTargets =
  (client: FisClient): ExperimentControl["resolvedTargets"] =>
  async (experimentId) => {
    const resolved: Record<string, string[]> = {};
    let nextToken: string | undefined;
    do {
      const page = await client.send(
        new ListExperimentResolvedTargetsCommand({
          experimentId,
          maxResults: 100,
          ...(nextToken ? { nextToken } : {}),
        }),
      );
      for (const target of page.resolvedTargets ?? [])
        if (target.targetName && target.targetInformation?.arn)
          (resolved[target.targetName] ??= []).push(target.targetInformation.arn);
      nextToken = page.nextToken;
    } while (nextToken);
    return resolved;
  };
