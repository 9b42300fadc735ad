import { lambdaEntry } from "../src/aws/lambda-entry";
import { cloudWatchMetrics } from "../src/aws/metrics";
import { systemClock } from "../src/aws/powertools";
import { xrayTraces } from "../src/aws/traces";
import type { GameDayState } from "../src/core/gameday/state";
import { observeRecovery, type ObservePorts } from "../src/core/gameday/steps";

export const createObserveRecovery = (ports: ObservePorts) => (state: GameDayState) => observeRecovery(state, ports);

export const handler = lambdaEntry("observe-recovery", () =>
  createObserveRecovery({ clock: systemClock, metrics: cloudWatchMetrics(), traces: xrayTraces() }),
);
