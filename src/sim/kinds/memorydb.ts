import { timedEffect } from "../actions/model";
import { nameOf, regionalResource, type TierKind } from "./kind";
import { TIER_KIND_DESCRIPTIONS } from "./names";

const cluster = (tier: Parameters<typeof nameOf>[0]) => nameOf(tier, "cluster");

/** A MemoryDB Multi-Region cluster's regional cluster, replicating with `replicaRegion`. */
export const memorydb: TierKind = {
  description: TIER_KIND_DESCRIPTIONS.memorydb,
  placement: "regional",
  baseLatencyMilliseconds: 2,
  replicates: true,
  unitIdPrefix: () => "",
  resources: {
    // Multi-Region clusters are global resources: their ARN names no Region.
    "aws:memorydb:multi-region-cluster": (c) => [
      regionalResource(
        c,
        "aws:memorydb:multi-region-cluster",
        `arn:aws:memorydb::${c.account}:multiregioncluster/${cluster(c.tier)}`,
        { MultiRegionClusterName: cluster(c.tier) },
      ),
    ],
  },
  namesInArns: {
    "aws:memorydb:multi-region-cluster": { pattern: /:multiregioncluster\/([^/]+)$/, key: "cluster" },
  },
  metrics(tier, add, read) {
    // "Emitted for every source- and destination-Region pair" (MemoryDB guide, Monitoring Multi-Region); the
    // dimension names are not documented there: gameday's choice, check them against your account.
    add(
      "AWS/MemoryDB",
      "MultiRegionClusterReplicationLag",
      { ClusterName: cluster(tier), DestinationRegion: tier.replicaRegion },
      { aggregate: "gauge", read: (s) => read(s).replicationLatency ?? 0 },
    );
  },
  actions: { "aws:memorydb:multi-region-cluster-pause-replication": timedEffect("replication-paused", () => 1) },
};
