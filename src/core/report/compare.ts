import { resourceName } from "../gameday/acted-on";
import { formatSeconds } from "../time/duration";
import type { ReportChange, ReportComparison } from "./comparison";
import type { Report } from "./model";

export type { ReportChange, ReportComparison } from "./comparison";

/**
 * Only a game day that tested its hypothesis (PASSED or FAILED, not a preview) can be a baseline: an ABORTED,
 * ERROR or INCONCLUSIVE run measured nothing, and comparing with it would report regressions that never happened.
 */
export const canBeBaseline = (report: Pick<Report, "verdict" | "execution">): boolean =>
  (report.verdict === "PASSED" || report.verdict === "FAILED") && report.execution?.actionsMode !== "skip-all";

/** A time or a peak counts as changed beyond this relative difference… */
export const REGRESSION_RATIO = 0.2;
/** …and, for times, beyond this many seconds: a 12 s → 15 s recovery is one datapoint of jitter, not a regression. */
export const REGRESSION_MIN_SECONDS = 10;

const percent = (from: number, to: number) => Math.round((Math.abs(to - from) / Math.max(from, Number.EPSILON)) * 100);
const seconds = (s: number | null) => (s === null ? "not recovered" : formatSeconds(s));

function compareDuration(
  subject: string,
  previous: number | null,
  current: number | null,
  out: { regressions: ReportChange[]; improvements: ReportChange[] },
): void {
  const change = (summary: string): ReportChange => ({ summary, subject, previous, current });
  if (previous === null && current === null) return;
  if (previous !== null && current === null) {
    out.regressions.push(change(`${subject}: recovered in ${seconds(previous)} last time, not recovered now`));
  } else if (previous === null && current !== null) {
    out.improvements.push(change(`${subject}: recovered in ${seconds(current)}, did not recover last time`));
  } else if (previous !== null && current !== null && Math.abs(current - previous) >= REGRESSION_MIN_SECONDS) {
    if (current > previous * (1 + REGRESSION_RATIO))
      out.regressions.push(
        change(`${subject} ${percent(previous, current)}% slower (${seconds(previous)} → ${seconds(current)})`),
      );
    else if (current < previous * (1 - REGRESSION_RATIO))
      out.improvements.push(
        change(`${subject} ${percent(previous, current)}% faster (${seconds(previous)} → ${seconds(current)})`),
      );
  }
}

const slowest = (times: readonly (number | null)[] | undefined): number | null =>
  // A loop, not Math.max(...times): a report read from a file may list more times than a call takes arguments.
  !times?.length || times.some((t) => t === null) ? null : (times as number[]).reduce((a, b) => Math.max(a, b));

/**
 * Compares a report with the previous one of the same plan: the verdict, the recovery of the game day and of each
 * probe, each probe's peak during the fault, and the blast radius.
 */
export function compareReports(current: Report, previous: Report): ReportComparison {
  const out: ReportComparison = {
    previous: { execution: previous.execution.name, verdict: previous.verdict, endedAt: previous.execution.endedAt },
    regressions: [],
    improvements: [],
  };
  const verdictChange = (summary: string): ReportChange => ({
    summary,
    subject: "verdict",
    previous: previous.verdict,
    current: current.verdict,
  });
  if (previous.verdict === "PASSED" && current.verdict !== "PASSED")
    out.regressions.push(verdictChange(`verdict ${previous.verdict} → ${current.verdict}`));
  if (previous.verdict === "FAILED" && current.verdict === "PASSED")
    out.improvements.push(verdictChange(`verdict ${previous.verdict} → ${current.verdict}`));
  // A run that measured nothing has no times or peaks to compare.
  if (!canBeBaseline(current)) return out;
  const differentTargets = targetChanges(previous, current);
  if (differentTargets.length) out.differentTargets = differentTargets;

  compareDuration("recovery", previous.recovery, current.recovery, out);
  for (const probe of current.probes) {
    const before = previous.probes?.find((p) => p.id === probe.id);
    if (!before) continue;
    // An older report may lack any of these: compare what both have.
    const recoveredBefore = Array.isArray(before.timeToRecover) ? slowest(before.timeToRecover) : null;
    compareDuration(`${probe.id} recovery`, recoveredBefore, slowest(probe.timeToRecover), out);
    const peak = probe.phases.fault.max;
    const previousPeak = before.phases?.fault?.max;
    const bounds = probe.resolvedBounds ?? (probe.bounds as { max?: number });
    // Peaks matter for probes with an upper bound: more errors, more latency.
    if (bounds.max !== undefined && peak !== null && typeof previousPeak === "number" && previousPeak > 0) {
      const subject = `${probe.id} fault peak`;
      const change = (summary: string): ReportChange => ({ summary, subject, previous: previousPeak, current: peak });
      if (peak > previousPeak * (1 + REGRESSION_RATIO))
        out.regressions.push(
          change(`${subject} ${percent(previousPeak, peak)}% higher (${round(previousPeak)} → ${round(peak)})`),
        );
      else if (peak < previousPeak * (1 - REGRESSION_RATIO))
        out.improvements.push(
          change(`${subject} ${percent(previousPeak, peak)}% lower (${round(previousPeak)} → ${round(peak)})`),
        );
    }
  }
  const before = new Set(Array.isArray(previous.traces?.blastRadius) ? previous.traces.blastRadius : []);
  const now = new Set(current.traces?.blastRadius ?? []);
  if (previous.traces && current.traces) {
    const grew = [...now].filter((e) => !before.has(e));
    const shrank = [...before].filter((e) => !now.has(e));
    if (grew.length)
      out.regressions.push({
        summary: `blast radius grew: ${grew.join(", ")}`,
        subject: "blast radius",
        previous: before.size,
        current: now.size,
      });
    if (shrank.length)
      out.improvements.push({
        summary: `no longer in the blast radius: ${shrank.join(", ")}`,
        subject: "blast radius",
        previous: before.size,
        current: now.size,
      });
  }
  // Faster or lower against other resources is not an improvement of the system, only of the draw.
  if (out.differentTargets) out.improvements = [];
  return out;
}

/** Each action (by experiment and action name) whose resources differ from the previous run's, in words. */
function targetChanges(previous: Report, current: Report): string[] {
  const short = (arns: string[]) => arns.map(resourceName).join(", ") || "nothing";
  const changes: string[] = [];
  for (const experiment of current.experiments)
    for (const action of experiment.actions) {
      const before = previous.experiments
        ?.find((e) => e.name === experiment.name && e.stage === experiment.stage)
        ?.actions?.find((a) => a.name === action.name);
      // An older report that did not record resources cannot tell: nothing is claimed either way.
      if (!before?.resources || !action.resources) continue;
      if (before.resources.join("\n") !== action.resources.join("\n"))
        changes.push(
          `${experiment.name} · ${action.name} acted on ${short(action.resources)}, last time on ${short(before.resources)}`,
        );
    }
  return changes;
}

const round = (n: number) => Math.round(n * 1000) / 1000;
