import type { TierDefinition, WorldDefinition } from "./world-schema";

/*
 * The shapes the world and its kinds share: its units, effects and snapshots, and what FIS actions may do to it.
 * The kinds (kinds/) import these, never the world itself, so the world can use the kinds.
 */

export const TICK_MS = 10_000;

/** The zone of a regional service's one unit: no zone is ever named so. */
export const REGIONAL = "regional";
/** The name of a regional tier's resource: its table, function or queue. */
export const resourceName = (tier: Pick<TierDefinition, "name" | "resourceNames">) =>
  tier.resourceNames.table ?? tier.resourceNames.function ?? tier.resourceNames.queue ?? tier.name;

export interface Unit {
  id: string;
  tier: string;
  zone: string;
  spot: boolean;
  /** eks pods: the node they run on. */
  node?: string;
  /** aurora instances. */
  role?: "writer" | "reader";
  state: "running" | "stopped" | "terminated";
  /** Serves traffic from this time on (launch, boot, health checks). */
  readyAt: number;
  downUntil?: number;
}

export interface Node {
  id: string;
  tier: string;
  zone: string;
  state: "running" | "terminated";
  readyAt: number;
}

/**
 * A time-bounded effect on some units (stress, latency, packet loss), a whole zone (connectivity), a tier's launches
 * in some zones (insufficient capacity), or calls leaving the Region from some zones (cross-Region connectivity).
 */
export interface Effect {
  key: string;
  kind:
    | "cpu-stress"
    | "latency"
    | "packet-loss"
    | "isolation"
    | "invocation-error"
    | "replication-paused"
    | "read-error"
    | "launch-blocked"
    | "cross-region-cut";
  units?: Set<string>;
  zones?: Set<string>;
  /** launch-blocked: the tiers that cannot launch. */
  tiers?: Set<string>;
  /** cross-region-cut: the Region cut off; every other Region when unset. */
  region?: string;
  from: number;
  until: number;
  /**
   * cpu-stress: share of capacity lost; latency: milliseconds; packet-loss, invocation-error and read-error (a
   * stream's consumers failing to read): share of requests failed; the others: unused.
   */
  amount: number;
}

export interface TierSnapshot {
  requests: number;
  faults: number;
  errors: number;
  p50: number;
  p99: number;
  cpu: number;
  healthyUnits: number;
  units: number;
  connections: number;
  /** Faults that started here (X-Ray's fault root cause): the tier's own, and its calls on stale connections. */
  rootFaults: number;
  /** dynamodb: milliseconds until a write reaches the replica Region. */
  replicationLatency?: number;
  /** sqs: messages waiting, and the age of the oldest in seconds. */
  backlog?: number;
  oldestMessageSeconds?: number;
  /** sqs: messages its consumers took and processed this tick. */
  consumed?: number;
}

/** Calls from one tier to another in a tick: what an X-Ray service-graph edge aggregates. */
export interface EdgeSnapshot {
  from: string;
  to: string;
  requests: number;
  faults: number;
  p50: number;
  p99: number;
}

/** One tick of the world: each tier's figures and the calls between tiers. */
export interface Snapshot {
  t: number;
  tiers: Record<string, TierSnapshot>;
  edges: EdgeSnapshot[];
}

/** A resource FIS can target, with the attributes its `filters` paths read. */
export interface SimResource {
  arn: string;
  type: string;
  tier: string;
  tags: Record<string, string>;
  attributes: Record<string, string>;
  unitId?: string;
  nodeId?: string;
  zone?: string;
}

/** What the kinds' resource listers and FIS actions may read and do in the world. */
export interface WorldControls {
  readonly definition: WorldDefinition;
  readonly seed: number;
  readonly units: Unit[];
  readonly nodes: Node[];
  tier(name: string): TierDefinition;
  schedule(at: number, run: () => void): void;
  addEffect(effect: Effect): void;
  replaceUnit(unitId: string, at: number, replaceSeconds?: number): void;
  stopUnit(unitId: string, at: number, restartAfterSeconds?: number): void;
  rebootUnit(unitId: string, at: number, seconds?: number): void;
  terminateNode(nodeId: string, at: number): void;
  failover(tierName: string, at: number, avoidZones?: Set<string>): void;
  rebootDatabase(unitId: string, at: number, forceFailover: boolean): void;
}
