import type { Metric } from "../plan/schema";

/**
 * How long after a period ends CloudWatch has its datapoint, by namespace, when a probe does not say. AWS publishes
 * no figures; its docs say AWS-vended metrics are usually available "a minute or more" after the period, and metrics
 * that travel as embedded-metric-format logs (Container Insights) take the extra hop through CloudWatch Logs. Where
 * unsure these lean late: a probe that waits too long detects later, one that waits too little reads a period that
 * is not there yet. Sources: CloudWatch user guide, "Metrics concepts" and the ALB, EC2, ECS, RDS and Container
 * Insights metric pages; AWS's own X-Ray examples query traces "between 1 and 2 minutes in the past".
 */
export const PUBLICATION_DELAY_SECONDS: Readonly<Record<string, number>> = {
  // Load balancers report every 60 s, after the minute closes, and only when requests flow.
  "AWS/ApplicationELB": 60,
  "AWS/NetworkELB": 60,
  // EC2 detailed monitoring: 1-minute periods, delivered a minute or two late.
  "AWS/EC2": 120,
  "AWS/AutoScaling": 60,
  "AWS/ECS": 60,
  "AWS/RDS": 60,
  "AWS/DynamoDB": 60,
  "AWS/Lambda": 60,
  "AWS/SQS": 60,
  // Embedded metric format through CloudWatch Logs.
  "ECS/ContainerInsights": 120,
  ContainerInsights: 120,
};

/** Any other AWS-vended namespace. */
export const DEFAULT_AWS_DELAY_SECONDS = 120;
/** The application's own metrics (PutMetricData or embedded metric format): ingested within seconds. */
export const DEFAULT_CUSTOM_DELAY_SECONDS = 30;
/** X-Ray indexes a trace once its segments are processed; probes read traces this far in the past. */
export const TRACE_PROCESSING_DELAY_SECONDS = 60;

export const isAwsVended = (namespace: string) =>
  namespace.startsWith("AWS/") || namespace === "ContainerInsights" || namespace === "ECS/ContainerInsights";

/** The delay a probe waits for a metric: its own `publicationDelaySeconds`, else its namespace's default. */
export function publicationDelayOf(metric: Pick<Metric, "namespace"> & { publicationDelaySeconds?: number }): number {
  if (metric.publicationDelaySeconds !== undefined) return metric.publicationDelaySeconds;
  return (
    PUBLICATION_DELAY_SECONDS[metric.namespace] ??
    (isAwsVended(metric.namespace) ? DEFAULT_AWS_DELAY_SECONDS : DEFAULT_CUSTOM_DELAY_SECONDS)
  );
}

/**
 * The end (exclusive, epoch ms) of the last period whose datapoint CloudWatch has published by `now`: the period
 * must have ended and its delay passed. Reading past it reads a partial period, or nothing.
 */
export function lastPublishedPeriodEnd(now: number, periodSeconds: number, delaySeconds: number): number {
  const period = periodSeconds * 1000;
  return Math.floor((now - delaySeconds * 1000) / period) * period;
}

/** Statistics of a count: a period CloudWatch has no datapoint for counted nothing (ALB publishes no zero). */
export const isCountStatistic = (statistic: string) => statistic === "Sum" || statistic === "SampleCount";
