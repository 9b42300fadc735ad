import type {
  LatencyBucket,
  RequestStatistics,
  ServiceGraph,
  TimeWindow,
  TimedStatistics,
  TraceEntity,
  TraceSample,
  TraceSource,
} from "../core/ports";
import { TRACE_PROCESSING_DELAY_SECONDS } from "../core/probes/publication";
import { TICK_MS, type Snapshot, type World } from "./world";

/** X-Ray in the simulated account: the service graph, per-entity time series and filtered trace summaries. */
const LATENCY_SPREAD: [share: number, position: number][] = [
  [0.5, 0],
  [0.2, 0.25],
  [0.15, 0.5],
  [0.1, 0.75],
  [0.04, 0.95],
  [0.01, 1],
];

/** Sampled trace summaries per window: X-Ray returns a sample, and gameday reads a capped number of pages. */
export const SIMULATED_TRACE_SAMPLE = 500;

interface Traffic {
  requests: number;
  faults: number;
  errors: number;
  p50: number;
  p99: number;
}

/** X-Ray in the simulated account: the service graph with its edges, time series, and sampled trace summaries. */
export class SimulatedTraces implements TraceSource {
  calls = 0;

  constructor(
    private readonly world: World,
    private readonly now: () => number,
  ) {}

  private read(): void {
    this.calls += 1;
    this.world.advanceTo(this.now());
  }

  /** Seconds until X-Ray has processed a trace and it can be found. */
  get processingDelay(): number {
    return this.world.definition.publication.traceDelaySeconds ?? TRACE_PROCESSING_DELAY_SECONDS;
  }

  /** Ticks in the window whose traces X-Ray has processed by now: the whole tick ended and the delay passed. */
  private processed(window: TimeWindow): Snapshot[] {
    const until = Math.min(window.end, this.now() - this.processingDelay * 1000 - TICK_MS + 1);
    return this.world.snapshots.filter((s) => s.t >= window.start && s.t < until);
  }

  private statistics(window: TimeWindow, pick: (s: Snapshot) => Traffic | undefined): RequestStatistics {
    const stats: RequestStatistics = { requests: 0, errors: 0, faults: 0, throttles: 0, latency: [] };
    const buckets = new Map<number, number>();
    for (const s of this.processed(window)) {
      const t = pick(s);
      if (!t) continue;
      stats.requests += t.requests;
      stats.errors += t.errors;
      stats.faults += t.faults;
      for (const [share, position] of LATENCY_SPREAD) {
        const ms = Math.round(t.p50 + (t.p99 - t.p50) * position);
        buckets.set(ms, (buckets.get(ms) ?? 0) + share * t.requests);
      }
    }
    stats.latency = [...buckets.entries()].map(([milliseconds, count]): LatencyBucket => ({ milliseconds, count }));
    return stats;
  }

  private tierOf(service: string) {
    return this.world.definition.tiers.find((t) => t.service === service);
  }

  private picker(entity: TraceEntity): (s: Snapshot) => Traffic | undefined {
    if ("service" in entity) {
      const tier = this.tierOf(entity.service);
      return (s) => (tier ? s.tiers[tier.name] : undefined);
    }
    return (s) => {
      const edge = s.edges.find((e) => e.from === entity.from && e.to === entity.to);
      return edge && { ...edge, errors: 0 };
    };
  }

  async serviceGraph(window: TimeWindow): Promise<ServiceGraph> {
    this.read();
    const services = new Map(
      this.world.definition.tiers.map((tier) => [tier.service, this.statistics(window, this.picker(tier))]),
    );
    const pairs = new Map<string, { from: string; to: string }>();
    for (const s of this.processed(window))
      for (const e of s.edges) pairs.set(`${e.from}>${e.to}`, { from: e.from, to: e.to });
    const edges = [...pairs.values()].map((edge) => ({
      ...edge,
      statistics: this.statistics(window, this.picker(edge)),
    }));
    return { services, edges };
  }

  async entityTimeSeries(entity: TraceEntity, window: TimeWindow, periodSeconds: number): Promise<TimedStatistics[]> {
    this.read();
    const period = periodSeconds * 1000;
    const out: TimedStatistics[] = [];
    for (let start = Math.floor(window.start / period) * period; start < window.end; start += period) {
      const statistics = this.statistics(
        { start: Math.max(start, window.start), end: Math.min(start + period, window.end) },
        this.picker(entity),
      );
      if (statistics.requests > 0) out.push({ timestamp: start, statistics });
    }
    return out;
  }

  /** Understands `service("name")`; any other filter reads the front door's traffic. */
  async filteredStatistics(filterExpression: string, window: TimeWindow): Promise<TraceSample> {
    this.read();
    const service = /service\(\s*"([^"]+)"\s*\)/.exec(filterExpression)?.[1];
    const tier = this.world.definition.tiers.find((t) => t.service === service) ?? this.world.definition.tiers[0]!;
    const everything = this.statistics(window, (s) => s.tiers[tier.name]);
    // `fault` alone selects the faulted traces only, as X-Ray's filter expression does.
    const onlyFaulted = /^\s*fault\s*$/.test(filterExpression);
    const full = onlyFaulted
      ? { ...everything, requests: everything.faults, errors: 0, latency: [] as LatencyBucket[] }
      : everything;
    const scale = full.requests > SIMULATED_TRACE_SAMPLE ? SIMULATED_TRACE_SAMPLE / full.requests : 1;
    const roots = new Map<string, number>();
    for (const s of this.processed(window))
      for (const t of this.world.definition.tiers)
        roots.set(t.service, (roots.get(t.service) ?? 0) + s.tiers[t.name]!.rootFaults);
    const rootTotal = [...roots.values()].reduce((a, b) => a + b, 0);
    const sampledFaults = Math.round(full.faults * scale);
    const faultRootCauses: Record<string, number> = {};
    for (const [name, n] of roots) {
      const count = rootTotal > 0 ? Math.round((sampledFaults * n) / rootTotal) : 0;
      if (count > 0) faultRootCauses[name] = count;
    }
    return {
      requests: Math.round(full.requests * scale),
      errors: Math.round(full.errors * scale),
      faults: sampledFaults,
      throttles: 0,
      latency: full.latency.map((b) => ({ milliseconds: b.milliseconds, count: b.count * scale })),
      faultRootCauses,
      capped: scale < 1,
    };
  }
}
