import { InvalidReportError } from "../contract/errors";
import type { Report } from "./model";
import { REPORT_TEXT_LIMITS as LIMITS, reportProblems } from "./schema";

/** The parts of a report a producer knows; the rest starts empty. */
export type ReportParts = Omit<
  Report,
  "schemaVersion" | "findings" | "recovery" | "experiments" | "probes" | "stages" | "skippedStages"
> &
  Partial<Pick<Report, "findings" | "recovery" | "experiments" | "probes" | "stages" | "skippedStages">>;

/**
 * The one way gameday makes a report (the report step and the orphan guard both come here): the version and the
 * empty parts filled in, and the whole checked against the schema the store function holds every report to, so a
 * report gameday builds is never one the store refuses.
 */
export function newReport(parts: ReportParts): Report {
  const report: Report = {
    schemaVersion: 1,
    findings: [],
    recovery: null,
    experiments: [],
    probes: [],
    stages: [],
    skippedStages: [],
    ...parts,
  };
  fitToLimits(report);
  const problems = reportProblems(report);
  if (problems) throw new InvalidReportError(`gameday built a report the store would refuse: ${problems}`);
  return report;
}

/** `text` cut to `max` characters, ending with how much was cut, so a reader knows it is not whole. */
export function cutToLength(text: string, max: number): string {
  if (text.length <= max) return text;
  const tail = (cut: number) => `… (${cut.toLocaleString("en-US")} more characters)`;
  // The tail's own length depends on the count; one more pass settles it.
  let keep = max - tail(text.length - max).length;
  keep = max - tail(text.length - keep).length;
  return `${text.slice(0, keep)}${tail(text.length - keep)}`;
}

/**
 * Long texts cut to the report's limits, findings past the limit folded into one: whatever validate accepts (a long
 * description, hundreds of tolerated findings) still makes a report the store takes.
 */
function fitToLimits(report: Report): void {
  report.plan = { ...report.plan, description: cutToLength(report.plan.description, LIMITS.planDescription) };
  report.reason = cutToLength(report.reason, LIMITS.reason);
  if (report.findings.length > LIMITS.findings) {
    // Every finding that decided the verdict stays; the others fill the room left, in their order.
    const deciding = report.findings.filter((f) => f.verdict === report.verdict).slice(0, LIMITS.findings - 1);
    let room = LIMITS.findings - 1 - deciding.length;
    const kept = report.findings.filter((f) => deciding.includes(f) || (f.verdict !== report.verdict && room-- > 0));
    const rest = report.findings.length - kept.length;
    kept.push({
      rule: "findings-cut",
      verdict: null,
      message: `${rest} more finding(s) are not listed: a report holds at most ${LIMITS.findings}.`,
    });
    report.findings = kept;
  }
  report.findings = report.findings.map((f) => ({
    ...f,
    message: cutToLength(f.message, LIMITS.findingMessage),
    ...(f.stage !== undefined ? { stage: cutToLength(f.stage, LIMITS.findingStage) } : {}),
    ...(f.bound !== undefined ? { bound: cutToLength(f.bound, LIMITS.findingBound) } : {}),
    ...(f.alarm !== undefined ? { alarm: cutToLength(f.alarm, LIMITS.findingAlarm) } : {}),
  }));
}
