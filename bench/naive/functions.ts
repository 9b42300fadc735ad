import type { HandlerPorts } from "../../src/core/ports";
import type { Plan } from "../../src/core/plan/schema";
import { boundBreaches, resolveBounds } from "../../src/core/probes/bounds";
import { metricQueries, traceBreaches, traceMeasures } from "../../src/core/probes/read";
import type { FunctionFactory } from "../../src/local/functions";

/** The naive design's Lambdas, doing the same reads gameday's observer does, the way public samples split them. */
interface NaiveEvent {
  plan: Plan;
  metrics?: Record<string, number | null>;
  traces?: Record<string, string[]>;
}

const lastMinutes = (ports: HandlerPorts, minutes: number) => ({
  start: ports.clock.now() - minutes * 60_000,
  end: ports.clock.now(),
});

/** One GetMetricData call per metric or math probe, as samples write it. */
const readMetrics = (ports: HandlerPorts) => async (event: NaiveEvent) => {
  const values: Record<string, number | null> = {};
  for (const probe of event.plan.hypothesis.probes) {
    if (probe.type === "trace" || probe.type === "alarm") continue;
    const series = (await ports.metrics.query(metricQueries([probe]), lastMinutes(ports, 3))).get(probe.id);
    values[probe.id] = series?.values.at(-1) ?? null;
  }
  return values;
};

const readTraces = (ports: HandlerPorts) => async (event: NaiveEvent) => {
  const breaches: Record<string, string[]> = {};
  for (const probe of event.plan.hypothesis.probes) {
    if (probe.type !== "trace") continue;
    // As AWS's own X-Ray examples do: between 1 and 2 minutes in the past, so the traces have been processed.
    const window = { start: ports.clock.now() - 120_000, end: ports.clock.now() - 60_000 };
    const stats = probe.service
      ? (await ports.traces.serviceGraph(window)).services.get(probe.service)
      : await ports.traces.filteredStatistics(probe.filterExpression!, window);
    breaches[probe.id] = stats ? traceBreaches(probe, traceMeasures(probe, stats)) : [];
  }
  return breaches;
};

/** One breaching poll stops the fault: the samples keep no history between polls. */
const decide = () => async (event: NaiveEvent) => {
  const broken = event.plan.hypothesis.probes.some((probe) =>
    probe.type === "trace"
      ? (event.traces?.[probe.id] ?? []).length > 0
      : probe.type === "alarm"
        ? false
        : (event.metrics?.[probe.id] ?? null) !== null &&
          boundBreaches(event.metrics![probe.id]!, resolveBounds(probe.bounds)).length > 0,
  );
  return { breached: broken };
};

export const NAIVE_FUNCTIONS: Record<string, FunctionFactory> = {
  NaiveReadMetrics: readMetrics as FunctionFactory,
  NaiveReadTraces: readTraces as FunctionFactory,
  NaiveDecide: decide as FunctionFactory,
};
