import { timedEffect } from "../actions/model";
import { resourceName } from "../world-types";
import { regionalResource, type TierKind } from "./kind";
import { TIER_KIND_DESCRIPTIONS } from "./names";

/** A DynamoDB global table, replicating to `replicaRegion`. */
export const dynamodb: TierKind = {
  description: TIER_KIND_DESCRIPTIONS.dynamodb,
  placement: "regional",
  baseLatencyMilliseconds: 8,
  replicates: true,
  unitIdPrefix: () => "",
  resources: {
    "aws:dynamodb:global-table": (c) => [
      regionalResource(
        c,
        "aws:dynamodb:global-table",
        `arn:aws:dynamodb:${c.region}:${c.account}:table/${resourceName(c.tier)}`,
        { TableName: resourceName(c.tier) },
      ),
    ],
  },
  namesInArns: { "aws:dynamodb:global-table": { pattern: /:table\/([^/]+)$/, key: "table" } },
  metrics(tier, add, read) {
    const table = { TableName: resourceName(tier) };
    const reads = { ...table, Operation: "GetItem" };
    add("AWS/DynamoDB", "ConsumedReadCapacityUnits", table, { aggregate: "count", read: (s) => read(s).requests });
    add("AWS/DynamoDB", "SuccessfulRequestLatency", reads, {
      aggregate: "latency",
      read: (s) => [read(s).p50, read(s).p99],
    });
    // DynamoDB publishes SystemErrors only for periods that had some.
    add("AWS/DynamoDB", "SystemErrors", reads, { aggregate: "count", sparse: true, read: (s) => read(s).faults });
    add(
      "AWS/DynamoDB",
      "ReplicationLatency",
      { ...table, ReceivingRegion: tier.replicaRegion },
      { aggregate: "gauge", read: (s) => read(s).replicationLatency ?? 0 },
    );
  },
  actions: { "aws:dynamodb:global-table-pause-replication": timedEffect("replication-paused", () => 1) },
};
