import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";
import { Tracer } from "@aws-lambda-powertools/tracer";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { FisClient } from "@aws-sdk/client-fis";
import { XRayClient } from "@aws-sdk/client-xray";
import type { Context } from "aws-lambda";
import type { HandlerPorts } from "../core/ports";
import { DeployedTemplateCatalog, EnvironmentPlanCatalog } from "./catalogs";
import { FisExperimentControl } from "./fis";
import { CloudWatchMetricSource } from "./metrics";
import { XRayTraceSource } from "./traces";

const logger = new Logger({ serviceName: "gameday" });
const metrics = new Metrics({ namespace: "GameDay", serviceName: "gameday" });
const tracer = new Tracer({ serviceName: "gameday" });

const json = (name: string): Record<string, string> => JSON.parse(process.env[name] ?? "{}") as Record<string, string>;

/** The real account: SDK clients with adaptive retry, so throttling is absorbed before it reaches Step Functions. */
export function awsPorts(): HandlerPorts {
  const retry = { maxAttempts: 5, retryMode: "adaptive" as const };
  return {
    clock: { now: () => Date.now() },
    metrics: new CloudWatchMetricSource(tracer.captureAWSv3Client(new CloudWatchClient(retry))),
    traces: new XRayTraceSource(tracer.captureAWSv3Client(new XRayClient(retry))),
    experiments: new FisExperimentControl(tracer.captureAWSv3Client(new FisClient(retry))),
    plans: new EnvironmentPlanCatalog(JSON.parse(process.env.GAMEDAY_PLANS ?? "{}") as Record<string, unknown>),
    templates: new DeployedTemplateCatalog(json("GAMEDAY_TEMPLATE_IDS")),
  };
}

/**
 * Wraps a handler made from ports into a Lambda entry point with Powertools logging, metrics and tracing.
 * The ports are built on first use, so importing a handler (as the local runner does) touches no AWS client.
 */
export function lambdaEntry<E, R>(name: string, create: (ports: HandlerPorts) => (event: E) => Promise<R>) {
  let run: ((event: E) => Promise<R>) | undefined;
  return async (event: E, context: Context): Promise<R> => {
    logger.addContext(context);
    run ??= create(awsPorts());
    try {
      const result = await run(event);
      metrics.addMetric(`${name}.succeeded`, "Count", 1);
      return result;
    } catch (error) {
      logger.error(`${name} failed`, error as Error);
      metrics.addMetric(`${name}.failed`, "Count", 1);
      throw error;
    } finally {
      metrics.publishStoredMetrics();
    }
  };
}
