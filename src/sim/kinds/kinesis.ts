import { share, timedEffect } from "../actions/model";
import { nameOf, regionalResource, type TierKind } from "./kind";
import { TIER_KIND_DESCRIPTIONS } from "./names";

const stream = (tier: Parameters<typeof nameOf>[0]) => nameOf(tier, "stream");

/** A Kinesis data stream and its consumers (the tiers it calls): producers put records, consumers read them later. */
export const kinesis: TierKind = {
  description: TIER_KIND_DESCRIPTIONS.kinesis,
  placement: "regional",
  baseLatencyMilliseconds: 20,
  decoupled: true,
  unitIdPrefix: () => "",
  resources: {
    "aws:kinesis:stream": (c) => [
      regionalResource(c, "aws:kinesis:stream", `arn:aws:kinesis:${c.region}:${c.account}:stream/${stream(c.tier)}`, {
        StreamName: stream(c.tier),
      }),
    ],
  },
  namesInArns: { "aws:kinesis:stream": { pattern: /:stream\/([^/]+)$/, key: "stream" } },
  metrics(tier, add, read) {
    const dims = { StreamName: stream(tier) };
    add("AWS/Kinesis", "IncomingRecords", dims, { aggregate: "count", read: (s) => read(s).requests });
    add("AWS/Kinesis", "WriteProvisionedThroughputExceeded", dims, {
      aggregate: "count",
      read: (s) => read(s).faults,
    });
    add("AWS/Kinesis", "GetRecords.Records", dims, { aggregate: "count", read: (s) => read(s).consumed ?? 0 });
    add("AWS/Kinesis", "GetRecords.IteratorAgeMilliseconds", dims, {
      aggregate: "gauge",
      read: (s) => Math.round((read(s).oldestMessageSeconds ?? 0) * 1000),
    });
  },
  actions: {
    // PutRecord(s) answer ProvisionedThroughputExceededException for that share of calls: producers fail.
    "aws:kinesis:stream-provisioned-throughput-exception": timedEffect("invocation-error", (c) =>
      share(c, "percentage", 100),
    ),
    // GetRecords answers ExpiredIteratorException for that share of calls: consumers read that much less.
    "aws:kinesis:stream-expired-iterator-exception": timedEffect("read-error", (c) => share(c, "percentage", 100)),
  },
};
