import { kindOf } from "./kinds";
import { keyedBinomial, keyedGaussian, keyedPoisson } from "./random";
import type { TierDefinition, WorldDefinition } from "./world-schema";
import {
  REGIONAL,
  resourceName,
  TICK_MS,
  type EdgeSnapshot,
  type Effect,
  type Node,
  type Snapshot,
  type TierSnapshot,
  type Unit,
  type WorldControls,
} from "./world-types";

export * from "./world-types";

/** DynamoDB, Lambda, SQS, Kinesis...: one resource per tier, in the Region rather than a zone. */
export const isRegional = (tier: Pick<TierDefinition, "kind">) => kindOf(tier).placement === "regional";

/** One tier's result in one tick, as its callers see it. */
interface TierOutcome {
  own: TierSnapshot;
  /** Share of its requests that fail, its callees' faults included. */
  fault: number;
  p50: number;
  p99: number;
  /** Share of its callers' calls that fail on its account. */
  callerFault: number;
  /** Requests its healthy units can serve in a tick. */
  capacityPerTick: number;
}

interface TierHealth {
  healthy: Unit[];
  capacity: number;
  /** Requests per second that reach the tier. */
  load: number;
  utilization: number;
  /** The share of the healthy units some of these effects act on. */
  share: (effects: Effect[]) => number;
}

/** One tick being computed: its time, front-door load, the edges found so far, and the tiers done. */
interface Tick {
  t: number;
  index: number;
  load: number;
  edges: EdgeSnapshot[];
  computed: Map<string, TierOutcome>;
}

interface DatabaseIncident {
  tier: string;
  /** The database itself refuses requests (failover, writer reboot). */
  downUntil: number;
  /** Callers keep failing on stale connections until then. */
  staleUntil: number;
  from: number;
}

/**
 * The simulated workload. Time moves in 10-second ticks; each tick's metrics are computed once from the state of
 * the units at that moment and kept, so any past window can be read later exactly as CloudWatch would return it.
 */
export class World implements WorldControls {
  readonly units: Unit[] = [];
  readonly nodes: Node[] = [];
  readonly effects: Effect[] = [];
  readonly snapshots: Snapshot[] = [];
  private readonly incidents: DatabaseIncident[] = [];
  /** sqs: messages waiting per queue tier, carried from tick to tick. */
  private readonly backlogs = new Map<string, number>();
  private readonly scheduled: { at: number; run: () => void }[] = [];
  private nextTick: number;
  private sequence = 0;
  readonly historyStart: number;

  constructor(
    readonly definition: WorldDefinition,
    readonly seed: number,
    readonly start: number,
    historySeconds = 3 * 3600,
  ) {
    this.historyStart = Math.floor((start - historySeconds * 1000) / TICK_MS) * TICK_MS;
    this.nextTick = this.historyStart;
    for (const tier of definition.tiers) this.populate(tier);
  }

  tier(name: string): TierDefinition {
    const tier = this.definition.tiers.find((t) => t.name === name);
    if (!tier) throw new Error(`no tier ${name} in world ${this.definition.name}`);
    return tier;
  }

  private newId(prefix: string): string {
    this.sequence += 1;
    const hex = Math.floor(keyedGaussian(this.seed, prefix, this.sequence) * 1e9 + 5e9)
      .toString(16)
      .padStart(9, "0");
    return `${prefix}${hex}${this.sequence.toString(16).padStart(8, "0")}`.slice(0, prefix.length + 17);
  }

  private populate(tier: TierDefinition): void {
    const zones = this.definition.zones;
    const ready = this.historyStart;
    if (isRegional(tier)) {
      // One regional resource: zone faults do not reach it, FIS faults it through its own actions.
      this.units.push({
        id: resourceName(tier),
        tier: tier.name,
        zone: REGIONAL,
        spot: false,
        state: "running",
        readyAt: ready,
      });
      return;
    }
    const kind = kindOf(tier);
    if (kind.placement === "primary-and-replicas") {
      for (let i = 0; i < tier.unitsPerZone; i++) {
        this.units.push({
          id: `${kind.unitIdPrefix(tier)}${i + 1}`,
          tier: tier.name,
          zone: zones[i % zones.length]!,
          spot: false,
          role: i === 0 ? "writer" : "reader",
          state: "running",
          readyAt: ready,
        });
      }
      return;
    }
    if (kind.runsOnNodes) {
      for (let i = 0; i < tier.nodes; i++) {
        this.nodes.push({
          id: this.newId("i-"),
          tier: tier.name,
          zone: zones[i % zones.length]!,
          state: "running",
          readyAt: ready,
        });
      }
    }
    let n = 0;
    for (const zone of zones) {
      for (let i = 0; i < tier.unitsPerZone; i++, n++) {
        const unit: Unit = {
          id: this.newId(kind.unitIdPrefix(tier)),
          tier: tier.name,
          zone,
          spot: tier.kind === "ec2" && n < tier.spotUnits,
          state: "running",
          readyAt: ready,
        };
        if (kind.runsOnNodes) {
          const nodesInZone = this.nodes.filter((x) => x.tier === tier.name && x.zone === zone);
          unit.node = (
            nodesInZone[i % Math.max(1, nodesInZone.length)] ?? this.nodes.find((x) => x.tier === tier.name)!
          ).id;
        }
        this.units.push(unit);
      }
    }
  }

  schedule(at: number, run: () => void): void {
    this.scheduled.push({ at, run });
    this.scheduled.sort((a, b) => a.at - b.at);
  }

  /** Computes every tick up to `t` (exclusive), firing scheduled changes in time order. */
  advanceTo(t: number): void {
    while (this.nextTick < t) {
      while (this.scheduled.length && this.scheduled[0]!.at <= this.nextTick) this.scheduled.shift()!.run();
      this.snapshots.push(this.snapshot(this.nextTick));
      this.nextTick += TICK_MS;
    }
    while (this.scheduled.length && this.scheduled[0]!.at <= t) this.scheduled.shift()!.run();
  }

  // ---- changes made by faults -------------------------------------------------------------------------------

  /** The unit is gone; its tier's controller (Auto Scaling, ECS, Kubernetes) brings a replacement. */
  replaceUnit(unitId: string, at: number, replaceSeconds?: number): void {
    const unit = this.units.find((u) => u.id === unitId);
    if (!unit || unit.state === "terminated") return;
    unit.state = "terminated";
    const tier = this.tier(unit.tier);
    const kind = kindOf(tier);
    // With launches failing in the unit's zone (insufficient capacity), the replacement waits for capacity. Auto
    // Scaling would try other zones; waiting is the harsher reading.
    const blocked = this.activeEffects(at, "launch-blocked").filter(
      (e) => e.tiers?.has(tier.name) && e.zones?.has(unit.zone),
    );
    const launchAt = Math.max(at, ...blocked.map((e) => e.until));
    const replacement: Unit = {
      ...unit,
      id: this.newId(kind.unitIdPrefix(tier)),
      state: "running",
      readyAt: launchAt + (replaceSeconds ?? tier.replaceSeconds) * 1000,
    };
    delete replacement.downUntil;
    if (kind.runsOnNodes) {
      const alive = this.nodes.filter((x) => x.tier === tier.name && x.state === "running" && x.readyAt <= at);
      if (alive.length) replacement.node = alive[this.sequence % alive.length]!.id;
    }
    this.units.push(replacement);
  }

  stopUnit(unitId: string, at: number, restartAfterSeconds?: number): void {
    const unit = this.units.find((u) => u.id === unitId);
    if (!unit || unit.state !== "running") return;
    unit.state = "stopped";
    if (restartAfterSeconds !== undefined) {
      this.schedule(at + restartAfterSeconds * 1000, () => this.startUnit(unitId, at + restartAfterSeconds * 1000));
    } else {
      // Auto Scaling marks a stopped instance unhealthy and replaces it.
      this.schedule(at + 90_000, () => this.replaceUnit(unitId, at + 90_000));
    }
  }

  startUnit(unitId: string, at: number): void {
    const unit = this.units.find((u) => u.id === unitId);
    if (!unit || unit.state !== "stopped") return;
    unit.state = "running";
    unit.readyAt = at + 60_000;
  }

  rebootUnit(unitId: string, at: number, seconds = 60): void {
    const unit = this.units.find((u) => u.id === unitId);
    if (!unit || unit.state !== "running") return;
    unit.downUntil = at + seconds * 1000;
  }

  terminateNode(nodeId: string, at: number): void {
    const node = this.nodes.find((n) => n.id === nodeId);
    if (!node || node.state !== "running") return;
    node.state = "terminated";
    const tier = this.tier(node.tier);
    const survivors = this.nodes.filter((n) => n.tier === tier.name && n.state === "running");
    const replacementNode: Node = {
      ...node,
      id: this.newId("i-"),
      state: "running",
      readyAt: at + tier.replaceSeconds * 1000,
    };
    this.nodes.push(replacementNode);
    for (const pod of this.units.filter((u) => u.node === nodeId && u.state === "running")) {
      // Pods reschedule onto surviving nodes; with none left they wait for the new node.
      this.replaceUnit(
        pod.id,
        at,
        survivors.length ? tier.rescheduleSeconds : tier.replaceSeconds + tier.rescheduleSeconds,
      );
    }
  }

  /** The primary hands over to a replica, outside `avoidZones` when one is (a zone without power). */
  failover(tierName: string, at: number, avoidZones = new Set<string>()): void {
    const tier = this.tier(tierName);
    const members = this.units.filter((u) => u.tier === tierName && u.state === "running");
    const writer = members.find((u) => u.role === "writer");
    const readers = members.filter((u) => u.role === "reader");
    const reader = readers.find((u) => !avoidZones.has(u.zone)) ?? readers[0];
    if (writer && reader) {
      writer.role = "reader";
      reader.role = "writer";
    }
    const downUntil = at + tier.failoverSeconds * 1000;
    this.incidents.push({
      tier: tierName,
      from: at,
      downUntil,
      staleUntil: downUntil + tier.staleConnectionSeconds * 1000,
    });
  }

  /** A writer reboot without failover: the database is down until the instance is back. */
  rebootDatabase(unitId: string, at: number, forceFailover: boolean): void {
    const unit = this.units.find((u) => u.id === unitId);
    if (!unit) return;
    if (
      unit.role === "writer" &&
      forceFailover &&
      this.units.some((u) => u.tier === unit.tier && u.role === "reader")
    ) {
      this.failover(unit.tier, at);
      this.rebootUnit(unitId, at, 90);
    } else if (unit.role === "writer") {
      this.rebootUnit(unitId, at, 60);
      this.incidents.push({ tier: unit.tier, from: at, downUntil: at + 60_000, staleUntil: at + 60_000 });
    } else {
      this.rebootUnit(unitId, at, 60);
    }
  }

  addEffect(effect: Effect): void {
    this.effects.push(effect);
  }

  /** Ends effects early when FIS stops the action that caused them. */
  endEffects(key: string, at: number): void {
    for (const effect of this.effects) if (effect.key === key && effect.until > at) effect.until = at;
  }

  // ---- what the world looks like at a moment ---------------------------------------------------------------

  private unitsOfTier(tier: string): Unit[] {
    return this.units.filter((u) => u.tier === tier && u.state !== "terminated");
  }

  /**
   * The share of a caller's calls to another Region that a cross-Region cut drops: the share of its units in the
   * cut zones (a route-table cut acts on subnets; a transit-gateway cut on them all). Regional callers (a function,
   * a queue) run in every zone: a cut of some zones drops that share of their calls.
   */
  private crossRegionCut(caller: TierDefinition, callee: TierDefinition, t: number): number {
    const home = this.definition.region;
    const to = callee.region ?? home;
    if (to === (caller.region ?? home)) return 0;
    const cuts = this.activeEffects(t, "cross-region-cut").filter((e) => !e.region || e.region === to);
    if (!cuts.length) return 0;
    const units = this.unitsOfTier(caller.name).filter((u) => u.state === "running");
    const zonesCut = new Set(cuts.flatMap((e) => [...(e.zones ?? [])]));
    if (!units.length || units.every((u) => u.zone === REGIONAL)) return zonesCut.size / this.definition.zones.length;
    return units.filter((u) => zonesCut.has(u.zone)).length / units.length;
  }

  private activeEffects(t: number, kind: Effect["kind"]) {
    return this.effects.filter((e) => e.kind === kind && e.from <= t && t < e.until);
  }

  healthyUnits(tier: string, t: number): Unit[] {
    const isolated = this.activeEffects(t, "isolation");
    return this.units.filter(
      (u) =>
        u.tier === tier &&
        u.state === "running" &&
        u.readyAt <= t &&
        !(u.downUntil !== undefined && t < u.downUntil) &&
        !isolated.some((e) => e.zones?.has(u.zone) || e.units?.has(u.id)) &&
        (u.node === undefined || this.nodes.some((n) => n.id === u.node && n.state === "running" && n.readyAt <= t)),
    );
  }

  private snapshot(t: number): Snapshot {
    const tick: Tick = { t, index: t / TICK_MS, load: this.loadAt(t), edges: [], computed: new Map() };
    const tiers: Record<string, TierSnapshot> = {};
    for (const tier of this.definition.tiers) tiers[tier.name] = this.tierAt(tier.name, tick).own;
    return { t, tiers, edges: tick.edges };
  }

  /** Front-door requests per second: the daily swing and per-tick noise around the world's rate. */
  private loadAt(t: number): number {
    const { traffic } = this.definition;
    const daily = 1 + traffic.dailyVariation * Math.sin((2 * Math.PI * (t % 86_400_000)) / 86_400_000);
    return traffic.requestsPerSecond * daily * (1 + traffic.noise * keyedGaussian(this.seed, "load", t / TICK_MS));
  }

  /** One tier in one tick, its callees first (each computed once per tick). */
  private tierAt(name: string, tick: Tick, depth = 0): TierOutcome {
    const done = tick.computed.get(name);
    if (done) return done;
    if (depth > 20) throw new Error(`tier calls form a cycle at ${name}`);
    const tier = this.tier(name);
    const health = this.healthAt(tier, tick);
    const { own, callerFault, pausedSince } = this.ownFaultAt(tier, health, tick);
    const jitter = 1 + 0.05 * keyedGaussian(this.seed, "latency", name, tick.index);
    const u = Math.min(health.utilization, 1.5);
    const latency = this.activeEffects(tick.t, "latency");
    const p50 =
      tier.baseLatencyMilliseconds * (1 + 0.6 * u ** 4) * jitter +
      health.share(latency) * Math.max(0, ...latency.map((e) => e.amount));
    // Counts are whole requests, drawn from the rates as they arrive: a quiet tier has quiet ticks, and one error
    // in twelve requests is 8%, not a steady 0.1% (CloudWatch and X-Ray then add up these counts).
    const requests = keyedPoisson(health.load * (TICK_MS / 1000), this.seed, "requests", name, tick.index);
    const calls = this.callsAt(tier, health.load, requests, tick, depth);
    const fault = 1 - (1 - own) * calls.survive;
    const faults = keyedBinomial(requests, fault, this.seed, "faults", name, tick.index);
    const stress = this.activeEffects(tick.t, "cpu-stress");
    const kind = kindOf(tier);
    const backlog = kind.decoupled ? (this.backlogs.get(name) ?? 0) : undefined;
    const snapshot: TierSnapshot = {
      requests,
      faults,
      errors: keyedBinomial(
        requests,
        this.definition.traffic.clientErrorRate * (1 + 0.2 * keyedGaussian(this.seed, "errors", name, tick.index)),
        this.seed,
        "client-errors",
        name,
        tick.index,
      ),
      p50: p50 + calls.p50,
      p99: p50 * (2.5 + 3 * Math.max(0, u - 0.8)) + calls.p99,
      cpu: Math.min(
        100,
        (health.capacity > 0 ? Math.min(health.utilization, 1) : 0) * 70 +
          5 +
          100 * Math.max(0, ...stress.map((e) => e.amount)) * health.share(stress),
      ),
      healthyUnits: health.healthy.length,
      units: this.units.filter((x) => x.tier === name && x.state !== "terminated").length,
      connections: kind.holdsConnections || kind.failsOver ? Math.round(40 + health.load / 20) : 0,
      // The faults that start here are some of the tier's faults, never more.
      rootFaults: Math.min(
        faults,
        keyedBinomial(requests, own, this.seed, "root-faults", name, tick.index) + calls.staleFaults,
      ),
      ...(kind.replicates
        ? {
            replicationLatency:
              pausedSince !== undefined ? tick.t - pausedSince : 600 + 200 * Math.abs(jitter - 1) * 20,
          }
        : {}),
      ...(backlog !== undefined
        ? { backlog, consumed: calls.consumed ?? 0, oldestMessageSeconds: backlog / Math.max(health.load, 1e-9) }
        : {}),
    };
    const result: TierOutcome = {
      own: snapshot,
      fault,
      p50: snapshot.p50,
      p99: snapshot.p99,
      callerFault,
      capacityPerTick: health.capacity * (TICK_MS / 1000),
    };
    tick.computed.set(name, result);
    return result;
  }

  /** The tier's healthy units, what they can serve (less CPU stress), and how loaded that leaves them. */
  private healthAt(tier: TierDefinition, tick: Tick): TierHealth {
    const healthy = this.healthyUnits(tier.name, tick.t);
    const stress = this.activeEffects(tick.t, "cpu-stress");
    let capacity = 0;
    for (const unit of healthy) {
      const lost = Math.max(0, ...stress.filter((e) => e.units?.has(unit.id)).map((e) => e.amount));
      capacity += tier.capacityPerUnit * (1 - lost);
    }
    const load = tick.load * tier.share;
    return {
      healthy,
      capacity,
      load,
      utilization: capacity > 0 ? load / capacity : Infinity,
      share: (effects) =>
        healthy.length ? healthy.filter((u) => effects.some((e) => e.units?.has(u.id))).length / healthy.length : 0,
    };
  }

  /**
   * The share of requests failing in the tier itself (overload, packet loss, injected errors, a database that is
   * down), and the share of its callers' calls that fail on its account (stale connections, paused replication).
   */
  private ownFaultAt(
    tier: TierDefinition,
    health: TierHealth,
    tick: Tick,
  ): { own: number; callerFault: number; pausedSince?: number } {
    const loss = [...this.activeEffects(tick.t, "packet-loss"), ...this.activeEffects(tick.t, "invocation-error")];
    let own = health.capacity > 0 ? Math.max(0, 1 - 1 / health.utilization) : 1;
    own += health.share(loss) * Math.max(0, ...loss.map((e) => e.amount)) * (1 - own);
    let callerFault = 0;
    const paused = this.activeEffects(tick.t, "replication-paused").filter((e) => health.share([e]) > 0);
    const kind = kindOf(tier);
    if (kind.replicates && paused.length) callerFault = tier.pausedReplicationErrorRate;
    if (kind.failsOver) {
      const incident = this.incidents.filter((i) => i.tier === tier.name && i.from <= tick.t);
      if (incident.some((i) => tick.t < i.downUntil)) own = Math.max(own, 0.95);
      if (incident.some((i) => tick.t < i.staleUntil)) callerFault = tier.staleErrorRate;
    }
    own = Math.min(1, own + 0.0004 * Math.abs(keyedGaussian(this.seed, "fault", tier.name, tick.index)));
    return { own, callerFault, ...(paused.length ? { pausedSince: Math.min(...paused.map((e) => e.from)) } : {}) };
  }

  /**
   * What the tier's calls add: the share of its requests that survive its callees, their latency, the faults its
   * stale calls cause, and the X-Ray edges. A queue decouples: its senders see only SendMessage, and its consumers'
   * failures leave messages waiting instead.
   */
  private callsAt(tier: TierDefinition, load: number, requests: number, tick: Tick, depth: number) {
    let survive = 1;
    let p50 = 0;
    let p99 = 0;
    let staleFaults = 0;
    let consumed: number | undefined;
    for (const callee of tier.calls) {
      const c = this.tierAt(callee, tick, depth + 1);
      const to = this.tier(callee).service;
      if (kindOf(tier).decoupled) {
        const waiting = (this.backlogs.get(tier.name) ?? 0) + load * (TICK_MS / 1000);
        // Consumers poll as fast as they can serve: up to their capacity, less what fails and is retried, less
        // the reads the queue or stream itself refuses.
        const refused = Math.max(
          0,
          ...this.activeEffects(tick.t, "read-error")
            .filter((e) => this.unitsOfTier(tier.name).some((u) => e.units?.has(u.id)))
            .map((e) => e.amount),
        );
        consumed = Math.min(waiting, c.capacityPerTick * (1 - Math.max(c.fault, c.callerFault)) * (1 - refused));
        this.backlogs.set(tier.name, waiting - consumed);
        tick.edges.push({ from: tier.service, to, requests: consumed, faults: 0, p50: c.p50, p99: c.p99 });
        continue;
      }
      const weight = Math.min(1, this.tier(callee).share / Math.max(tier.share, 1e-9));
      const failing = Math.max(c.fault, c.callerFault, this.crossRegionCut(tier, this.tier(callee), tick.t));
      survive *= 1 - weight * failing;
      p50 += weight * c.p50;
      p99 += weight * c.p99;
      const edgeRequests = keyedBinomial(requests, weight, this.seed, "edge", tier.name, callee, tick.index);
      tick.edges.push({
        from: tier.service,
        to,
        requests: edgeRequests,
        faults: keyedBinomial(edgeRequests, failing, this.seed, "edge-faults", tier.name, callee, tick.index),
        p50: c.p50,
        p99: c.p99,
      });
      staleFaults += keyedBinomial(edgeRequests, c.callerFault, this.seed, "stale", tier.name, callee, tick.index);
    }
    return { survive, p50, p99, staleFaults, consumed };
  }
}
