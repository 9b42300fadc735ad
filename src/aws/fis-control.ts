import type { FisClient } from "@aws-sdk/client-fis";
import type { ExperimentControl } from "../core/ports";
import { fisGetExperiment, fisResolvedTargets } from "./fis";
import { fisClient } from "./fis-client";
import { fisListLive, fisListTagged } from "./fis-list";
import { fisStopExperiment } from "./fis-stop";

/** FIS behind the whole ExperimentControl port. StartExperiment is not here: the state machine starts experiments. */
export const fisExperiments = (client: FisClient = fisClient()): ExperimentControl => ({
  get: fisGetExperiment(client),
  stop: fisStopExperiment(client),
  listTagged: fisListTagged(client),
  listLive: fisListLive(client),
  resolvedTargets: fisResolvedTargets(client),
});
