import { DEFAULT_QUOTAS, LIST_PRICES } from "./prices";

/** What one game day uses, as counted in a rehearsal. */
export interface GameDayUsage {
  stateTransitions: number;
  lambdaInvocations: number;
  /** Billed duration assumed per invocation; the local runner cannot measure Lambda's. */
  lambdaMillisecondsPerInvocation: number;
  lambdaMemoryMb: number;
  metricsRequested: number;
  tracesRetrieved: number;
  customEvents: number;
  dynamoWrites: number;
  dynamoReads: number;
  /** Minutes each FIS action ran, summed over actions (FIS bills per action-minute). */
  fisActionMinutes: number;
}

export interface CostEstimate {
  /** USD per item of the orchestration: what gameday adds on top of the faults. */
  orchestration: Record<
    "stateTransitions" | "lambdaRequests" | "lambdaDuration" | "metrics" | "traces" | "events" | "locks",
    number
  >;
  orchestrationUsd: number;
  fisUsd: number;
  /** Orchestration cost as a share of the FIS cost. */
  orchestrationShareOfFis: number;
}

export function estimateCost(usage: GameDayUsage, prices = LIST_PRICES): CostEstimate {
  const gbSeconds =
    usage.lambdaInvocations * (usage.lambdaMillisecondsPerInvocation / 1000) * (usage.lambdaMemoryMb / 1024);
  const orchestration = {
    stateTransitions: usage.stateTransitions * prices.stateTransition,
    lambdaRequests: usage.lambdaInvocations * prices.lambdaRequest,
    lambdaDuration: gbSeconds * prices.lambdaArmGbSecond,
    metrics: usage.metricsRequested * prices.metricRequested,
    traces: usage.tracesRetrieved * prices.traceRetrieved,
    events: usage.customEvents * prices.customEvent,
    locks: usage.dynamoWrites * prices.dynamoWrite + usage.dynamoReads * prices.dynamoRead,
  };
  const orchestrationUsd = Object.values(orchestration).reduce((a, b) => a + b, 0);
  const fisUsd = Math.round(usage.fisActionMinutes) * prices.fisActionMinute;
  return {
    orchestration,
    orchestrationUsd,
    fisUsd,
    orchestrationShareOfFis: fisUsd > 0 ? orchestrationUsd / fisUsd : Number.POSITIVE_INFINITY,
  };
}

export interface ConcurrencyLimit {
  maxConcurrentGameDays: number;
  /** The quota that binds first. */
  boundBy: string;
  byQuota: Record<string, number>;
}

/**
 * How many game days the account's default quotas let run at once, from the calls one game day makes per poll.
 * Polls of concurrent game days are assumed spread evenly over the poll interval.
 */
export function maxConcurrentGameDays(
  perGameDay: { getMetricDataCallsPerPoll: number; pollSeconds: number; experimentsAtOnce: number },
  quotas = DEFAULT_QUOTAS,
): ConcurrencyLimit {
  const byQuota: Record<string, number> = {
    getMetricDataTps: Math.floor(
      (quotas.getMetricDataTps * perGameDay.pollSeconds) / Math.max(1, perGameDay.getMetricDataCallsPerPoll),
    ),
    fisActiveExperiments: Math.floor(quotas.fisActiveExperiments / Math.max(1, perGameDay.experimentsAtOnce)),
  };
  const [boundBy, maxConcurrentGameDays] = Object.entries(byQuota).sort(([, a], [, b]) => a - b)[0]!;
  return { maxConcurrentGameDays, boundBy, byQuota };
}
