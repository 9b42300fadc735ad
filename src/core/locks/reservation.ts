import type { GameDayState } from "../gameday/state";
import type { Clock, ExperimentControl, LockHolder, RunLocks, TargetDirectory } from "../ports";
import { carriesTags, DEADLINE_TAG, EXECUTION_TAG, PLAN_TAG, STATE_MACHINE_TAG } from "../gameday/state";
import { describeLockKey, lockKeys, resourceKey, resourceOfKey } from "./keys";
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
  /** The account's live experiments: another stack's (or a person's) may act on the same resources. */
  experiments: Pick<ExperimentControl, "liveSummaries" | "resolvedTargets">;
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
  // The locks are this stack's; an experiment of another stack, or one started by hand, takes none of them. FIS says
  // what every live experiment of the account acts on: a game day touching any of it does not start.
  const acting = await liveExperimentOn(keys, state, ports.experiments);
  if (acting) {
    for (const mine of taken) await ports.locks.release(mine, holder.executionName);
    throw new OverlapError(acting.holder, resourceKey(acting.arn), acting.message);
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

/**
 * A live experiment of the account, not this game day's own, that acts on a resource the game day would lock: what
 * FIS resolved its targets to (ListExperimentResolvedTargets), against the game day's resource keys. An experiment
 * whose targets are not resolved yet (just created) is not seen: the stack's own locks cover its own game days.
 */
async function liveExperimentOn(
  keys: readonly string[],
  state: GameDayState,
  experiments: ReservationPorts["experiments"],
): Promise<{ arn: string; holder: LockHolder; message: string } | undefined> {
  const resources = new Set(keys.flatMap((key) => resourceOfKey(key) ?? []));
  if (!resources.size) return undefined;
  for (const experiment of await experiments.liveSummaries()) {
    const { tags } = experiment;
    const own = { [EXECUTION_TAG]: state.run.executionName, [STATE_MACHINE_TAG]: state.run.stateMachine };
    if (carriesTags(tags, own)) continue;
    const resolved = await experiments.resolvedTargets(experiment.id);
    const arn = Object.values(resolved)
      .flat()
      .find((r) => resources.has(r));
    if (!arn) continue;
    const whose = tags[EXECUTION_TAG]
      ? `game day "${tags[EXECUTION_TAG]}" of plan "${tags[PLAN_TAG] ?? "unknown"}" (state machine ${tags[STATE_MACHINE_TAG] ?? "unknown"})`
      : "no gameday stack (started by hand or by another tool)";
    const deadline = Date.parse(tags[DEADLINE_TAG] ?? "");
    return {
      arn,
      holder: {
        executionName: tags[EXECUTION_TAG] ?? experiment.id,
        planName: tags[PLAN_TAG] ?? "unknown",
        startedAt: experiment.createdAt ?? 0,
        expiresAt: Number.isNaN(deadline) ? 0 : deadline,
      },
      message:
        `Game day "${state.run.executionName}" of plan "${state.plan.name}" was not started: FIS experiment ` +
        `${experiment.id}, of ${whose}, is acting on ${arn} now. Wait until it ends, or stop it first.`,
    };
  }
  return undefined;
}
