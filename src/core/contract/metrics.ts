/** Service name and metrics namespace: the functions' Powertools settings and the dashboards agree on them. */
export const SERVICE_NAME = "gameday";
export const METRICS_NAMESPACE = "GameDay";

/**
 * The dimensions every per-plan report metric is published with. Powertools adds `service` to each metric it
 * emits, so the set is {service, Plan}: a dashboard metric or SEARCH expression must name exactly this set, or
 * CloudWatch shows nothing (a metric is identified by its whole dimension set).
 */
export const planMetricDimensions = (plan: string): Record<string, string> => ({ service: SERVICE_NAME, Plan: plan });

/** The same set as a SEARCH schema, `{GameDay,Plan,service}`. */
export const PLAN_METRIC_SEARCH_SCHEMA = `{${METRICS_NAMESPACE},${Object.keys(planMetricDimensions("")).sort().join(",")}}`;
