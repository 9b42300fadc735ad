import type { GameDayState } from "../gameday/state";
import type { Clock, LockHolder, RunLocks, TargetDirectory } from "../ports";
import { describeLockKey, lockKeys } from "./keys";
import { GAME_DAY_ERRORS } from "../contract/errors";

/** Raised when another game day holds the plan or one of its targets; names that game day. */
export class OverlapError extends Error {
  override name = GAME_DAY_ERRORS.overlap;
  constructor(
    readonly holder: LockHolder,
    readonly key: string,
    message: string,
  ) {
    super(message);
  }
}

export interface ReservationPorts {
  locks: Pick<RunLocks, "take" | "release">;
  targets: TargetDirectory;
  clock: Clock;
}

const iso = (ms: number) => new Date(ms).toISOString();

function overlapMessage(state: GameDayState, holder: LockHolder, key: string): string {
  const what = describeLockKey(key);
  const samePlan = holder.planName === state.plan.name;
  return (
    `Game day "${state.run.executionName}" of plan "${state.plan.name}" was not started: ` +
    `game day "${holder.executionName}" ${samePlan ? "of the same plan" : `of plan "${holder.planName}"`} ` +
    `is running since ${iso(holder.startedAt)} and holds ${what}. ` +
    `Wait until it ends (its hold expires at ${iso(holder.expiresAt)} at the latest), or stop it first.`
  );
}

/**
 * Takes the run locks of a validated game day, all or none: its plan and every resource its templates target,
 * until its deadline. A retried attempt of the same execution takes its own locks again. Previews take none:
 * with actions skipped, FIS injects nothing that could overlap.
 */
export async function reserveGameDay(state: GameDayState, ports: ReservationPorts): Promise<GameDayState> {
  if (state.run.actionsMode === "skip-all") return state;
  const templateIds = state.stages.flatMap((stage) => stage.experiments.map((e) => e.templateId));
  const keys = await lockKeys(state.plan.name, templateIds, ports.targets);
  const holder: LockHolder = {
    executionName: state.run.executionName,
    planName: state.plan.name,
    startedAt: state.run.startedAt,
    expiresAt: Date.parse(state.run.deadline),
  };
  const taken: string[] = [];
  for (const key of keys) {
    const other = await ports.locks.take(key, holder, ports.clock.now());
    if (other) {
      for (const mine of taken) await ports.locks.release(mine, holder.executionName);
      throw new OverlapError(other, key, overlapMessage(state, other, key));
    }
    taken.push(key);
  }
  return { ...state, run: { ...state.run, lockedKeys: keys.length } };
}

/** Gives back every lock a game day holds; the next game day on the same plan or targets may then start. */
export async function releaseGameDay(
  executionName: string,
  locks: Pick<RunLocks, "heldBy" | "release">,
): Promise<number> {
  const keys = await locks.heldBy(executionName);
  for (const key of keys) await locks.release(key, executionName);
  return keys.length;
}
