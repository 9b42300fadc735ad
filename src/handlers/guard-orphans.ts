import type { EventBridgeEvent } from "aws-lambda";
import {
  endedWithoutCleanup,
  guardOrphans,
  sweepOrphans,
  type EndedExecution,
  type GuardPorts,
  type SweepResult,
} from "../core/gameday/orphans";
import type { Clock } from "../core/ports";

/** The "Step Functions Execution Status Change" detail, as documented by Step Functions. */
export interface ExecutionStatusChange {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: string;
  startDate: number;
  stopDate: number | null;
  input?: string | null;
}

export type ExecutionStatusEvent = EventBridgeEvent<"Step Functions Execution Status Change", ExecutionStatusChange>;

/** What the schedule sends: sweep the executions that ended in the last `lookbackSeconds` and every live experiment. */
export interface SweepEvent {
  sweep: true;
  /** Default DEFAULT_LOOKBACK_SECONDS: twelve sweeps of a 5-minute schedule reconcile each ended execution. */
  lookbackSeconds?: number;
}

/** An hour: events, S3 or Lambda may fail for that long and every ended execution still gets its report. */
export const DEFAULT_LOOKBACK_SECONDS = 3600;

export type GuardOutcome =
  { ignored: string } | { stopped: string[]; released: number; reported: boolean } | SweepResult;

/**
 * Two triggers, one job: the status-change event of an execution that ended without its cleanup, and a
 * schedule that sweeps in case that best-effort event was lost or a workflow hangs past its deadline.
 */
export const createGuardOrphans =
  (ports: GuardPorts & { clock: Clock }) =>
  async (event: ExecutionStatusEvent | SweepEvent): Promise<GuardOutcome> => {
    if ("sweep" in event)
      return sweepOrphans(ports.clock.now(), event.lookbackSeconds ?? DEFAULT_LOOKBACK_SECONDS, ports);
    const detail = event.detail;
    // The rule already filters statuses and the state machine; this keeps a misrouted event (another stack's
    // execution of the same name) from touching this stack's game days.
    if (!endedWithoutCleanup(detail.status)) return { ignored: detail.status };
    if (detail.stateMachineArn !== ports.stateMachine) return { ignored: detail.stateMachineArn };
    // The event may be late: a FAILED, ABORTED or TIMED_OUT execution can be redriven under the same name and be
    // running again (or have ended differently) by now. The guard acts on what the execution is now, never on the
    // event alone. Whether a FAILED execution reported for itself shows only in its error, read here too.
    // An execution Step Functions does not describe (any more) is reconciled from the event: stopping a fault
    // needlessly is safer than leaving one running.
    const described = await ports.executions.describe(detail.name);
    if (described && !endedWithoutCleanup(described.status))
      return { ignored: `${detail.name} is ${described.status} now` };
    const ended: EndedExecution = {
      executionName: detail.name,
      status: (described?.status ?? detail.status) as EndedExecution["status"],
      ...(described?.error ? { error: described.error } : {}),
      ...(described?.cause ? { cause: described.cause } : {}),
      startedAt: described?.startedAt ?? detail.startDate,
      stoppedAt: described?.stoppedAt ?? detail.stopDate ?? Date.parse(event.time),
      ...(detail.input ? { input: detail.input } : {}),
    };
    const result = await guardOrphans(ended, ports);
    return { stopped: result.stopped, released: result.released, reported: result.report !== undefined };
  };
