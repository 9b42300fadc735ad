import type { GameDayCost } from "../cost/cost-types";
import type { Bounds } from "../plan/schema";
import type { ResolvedBounds } from "../probes/bounds";
import type { Phase } from "../statistics/phase";
import type { SeriesSummary } from "../statistics/summary";
import type { TraceReport } from "../traces/model";
import type { Finding, Verdict } from "../verdict/findings";
import type { ReportComparison } from "./comparison";

export type { Phase };

/** The game-day report: the contract other tools read. Times are ISO-8601 strings. */
export interface Report {
  schemaVersion: 1;
  /** `inline`: the plan came in the execution input, not from the stack; such a report never becomes a baseline. */
  plan: { name: string; description: string; inline?: true };
  execution: { name: string; startedAt: string; endedAt: string; actionsMode: string };
  verdict: Verdict;
  reason: string;
  /** The facts the verdict rests on: every output is made from these and the verdict. */
  findings: Finding[];
  /** Seconds from the end of the fault to the steady state, slowest stage; null when it did not recover. */
  recovery: number | null;
  /** The probe that took longest to settle back in band after a fault, from its datapoints. */
  slowestRecovery?: { probeId: string; stage: string; seconds: number | null };
  /** What the game day cost at list prices, item by item (absent from reports the orphan guard writes). */
  cost?: GameDayCost;
  experiments: ReportExperiment[];
  probes: ReportProbe[];
  stages: ReportStage[];
  /** The windows the report splits datapoints by: one baseline, then a fault and a recovery window per stage. */
  phaseWindows?: Record<Phase, { start: string; end: string }[]>;
  skippedStages: string[];
  /** Services and edges from X-Ray, and the blast radius; absent when the report could not read traces. */
  traces?: TraceReport;
  /** How this game day compares with the previous stored report of the same plan. */
  comparison?: ReportComparison;
  cleanup?: { stopped: string[]; pending: number };
  /** The alarms whose actions the game day muted (the plan's muteAlarmActions): from when, for how long, ended when. */
  alarmMute?: { rule: string; alarms: string[]; from: string; minutes: number; endedAt?: string };
  /** Filled by `gameday rehearse` only. */
  rehearsal?: RehearsalFacts;
  /**
   * Set on the summary that leaves the state machine: the whole report is stored at `key` (see reference.ts), with
   * this many findings and probes.
   */
  fullReport?: { key: string; findings: number; probes: number };
}

export interface ReportExperiment {
  stage: string;
  name: string;
  templateId: string;
  experimentId: string;
  status: string;
  reason?: string;
  startTime?: string;
  endTime?: string;
  actions: {
    name: string;
    actionId: string;
    status: string;
    reason?: string;
    startTime?: string;
    endTime?: string;
    /** The resources the action acted on, as FIS resolved its targets (ListExperimentResolvedTargets). */
    resources?: string[];
  }[];
}

export interface ReportProbe {
  id: string;
  type: string;
  description?: string;
  bounds: Bounds | Record<string, number>;
  phases: Record<Phase, SeriesSummary>;
  /** The bounds as they applied during the faults, relative ones resolved against the baseline. */
  resolvedBounds?: ResolvedBounds;
  /** Seconds from the start of the fault to the probe's first breach, per stage; null when it never breached. */
  timeToDetect: (number | null)[];
  /**
   * Seconds from the end of the fault until the probe's datapoints stayed in band, per stage; null when they did
   * not settle while the game day watched.
   */
  timeToRecover: (number | null)[];
  /** The probe's datapoints over the whole game day, for charts. Epoch-millisecond period starts. */
  timeline?: ProbeTimeline;
  /**
   * For alarm probes: the alarm, the states that breach (charted as 1, others as 0), and its state when the game
   * day began followed by each change (at most 50), as CloudWatch's alarm history recorded them.
   */
  alarm?: { name: string; breachingStates: string[]; changes: { at: string; state: string }[] };
}

export interface ProbeTimeline {
  periodSeconds: number;
  timestamps: number[];
  values: number[];
  /** More statistics of the same metric (a metric probe's reportStatistics), same timestamps where present. */
  others?: Record<string, { timestamps: number[]; values: number[] }>;
}

export interface ReportStage {
  name: string;
  faultStartedAt: string;
  faultEndedAt: string | null;
  stoppedBy: "guardrail" | "max-fault-duration" | null;
  /** Minutes the stage waited for room under FIS's quota of active experiments before its fault began. */
  quotaWaitMinutes?: number;
  guardrailProbes: string[];
  recoverySeconds: number | null;
  polls: number;
}

export interface RehearsalFacts {
  seed: number;
  world: string;
  stateTransitions: number;
  transitionsPerPoll: number;
  polls: number;
  orphanedExperiments: number;
  /** Report objects stored for the execution after every (possibly repeated) delivery: must be 1. */
  reportsStored: number;
  /** The injected faults that actually fired, with how often. */
  faultsInjected: Record<string, number>;
  unmodeledActions: { experimentId: string; action: string; actionId: string }[];
  simulatedSeconds: number;
  wallSeconds: number;
  /** The largest state input, output or task result of the execution, in bytes (Step Functions allows 262,144). */
  largestStateBytes?: { state: string; bytes: number };
}

/** Puts a report on the report bus, where the storage rule picks it up. */
export interface ReportPublisher {
  publish(report: Report): Promise<void>;
}
