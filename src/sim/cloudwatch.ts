import type { AlarmState, Metric } from "../core/plan/schema";
import type { AlarmStateChange, MetricQuery, MetricSeries, MetricSource, TimeWindow } from "../core/ports";
import { evaluateMath, metricIdsIn, parseMathExpression } from "../core/probes/math";
import { isAwsVended, lastPublishedPeriodEnd, publicationDelayOf } from "../core/probes/publication";
import { kindOf } from "./kinds";
import type { Aggregate, MetricDefinition } from "./kinds/kind";
import type { Snapshot, World } from "./world";
import type { WorldDefinition } from "./world-schema";

const keyOf = (namespace: string, name: string, dimensions: Record<string, string>) =>
  `${namespace}|${name}|${Object.entries(dimensions)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${v}`)
    .join(",")}`;

/** The CloudWatch metrics the simulated workload publishes, named as AWS names them. */
export function metricCatalog(world: Pick<World, "definition">): Map<string, MetricDefinition> {
  const catalog = new Map<string, MetricDefinition>();
  const add = (ns: string, name: string, dims: Record<string, string>, def: MetricDefinition) =>
    catalog.set(keyOf(ns, name, dims), { ...def, namespace: ns });
  const front = world.definition.tiers[0]!.name;
  const lb = { LoadBalancer: world.definition.loadBalancer };
  // "Elastic Load Balancing reports metrics only when requests are flowing"; the HTTPCode_* counts only when there
  // are such responses (ALB user guide, CloudWatch metrics for your Application Load Balancer).
  add("AWS/ApplicationELB", "RequestCount", lb, {
    aggregate: "count",
    sparse: true,
    read: (s) => s.tiers[front]!.requests,
  });
  add("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", lb, {
    aggregate: "count",
    sparse: true,
    read: (s) => s.tiers[front]!.faults,
  });
  add("AWS/ApplicationELB", "HTTPCode_Target_4XX_Count", lb, {
    aggregate: "count",
    sparse: true,
    read: (s) => s.tiers[front]!.errors,
  });
  add("AWS/ApplicationELB", "TargetResponseTime", lb, {
    aggregate: "latency",
    read: (s) => [s.tiers[front]!.p50 / 1000, s.tiers[front]!.p99 / 1000],
  });
  add("AWS/ApplicationELB", "HealthyHostCount", lb, { aggregate: "gauge", read: (s) => s.tiers[front]!.healthyUnits });
  const app = world.definition.applicationNamespace;
  for (const tier of world.definition.tiers) {
    const t = (s: Snapshot) => s.tiers[tier.name]!;
    const svc = { Service: tier.service };
    add(app, "Requests", svc, { aggregate: "count", read: (s) => t(s).requests });
    add(app, "Faults", svc, { aggregate: "count", read: (s) => t(s).faults });
    add(app, "Errors", svc, { aggregate: "count", read: (s) => t(s).errors });
    add(app, "Latency", svc, { aggregate: "latency", read: (s) => [t(s).p50, t(s).p99] });
    add(app, "HealthyUnits", svc, { aggregate: "gauge", read: (s) => t(s).healthyUnits });
    kindOf(tier).metrics(tier, add, t);
  }
  return catalog;
}

function statistic(values: number[], stat: string, aggregate: Aggregate, latencies: [number, number][]): number {
  if (aggregate === "latency") {
    const percentile = stat.startsWith("p") ? Number(stat.slice(1)) : stat === "Maximum" ? 100 : 60;
    const at = ([p50, p99]: [number, number]) =>
      percentile >= 50
        ? p50 + (p99 - p50) * Math.min(1, (percentile - 50) / 49) * (percentile >= 100 ? 1.5 : 1)
        : (p50 * percentile) / 50;
    const points = latencies.map(at);
    return stat === "Minimum"
      ? Math.min(...points)
      : stat === "Average"
        ? points.reduce((a, b) => a + b, 0) / points.length
        : Math.max(...points);
  }
  switch (stat) {
    case "Sum":
      return values.reduce((a, b) => a + b, 0);
    case "SampleCount":
      return values.length;
    case "Minimum":
      return Math.min(...values);
    case "Maximum":
      return Math.max(...values);
    case "Average":
      return values.reduce((a, b) => a + b, 0) / values.length;
    default: {
      const sorted = [...values].sort((a, b) => a - b);
      const p = Math.min(100, Number(stat.slice(1))) / 100;
      return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
    }
  }
}

/** What a world publishes, asked without running it: for validation and the warnings before a rehearsal. */
export function publishedMetrics(definition: WorldDefinition, catalog = metricCatalog({ definition })) {
  return {
    publishes: (metric: Pick<Metric, "namespace" | "name"> & { dimensions?: Record<string, string> }) =>
      catalog.has(keyOf(metric.namespace, metric.name, metric.dimensions ?? {})),
    /** The dimension sets the world publishes under the metric's name, else the names in its namespace. */
    nearest(metric: Pick<Metric, "namespace" | "name">): { sameName: string[]; names: string[] } {
      const keys = [...catalog.keys()].map((k) => k.split("|") as [string, string, string]);
      const inNamespace = keys.filter(([ns]) => ns === metric.namespace);
      return {
        sameName: inNamespace.filter(([, name]) => name === metric.name).map(([, , dims]) => dims || "(no dimensions)"),
        names: [...new Set(inNamespace.map(([, name]) => name))].sort(),
      };
    },
  };
}

const MINUTE = 60_000;
const DAY = 86_400_000;

/**
 * GetMetricData's StartTime as CloudWatch applies it (botocore's cloudwatch model, GetMetricData StartTime): rounded
 * down to the whole minute when less than 15 days old, to 5 minutes up to 63 days, to the hour beyond; with a
 * 5, 10, 20 or 30-second period, to that division of a minute. So a poll every 30 s of a 60-s metric reads the
 * whole minute it falls in, not its own 30 s.
 */
export function roundedStartTime(start: number, periodSeconds: number, now: number): number {
  const age = now - start;
  const step =
    periodSeconds < 60 && age < 15 * DAY
      ? periodSeconds * 1000
      : age < 15 * DAY
        ? MINUTE
        : age < 63 * DAY
          ? 5 * MINUTE
          : 60 * MINUTE;
  return Math.floor(start / step) * step;
}

/** AWS-vended metrics arrive a minute's datapoint at a time; the application's own stream in as they are put. */
const VENDED_PUBLICATION_MS = 60_000;

/**
 * CloudWatch in the simulated account: GetMetricData semantics over the world's recorded ticks, published late as
 * AWS publishes (`publicationDelay`), counts left empty where AWS leaves them empty, the current period partial.
 */
export class SimulatedMetrics implements MetricSource {
  /** The account's alarm mute rules (PutAlarmMuteRule), by name: which alarms, from when, for how long. */
  readonly muteRules = new Map<string, { alarms: string[]; start: number; minutes: number }>();
  /** Every rule ever put, in order, even once deleted: what a rehearsal's tests read. */
  readonly mutesPut: string[] = [];

  async mute(rule: string, alarms: readonly string[], start: number, minutes: number): Promise<void> {
    this.muteRules.set(rule, { alarms: [...alarms], start, minutes });
    this.mutesPut.push(rule);
  }

  /** Idempotent, as DeleteAlarmMuteRule is. */
  async unmute(rule: string): Promise<void> {
    this.muteRules.delete(rule);
  }

  private readonly catalog: Map<string, MetricDefinition>;
  calls = 0;

  constructor(
    private readonly world: World,
    private readonly now: () => number,
  ) {
    this.catalog = metricCatalog(world);
    this.published = publishedMetrics(world.definition, this.catalog);
  }

  private readonly published: ReturnType<typeof publishedMetrics>;

  /** Seconds after a period ends until its datapoint is in CloudWatch: the world's figure, else gameday's default. */
  publicationDelay(namespace: string): number {
    return this.world.definition.publication.metricDelaySeconds[namespace] ?? publicationDelayOf({ namespace });
  }

  /** When a tick's sample can be read: vended metrics once their minute closed and the delay passed. */
  private visibleAt(sampleAt: number, namespace: string): number {
    const delay = this.publicationDelay(namespace) * 1000;
    if (!isAwsVended(namespace)) return sampleAt + delay;
    return (Math.floor(sampleAt / VENDED_PUBLICATION_MS) + 1) * VENDED_PUBLICATION_MS + delay;
  }

  publishes(metric: Metric): boolean {
    return this.published.publishes(metric);
  }

  nearest(metric: Pick<Metric, "namespace" | "name">): { sameName: string[]; names: string[] } {
    return this.published.nearest(metric);
  }

  private series(id: string, metric: Metric, window: TimeWindow, asOf = this.now()): MetricSeries {
    const definition = this.catalog.get(keyOf(metric.namespace, metric.name, metric.dimensions));
    const out: MetricSeries = { id, timestamps: [], values: [] };
    if (!definition) return out;
    const period = metric.periodSeconds * 1000;
    const start = roundedStartTime(window.start, metric.periodSeconds, asOf);
    const buckets = new Map<number, Snapshot[]>();
    for (const s of this.world.snapshots) {
      if (s.t < start || s.t >= window.end) continue;
      if (this.visibleAt(s.t, metric.namespace) > asOf) continue;
      const bucket = Math.floor(s.t / period) * period;
      let list = buckets.get(bucket);
      if (!list) buckets.set(bucket, (list = []));
      list.push(s);
    }
    for (const [t, snapshots] of [...buckets.entries()].sort(([a], [b]) => a - b)) {
      const raw = snapshots.map((s) => definition.read(s));
      const value =
        definition.aggregate === "latency"
          ? statistic([], metric.statistic, "latency", raw as [number, number][])
          : statistic(raw as number[], metric.statistic, definition.aggregate, []);
      if (definition.sparse && (raw as number[]).every((v) => v === 0)) continue;
      out.timestamps.push(t);
      out.values.push(value);
    }
    return out;
  }

  async query(queries: MetricQuery[], window: TimeWindow): Promise<Map<string, MetricSeries>> {
    this.calls += Math.ceil(queries.length / 500);
    this.world.advanceTo(this.now());
    const all = new Map<string, MetricSeries>();
    for (const q of queries) if ("metric" in q) all.set(q.id, this.series(q.id, q.metric, window));
    for (const q of queries) {
      if (!("expression" in q)) continue;
      const tree = parseMathExpression(q.expression);
      // The expression's periods are those its own metrics have datapoints in. FILL fills the gaps among them and
      // nothing else: over a metric with no datapoint at all it has no timestamps to fill (where unsure, harsher
      // than CloudWatch, which may fill the whole range).
      const times = new Set<number>();
      for (const id of metricIdsIn(tree)) all.get(id)?.timestamps.forEach((t) => times.add(t));
      const lookup = new Map(
        [...all.entries()].map(([id, s]) => [id, new Map(s.timestamps.map((t, i) => [t, s.values[i]!]))]),
      );
      const result: MetricSeries = { id: q.id, timestamps: [], values: [] };
      for (const t of [...times].sort((a, b) => a - b)) {
        const v = evaluateMath(tree, (id) => lookup.get(id)?.get(t));
        if (v !== undefined && Number.isFinite(v)) {
          result.timestamps.push(t);
          result.values.push(v);
        }
      }
      all.set(q.id, result);
    }
    return new Map(queries.filter((q) => q.returnData).map((q) => [q.id, all.get(q.id)!]));
  }

  async alarmStates(alarmNames: string[]): Promise<Map<string, AlarmState>> {
    this.calls += 1;
    const now = this.now();
    this.world.advanceTo(now);
    const out = new Map<string, AlarmState>();
    for (const alarm of this.world.definition.alarms)
      if (alarmNames.includes(alarm.name)) out.set(alarm.name, this.alarmStateAt(alarm, now));
    return out;
  }

  /** The alarm re-evaluated at every period boundary of the window (up to now), changes kept. */
  async alarmHistory(alarmName: string, window: TimeWindow): Promise<AlarmStateChange[]> {
    this.calls += 1;
    const now = this.now();
    this.world.advanceTo(now);
    const alarm = this.world.definition.alarms.find((a) => a.name === alarmName);
    if (!alarm) return [];
    const period = alarm.metric.periodSeconds * 1000;
    const out: AlarmStateChange[] = [{ at: window.start, state: this.alarmStateAt(alarm, window.start) }];
    for (let t = Math.floor(window.start / period) * period + period; t <= Math.min(window.end, now); t += period) {
      const state = this.alarmStateAt(alarm, t);
      if (state !== out[out.length - 1]!.state) out.push({ at: t, state });
    }
    return out;
  }

  /** A world alarm's state at a time, by name; undefined when the world has no such alarm. */
  alarmStateByName(alarmName: string, at: number): AlarmState | undefined {
    const alarm = this.world.definition.alarms.find((a) => a.name === alarmName);
    return alarm && this.alarmStateAt(alarm, at);
  }

  /**
   * Alarms evaluate their last `evaluationPeriods` whole, published periods, as CloudWatch does (missing data:
   * insufficient).
   */
  private alarmStateAt(alarm: WorldDefinition["alarms"][number], at: number): AlarmState {
    const period = alarm.metric.periodSeconds * 1000;
    const end = lastPublishedPeriodEnd(at, alarm.metric.periodSeconds, this.publicationDelay(alarm.metric.namespace));
    const window = { start: end - alarm.evaluationPeriods * period, end };
    const series = this.series(alarm.name, alarm.metric, window, at);
    const breaching = (v: number) =>
      alarm.comparison === "GreaterThanThreshold" ? v > alarm.threshold : v < alarm.threshold;
    if (series.values.length < alarm.evaluationPeriods) return "INSUFFICIENT_DATA";
    return series.values.every(breaching) ? "ALARM" : "OK";
  }
}
