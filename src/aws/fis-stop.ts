import { StopExperimentCommand, type FisClient } from "@aws-sdk/client-fis";
import type { ExperimentControl } from "../core/ports";

export const fisStopExperiment =
  (client: FisClient): ExperimentControl["stop"] =>
  async (experimentId) => {
    try {
      await client.send(new StopExperimentCommand({ id: experimentId }));
    } catch (error) {
      // Already stopping or ended: the goal is reached.
      if ((error as Error).name !== "ConflictException") throw error;
    }
  };
