import type { ExperimentView, ReportPublisher } from "../ports";
import type { CleanupPorts } from "./steps";
import { isTerminal } from "../ports";
import type { Report } from "../report/model";
import { EXECUTION_TAG, PLAN_TAG, STAGE_TAG } from "./state";

/** Execution statuses after which the state machine's own cleanup may not have run. */
export const ENDED_WITHOUT_CLEANUP = ["FAILED", "TIMED_OUT", "ABORTED"] as const;

/** What the orphan guard learns from a "Step Functions Execution Status Change" event. */
export interface EndedExecution {
  executionName: string;
  status: (typeof ENDED_WITHOUT_CLEANUP)[number];
  startedAt: number;
  stoppedAt: number;
  /** The execution input as Step Functions delivered it: a JSON string, absent when it was too large. */
  input?: string;
}

export interface OrphanGuardResult {
  stopped: string[];
  report: Report;
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
  ports: CleanupPorts & { publisher: ReportPublisher },
): Promise<OrphanGuardResult> {
  const tagged = await ports.experiments.listTagged(EXECUTION_TAG, ended.executionName);
  const stopped: string[] = [];
  for (const experiment of tagged) {
    if (isTerminal(experiment.status) || experiment.status === "stopping") continue;
    await ports.experiments.stop(experiment.id);
    stopped.push(experiment.id);
  }
  const report = abortedReport(ended, tagged, stopped);
  await ports.publisher.publish(report);
  return { stopped, report };
}

const HOW_IT_ENDED: Record<EndedExecution["status"], string> = {
  ABORTED: "was stopped from outside (Stop execution or StopExecution)",
  TIMED_OUT: "timed out",
  FAILED: "failed before its own cleanup ran",
};

function abortedReport(ended: EndedExecution, tagged: ExperimentView[], stopped: string[]): Report {
  const planName = tagged.find((e) => e.tags[PLAN_TAG])?.tags[PLAN_TAG] ?? planNameFromInput(ended.input) ?? "unknown";
  const still = tagged.filter((e) => !isTerminal(e.status) && !stopped.includes(e.id)).length;
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
    reason:
      `The execution ${HOW_IT_ENDED[ended.status]}. The orphan guard stopped ${stopped.length} running ` +
      `experiment(s) of the ${tagged.length} it started.`,
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
