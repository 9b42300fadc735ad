import type { Metrics } from "@aws-lambda-powertools/metrics";
import { reportMetrics } from "../core/report/storage";
import type { ReportMetricsSink } from "../handlers/store-report";

/**
 * Per-plan report metrics as CloudWatch embedded metric format lines: one flush per report, dimensioned by
 * Plan (Powertools adds `service`; src/core/contract/metrics.ts names the whole set the dashboards query).
 */
export function embeddedReportMetrics(metrics: Metrics): ReportMetricsSink {
  return {
    record(plan, report) {
      // A single-metric instance flushes on its first addMetric and forgets its dimensions then: each metric gets
      // its own, or every metric after the first is published without Plan.
      for (const metric of reportMetrics(report)) {
        const one = metrics.singleMetric();
        one.addDimension("Plan", plan);
        one.addMetric(metric.name, metric.unit, metric.value);
      }
    },
  };
}
