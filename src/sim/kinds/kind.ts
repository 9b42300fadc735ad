import type { ActionModel } from "../actions/model";
import type { SimResource } from "../world-types";
import type { Snapshot, TierSnapshot, Unit, WorldControls } from "../world-types";
import type { TierDefinition } from "../world-schema";

/** How CloudWatch aggregates a metric over a period: counts add up, gauges average, latencies are percentiles. */
export type Aggregate = "count" | "gauge" | "latency";
export interface MetricDefinition {
  aggregate: Aggregate;
  read: (s: Snapshot) => number | [p50: number, p99: number];
  /** A count CloudWatch has no datapoint for in a period where it counted nothing (ALB's RequestCount, HTTPCode_*). */
  sparse?: boolean;
  /** Set by metricCatalog from the namespace. */
  namespace?: string;
}

/** What a kind's resource lister is given: its tier, the tier's live units, and the account's coordinates. */
export interface KindResourceContext {
  world: WorldControls;
  tier: TierDefinition;
  /** The tier's units that are not terminated. */
  units: Unit[];
  account: string;
  region: string;
  /** What every resource of the tier carries: the tier's name and tags. */
  base: Pick<SimResource, "tier" | "tags">;
}

export type AddMetric = (
  namespace: string,
  name: string,
  dimensions: Record<string, string>,
  definition: MetricDefinition,
) => void;

/**
 * One kind of simulated resource (an Auto Scaling group of instances, an ECS service, an ElastiCache replication
 * group...): how its units are laid out, the FIS resources it shows, the CloudWatch metrics it publishes and the FIS
 * actions it reacts to. Adding a kind is one module and one row of the registry (kinds/index.ts).
 */
export interface TierKind {
  /** For the world schema and `gameday actions`: what a tier of this kind is. */
  readonly description: string;
  /**
   * How the tier's units are placed: spread over the zones (`unitsPerZone` each), a primary and replicas placed
   * round the zones (`unitsPerZone` in total, the first the primary), or one regional resource.
   */
  readonly placement: "per-zone" | "primary-and-replicas" | "regional";
  /** How the id of a new unit of the tier begins (`i-` for instances). */
  unitIdPrefix(tier: TierDefinition): string;
  /** Its units run on worker nodes (EKS): a lost node takes its pods. */
  readonly runsOnNodes?: boolean;
  /** Its senders and consumers are decoupled (a queue, a stream): consumers' failures leave messages waiting. */
  readonly decoupled?: boolean;
  /** It replicates to another Region: replication latency is published and FIS can pause it. */
  readonly replicates?: boolean;
  /** A primary failing over: its callers fail for `failoverSeconds`, then on stale connections. */
  readonly failsOver?: boolean;
  /** Connections its clients hold open, published as a gauge (database connections). */
  readonly holdsConnections?: boolean;
  /** It answers clients' requests (a web or API service), so it can stand behind the load balancer. */
  readonly servesClients?: boolean;
  /** A typical request's latency in milliseconds, for the worlds init writes; 40 when unset. */
  readonly baseLatencyMilliseconds?: number;
  /** The FIS resources of a tier by resource type, with the attributes target filters read. */
  readonly resources: Readonly<Record<string, (c: KindResourceContext) => SimResource[]>>;
  /** Where a resource type's ARN names the tier's resource, and under which `resourceNames` key. */
  readonly namesInArns?: Readonly<Record<string, { pattern: RegExp; key: string }>>;
  /** The CloudWatch metrics a tier of this kind publishes, named and dimensioned as AWS does. */
  metrics(tier: TierDefinition, add: AddMetric, read: (s: Snapshot) => TierSnapshot): void;
  /** The FIS actions that act on this kind's resources, and what each does. */
  readonly actions: Readonly<Record<string, ActionModel>>;
}

/** A unit-level resource's shared fields. */
export const unitResource = (c: KindResourceContext, type: string, arn: string, unit: Unit) => ({
  ...c.base,
  type,
  arn,
  unitId: unit.id,
  zone: unit.zone,
});

/** The one resource of a regional tier (a table, a function, a stream): its unit is the resource itself. */
export const regionalResource = (
  c: KindResourceContext,
  type: string,
  arn: string,
  attributes: Record<string, string>,
): SimResource => ({ ...c.base, type, arn, unitId: c.units[0]?.id ?? c.tier.name, attributes });

/** The tier's name for its resource under `key` in `resourceNames`, else the tier's own name. */
export const nameOf = (tier: Pick<TierDefinition, "name" | "resourceNames">, key: string) =>
  tier.resourceNames[key] ?? tier.name;
