/**
 * AWS list prices (us-east-1, USD) the cost model uses, as ../shared/reference/aws-facts.md records them with their
 * sources. Free tiers are left out: a game day should be cheap without them.
 */
export const LIST_PRICES = {
  /** Step Functions Standard, per state transition (retries are billed too). */
  stateTransition: 0.025 / 1000,
  /** Lambda, per request. */
  lambdaRequest: 0.2 / 1_000_000,
  /** Lambda on arm64, per GB-second. */
  lambdaArmGbSecond: 0.0000133334,
  /** CloudWatch GetMetricData, per metric requested. */
  metricRequested: 0.01 / 1000,
  /** X-Ray, per trace retrieved or scanned. */
  traceRetrieved: 0.5 / 1_000_000,
  /** EventBridge custom events, per 64 KB chunk. */
  customEvent: 1 / 1_000_000,
  /** DynamoDB on-demand, per write and read request unit. */
  dynamoWrite: 1.25 / 1_000_000,
  dynamoRead: 0.25 / 1_000_000,
  /** FIS, per action-minute (rounded to the nearest minute; GovCloud is $0.12). */
  fisActionMinute: 0.1,
} as const;

/** Default API quotas of one account and Region that bound how many game days may run at once. */
export const DEFAULT_QUOTAS = {
  /** CloudWatch GetMetricData transactions per second. */
  getMetricDataTps: 50,
  /** FIS active experiments per account and Region (L-F5FCA485). */
  fisActiveExperiments: 5,
} as const;

/**
 * Further list prices (us-east-1, USD) a game day's own cost uses: AWS's CloudWatch and S3 pricing pages (checked
 * 2026-12), dashboards as ../shared/reference/aws-facts.md records them.
 */
export const MORE_PRICES = {
  /** CloudWatch Logs, per GB ingested (the state machine logs ALL, with execution data). */
  logsIngestedGb: 0.5,
  /** CloudWatch custom metrics, per metric-month (first tier). */
  customMetricMonth: 0.3,
  /** CloudWatch dashboards beyond the free three, per dashboard-month. */
  dashboardMonth: 3,
  /** S3 Standard, per PUT and per GET request. */
  s3Put: 0.005 / 1000,
  s3Get: 0.0004 / 1000,
} as const;
