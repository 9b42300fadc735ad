import type { GameDayState } from "../gameday/state";
import { metricQueries } from "../probes/read";
import type { ExperimentView } from "../ports";
import type { CostItem, GameDayCost } from "./cost-types";
import { LIST_PRICES, MORE_PRICES } from "./prices";
import type { Plan } from "../plan/schema";
import { estimateHistoryEvents } from "../plan/limits";
import { timingSeconds } from "../plan/timing";

export type { CostItem, GameDayCost } from "./cost-types";

/**
 * What the estimate assumes, each from the rehearsal's measurements or the stack's settings: a poll is a Task, a
 * Choice and a Wait (3 transitions, about 9 history events); a stage adds about 12 transitions around its polls.
 */
export const COST_ASSUMPTIONS = {
  transitionsPerPoll: 3,
  transitionsPerStage: 12,
  transitionsFixed: 0,
  /** Step Functions logs about two log events of 1 KB per transition (logging ALL, execution data included). */
  logBytesPerTransition: 2 * 1024,
  lambdaSecondsPerInvocation: 0.3,
  lambdaMemoryGb: 0.5,
  /** The per-plan metrics the store publishes (GameDays, Verdict<V>, GuardrailBreaches, RecoverySeconds, Regressions). */
  customMetricsPerPlan: 5,
  /** Monthly charges (a plan's dashboard and metrics) are shared by the plan's game days: one a day by default. */
  gameDaysPerMonth: 30,
  /** Objects the report step and the store write (pending, Markdown, HTML, JSON, latest) and read. */
  s3Puts: 5,
  s3Gets: 2,
} as const;

const round = (usd: number) => Math.round(usd * 1e6) / 1e6;

/**
 * Minutes each action of the experiments ran, FIS's billing unit (rounded to the nearest minute per action). An
 * action that ran at all counts at least one minute: whether FIS bills an instant action (a task stop) nothing is
 * not documented, and an estimate must not be cheaper than the bill.
 */
export function fisActionMinutes(experiments: readonly ExperimentView[]): number {
  let minutes = 0;
  for (const experiment of experiments)
    for (const action of experiment.actions) {
      const start = Date.parse(action.startTime ?? "");
      const end = Date.parse(action.endTime ?? experiment.endTime ?? "");
      if (Number.isFinite(start) && Number.isFinite(end) && end >= start)
        minutes += Math.max(1, Math.round((end - start) / 60_000));
    }
  return minutes;
}

/** What a game day's cost is computed from: its polls and stages, the metrics each read asks for, FIS's minutes. */
export interface CostFacts {
  polls: number;
  stages: number;
  metricsPerRead: number;
  fisActionMinutes: number;
  /** Says where the numbers come from: the game day's record, or a plan's upper bound. */
  basis: string;
}

/** GetMetricData bills the metrics a call asks for; expressions over them (FILL, math) are not metrics. */
export const metricsPerRead = (probes: Parameters<typeof metricQueries>[0]) =>
  metricQueries(probes).filter((q) => "metric" in q && q.metric).length;

/**
 * The cost of one game day at list prices, estimated from its record: FIS action-minutes as FIS ran them, and the
 * orchestration (Step Functions, Lambda, CloudWatch, logs, EventBridge, S3) from its polls, stages and probes,
 * with the plan's monthly dashboard and metrics shared among its game days.
 */
export function gameDayCost(state: GameDayState, experiments: readonly ExperimentView[]): GameDayCost {
  const polls = state.journal.polls;
  const stages = state.journal.stages.length;
  return costOf({
    polls,
    stages,
    metricsPerRead: metricsPerRead(state.plan.hypothesis.probes),
    fisActionMinutes: fisActionMinutes(experiments),
    basis: `from the game day's ${polls} poll(s) and ${stages} stage(s)`,
  });
}

/** The cost of a game day with these facts, item by item at list prices. */
export function costOf(facts: CostFacts): GameDayCost {
  const a = COST_ASSUMPTIONS;
  const { polls, stages } = facts;
  const transitions = a.transitionsFixed + stages * a.transitionsPerStage + polls * a.transitionsPerPoll;
  const invocations = 3 + 2 * stages + polls;
  // Each poll, the baseline and the report's final read each ask for every metric once.
  const metricsRequested = (polls + 2) * facts.metricsPerRead;
  const logGb = (transitions * a.logBytesPerTransition) / 1024 ** 3;
  /** One line: a quantity at a unit price. */
  const item = (service: string, unit: string, quantity: number, unitPrice: number): CostItem => ({
    service,
    unit,
    quantity: round(quantity),
    usd: round(quantity * unitPrice),
  });
  const gbSeconds = invocations * a.lambdaSecondsPerInvocation * a.lambdaMemoryGb;
  const s3Requests = a.s3Puts + a.s3Gets;
  const items: CostItem[] = [
    item("FIS", "action-minutes", facts.fisActionMinutes, LIST_PRICES.fisActionMinute),
    item("Step Functions", "state transitions", transitions, LIST_PRICES.stateTransition),
    item("Lambda", "requests", invocations, LIST_PRICES.lambdaRequest),
    item("Lambda", "GB-seconds", gbSeconds, LIST_PRICES.lambdaArmGbSecond),
    item("CloudWatch", "metrics requested (GetMetricData)", metricsRequested, LIST_PRICES.metricRequested),
    item("CloudWatch Logs", "GB ingested (execution log)", logGb, MORE_PRICES.logsIngestedGb),
    item("EventBridge", "custom events", 1, LIST_PRICES.customEvent),
    // PUTs and GETs at their blended price, so the line's quantity is the requests made.
    item("S3", "requests", s3Requests, (a.s3Puts * MORE_PRICES.s3Put + a.s3Gets * MORE_PRICES.s3Get) / s3Requests),
    item(
      "CloudWatch",
      `custom metrics (share of ${a.customMetricsPerPlan} metric-months)`,
      a.customMetricsPerPlan / a.gameDaysPerMonth,
      MORE_PRICES.customMetricMonth,
    ),
    item(
      "CloudWatch",
      "dashboard (share of the plan's dashboard-month)",
      1 / a.gameDaysPerMonth,
      MORE_PRICES.dashboardMonth,
    ),
  ];
  return {
    totalUsd: round(items.reduce((sum, item) => sum + item.usd, 0)),
    items,
    basis:
      `Estimated at us-east-1 list prices without free tiers, ${facts.basis}; monthly charges shared by ` +
      `${a.gameDaysPerMonth} game days of the plan a month.`,
  };
}

/**
 * The most a game day of this plan can cost before it runs: every stage polled through its longest fault and whole
 * recovery window, every action of every experiment running until the longest fault ends (gameday stops them then).
 * `actionsPerExperiment` lists, stage by stage, how many actions each experiment's template has.
 */
export function planCostUpperBound(plan: Plan, actionsPerExperiment: readonly (readonly number[])[]): GameDayCost {
  const timing = timingSeconds(plan);
  const { polls } = estimateHistoryEvents(timing, plan.stages);
  const faultMinutes = Math.ceil(timing.maxFaultSeconds / 60);
  const actions = actionsPerExperiment.flat().reduce((sum, n) => sum + n, 0);
  return costOf({
    polls,
    stages: plan.stages.length,
    metricsPerRead: metricsPerRead(plan.hypothesis.probes),
    fisActionMinutes: actions * faultMinutes,
    basis: `at most: ${plan.stages.length} stage(s) polled up to ${polls} times, ${actions} action(s) running up to ${faultMinutes} minute(s) each`,
  });
}
