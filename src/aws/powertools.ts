import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";
import { Tracer } from "@aws-lambda-powertools/tracer";

import { METRICS_NAMESPACE, SERVICE_NAME } from "../core/contract/metrics";

export { METRICS_NAMESPACE, SERVICE_NAME };

export const logger = new Logger({ serviceName: SERVICE_NAME });
export const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME });
export const tracer = new Tracer({ serviceName: SERVICE_NAME });

/**
 * The one retry policy of every SDK client: adaptive mode backs off with jitter on throttling and 5xx, so a
 * throttling storm is absorbed here before it reaches the state machine's own Retry blocks.
 */
export const SDK_CLIENT_CONFIG = { maxAttempts: 5, retryMode: "adaptive" as const };

export const systemClock = { now: () => Date.now() };
