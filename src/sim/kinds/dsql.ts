import { share, timedEffect } from "../actions/model";
import { nameOf, regionalResource, type TierKind } from "./kind";
import { TIER_KIND_DESCRIPTIONS } from "./names";

const cluster = (tier: Parameters<typeof nameOf>[0]) => nameOf(tier, "cluster");

/** An Aurora DSQL cluster: regional and serverless; FIS fails a share of the connections made to it. */
export const dsql: TierKind = {
  description: TIER_KIND_DESCRIPTIONS.dsql,
  placement: "regional",
  baseLatencyMilliseconds: 5,
  unitIdPrefix: () => "",
  resources: {
    "aws:dsql:cluster": (c) => [
      regionalResource(c, "aws:dsql:cluster", `arn:aws:dsql:${c.region}:${c.account}:cluster/${cluster(c.tier)}`, {
        Identifier: cluster(c.tier),
      }),
    ],
  },
  namesInArns: { "aws:dsql:cluster": { pattern: /:cluster\/([^/]+)$/, key: "cluster" } },
  // The simulated cluster publishes only the application's own metrics and X-Ray's view of the calls to it.
  metrics() {},
  actions: {
    "aws:dsql:cluster-connection-failure": timedEffect("invocation-error", (c) => share(c, "percentage", 100)),
  },
};
