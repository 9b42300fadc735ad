import type {
  ExecutionDescription,
  ExecutionLookup,
  ExecutionStatus,
  ExperimentControl,
  ExperimentView,
  ReportPublisher,
  RunLocks,
} from "../ports";
import { releaseGameDay } from "../locks/reservation";
import type { CleanupPorts } from "./steps";
import { isTerminal } from "../ports";
import type { Report } from "../report/model";
import { DEADLINE_TAG, EXECUTION_TAG, PLAN_TAG, STAGE_TAG } from "./state";

/** Execution statuses after which the state machine's own cleanup may not have run. */
export const ENDED_WITHOUT_CLEANUP = ["FAILED", "TIMED_OUT", "ABORTED"] as const;

export const endedWithoutCleanup = (status: string): boolean =>
  (ENDED_WITHOUT_CLEANUP as readonly string[]).includes(status);

/**
 * The error the state machine fails with only after publishing its own report: the guard still stops what it
 * finds, but reports nothing of its own. Every other ended execution gets the guard's report, so each execution
 * has one, including those that never started anything (an invalid plan).
 */
export const FAILED_AFTER_OWN_REPORT = ["GameDay.Error"];

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
  /** The ABORTED report published, unless the execution had reported for itself. */
  report?: Report;
}

/** Whether the guard must report this execution: only when the state machine cannot have done so. */
export function guardReports(ended: EndedExecution): boolean {
  if (!endedWithoutCleanup(ended.status)) return false;
  return !(ended.error && FAILED_AFTER_OWN_REPORT.includes(ended.error));
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

/**
 * Runs when an execution ended without reaching its own cleanup (stopped from the console, timed out, or
 * failed): stops every experiment tagged with it and publishes an ABORTED report. If the state machine did
 * publish its own report first, the store keeps that one: both land on the same key.
 */
export async function guardOrphans(
  ended: EndedExecution,
  ports: CleanupPorts & { publisher: ReportPublisher; locks: Pick<RunLocks, "heldBy" | "release"> },
): Promise<OrphanGuardResult> {
  const tagged = await ports.experiments.listTagged(EXECUTION_TAG, ended.executionName);
  const stopped: string[] = [];
  for (const experiment of tagged) {
    if (isTerminal(experiment.status) || experiment.status === "stopping") continue;
    await ports.experiments.stop(experiment.id);
    stopped.push(experiment.id);
  }
  // A fault still rolling back keeps its targets locked; a later sweep releases them once it has ended.
  const released = tagged.every((e) => isTerminal(e.status))
    ? await releaseGameDay(ended.executionName, ports.locks)
    : 0;
  if (!guardReports(ended)) return { stopped, released };
  const report = abortedReport(ended, tagged, stopped);
  await ports.publisher.publish(report);
  return { stopped, released, report };
}

export interface SweepResult {
  /** Experiments stopped because their execution had ended (its status event lost, or the guard failed). */
  stoppedAfterEnd: string[];
  /** Experiments stopped because they outlived their game day's deadline while the workflow still ran. */
  stoppedPastDeadline: string[];
  /** Executions the sweep reported ABORTED (the store keeps the first report of each, so repeats are harmless). */
  reported: string[];
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
 * The deadline side of the orphan guard, run on a schedule. EventBridge delivers AWS service events on a
 * best-effort basis, so the sweep does the guard's work again for every execution that ended without its cleanup
 * in the last `lookbackSeconds` (stop, report), and stops any live game-day experiment whose execution has ended
 * or which is past the deadline its game day tagged it with (a hung workflow).
 */
export async function sweepOrphans(
  now: number,
  lookbackSeconds: number,
  ports: {
    experiments: Pick<ExperimentControl, "listLive" | "listTagged" | "stop">;
    executions: ExecutionLookup;
    publisher: ReportPublisher;
    locks: Pick<RunLocks, "heldBy" | "release">;
  },
): Promise<SweepResult> {
  const result: SweepResult = { stoppedAfterEnd: [], stoppedPastDeadline: [], reported: [] };
  const guarded = new Set<string>();
  const guard = async (execution: ExecutionDescription) => {
    guarded.add(execution.name);
    const outcome = await guardOrphans(endedExecution(execution, now), ports);
    result.stoppedAfterEnd.push(...outcome.stopped);
    if (outcome.report) result.reported.push(execution.name);
  };
  for (const execution of await ports.executions.listEndedWithoutCleanup(now - lookbackSeconds * 1000))
    await guard(execution);

  const live = await ports.experiments.listLive(EXECUTION_TAG);
  const byExecution = new Map<string, ExperimentView[]>();
  for (const e of live) {
    const name = e.tags[EXECUTION_TAG]!;
    if (!guarded.has(name)) byExecution.set(name, [...(byExecution.get(name) ?? []), e]);
  }
  for (const [executionName, experiments] of byExecution) {
    const execution = await ports.executions.describe(executionName);
    if (execution && execution.status !== "RUNNING" && execution.status !== "PENDING_REDRIVE") {
      await guard(execution);
      continue;
    }
    // Still running, or unknown to this state machine: only the deadline can tell a hung game day.
    for (const experiment of experiments) {
      const deadline = Date.parse(experiment.tags[DEADLINE_TAG] ?? "");
      if (Number.isNaN(deadline) || deadline > now || experiment.status === "stopping") continue;
      await ports.experiments.stop(experiment.id);
      result.stoppedPastDeadline.push(experiment.id);
    }
  }
  return result;
}

const HOW_IT_ENDED: Record<EndedExecution["status"], string> = {
  SUCCEEDED: "succeeded yet left experiments behind",
  ABORTED: "was stopped from outside (Stop execution or StopExecution)",
  TIMED_OUT: "timed out",
  FAILED: "failed before its own cleanup ran",
};

/** The errors of the state machine's "Nothing was started" Fail states. */
export const NOTHING_STARTED_ERRORS = ["GameDay.InvalidPlan", "GameDay.NotStarted", "GameDay.Overlap"];

const howItEnded = (ended: EndedExecution) =>
  ended.error && NOTHING_STARTED_ERRORS.includes(ended.error)
    ? "was refused before it started anything"
    : HOW_IT_ENDED[ended.status];

function abortedReport(ended: EndedExecution, tagged: ExperimentView[], stopped: string[]): Report {
  const planName = tagged.find((e) => e.tags[PLAN_TAG])?.tags[PLAN_TAG] ?? planNameFromInput(ended.input) ?? "unknown";
  const still = tagged.filter((e) => !isTerminal(e.status) && !stopped.includes(e.id)).length;
  const reason =
    `The execution ${howItEnded(ended)}${ended.error ? ` (${ended.error}${ended.cause ? `: ${ended.cause}` : ""})` : ""}. ` +
    `The orphan guard stopped ${stopped.length} running experiment(s) of the ${tagged.length} it started.`;
  return {
    schemaVersion: 1,
    plan: { name: planName, description: "Reported by the orphan guard; the execution history holds the details." },
    execution: {
      name: ended.executionName,
      startedAt: new Date(ended.startedAt).toISOString(),
      endedAt: new Date(ended.stoppedAt).toISOString(),
      actionsMode: "run-all",
    },
    verdict: "ABORTED",
    reason,
    findings: [{ rule: "execution-ended", verdict: "ABORTED", message: reason }],
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
    probes: [],
    stages: [],
    skippedStages: [],
    cleanup: { stopped, pending: still },
  };
}
