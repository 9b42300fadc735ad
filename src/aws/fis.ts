import {
  FisClient,
  GetExperimentCommand,
  ListExperimentsCommand,
  StopExperimentCommand,
  type Experiment,
} from "@aws-sdk/client-fis";
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

/** FIS behind the ExperimentControl port. StartExperiment is not here: the state machine starts experiments. */
export class FisExperimentControl implements ExperimentControl {
  constructor(private readonly client: FisClient) {}

  async get(experimentId: string): Promise<ExperimentView> {
    const response = await this.client.send(new GetExperimentCommand({ id: experimentId }));
    return experimentView(response.experiment!);
  }

  async stop(experimentId: string): Promise<void> {
    try {
      await this.client.send(new StopExperimentCommand({ id: experimentId }));
    } catch (error) {
      // Already stopping or ended: the goal is reached.
      if ((error as Error).name !== "ConflictException") throw error;
    }
  }

  async listTagged(tagKey: string, tagValue: string): Promise<ExperimentView[]> {
    const ids: string[] = [];
    let nextToken: string | undefined;
    do {
      const response = await this.client.send(new ListExperimentsCommand({ maxResults: 100, nextToken }));
      for (const summary of response.experiments ?? []) {
        if (summary.id && summary.tags?.[tagKey] === tagValue) ids.push(summary.id);
      }
      nextToken = response.nextToken;
    } while (nextToken);
    return Promise.all(ids.map((id) => this.get(id)));
  }
}

export const fisExperiments = () =>
  new FisExperimentControl(tracer.captureAWSv3Client(new FisClient(SDK_CLIENT_CONFIG)));
