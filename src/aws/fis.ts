import { FisClient, GetExperimentCommand, type Experiment } from "@aws-sdk/client-fis";
import { SDK_CLIENT_CONFIG, tracer } from "./powertools";
import type { ExperimentControl, ExperimentState, ExperimentView } from "../core/ports";

const iso = (d: Date | undefined) => (d ? d.toISOString() : undefined);

export function experimentView(e: Experiment): ExperimentView {
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
      ...(a.state?.reason ? { reason: a.state.reason } : {}),
      ...(a.startTime ? { startTime: iso(a.startTime) } : {}),
      ...(a.endTime ? { endTime: iso(a.endTime) } : {}),
    })),
  };
}

// One module per FIS call (fis-list.ts, fis-stop.ts), so a handler's bundle imports only the commands it can
// send: the IAM completeness test derives each role's required actions from those imports.

export const fisClient = () => tracer.captureAWSv3Client(new FisClient(SDK_CLIENT_CONFIG));

export const fisGetExperiment =
  (client: FisClient): ExperimentControl["get"] =>
  async (experimentId) => {
    const response = await client.send(new GetExperimentCommand({ id: experimentId }));
    return experimentView(response.experiment!);
  };
