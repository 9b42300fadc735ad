import type { Report } from "./model";
import { decidingFindingsOf, escapeMarkup as escape, unjudgedFindingsOf } from "./text";

/** FIS action states of an action that injected nothing. */
const NEVER_RAN = new Set(["pending", "skipped", "cancelled"]);

interface TestCase {
  name: string;
  classname: string;
  seconds: number;
  failure?: string;
  error?: string;
  skipped?: string;
}

/**
 * A game day as a JUnit test suite, so CI systems show it like tests. The cases come from the verdict's findings:
 * a probe case fails exactly when a finding that decided the verdict names the probe (a failure for FAILED, an
 * error for ERROR or ABORTED, skipped for INCONCLUSIVE; skipped when the game day never judged it); each experiment
 * is a case (an error when FIS failed it, skipped when none of its actions ran);
 * and one "hypothesis" case carries the verdict and its reason. Failures are counted only for a FAILED verdict.
 */
export function renderJUnit(report: Report): string {
  const suite = report.plan.name;
  const ended = Date.parse(report.execution.endedAt);
  const started = Date.parse(report.execution.startedAt);
  const seconds = Number.isFinite(ended - started) ? Math.max(0, (ended - started) / 1000) : 0;
  const outcome = (message: string): Partial<TestCase> =>
    report.verdict === "PASSED"
      ? {}
      : report.verdict === "FAILED"
        ? { failure: message }
        : report.verdict === "INCONCLUSIVE"
          ? { skipped: message }
          : { error: message };
  // Only a PASSED or FAILED game day tested its hypothesis; otherwise a probe no finding names was never judged,
  // and CI must not show it green.
  const judged = report.verdict === "PASSED" || report.verdict === "FAILED";
  const cases: TestCase[] = [];
  for (const probe of report.probes) {
    const findings = decidingFindingsOf(report, probe.id);
    const unjudged = unjudgedFindingsOf(report, probe.id);
    cases.push({
      name: `probe ${probe.id}${probe.description ? `: ${probe.description}` : ""}`,
      classname: `${suite}.probes`,
      seconds: 0,
      ...(findings.length
        ? outcome(findings.map((f) => f.message).join(" "))
        : unjudged.length
          ? { skipped: `not judged: ${unjudged.map((f) => f.message).join(" ")}` }
          : judged
            ? {}
            : { skipped: `not judged: the game day ended ${report.verdict}` }),
    });
  }
  for (const e of report.experiments) {
    const ran = e.startTime && e.endTime ? (Date.parse(e.endTime) - Date.parse(e.startTime)) / 1000 : 0;
    cases.push({
      name: `experiment ${e.name} (${e.experimentId})`,
      classname: `${suite}.experiments`,
      seconds: Number.isFinite(ran) ? ran : 0,
      ...(e.status === "failed"
        ? { error: `FIS failed the experiment: ${e.reason ?? "no reason given"}` }
        : e.actions.length && e.actions.every((a) => NEVER_RAN.has(a.status))
          ? { skipped: `no action ran: ${e.actions.map((a) => `${a.name} ${a.status}`).join(", ")}` }
          : {}),
    });
  }
  cases.push({
    name: `hypothesis: ${report.verdict}`,
    classname: `${suite}.hypothesis`,
    seconds,
    ...outcome(report.reason),
  });
  const failures = cases.filter((c) => c.failure).length;
  const errors = cases.filter((c) => c.error).length;
  const skipped = cases.filter((c) => c.skipped).length;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="gameday" tests="${cases.length}" failures="${failures}" errors="${errors}" time="${seconds}">`,
    `  <testsuite name="${escape(suite)}" tests="${cases.length}" failures="${failures}" errors="${errors}" skipped="${skipped}" ` +
      `time="${seconds}" timestamp="${escape(report.execution.startedAt)}">`,
    `    <properties><property name="execution" value="${escape(report.execution.name)}"/>` +
      `<property name="verdict" value="${escape(report.verdict)}"/></properties>`,
  ];
  for (const c of cases) {
    const open = `    <testcase name="${escape(c.name)}" classname="${escape(c.classname)}" time="${c.seconds}"`;
    if (c.failure) lines.push(`${open}><failure message="${escape(c.failure)}"/></testcase>`);
    else if (c.error) lines.push(`${open}><error message="${escape(c.error)}"/></testcase>`);
    else if (c.skipped) lines.push(`${open}><skipped message="${escape(c.skipped)}"/></testcase>`);
    else lines.push(`${open}/>`);
  }
  lines.push("  </testsuite>", "</testsuites>", "");
  return lines.join("\n");
}
