import { allOf, INSTANT } from "../actions/model";
import { unitResource, type TierKind } from "./kind";
import { TIER_KIND_DESCRIPTIONS } from "./names";

const clusterName = (tier: { name: string; resourceNames: Record<string, string> }) =>
  tier.resourceNames.cluster ?? tier.name;

/** An Aurora (or Multi-AZ RDS) cluster: a writer and readers; a failover promotes a reader. */
export const aurora: TierKind = {
  description: TIER_KIND_DESCRIPTIONS.aurora,
  placement: "primary-and-replicas",
  baseLatencyMilliseconds: 5,
  failsOver: true,
  holdsConnections: true,
  unitIdPrefix: (tier) => `${clusterName(tier)}-`,
  resources: {
    "aws:rds:db": (c) =>
      c.units.map((u) => ({
        ...unitResource(c, "aws:rds:db", `arn:aws:rds:${c.region}:${c.account}:db:${u.id}`, u),
        attributes: { DBInstanceIdentifier: u.id, AvailabilityZone: u.zone, Role: u.role ?? "writer" },
      })),
    "aws:rds:cluster": (c) => [
      {
        ...c.base,
        type: "aws:rds:cluster",
        arn: `arn:aws:rds:${c.region}:${c.account}:cluster:${clusterName(c.tier)}`,
        attributes: { DBClusterIdentifier: clusterName(c.tier) },
      },
    ],
  },
  namesInArns: { "aws:rds:cluster": { pattern: /:cluster:([^:/]+)$/, key: "cluster" } },
  metrics(tier, add, read) {
    const dims = { DBClusterIdentifier: clusterName(tier) };
    add("AWS/RDS", "CPUUtilization", dims, { aggregate: "gauge", read: (s) => read(s).cpu });
    add("AWS/RDS", "DatabaseConnections", dims, { aggregate: "gauge", read: (s) => read(s).connections });
  },
  actions: {
    "aws:rds:reboot-db-instances": (c) => {
      const force = c.parameters.forceFailover === "true";
      for (const r of allOf(c)) if (r.unitId) c.world.rebootDatabase(r.unitId, c.at, force);
      return INSTANT;
    },
    "aws:rds:failover-db-cluster": (c) => {
      for (const r of allOf(c)) c.world.failover(r.tier, c.at);
      return INSTANT;
    },
  },
};
