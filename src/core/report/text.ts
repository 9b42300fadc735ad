import { formatSeconds } from "../time/duration";
import type { Finding } from "../verdict/verdict";
import type { Report, ReportStage } from "./model";

/**
 * Escapes text for HTML and XML, attributes included. Every string of a report goes through it: reports can
 * arrive from an event bus, and names and reasons are data, never markup.
 */
export const escapeMarkup = (text: string) =>
  String(text).replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
  );

/**
 * Escapes text for Markdown: the characters that start emphasis, links, code, tables or raw HTML are
 * backslash-escaped, and `&` so no entity is formed. Renderers then show the text as written.
 */
export const escapeMarkdown = (text: string) =>
  String(text)
    .replace(/[\\`*_[\]<>|]/g, (c) => `\\${c}`)
    .replace(/&/g, "&amp;")
    .replace(/\r?\n/g, " ");

/** The recovery line every output prints: only a stage whose fault ended and whose recovery was watched can be "not recovered". */
export function recoveryText(report: Pick<Report, "recovery" | "findings">): string {
  if (report.recovery !== null && report.recovery !== undefined) return formatSeconds(report.recovery);
  const gaveUp = (report.findings ?? []).some((f) => f.rule === "not-recovered");
  if (gaveUp) return "not recovered";
  return "not measured";
}

/** A stage's recovery as every output prints it: "not recovered" only where a finding says so. */
export function stageRecoveryText(report: Pick<Report, "findings">, stage: ReportStage): string {
  if (stage.recoverySeconds !== null) return formatSeconds(Math.round(stage.recoverySeconds));
  const gaveUp = (report.findings ?? []).some((f) => f.rule === "not-recovered" && f.stage === stage.name);
  return gaveUp ? "not recovered" : "not measured";
}

/**
 * Findings that this probe could not be judged somewhere (no data, recovery never shown) while another probe decided
 * the verdict: every output shows such a probe as not shown, never as held.
 */
export const unjudgedFindingsOf = (report: Pick<Report, "verdict" | "findings">, probeId: string): Finding[] =>
  (report.findings ?? []).filter(
    (f) => f.probeId === probeId && f.verdict === "INCONCLUSIVE" && report.verdict !== "INCONCLUSIVE",
  );

/** A probe's state in one word, the same in every output: the verdict it decided, "not shown", or "held". */
export function probeOutcome(report: Pick<Report, "verdict" | "findings">, probeId: string): string {
  if (decidingFindingsOf(report, probeId).length) return report.verdict;
  return unjudgedFindingsOf(report, probeId).length ? "not shown" : "held";
}

/** The findings that decided the verdict and concern this probe: a probe "fails" in every output exactly when these exist. */
export const decidingFindingsOf = (report: Pick<Report, "verdict" | "findings">, probeId: string): Finding[] =>
  (report.findings ?? []).filter((f) => f.probeId === probeId && f.verdict === report.verdict);

/** Numbers as every report form prints them: whole above 100, 2 decimals above 1, 4 below; "–" for none. */
export const formatNumber = (v: number | null | undefined): string =>
  v === null || v === undefined
    ? "–"
    : Math.abs(v) >= 100
      ? v.toFixed(0)
      : Math.abs(v) >= 1
        ? v.toFixed(2)
        : v.toFixed(4);

/** A share (0..1) as a percentage with 2 decimals; "–" for none. */
export const formatPercent = (v: number | null | undefined): string =>
  v === null || v === undefined ? "–" : `${(v * 100).toFixed(2)}%`;
