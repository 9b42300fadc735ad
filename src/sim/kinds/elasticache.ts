import { allOf, seconds } from "../actions/model";
import type { ActionModel } from "../actions/model";
import { nameOf, type TierKind } from "./kind";
import { TIER_KIND_DESCRIPTIONS } from "./names";

const group = (tier: Parameters<typeof nameOf>[0]) => nameOf(tier, "replicationGroup");

/**
 * FIS cuts power to the group's nodes in the target's zone (`availabilityZoneIdentifier`) for the duration; a
 * primary there fails over to a replica in another zone, as a Multi-AZ group does (ElastiCache user guide,
 * "Minimizing downtime with Multi-AZ").
 */
const interruptZonePower: ActionModel = (c) => {
  const duration = seconds(c, "duration", 300);
  for (const target of allOf(c)) {
    const inZone = c.world.units.filter(
      (u) => u.tier === target.tier && u.state === "running" && (!target.zone || u.zone === target.zone),
    );
    if (inZone.some((u) => u.role === "writer"))
      c.world.failover(target.tier, c.at, new Set(inZone.map((u) => u.zone)));
    for (const node of inZone) c.world.rebootUnit(node.id, c.at, duration);
  }
  return duration;
};

const replicationGroup = (type: string) => (c: Parameters<TierKind["resources"][string]>[0]) => [
  {
    ...c.base,
    type,
    arn: `arn:aws:elasticache:${c.region}:${c.account}:replicationgroup:${group(c.tier)}`,
    attributes: { ReplicationGroupId: group(c.tier) },
  },
];

/** An ElastiCache (Redis OSS or Valkey) replication group: a primary node and replicas spread over the zones. */
export const elasticache: TierKind = {
  description: TIER_KIND_DESCRIPTIONS.elasticache,
  placement: "primary-and-replicas",
  baseLatencyMilliseconds: 1,
  failsOver: true,
  unitIdPrefix: (tier) => `${group(tier)}-00`,
  resources: {
    "aws:elasticache:replicationgroup": replicationGroup("aws:elasticache:replicationgroup"),
    "aws:elasticache:redis-replicationgroup": replicationGroup("aws:elasticache:redis-replicationgroup"),
  },
  namesInArns: {
    "aws:elasticache:replicationgroup": { pattern: /:replicationgroup:([^:/]+)$/, key: "replicationGroup" },
    "aws:elasticache:redis-replicationgroup": { pattern: /:replicationgroup:([^:/]+)$/, key: "replicationGroup" },
  },
  metrics(tier, add, read) {
    // Host metrics are per node; the simulated group publishes its first node's, which starts as the primary.
    const node = { CacheClusterId: `${group(tier)}-001` };
    add("AWS/ElastiCache", "EngineCPUUtilization", node, { aggregate: "gauge", read: (s) => read(s).cpu });
    add("AWS/ElastiCache", "CurrConnections", node, { aggregate: "gauge", read: (s) => read(s).connections });
  },
  actions: {
    "aws:elasticache:replicationgroup-interrupt-az-power": interruptZonePower,
    "aws:elasticache:interrupt-cluster-az-power": interruptZonePower,
  },
};
