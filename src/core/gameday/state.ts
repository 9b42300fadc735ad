import { createHash } from "node:crypto";
import { GAME_DAY_TAGS } from "../contract/tags";
import type { DecisionName } from "../contract/decisions";
import type { Plan } from "../plan/schema";
import type { TimingSeconds } from "../plan/timing";
import type { BaselineReference } from "../probes/bounds";
import type { ProbeReading } from "../probes/read";
import type { TimeWindow } from "../ports";
import type { Report } from "../report/model";

/**
 * The document that flows through the state machine. Every Lambda takes it and returns it updated, so the
 * console's execution view shows the whole game day at each step. Times are epoch milliseconds.
 */
export interface GameDayState {
  plan: Plan;
  timing: TimingSeconds;
  run: RunInfo;
  stages: PreparedStage[];
  /** The stage being run; the state machine's Map states read `stage.experiments`. */
  stage: PreparedStage & { started?: StartedExperiment[] };
  journal: Journal;
  decision: Decision;
  /** Set by a Catch: the error that sent the game day down the cleanup path. */
  failure?: { Error?: string; Cause?: string };
  cleanup?: { attempts: number; pending: number; stopped: string[]; recordWaitSeconds?: number };
  /** Set by the cleanup step's Catch: stopping the experiments failed even after its retries. */
  cleanupFailure?: { Error?: string; Cause?: string };
  /** Who approved the game day, and when: what `gameday approve` sent back through the task token. */
  approval?: ApprovalDecision;
  /** The alarm mute rule this game day put in place: its alarms, from when and for how long, and when it ended. */
  muted?: { rule: string; alarms: string[]; from: string; minutes: number; endedAt?: string };
  report?: Report;
}

/** The output `gameday approve` sends with SendTaskSuccess; a rejection fails the task with GameDay.Rejected. */
export interface ApprovalDecision {
  decision: "approved";
  /** The IAM identity that approved (STS GetCallerIdentity's ARN). */
  by: string;
  at: string;
  note?: string;
}

export interface RunInfo {
  executionName: string;
  /**
   * The state machine running the game day ($$.StateMachine.Id). Execution names are unique only within one state
   * machine, so experiments carry both, and everything that stops or reports them matches both.
   */
  stateMachine: string;
  startedAt: number;
  /** `skip-all` previews: targets resolve and every step runs, but FIS injects nothing. */
  actionsMode: "run-all" | "skip-all";
  /** The plan came inline in the execution input, not from the stack's catalog: its reports never set a baseline. */
  inlinePlan?: true;
  /**
   * When every experiment of this game day must have ended, whatever happens to the workflow (ISO-8601). Each
   * experiment carries it as the DEADLINE_TAG, and the orphan sweeper stops any experiment found past it.
   */
  deadline: string;
  /** How many run locks the game day took (plan and targets); absent for previews, which take none. */
  lockedKeys?: number;
}

export interface PreparedExperiment {
  stageIndex: number;
  index: number;
  name: string;
  templateId: string;
  clientToken: string;
}

export interface PreparedStage {
  index: number;
  name: string;
  experiments: PreparedExperiment[];
}

/** What the state machine's Map state returns for each StartExperiment. */
export interface StartedExperiment {
  experimentId: string;
  templateId: string;
  status: string;
  /** Minutes the state machine waited for room under FIS's quota of active experiments before this one started. */
  minutesWaitedForQuota?: number;
}

export interface StageRecord {
  index: number;
  name: string;
  experiments: { name: string; experimentId: string; templateId: string }[];
  faultStartedAt: number;
  faultEndedAt?: number;
  /** Minutes the stage waited for room under FIS's quota of active experiments before its fault began. */
  quotaWaitMinutes?: number;
  stopRequested?: { at: number; reason: "guardrail" | "max-fault-duration"; probeIds: string[] };
  consecutiveBreaches: Record<string, number>;
  /** First breach of each probe after the fault began. */
  firstBreachAt: Record<string, number>;
  polls: number;
  /** Each probe's readings while the fault was live: what the hypothesis is judged on. */
  faultTally?: Record<string, ProbeTally>;
  recovery?: {
    inBandPolls: number;
    streakStartedAt?: number;
    recoveredAt?: number;
    gaveUpAt?: number;
    /** The polls ran out of window, but the stage's record showed every probe back in bounds. */
    shownByRecord?: boolean;
  };
  /** Each probe's readings while the game day watched recovery. */
  recoveryTally?: Record<string, ProbeTally>;
}

/** One reading kept as evidence: when it was taken, its value and the bound it broke, in words. */
export interface ReadingSample {
  at: number;
  /** Null when the probe had no data and treats that as breaching. */
  value: number | null;
  breach: string;
}

/**
 * How a probe's polls of one phase went. A poll with no data proves nothing unless the probe says how to treat
 * missing data: `breaching` makes it a breach, `notBreaching` an in-band reading.
 */
export interface ProbeTally {
  polls: number;
  outOfBoundsPolls: number;
  noDataPolls: number;
  firstOutOfBounds?: ReadingSample;
  lastOutOfBounds?: ReadingSample;
}

export interface Journal {
  baseline?: {
    window: TimeWindow;
    steady: boolean;
    readings: ProbeReading[];
    /** Median and noise of each probe with bounds relative to the baseline. */
    references?: Record<string, BaselineReference>;
  };
  stages: StageRecord[];
  polls: number;
  lastReadings: ProbeReading[];
  /** Stages skipped because an earlier stage already broke the hypothesis. */
  skippedStages: string[];
}

/** Where the state machine goes next; Choice states read `decision.next`. */
/** Every decision is one of the contract's, and every one of the contract's is a decision (checked by tsc). */
type DecisionsMatch<A, B> = [Exclude<A, B>, Exclude<B, A>] extends [never, never] ? true : never;
export const DECISIONS_MATCH: DecisionsMatch<Decision["next"], DecisionName> = true;

export type Decision =
  | { next: "validated" }
  | { next: "steady" | "not-steady" }
  | { next: "keep-watching" }
  | { next: "stop-experiments"; stop: { experimentId: string }[] }
  | { next: "watch-recovery" }
  | { next: "keep-recovering" }
  | { next: "next-stage" }
  | { next: "report" };

/**
 * The one place ClientTokens are made: stable for a state machine, execution, stage and index, so retries never
 * start twice. FIS keeps a token's idempotency per account, and execution names are unique only per state machine:
 * without the state machine, another stack's execution of the same name would get this one's experiment back.
 */
export function startExperimentClientToken(gameDay: GameDayRef, stageIndex: number, index: number): string {
  const machine = createHash("sha256").update(gameDay.stateMachine).digest("hex").slice(0, 12);
  return `${gameDay.executionName}-s${stageIndex}-e${index}-${machine}`;
}

/** Tag keys every experiment gets (src/core/contract/tags.ts), by the names the code uses. */
export const EXECUTION_TAG = GAME_DAY_TAGS.execution;
export const PLAN_TAG = GAME_DAY_TAGS.plan;
export const STAGE_TAG = GAME_DAY_TAGS.stage;
export const DEADLINE_TAG = GAME_DAY_TAGS.deadline;
export const STATE_MACHINE_TAG = GAME_DAY_TAGS.stateMachine;

/** One game day, wherever it is looked up from: its state machine and its execution's name. */
export interface GameDayRef {
  stateMachine: string;
  executionName: string;
}

/** Whether tags carry every tag asked for (a list call's `alsoTagged`, checked on the summaries). */
export const carriesTags = (tags: Record<string, string> | undefined, wanted: Record<string, string>) =>
  Object.entries(wanted).every(([k, v]) => tags?.[k] === v);

/** Whether an experiment was started by this state machine (another stack's game day may share the name). */
export const startedBy =
  (stateMachine: string) =>
  (experiment: { tags: Record<string, string> }): boolean =>
    experiment.tags[STATE_MACHINE_TAG] === stateMachine;

/** The experiments of one game day: tagged with its execution name by its own state machine. */
export async function experimentsOf<E extends { tags: Record<string, string> }>(
  experiments: { listTagged(tagKey: string, tagValue: string, alsoTagged?: Record<string, string>): Promise<E[]> },
  gameDay: GameDayRef,
): Promise<E[]> {
  const own = { [STATE_MACHINE_TAG]: gameDay.stateMachine };
  return (await experiments.listTagged(EXECUTION_TAG, gameDay.executionName, own)).filter(
    startedBy(gameDay.stateMachine),
  );
}

/** `arn:…:stateMachine:<machine>` → `arn:…:execution:<machine>:<name>`. */
export function executionArnOf(stateMachineArn: string, executionName: string): string {
  return `${stateMachineArn.replace(":stateMachine:", ":execution:")}:${executionName}`;
}

/** The latest time a game day with this timing can legitimately still have a fault live. */
export function gameDayDeadline(startedAt: number, timing: TimingSeconds, stageCount: number): number {
  const perStage = timing.maxFaultSeconds + timing.recoverySeconds + 5 * timing.pollSeconds;
  // Ten minutes of slack for retries, throttling and FIS's own start and stop times; the wait for approval comes
  // before any fault, so a late go never makes the orphan guard take a live fault for a hung one.
  return startedAt + ((timing.approvalSeconds ?? 0) + timing.baselineSeconds + stageCount * perStage + 600) * 1000;
}
