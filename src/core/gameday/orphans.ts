import { muteRuleName } from "./alarm-mutes";
import type {
  AlarmMutes,
  ExecutionDescription,
  ExecutionLookup,
  ExecutionStatus,
  ExperimentControl,
  ExperimentView,
  RunLocks,
} from "../ports";
import { releaseGameDay } from "../locks/reservation";
import { isTerminal, type ReportStore } from "../ports";
import type { Report, ReportPublisher } from "../report/model";
import { reportSchema, SAFE_PLAN_NAME } from "../report/schema";
import { newReport } from "../report/construct";
import { reportObjectKeys } from "../report/storage";
import { DEADLINE_TAG, EXECUTION_TAG, experimentsOf, PLAN_TAG, STAGE_TAG, STATE_MACHINE_TAG, startedBy } from "./state";
import { GAME_DAY_ERRORS } from "../contract/errors";
import { namesTransientFailure } from "../failures";

/** Execution statuses after which the state machine's own cleanup may not have run. */
export const ENDED_WITHOUT_CLEANUP = ["FAILED", "TIMED_OUT", "ABORTED"] as const;

export const endedWithoutCleanup = (status: string): boolean =>
  (ENDED_WITHOUT_CLEANUP as readonly string[]).includes(status);

/** What the orphan guard learns of an ended execution: the status-change event, or DescribeExecution. */
export interface EndedExecution {
  executionName: string;
  status: Exclude<ExecutionStatus, "RUNNING" | "PENDING_REDRIVE">;
  /** The error a FAILED execution ended with, and its cause, when known. */
  error?: string;
  cause?: string;
  startedAt: number;
  stoppedAt: number;
  /** The execution input as Step Functions delivered it: a JSON string, absent when it was too large. */
  input?: string;
}

export interface OrphanGuardResult {
  stopped: string[];
  /** Run locks given back: only once every experiment of the execution has ended. */
  released: number;
  /** The report delivered, when none was stored yet. */
  report?: Report;
}

/** The plan's name from the execution input (`{"plan": "<name>"}` or an inline plan), when it is readable. */
export function planNameFromInput(input: string | undefined): string | undefined {
  if (!input) return undefined;
  try {
    const plan = (JSON.parse(input) as { plan?: unknown }).plan;
    if (typeof plan === "string") return plan;
    if (plan && typeof plan === "object" && typeof (plan as { name?: unknown }).name === "string")
      return (plan as { name: string }).name;
  } catch {
    // An unreadable input still gets its experiments stopped; only the report's plan name is lost.
  }
  return undefined;
}

/** What the guard and the sweep work with. */
export interface GuardPorts {
  experiments: Pick<ExperimentControl, "listTagged" | "listLive" | "stop">;
  executions: ExecutionLookup;
  publisher: ReportPublisher;
  locks: Pick<RunLocks, "heldBy" | "release">;
  /** Reads the report bucket, to see whether an execution's report is already stored. */
  reports: Pick<ReportStore, "get">;
  /** This stack's state machine: only its experiments and executions are the guard's to touch. */
  stateMachine: string;
  /** Ends the alarm mute of an execution that skipped its own cleanup. */
  mutes: Pick<AlarmMutes, "unmute">;
}

/**
 * Reconciles one ended execution of this stack's state machine, however it ended, and as often as asked:
 * - stops its live experiments when the execution may have skipped its own cleanup (stopped, timed out, failed);
 * - gives back its run locks once every experiment of it has ended;
 * - delivers its report unless one is stored: the report the execution built (a SUCCEEDED execution's output, or
 *   what its publish step was given), else one the guard writes from what it knows (ABORTED for a stopped
 *   execution, ERROR for a failed or timed-out one). The store keeps the first report of each execution, so a
 *   report delivered twice is stored once.
 */
export async function guardOrphans(ended: EndedExecution, ports: GuardPorts): Promise<OrphanGuardResult> {
  const tagged = await experimentsOf(ports.experiments, {
    stateMachine: ports.stateMachine,
    executionName: ended.executionName,
  });
  const stopped: string[] = [];
  if (endedWithoutCleanup(ended.status)) {
    for (const experiment of tagged) {
      if (isTerminal(experiment.status) || experiment.status === "stopping") continue;
      await ports.experiments.stop(experiment.id);
      stopped.push(experiment.id);
    }
    // Its pagers too: the mute rule, if it put one, is deleted (idempotent; it would end at the deadline anyway).
    await ports.mutes.unmute(muteRuleName({ stateMachine: ports.stateMachine, executionName: ended.executionName }));
  }
  // A fault still rolling back keeps its targets locked; a later sweep releases them once it has ended.
  const released = tagged.every((e) => isTerminal(e.status))
    ? await releaseGameDay(ended.executionName, ports.locks)
    : 0;
  // Every sweep asks about every execution of the last hour: the stored report is looked for first, and the
  // execution history read only for an execution whose report is missing.
  const isStored = async (planName: string) =>
    (await ports.reports.get(
      reportObjectKeys({ plan: { name: planName }, execution: { name: ended.executionName } }).json,
    )) !== undefined;
  const planName = planNameOf(ended, tagged);
  if (await isStored(planName)) return { stopped, released };
  const built = await builtReportOf(ended, ports.executions);
  if (built && built.plan.name !== planName && (await isStored(built.plan.name))) return { stopped, released };
  const report = built ?? guardReport(ended, planName, tagged, stopped);
  await ports.publisher.publish(report);
  return { stopped, released, report };
}

/** The report the execution built, when Step Functions still has it and it is a report the store accepts. */
async function builtReportOf(ended: EndedExecution, executions: ExecutionLookup): Promise<Report | undefined> {
  const built = await executions.builtReport(ended.executionName);
  const parsed = reportSchema.safeParse(built);
  return parsed.success && parsed.data.execution.name === ended.executionName
    ? (parsed.data as unknown as Report)
    : undefined;
}

const planNameOf = (ended: EndedExecution, tagged: ExperimentView[]) => {
  const name = tagged.find((e) => e.tags[PLAN_TAG])?.tags[PLAN_TAG] ?? planNameFromInput(ended.input);
  // The store refuses unsafe names; a report under "unknown" is better than none.
  return name !== undefined && SAFE_PLAN_NAME.test(name) ? name : "unknown";
};

export interface SweepResult {
  /** Experiments stopped because their execution had ended (its status event lost, or the guard failed). */
  stoppedAfterEnd: string[];
  /** Experiments stopped because they outlived their game day's deadline while the workflow still ran. */
  stoppedPastDeadline: string[];
  /** Executions whose report the sweep delivered, because none was stored. */
  reported: string[];
  /** Run locks given back. */
  released: number;
  /**
   * Executions (or "*" for the listing itself) the sweep could not reconcile this time, with the error: each is
   * reconciled on its own, so one that keeps failing never holds up the others; the next sweep tries it again.
   */
  failed: { execution: string; error: string }[];
}

const endedExecution = (e: ExecutionDescription, now: number): EndedExecution => ({
  executionName: e.name,
  status: e.status as EndedExecution["status"],
  ...(e.error ? { error: e.error } : {}),
  ...(e.cause ? { cause: e.cause } : {}),
  startedAt: e.startedAt,
  stoppedAt: e.stoppedAt ?? now,
  ...(e.input ? { input: e.input } : {}),
});

/**
 * The guard's schedule. EventBridge delivers AWS service events on a best-effort basis, and the report's own path
 * (PutEvents, the store rule, S3) can fail for a while, so every sweep reconciles each execution that ended in the
 * last `lookbackSeconds` (see guardOrphans), and stops any live experiment of this stack whose execution has ended
 * or which is past the deadline its game day tagged it with (a hung workflow).
 */
export async function sweepOrphans(now: number, lookbackSeconds: number, ports: GuardPorts): Promise<SweepResult> {
  const result: SweepResult = { stoppedAfterEnd: [], stoppedPastDeadline: [], reported: [], released: 0, failed: [] };
  const guarded = new Set<string>();
  /** Runs one execution's reconciliation; a failure is recorded and the sweep goes on with the next. */
  const isolated = async (execution: string, work: () => Promise<void>) => {
    try {
      await work();
    } catch (error) {
      result.failed.push({ execution, error: `${(error as Error).name}: ${(error as Error).message}` });
    }
  };
  const guard = async (execution: ExecutionDescription) => {
    guarded.add(execution.name);
    const outcome = await guardOrphans(endedExecution(execution, now), ports);
    result.stoppedAfterEnd.push(...outcome.stopped);
    result.released += outcome.released;
    if (outcome.report) result.reported.push(execution.name);
  };
  let ended: ExecutionDescription[] = [];
  await isolated("*", async () => void (ended = await ports.executions.listEnded(now - lookbackSeconds * 1000)));
  for (const execution of ended) await isolated(execution.name, () => guard(execution));

  // Another stack's live experiments are never read: its experiments are not ours to read (IAM denies it).
  const live = (await ports.experiments.listLive(EXECUTION_TAG, { [STATE_MACHINE_TAG]: ports.stateMachine })).filter(
    startedBy(ports.stateMachine),
  );
  const byExecution = new Map<string, ExperimentView[]>();
  for (const e of live) {
    const name = e.tags[EXECUTION_TAG]!;
    if (!guarded.has(name)) byExecution.set(name, [...(byExecution.get(name) ?? []), e]);
  }
  for (const [executionName, experiments] of byExecution)
    await isolated(executionName, async () => {
      const execution = await ports.executions.describe(executionName);
      if (execution && execution.status !== "RUNNING" && execution.status !== "PENDING_REDRIVE") {
        await guard(execution);
        return;
      }
      // Still running: only the deadline can tell a hung game day.
      for (const experiment of experiments) {
        const deadline = Date.parse(experiment.tags[DEADLINE_TAG] ?? "");
        if (Number.isNaN(deadline) || deadline > now || experiment.status === "stopping") continue;
        await ports.experiments.stop(experiment.id);
        result.stoppedPastDeadline.push(experiment.id);
      }
    });
  return result;
}

const HOW_IT_ENDED: Record<EndedExecution["status"], string> = {
  SUCCEEDED: "succeeded, but its report was never stored and can no longer be read",
  ABORTED: "was stopped from outside (Stop execution or StopExecution)",
  TIMED_OUT: "timed out",
  FAILED: "failed before its own cleanup ran",
};

/** The errors of the state machine's "Nothing was started" Fail states. */
export const NOTHING_STARTED_ERRORS: readonly string[] = [
  GAME_DAY_ERRORS.invalidPlan,
  GAME_DAY_ERRORS.notStarted,
  GAME_DAY_ERRORS.overlap,
  GAME_DAY_ERRORS.changeFreeze,
];

const howItEnded = (ended: EndedExecution) =>
  ended.error && NOTHING_STARTED_ERRORS.includes(ended.error)
    ? namesTransientFailure(ended.cause)
      ? "could not start: AWS throttled or failed its calls while it checked the plan and took its locks (nothing " +
        "was started; start it again when the account's request rate allows)"
      : "was refused before it started anything"
    : HOW_IT_ENDED[ended.status];

/**
 * The report of an execution whose own report is lost: ABORTED when it was stopped from outside or refused before
 * it started anything, ERROR when it failed, timed out, or succeeded and its report can no longer be read.
 */
function guardReport(ended: EndedExecution, planName: string, tagged: ExperimentView[], stopped: string[]): Report {
  const refused = ended.error !== undefined && NOTHING_STARTED_ERRORS.includes(ended.error);
  const verdict = ended.status === "ABORTED" || refused ? "ABORTED" : "ERROR";
  const still = tagged.filter((e) => !isTerminal(e.status) && !stopped.includes(e.id)).length;
  const reason =
    `The execution ${howItEnded(ended)}${ended.error ? ` (${ended.error}${ended.cause ? `: ${ended.cause}` : ""})` : ""}. ` +
    `The orphan guard stopped ${stopped.length} running experiment(s) of the ${tagged.length} it started.`;
  return newReport({
    plan: { name: planName, description: "Reported by the orphan guard; the execution history holds the details." },
    execution: {
      name: ended.executionName,
      startedAt: new Date(ended.startedAt).toISOString(),
      endedAt: new Date(ended.stoppedAt).toISOString(),
      actionsMode: "run-all",
    },
    verdict,
    reason,
    findings: [{ rule: "execution-ended", verdict, message: reason }],
    recovery: null,
    experiments: tagged.map((e) => ({
      stage: e.tags[STAGE_TAG] ?? "",
      name: e.templateId,
      templateId: e.templateId,
      experimentId: e.id,
      status: stopped.includes(e.id) ? "stopping" : e.status,
      ...(e.reason ? { reason: e.reason } : {}),
      ...(e.startTime ? { startTime: e.startTime } : {}),
      ...(e.endTime ? { endTime: e.endTime } : {}),
      actions: e.actions,
    })),
    cleanup: { stopped, pending: still },
  });
}
