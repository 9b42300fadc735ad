import type { Clock, ExperimentControl } from "../ports";
import { recordWaitSeconds } from "./record-wait";
import { isTerminal } from "../ports";
import { experimentsOf, type GameDayState } from "./state";

/** What stopping a game day's experiments needs. */
export interface CleanupPorts {
  experiments: Pick<ExperimentControl, "listTagged" | "stop">;
  clock: Clock;
}

/**
 * Stops every experiment tagged with this execution, whatever the state document knows: a failure can lose
 * the ids of experiments that did start, but never their tags.
 */
export async function stopEverything(state: GameDayState, ports: CleanupPorts): Promise<GameDayState> {
  const tagged = await experimentsOf(ports.experiments, state.run);
  const stopped: string[] = [...(state.cleanup?.stopped ?? [])];
  let pending = 0;
  for (const experiment of tagged) {
    if (isTerminal(experiment.status)) continue;
    pending += 1;
    // Asked again while FIS does not say "stopping": a stop that did not take must not be trusted.
    if (experiment.status !== "stopping") {
      await ports.experiments.stop(experiment.id);
      if (!stopped.includes(experiment.id)) stopped.push(experiment.id);
    }
  }
  return {
    ...state,
    cleanup: {
      attempts: (state.cleanup?.attempts ?? 0) + 1,
      pending,
      stopped,
      // Once nothing is live, the report waits for the data of the fault and its recovery (see record-wait).
      recordWaitSeconds: pending ? 0 : recordWaitSeconds(state, ports.clock.now()),
    },
  };
}
