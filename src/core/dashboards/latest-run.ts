import { formatSeconds } from "../time/duration";
import type { Report } from "../report/model";
import { reportObjectKeys } from "../report/storage";
import { escapeMarkdown, printable } from "../report/text";

/** The per-plan dashboard's text widget that shows the latest run starts with this heading. */
export const LATEST_RUN_HEADING = "## Latest game day";

export const NO_RUN_YET = `${LATEST_RUN_HEADING}\nNo game day of this plan has been stored yet.`;

interface DashboardWidget {
  type: string;
  properties?: {
    markdown?: string;
    annotations?: { horizontal?: unknown[]; vertical?: unknown[] };
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

/** CloudWatch draws a vertical band for a pair of annotations: the fault windows of the run. */
function faultBands(report: Report): unknown[] {
  return report.stages.map((stage) => [
    { label: printable(`${report.execution.name}: ${stage.name}`), value: stage.faultStartedAt, color: "#d62728" },
    { value: stage.faultEndedAt ?? report.execution.endedAt },
  ]);
}

function latestRunMarkdown(report: Report): string {
  const keys = reportObjectKeys(report);
  const regressions = report.comparison?.regressions ?? [];
  return [
    LATEST_RUN_HEADING,
    // Every text from the report is escaped: an event on the bus is data, and no name may put a link or markup on
    // the operations dashboard.
    `**${escapeMarkdown(report.verdict)}** — ${escapeMarkdown(report.execution.name)}, ` +
      `${escapeMarkdown(report.execution.startedAt)} to ${escapeMarkdown(report.execution.endedAt)}`,
    escapeMarkdown(report.reason),
    `Recovery: ${report.recovery === null ? "not recovered" : formatSeconds(Math.round(report.recovery))}` +
      (report.traces?.blastRadius.length
        ? ` · blast radius: ${report.traces.blastRadius.map(escapeMarkdown).join(", ")}`
        : ""),
    regressions.length ? `Regressions: ${regressions.map((r) => escapeMarkdown(r.summary)).join("; ")}` : "",
    `Report: ${escapeMarkdown(keys.html)} (also .md, .json) in the report bucket; red bands on the graphs mark the ` +
      "fault windows.",
  ]
    .filter(Boolean)
    .join("\n\n");
}

/**
 * Marks a run on the plan's dashboard: every graph gets the run's fault windows as vertical bands (replacing the
 * previous run's), and the latest-run text widget gets the verdict. Everything else on the dashboard is kept.
 */
export function markLatestRun(body: string, report: Report): string {
  const dashboard = JSON.parse(body) as { widgets?: DashboardWidget[]; [key: string]: unknown };
  for (const widget of dashboard.widgets ?? []) {
    const properties = widget.properties;
    if (!properties) continue;
    if (widget.type === "metric") {
      properties.annotations = { ...properties.annotations, vertical: faultBands(report) };
    } else if (widget.type === "text" && properties.markdown?.startsWith(LATEST_RUN_HEADING)) {
      properties.markdown = latestRunMarkdown(report);
    }
  }
  return JSON.stringify(dashboard);
}
