import { lambdaEntry } from "../src/aws/lambda-entry";
import { metrics } from "../src/aws/powertools";
import { s3ReportStore } from "../src/aws/report-store";
import { cloudWatchDashboards } from "../src/aws/dashboards";
import { chartLibrary } from "../src/assets/chart-library";
import { embeddedReportMetrics } from "../src/aws/report-metrics";
import { ENVIRONMENT, requiredEnvironment } from "../src/core/contract/environment";
import { createStoreReport } from "../src/handlers/store-report";

export const handler = lambdaEntry("store-report", () =>
  createStoreReport({
    store: s3ReportStore(requiredEnvironment(ENVIRONMENT.reportBucket)),
    metrics: embeddedReportMetrics(metrics),
    chart: chartLibrary(),
    ...(process.env[ENVIRONMENT.dashboardPrefix]
      ? { dashboards: { store: cloudWatchDashboards(), namePrefix: process.env[ENVIRONMENT.dashboardPrefix]! } }
      : {}),
  }),
);
