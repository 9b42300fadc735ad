import { resourceName } from "../world-types";
import type { TierKind } from "./kind";
import { TIER_KIND_DESCRIPTIONS } from "./names";

/** An SQS queue: its senders see only SendMessage; its consumers' failures leave messages waiting. */
export const sqs: TierKind = {
  description: TIER_KIND_DESCRIPTIONS.sqs,
  placement: "regional",
  decoupled: true,
  unitIdPrefix: () => "",
  resources: {},
  metrics(tier, add, read) {
    const queue = { QueueName: resourceName(tier) };
    add("AWS/SQS", "NumberOfMessagesSent", queue, { aggregate: "count", read: (s) => read(s).requests });
    add("AWS/SQS", "NumberOfMessagesDeleted", queue, { aggregate: "count", read: (s) => read(s).consumed ?? 0 });
    add("AWS/SQS", "ApproximateNumberOfMessagesVisible", queue, {
      aggregate: "gauge",
      read: (s) => Math.round(read(s).backlog ?? 0),
    });
    add("AWS/SQS", "ApproximateAgeOfOldestMessage", queue, {
      aggregate: "gauge",
      read: (s) => Math.round(read(s).oldestMessageSeconds ?? 0),
    });
  },
  actions: {},
};
