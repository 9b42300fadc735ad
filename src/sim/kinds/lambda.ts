import { timedEffect, type ActionContext } from "../actions/model";
import { resourceName } from "../world-types";
import { regionalResource, type TierKind } from "./kind";
import { TIER_KIND_DESCRIPTIONS } from "./names";

/** `invocationPercentage` of a Lambda fault as a share (FIS's default: every invocation). */
const invocationShare = (c: ActionContext) => Number(c.parameters.invocationPercentage ?? 100) / 100;

/** A Lambda function. FIS's faults run in its fault-injection extension, on a share of invocations. */
export const lambda: TierKind = {
  description: TIER_KIND_DESCRIPTIONS.lambda,
  placement: "regional",
  servesClients: true,
  unitIdPrefix: () => "",
  resources: {
    "aws:lambda:function": (c) => [
      regionalResource(
        c,
        "aws:lambda:function",
        `arn:aws:lambda:${c.region}:${c.account}:function:${resourceName(c.tier)}`,
        { FunctionName: resourceName(c.tier) },
      ),
    ],
  },
  namesInArns: { "aws:lambda:function": { pattern: /:function:([^:]+)(?::[^:]+)?$/, key: "function" } },
  metrics(tier, add, read) {
    const fn = { FunctionName: resourceName(tier) };
    add("AWS/Lambda", "Invocations", fn, { aggregate: "count", read: (s) => read(s).requests });
    add("AWS/Lambda", "Errors", fn, { aggregate: "count", read: (s) => read(s).faults });
    add("AWS/Lambda", "Duration", fn, { aggregate: "latency", read: (s) => [read(s).p50, read(s).p99] });
    add("AWS/Lambda", "ConcurrentExecutions", fn, {
      aggregate: "gauge",
      read: (s) => (read(s).requests / 10) * (read(s).p50 / 1000),
    });
  },
  actions: {
    "aws:lambda:invocation-error": timedEffect("invocation-error", invocationShare),
    "aws:lambda:invocation-add-delay": timedEffect(
      "latency",
      (c) => Number(c.parameters.startupDelayMilliseconds ?? 1000) * invocationShare(c),
    ),
    "aws:lambda:invocation-http-integration-response": (c) =>
      Number(c.parameters.statusCode ?? 500) >= 500
        ? timedEffect("invocation-error", invocationShare)(c)
        : timedEffect("latency", () => 0)(c),
  },
};
