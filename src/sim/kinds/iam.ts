import { allOf, seconds, share, tiersOf, type ActionContext, type ActionModel } from "../actions/model";
import { blockLaunches } from "./ec2";
import type { AccountResources } from "./account-resource";

/** Auto Scaling launches instances with its service-linked role: FIS faults on it reach every group's launches. */
const AUTO_SCALING_ROLE = "AWSServiceRoleForAutoScaling";

/**
 * API errors injected into the calls a role makes (`service`, `operations`, `percentage`). Which of a tier's
 * requests make such calls the rehearsal cannot know, so it assumes all do: that share of the role's tier's
 * requests fails (harsher than AWS when the service calls the API rarely). On Auto Scaling's role, launches fail.
 */
const apiError: ActionModel = (c) => {
  const duration = seconds(c, "duration", 300);
  const { tiers, autoScaling } = roleTiers(c);
  if (autoScaling) blockLaunches(c, ec2Tiers(c));
  const units = new Set(c.world.units.filter((u) => tiers.has(u.tier)).map((u) => u.id));
  c.world.addEffect({
    key: c.key,
    kind: "invocation-error",
    units,
    from: c.at,
    until: c.at + duration * 1000,
    amount: share(c, "percentage", 100),
  });
  return duration;
};

const ec2Tiers = (c: ActionContext) =>
  new Set(c.world.definition.tiers.filter((t) => t.kind === "ec2").map((t) => t.name));

function roleTiers(c: ActionContext) {
  const autoScaling = allOf(c).some((r) => r.arn.endsWith(`/${AUTO_SCALING_ROLE}`));
  const tiers = tiersOf(c);
  tiers.delete("");
  return { tiers, autoScaling };
}

/** An IAM role per tier (`resourceNames.role`, else `<tier>-role`), and Auto Scaling's service-linked role. */
export const iam: AccountResources = {
  resources: {
    "aws:iam:role": (world) => [
      ...world.definition.tiers.map((t) => ({
        arn: `arn:aws:iam::${world.definition.accountId}:role/${t.resourceNames.role ?? `${t.name}-role`}`,
        type: "aws:iam:role",
        tier: t.name,
        tags: { ...t.tags },
        attributes: { RoleName: t.resourceNames.role ?? `${t.name}-role` },
      })),
      {
        arn: `arn:aws:iam::${world.definition.accountId}:role/aws-service-role/autoscaling.amazonaws.com/${AUTO_SCALING_ROLE}`,
        type: "aws:iam:role",
        tier: "",
        tags: {},
        attributes: { RoleName: AUTO_SCALING_ROLE },
      },
    ],
  },
  actions: {
    "aws:fis:inject-api-internal-error": apiError,
    "aws:fis:inject-api-throttle-error": apiError,
    "aws:fis:inject-api-unavailable-error": apiError,
    // RunInstances by the role fails with InsufficientInstanceCapacity in the zones: the role's tier (or, for
    // Auto Scaling's role, every group) cannot replace instances there.
    "aws:ec2:api-insufficient-instance-capacity-error": (c) => {
      const { tiers, autoScaling } = roleTiers(c);
      return blockLaunches(c, autoScaling ? ec2Tiers(c) : tiers);
    },
  },
};
