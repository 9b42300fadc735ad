import { resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { readFileSync } from "node:fs";
import { batches } from "../src/aws/metrics";
import { TRACE_SUMMARY_PAGE_CAP } from "../src/aws/traces";
import type { PlanInput } from "../src/core/plan/schema";
import type { MetricQuery } from "../src/core/ports";
import type { FunctionFactory } from "../src/local/functions";
import { checkInput, hasErrors } from "../src/inputs/documents";
import { loadWorld } from "../src/local/inputs";
import { rehearse, type RehearsalResult } from "../src/local/rehearsal";
import { rehearsalTemplates } from "../src/local/templates";
import { SimulatedAccount } from "../src/sim/account";

export const world = loadWorld().world!;

/** What one rehearsed game day called, priced and compared by the benchmark. */
export interface CountedUsage {
  lambdaInvocations: number;
  getMetricDataCalls: number;
  metricsRequested: number;
  getServiceGraphCalls: number;
  /** The report's X-Ray time series: one per service and edge, capped. */
  getTimeSeriesServiceStatisticsCalls: number;
  getTraceSummariesCallsAtMost: number;
  tracesRetrieved: number;
  fisCalls: number;
  lockWrites: number;
  lockReads: number;
  /** Virtual time of the first StopExperiment call, if any. */
  firstStopAt?: number;
}

/** Counts calls where they reach the simulated account, translated into the AWS calls the adapters would send. */
function countingAccount(seed: number): { account: SimulatedAccount; usage: CountedUsage } {
  const account = new SimulatedAccount(world, seed);
  const usage: CountedUsage = {
    lambdaInvocations: 0,
    getMetricDataCalls: 0,
    metricsRequested: 0,
    getServiceGraphCalls: 0,
    getTimeSeriesServiceStatisticsCalls: 0,
    getTraceSummariesCallsAtMost: 0,
    tracesRetrieved: 0,
    fisCalls: 0,
    lockWrites: 0,
    lockReads: 0,
  };
  /** Replaces one method of an account part by a counting one (the bench's only monkey-patching). */
  const wrap = <T extends object>(target: T, method: keyof T & string, count: (first: unknown) => void) => {
    const methods = target as unknown as Record<string, (...args: unknown[]) => unknown>;
    const original = methods[method]!.bind(target);
    methods[method] = (...args: unknown[]) => {
      count(args[0]);
      return original(...args);
    };
  };
  wrap(account.metrics, "query", (queries) => {
    usage.getMetricDataCalls += batches(queries as MetricQuery[]).length;
    usage.metricsRequested += (queries as MetricQuery[]).length;
  });
  wrap(account.traces, "serviceGraph", () => (usage.getServiceGraphCalls += 1));
  wrap(account.traces, "entityTimeSeries", () => (usage.getTimeSeriesServiceStatisticsCalls += 1));
  wrap(account.traces, "filteredStatistics", () => (usage.getTraceSummariesCallsAtMost += TRACE_SUMMARY_PAGE_CAP));
  for (const method of ["get", "listTagged", "listLive", "startExperiment", "describeExperiment"] as const)
    wrap(account.fis, method, () => (usage.fisCalls += 1));
  wrap(account.fis, "stopExperiment", () => {
    usage.fisCalls += 1;
    usage.firstStopAt ??= account.clock.now();
  });
  wrap(account.locks, "take", () => (usage.lockWrites += 1));
  wrap(account.locks, "release", () => (usage.lockWrites += 1));
  wrap(account.locks, "heldBy", () => (usage.lockReads += 1));
  const original = account.traces.filteredStatistics.bind(account.traces);
  account.traces.filteredStatistics = async (...args) => {
    const stats = await original(...args);
    usage.tracesRetrieved += stats.requests;
    return stats;
  };
  return { account, usage };
}

export interface CountedRun {
  result: RehearsalResult;
  /** The last event each Lambda received, by function key (the report step's is the game day's final state). */
  lastEvents: Map<string, unknown>;
  usage: CountedUsage;
  account: SimulatedAccount;
  wallSeconds: number;
}

/** Rehearses a plan (templates by file) on a counting account. */
export async function countedRehearsal(
  plan: PlanInput,
  seed: number,
  options: { definition?: string; functions?: Record<string, FunctionFactory>; recordHistory?: boolean } = {},
): Promise<CountedRun> {
  const planFile = resolve("plans/bench.json");
  const loaded = checkInput(plan, planFile);
  if (hasErrors(loaded.problems)) throw new Error(`${plan.name}: ${JSON.stringify(loaded.problems)}`);
  const { account, usage } = countingAccount(seed);
  const lastEvents = new Map<string, unknown>();
  const started = performance.now();
  const result = await rehearse({
    input: { plan },
    world,
    seed,
    account,
    executionName: `bench-${plan.name}-${seed}`,
    templates: (a) => rehearsalTemplates(a, planFile, loaded.templates),
    wrapHandler: (key, handler) => async (event) => {
      usage.lambdaInvocations += 1;
      lastEvents.set(key, event);
      return handler(event);
    },
    ...options,
  });
  return { result, lastEvents, usage, account, wallSeconds: (performance.now() - started) / 1000 };
}

/** An example plan, renamed, its stages replaced by one stage running `templateFile`, its timing overridden. */
export function planWith(
  name: string,
  templateFile: string,
  timing: Record<string, unknown>,
  change: (plan: Record<string, unknown>) => void = () => {},
): PlanInput {
  const plan = JSON.parse(readFileSync("plans/ec2-web-tier.json", "utf8"));
  plan.name = name;
  delete plan.schedule;
  plan.timing = { ...plan.timing, ...timing };
  plan.stages = [{ name: "Fault", experiments: [{ template: { file: resolve(templateFile) } }] }];
  change(plan);
  return plan;
}

/** Baseline 5 min, fault 10 min, recovery 10 min, poll 30 s: the game day the targets are stated for. */
export const referencePlan = () =>
  planWith("bench-reference", "bench/reference-cpu-stress.json", {
    baseline: "PT5M",
    pollInterval: "PT30S",
    // The 10-minute action ends on its own, a little after the experiment starts: the cap sits above it.
    maxFaultDuration: "PT11M",
    recovery: "PT10M",
    recoveredAfterPolls: 3,
  });

/** Minutes each FIS action of the account's experiments ran (FIS bills per action-minute). */
export function fisActionMinutes(account: SimulatedAccount): number {
  let minutes = 0;
  for (const e of account.fis.experiments.values())
    for (const a of e.actions)
      if (a.startTime !== undefined && a.endTime !== undefined) minutes += (a.endTime - a.startTime) / 60_000;
  return minutes;
}
