import { formatSeconds } from "../time/duration";
import type { Finding } from "../verdict/verdict";
import type { Report, ReportStage } from "./model";

/* eslint-disable no-control-regex -- finding control characters is what these expressions are for */
/** Characters XML 1.0 does not allow in a document at all, escaped or not (its Char production), lone surrogates too. */
const NOT_XML_CHAR = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/**
 * Escapes text for HTML and XML, attributes included. Every string of a report goes through it: reports can
 * arrive from an event bus, and names and reasons are data, never markup. Characters XML cannot hold become U+FFFD,
 * so the JUnit file stays well-formed whatever a name holds.
 */
export const escapeMarkup = (text: string) =>
  String(text)
    .replace(NOT_XML_CHAR, "\uFFFD")
    .replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/**
 * Escapes text for Markdown (reports and dashboard text widgets): the characters that start emphasis, links, code,
 * tables or raw HTML are backslash-escaped, `&` so no entity is formed, a block marker at the start (heading, quote,
 * list) too, and bare URLs are broken so no renderer links them. Renderers then show the text as written.
 */
export const escapeMarkdown = (text: string) =>
  printable(String(text))
    .replace(/[\\`*_[\]<>|]/g, (c) => `\\${c}`)
    .replace(/&/g, "&amp;")
    .replace(/^(\s*)([#>+=~-])/, "$1\\$2")
    .replace(/^(\s*\d{1,9})([.)])(?=\s|$)/, "$1\\$2")
    .replace(/:\/\//g, ":\\/\\/")
    .replace(/\bwww\./gi, (w) => `${w.slice(0, 3)}\\.`);

/**
 * Escape sequences as terminals read them: CSI (colours, cursor moves, clear screen), OSC (window title,
 * hyperlinks), DCS/SOS/PM/APC strings, single-character escapes, and the 8-bit CSI.
 */
const ESCAPE_SEQUENCE =
  /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][\s\S]*?(?:\x07|\x1b\\|$)|\x1b[PX^_][\s\S]*?(?:\x1b\\|$)|\x1b[ -~]?|\x9b[0-?]*[ -/]*[@-~]/g;
/** Control characters (C0, DEL, C1) and the bidirectional overrides that reorder what a reader sees. */
const CONTROL = /[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g;

/**
 * A name or text from data as one printable line: escape sequences removed, line breaks and tabs as spaces, any other
 * control character as U+FFFD. What every terminal line, Markdown cell and live view shows of a name.
 */
export const printable = (text: string) =>
  String(text)
    .replace(ESCAPE_SEQUENCE, "")
    .replace(/[\t\n\r]/g, " ")
    .replace(CONTROL, "\uFFFD");

/**
 * Text about to be written to a terminal: only colour and style sequences (SGR) survive, line breaks and tabs are
 * kept, every other escape sequence and control character is removed. The last guard behind `printable`: a name
 * that reached a line unfiltered cannot set the window title, clear the screen or overwrite earlier lines.
 */
export const terminalSafe = (text: string) =>
  String(text)
    .replace(ESCAPE_SEQUENCE, (sequence) => (/^\x1b\[[0-9;]*m$/.test(sequence) ? sequence : ""))
    .replace(/[\x00-\x08\x0b-\x1a\x1c-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g, "\uFFFD");
/* eslint-enable no-control-regex */

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

/** A cost line's quantity: whole numbers as they are, fractions to three significant digits. */
export const quantityText = (value: number): string =>
  Number.isInteger(value) ? value.toLocaleString("en-US") : String(Number(value.toPrecision(3)));

/** Dollars as every output prints them: cents from a cent up, two significant digits below. */
export const usd = (value: number): string =>
  value >= 0.01 ? value.toFixed(2) : value === 0 ? "0" : String(Number(value.toPrecision(2)));

/** The game day's alarm mute, in words, for every format: which alarms, from when, for how long, and its end. */
export const alarmMuteText = (mute: NonNullable<Report["alarmMute"]>) =>
  `Alarm actions muted (${mute.rule}): ${mute.alarms.join(", ")}, from ${mute.from} for at most ${mute.minutes} min; ` +
  (mute.endedAt
    ? `unmuted at cleanup, ${mute.endedAt}.`
    : "not unmuted by the game day: the orphan guard or the rule's end unmutes them.");

/** A stage that waited for room under FIS's quota says so beside its fault's times, in every format. */
export const quotaWaitText = (stage: Pick<ReportStage, "quotaWaitMinutes">) =>
  stage.quotaWaitMinutes ? ` (after ${stage.quotaWaitMinutes} min waiting for room under FIS's quota)` : "";
