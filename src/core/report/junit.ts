import type { Report } from "./model";

const escape = (text: string) =>
  text.replace(/[<>&"']/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c]!);

interface TestCase {
  name: string;
  classname: string;
  seconds: number;
  failure?: string;
  error?: string;
}

/**
 * A game day as a JUnit test suite, so CI systems show it like tests: one case per probe (failed when it broke
 * a guardrail or its bounds), one per experiment (an error when FIS failed it), and one for recovery.
 */
export function renderJUnit(report: Report): string {
  const suite = report.plan.name;
  const seconds = (Date.parse(report.execution.endedAt) - Date.parse(report.execution.startedAt)) / 1000;
  const cases: TestCase[] = [];
  for (const probe of report.probes) {
    const broke = report.stages.filter((s) => s.guardrailProbes.includes(probe.id)).map((s) => s.name);
    const detected = probe.timeToDetect.some((t) => t !== null);
    cases.push({
      name: `probe ${probe.id}${probe.description ? `: ${probe.description}` : ""}`,
      classname: `${suite}.probes`,
      seconds: 0,
      ...(broke.length
        ? { failure: `broke a guardrail in ${broke.join(", ")}` }
        : detected && report.verdict === "FAILED"
          ? { failure: `left its bounds ${JSON.stringify(probe.bounds)} during the fault` }
          : {}),
    });
  }
  for (const e of report.experiments) {
    const ran = e.startTime && e.endTime ? (Date.parse(e.endTime) - Date.parse(e.startTime)) / 1000 : 0;
    cases.push({
      name: `experiment ${e.name} (${e.experimentId})`,
      classname: `${suite}.experiments`,
      seconds: ran,
      ...(e.status === "failed" ? { error: `FIS failed the experiment: ${e.reason ?? "no reason given"}` } : {}),
    });
  }
  cases.push({
    name: "recovery",
    classname: `${suite}.hypothesis`,
    seconds: report.recovery ?? 0,
    ...(report.verdict === "PASSED" ? {} : { [report.verdict === "FAILED" ? "failure" : "error"]: report.reason }),
  });
  const failures = cases.filter((c) => c.failure).length;
  const errors = cases.filter((c) => c.error).length;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="gameday" tests="${cases.length}" failures="${failures}" errors="${errors}" time="${seconds}">`,
    `  <testsuite name="${escape(suite)}" tests="${cases.length}" failures="${failures}" errors="${errors}" ` +
      `time="${seconds}" timestamp="${escape(report.execution.startedAt)}">`,
    `    <properties><property name="execution" value="${escape(report.execution.name)}"/>` +
      `<property name="verdict" value="${report.verdict}"/></properties>`,
  ];
  for (const c of cases) {
    const open = `    <testcase name="${escape(c.name)}" classname="${escape(c.classname)}" time="${c.seconds}"`;
    if (c.failure) lines.push(`${open}><failure message="${escape(c.failure)}"/></testcase>`);
    else if (c.error) lines.push(`${open}><error message="${escape(c.error)}"/></testcase>`);
    else lines.push(`${open}/>`);
  }
  lines.push("  </testsuite>", "</testsuites>", "");
  return lines.join("\n");
}
