import { timedEffect } from "../actions/model";
import { nameOf, regionalResource, type TierKind } from "./kind";
import { TIER_KIND_DESCRIPTIONS } from "./names";

const bucket = (tier: Parameters<typeof nameOf>[0]) => nameOf(tier, "bucket");

/** An S3 bucket replicating to a bucket in `replicaRegion` (Cross-Region Replication). */
export const s3: TierKind = {
  description: TIER_KIND_DESCRIPTIONS.s3,
  placement: "regional",
  baseLatencyMilliseconds: 30,
  replicates: true,
  unitIdPrefix: () => "",
  resources: {
    "aws:s3:bucket": (c) => [
      regionalResource(c, "aws:s3:bucket", `arn:aws:s3:::${bucket(c.tier)}`, { BucketName: bucket(c.tier) }),
    ],
  },
  namesInArns: { "aws:s3:bucket": { pattern: /^arn:aws[a-z-]*:s3:::([^/]+)$/, key: "bucket" } },
  metrics(tier, add, read) {
    // Replication metrics are published per rule when the rule enables them (S3 user guide, "Replication metrics").
    const dims = {
      SourceBucket: bucket(tier),
      DestinationBucket: tier.resourceNames.destinationBucket ?? `${bucket(tier)}-${tier.replicaRegion}`,
      RuleId: tier.resourceNames.replicationRule ?? "replicate-all",
    };
    add("AWS/S3", "ReplicationLatency", dims, {
      aggregate: "gauge",
      read: (s) => Math.round((read(s).replicationLatency ?? 0) / 1000),
    });
    add("AWS/S3", "OperationsPendingReplication", dims, {
      aggregate: "gauge",
      read: (s) => Math.round(((read(s).replicationLatency ?? 0) / 1000) * (read(s).requests / 10)),
    });
  },
  actions: { "aws:s3:bucket-pause-replication": timedEffect("replication-paused", () => 1) },
};
