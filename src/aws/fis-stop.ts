import { StopExperimentCommand, type FisClient } from "@aws-sdk/client-fis";
import type { ExperimentControl } from "../core/ports";
import { alreadyStopping } from "../core/gameday/stop-refusal";
import { fisGetExperiment } from "./fis";

export const fisStopExperiment =
  (client: FisClient): ExperimentControl["stop"] =>
  async (experimentId) => {
    try {
      await client.send(new StopExperimentCommand({ id: experimentId }));
    } catch (error) {
      // Already stopping or ended: the goal is reached.
      if (!(await alreadyStopping(error, () => fisGetExperiment(client)(experimentId)))) throw error;
    }
  };
