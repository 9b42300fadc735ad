import type { Bounds } from "../plan/schema";
import type { SeriesSummary } from "../statistics/summary";
import type { Verdict } from "../verdict/verdict";

/** The game-day report: the contract other tools read. Times are ISO-8601 strings. */
export interface Report {
  schemaVersion: 1;
  plan: { name: string; description: string };
  execution: { name: string; startedAt: string; endedAt: string; actionsMode: string };
  verdict: Verdict;
  reason: string;
  /** Seconds from the end of the fault to the steady state, slowest stage; null when it did not recover. */
  recovery: number | null;
  experiments: ReportExperiment[];
  probes: ReportProbe[];
  stages: ReportStage[];
  skippedStages: string[];
  cleanup?: { stopped: string[]; pending: number };
  /** Filled by `gameday rehearse` only. */
  rehearsal?: RehearsalFacts;
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
  actions: { name: string; actionId: string; status: string; reason?: string; startTime?: string; endTime?: string }[];
}

export type Phase = "baseline" | "fault" | "recovery";

export interface ReportProbe {
  id: string;
  type: string;
  description?: string;
  bounds: Bounds | Record<string, number>;
  phases: Record<Phase, SeriesSummary>;
  /** Seconds from the start of the fault to the probe's first breach, per stage; null when it never breached. */
  timeToDetect: (number | null)[];
}

export interface ReportStage {
  name: string;
  faultStartedAt: string;
  faultEndedAt: string | null;
  stoppedBy: "guardrail" | "max-fault-duration" | null;
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
}
