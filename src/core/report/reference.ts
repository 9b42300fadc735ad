import type { Report } from "./model";

/** Step Functions' limit on a state's input, output and task result (States.DataLimitExceeded beyond it). */
export { MAX_STATE_BYTES } from "../plan/limits";
/** The summary that travels through the state machine and on the bus keeps at most this many findings. */
export const SUMMARY_FINDINGS = 25;

export const PENDING_REPORTS_PREFIX = "pending/";

/** Where the report step puts a game day's full report, for the store function to read: fixed by its names. */
export const fullReportKey = (report: { plan: { name: string }; execution: { name: string } }) =>
  `${PENDING_REPORTS_PREFIX}${report.plan.name}/${report.execution.name}.json`;

/**
 * The report as it leaves the state machine: everything the verdict, the console and the dashboards need, bounded
 * whatever the plan's size (no probe series, no traces, at most SUMMARY_FINDINGS findings), with `fullReport`
 * saying the whole report is stored at fullReportKey. A summary is itself a valid report: if the full one is ever
 * missing, the store keeps the summary rather than nothing.
 */
export function reportSummary(report: Report): Report {
  const { traces: _traces, ...rest } = report;
  return {
    ...rest,
    findings: report.findings.slice(0, SUMMARY_FINDINGS),
    probes: [],
    fullReport: { key: fullReportKey(report), findings: report.findings.length, probes: report.probes.length },
  };
}
