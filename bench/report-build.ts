import { performance } from "node:perf_hooks";
import type { GameDayState } from "../src/core/gameday/state";
import type { Probe } from "../src/core/plan/schema";
import type { ExperimentView, MetricSeries, RequestStatistics } from "../src/core/ports";
import { buildReport } from "../src/core/report/build";

/**
 * Builds a report from the final state of a rehearsed game day, with its probes widened to `metricProbes` metric
 * probes holding `datapoints` datapoints between them, and one trace probe per phase window whose statistics come
 * from `traceSummaries` trace summaries (one latency bucket per trace, as the X-Ray adapter makes them).
 */
export async function timeReportBuild(
  state: GameDayState,
  experiments: ExperimentView[],
  { datapoints, traceSummaries, metricProbes }: { datapoints: number; traceSummaries: number; metricProbes: number },
): Promise<number> {
  const template = state.plan.hypothesis.probes.find((p) => p.type === "metric");
  const trace = state.plan.hypothesis.probes.find((p) => p.type === "trace");
  if (!template || !trace) throw new Error("the reference plan needs a metric probe and a trace probe");
  const probes: Probe[] = Array.from({ length: metricProbes }, (_, i) => ({ ...template, id: `probe${i}` }));
  const wide: GameDayState = {
    ...state,
    plan: { ...state.plan, hypothesis: { ...state.plan.hypothesis, probes: [...probes, trace] } },
  };
  const start = state.journal.baseline?.window.start ?? state.run.startedAt;
  const now = Date.parse(new Date(start + 25 * 60_000).toISOString());
  const perProbe = Math.floor(datapoints / metricProbes);
  const step = (now - start) / perProbe;
  const series = new Map<string, MetricSeries>();
  for (const probe of probes) {
    const timestamps = Array.from({ length: perProbe }, (_, i) => start + i * step);
    series.set(probe.id, { id: probe.id, timestamps, values: timestamps.map((_, i) => 100 + Math.sin(i) * 20) });
  }
  const windows = 3;
  const perWindow = Math.floor(traceSummaries / windows);
  const statistics = (): RequestStatistics => ({
    requests: perWindow,
    errors: Math.floor(perWindow * 0.01),
    faults: Math.floor(perWindow * 0.002),
    throttles: 0,
    latency: Array.from({ length: perWindow }, (_, i) => ({ milliseconds: 20 + (i % 400), count: 1 })),
  });
  const sources = {
    metrics: { query: async () => series, alarmStates: async () => new Map(), alarmHistory: async () => [] },
    traces: {
      serviceGraph: async () => ({
        services: new Map([[trace.type === "trace" ? (trace.service ?? "") : "", statistics()]]),
        edges: [],
      }),
      entityTimeSeries: async () => [{ timestamp: now - 60_000, statistics: statistics() }],
      filteredStatistics: async () => ({ ...statistics(), faultRootCauses: {}, capped: false }),
    },
    experiments: {
      get: async (id: string) => Promise.reject(new Error(`experiment ${id} is not listed`)),
      resolvedTargets: async () => ({}),
    },
  };
  const started = performance.now();
  const report = await buildReport(wide, experiments, sources, now);
  const seconds = (performance.now() - started) / 1000;
  if (report.probes.length !== metricProbes + 1) throw new Error("the report lost probes");
  return seconds;
}
