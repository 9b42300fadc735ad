import { lambdaEntry } from "../src/aws/lambda-entry";
import { metrics } from "../src/aws/powertools";
import { s3ReportStore } from "../src/aws/report-store";
import { cloudWatchDashboards } from "../src/aws/dashboards";
import { chartLibrary } from "../src/assets/chart-library";
import { reportMetrics } from "../src/core/report/storage";
import { ENVIRONMENT, requiredEnvironment } from "../src/core/contract/environment";
import { createStoreReport, type ReportMetricsSink } from "../src/handlers/store-report";

const embeddedMetrics: ReportMetricsSink = {
  record(plan, report) {
    const perPlan = metrics.singleMetric();
    perPlan.addDimension("Plan", plan);
    for (const metric of reportMetrics(report)) perPlan.addMetric(metric.name, metric.unit, metric.value);
  },
};

export const handler = lambdaEntry("store-report", () =>
  createStoreReport({
    store: s3ReportStore(requiredEnvironment(ENVIRONMENT.reportBucket)),
    metrics: embeddedMetrics,
    chart: chartLibrary(),
    ...(process.env[ENVIRONMENT.dashboardPrefix]
      ? { dashboards: { store: cloudWatchDashboards(), namePrefix: process.env[ENVIRONMENT.dashboardPrefix]! } }
      : {}),
  }),
);
