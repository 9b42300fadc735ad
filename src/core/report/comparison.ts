import type { Verdict } from "../verdict/findings";

/** One thing that got worse (or better) since the previous game day of the same plan. */
export interface ReportChange {
  /** Plain words: "recovery 40% slower (1m 30s → 2m 6s)". */
  summary: string;
  subject: string;
  previous: number | string | null;
  current: number | string | null;
}

export interface ReportComparison {
  previous: { execution: string; verdict: Verdict; endedAt: string };
  regressions: ReportChange[];
  improvements: ReportChange[];
  /**
   * Actions that acted on other resources than last time (FIS chose another instance, a writer instead of a
   * reader): the runs did not test the same thing, so no improvement is claimed; regressions still show.
   */
  differentTargets?: string[];
}
