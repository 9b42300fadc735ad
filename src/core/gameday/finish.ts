import { releaseGameDay } from "../locks/reservation";
import type { ExperimentControl, RunLocks } from "../ports";
import { isTerminal } from "../ports";
import { buildReport } from "../report/build";
import type { ObservePorts } from "./observe";
import { experimentsOf, type GameDayState } from "./state";

/** What the report needs: the probes and every experiment the execution started, and the run locks to give back. */
export interface ReportPorts extends ObservePorts {
  experiments: Pick<ExperimentControl, "get" | "listTagged" | "resolvedTargets">;
  locks: Pick<RunLocks, "heldBy" | "release">;
}

export async function finishGameDay(state: GameDayState, ports: ReportPorts): Promise<GameDayState> {
  const tagged = await experimentsOf(ports.experiments, state.run);
  const report = await buildReport(state, tagged, ports, ports.clock.now());
  // With an experiment still live the targets stay locked: the verdict is ERROR and the orphan guard releases them
  // once it has stopped everything (or the locks expire at the deadline).
  if (tagged.every((e) => isTerminal(e.status))) await releaseGameDay(state.run.executionName, ports.locks);
  return { ...state, report, decision: { next: "report" } };
}
