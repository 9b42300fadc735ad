/** The verdict vocabulary: what a game day can end as, and the findings it rests on. */
export const VERDICTS = ["PASSED", "FAILED", "INCONCLUSIVE", "ABORTED", "ERROR"] as const;
export type Verdict = (typeof VERDICTS)[number];

/** The rule a finding comes from; README's verdict model names the same rules. */
export type VerdictRule =
  | "out-of-bounds-during-fault"
  | "tolerance-exceeded"
  | "guardrail-stop"
  | "not-recovered"
  | "stop-condition"
  | "tolerated"
  | "no-data"
  | "nothing-injected"
  | "preview"
  | "not-steady"
  | "experiment-failed"
  | "experiment-interrupted"
  | "live-experiment"
  | "cleanup-failed"
  | "game-day-error"
  | "stages-missing"
  | "execution-ended"
  /** Some fault actions ran and others did not: the verdict covers only what ran. */
  | "partly-injected"
  /** Who approved the game day before it injected anything, or who rejected it (or that nobody decided in time). */
  | "approval"
  /** Stands for the findings a report had to leave out (it holds at most 1,000). */
  | "findings-cut";

/** One fact the verdict rests on. Every output (summary, reason, JSON, Markdown, HTML, JUnit) is made from these. */
export interface Finding {
  rule: VerdictRule;
  /** The verdict this finding leads to on its own ("tolerated" findings lead to none: they explain a PASSED). */
  verdict: Verdict | null;
  /** One sentence that states only what the data shows. */
  message: string;
  probeId?: string;
  stage?: string;
  /** When the reading was taken (ISO-8601). */
  at?: string;
  value?: number;
  /** The bound the reading broke, in words, e.g. "value 63.8 > 1". */
  bound?: string;
  experimentId?: string;
  alarm?: string;
}

export interface VerdictFacts {
  verdict: Verdict;
  reason: string;
  findings: Finding[];
}
