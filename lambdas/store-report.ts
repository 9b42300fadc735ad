import type { EventBridgeEvent } from "aws-lambda";
import { lambdaEntry } from "../src/aws/lambda-entry";
import { metrics } from "../src/aws/powertools";
import { s3ReportStore } from "../src/aws/report-store";
import { cloudWatchDashboards } from "../src/aws/dashboards";
import { markLatestRun } from "../src/core/dashboards/latest-run";
import type { DashboardStore, ReportStore } from "../src/core/ports";
import { chartLibrary } from "../src/assets/chart-library";
import type { ChartLibrary } from "../src/core/report/html";
import type { Report } from "../src/core/report/model";
import { reportSchema } from "../src/core/report/schema";
import { reportMetrics, storeReport } from "../src/core/report/storage";

export type ReportEvent = EventBridgeEvent<"Game Day Report", Report>;

/** Records per-plan metrics in the embedded metric format; a duplicate delivery records nothing. */
export interface ReportMetricsSink {
  record(plan: string, report: Report): void;
}

export interface StoreReportPorts {
  store: ReportStore;
  metrics: ReportMetricsSink;
  chart: ChartLibrary;
  /** The stack's per-plan dashboards and their name prefix; absent when nothing should be marked. */
  dashboards?: { store: DashboardStore; namePrefix: string };
}

async function markPlanDashboard(report: Report, dashboards: NonNullable<StoreReportPorts["dashboards"]>) {
  const name = `${dashboards.namePrefix}${report.plan.name}`;
  const body = await dashboards.store.get(name);
  if (body) await dashboards.store.put(name, markLatestRun(body, report));
}

export const createStoreReport = (ports: StoreReportPorts) => async (event: ReportEvent) => {
  // Refused reports end in the dead-letter queue with this message: nothing of them is stored.
  const parsed = reportSchema.safeParse(event.detail);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .slice(0, 5)
      .map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`)
      .join("; ");
    throw Object.assign(new Error(`Event ${event.id} does not carry a valid game-day report: ${problems}`), {
      name: "GameDay.InvalidReport",
    });
  }
  const report = parsed.data as unknown as Report;
  const stored = await storeReport(report, ports.store, ports.chart);
  // A duplicate delivery stores and counts nothing; its outcome ("already-stored") is in the function's log.
  if (stored.outcome === "stored") ports.metrics.record(report.plan.name, stored.report);
  // Marked on every delivery (idempotent), so a retry after a failed dashboard write completes it.
  if (ports.dashboards && stored.isLatest) await markPlanDashboard(stored.report, ports.dashboards);
  return {
    outcome: stored.outcome,
    keys: stored.keys,
    regressions: stored.report.comparison?.regressions.length ?? 0,
  };
};

const embeddedMetrics: ReportMetricsSink = {
  record(plan, report) {
    const perPlan = metrics.singleMetric();
    perPlan.addDimension("Plan", plan);
    for (const metric of reportMetrics(report)) perPlan.addMetric(metric.name, metric.unit, metric.value);
  },
};

export const handler = lambdaEntry("store-report", () =>
  createStoreReport({
    store: s3ReportStore(process.env.REPORT_BUCKET ?? ""),
    metrics: embeddedMetrics,
    chart: chartLibrary(),
    ...(process.env.DASHBOARD_PREFIX
      ? { dashboards: { store: cloudWatchDashboards(), namePrefix: process.env.DASHBOARD_PREFIX } }
      : {}),
  }),
);
