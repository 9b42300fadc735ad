import type { Context } from "aws-lambda";
import { asTaskError } from "../core/failures";
import { logger, metrics } from "./powertools";

/**
 * Wraps a handler into a Lambda entry point with Powertools logging and metrics; transient failures leave it
 * as GameDay.TransientError, which the state machine retries. `build` runs on the first
 * invocation, so importing a handler (as the local runner does) creates no AWS client, and each function's
 * bundle holds only the clients its own `build` names.
 */
export function lambdaEntry<E, R>(name: string, build: () => (event: E) => Promise<R>) {
  let run: ((event: E) => Promise<R>) | undefined;
  return async (event: E, context: Context): Promise<R> => {
    logger.addContext(context);
    run ??= build();
    try {
      const result = await run(event);
      metrics.addMetric(`${name}.succeeded`, "Count", 1);
      return result;
    } catch (error) {
      logger.error(`${name} failed`, error as Error);
      metrics.addMetric(`${name}.failed`, "Count", 1);
      throw asTaskError(error);
    } finally {
      metrics.publishStoredMetrics();
    }
  };
}
