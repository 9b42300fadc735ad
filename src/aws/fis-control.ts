import type { FisClient } from "@aws-sdk/client-fis";
import type { ExperimentControl } from "../core/ports";
import { fisGetExperiment } from "./fis";
import { fisClient } from "./fis-client";
import { fisListLive, fisListTagged } from "./fis-list";
import { fisStopExperiment } from "./fis-stop";

/**
 * FIS behind the ExperimentControl port, but for resolved targets: only the report step reads those, and a bundle
 * holds (and its role is granted) only the commands it reaches. StartExperiment is the state machine's.
 */
export const fisExperiments = (
  client: FisClient = fisClient(),
): Omit<ExperimentControl, "resolvedTargets" | "liveSummaries"> => ({
  get: fisGetExperiment(client),
  stop: fisStopExperiment(client),
  listTagged: fisListTagged(client),
  listLive: fisListLive(client),
});
