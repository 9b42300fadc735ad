import { FIS_ACTION_PERMISSIONS, fillArnPattern } from "../catalog/fis-permissions";

/** One call as IAM evaluates it: the action, the resource ARN, and the condition keys the request carries. */
export interface PermissionRequest {
  action: string;
  resource: string;
  context?: Record<string, string | string[]>;
  /** The resource is a target of the FIS action, which the IAM action may not name itself (authorized on *). */
  onTarget?: boolean;
}

/** The account's coordinates the catalog's resource patterns are filled with. */
export interface ArnNames {
  partition: string;
  region: string;
  account: string;
  reportBucketArn: string;
}

/** A resource's tags as the condition keys IAM evaluates tag-scoped statements with. */
export const resourceTagContext = (tags: Record<string, string>) =>
  Object.fromEntries(Object.entries(tags).map(([k, v]) => [`aws:ResourceTag/${k}`, v]));

/**
 * The calls FIS makes as the experiment role to run one action on these resources, as the catalog lists its
 * permissions: the tag-scoped calls on each resource (with its tags as aws:ResourceTag/*), lookups on *, and the
 * calls on named resources, with the condition keys FIS sets on what it creates (managedByFIS=true).
 */
export function experimentRoleRequests(
  actionId: string,
  resources: readonly { arn: string; tags: Record<string, string> }[],
  names: ArnNames,
): PermissionRequest[] {
  const permissions = FIS_ACTION_PERMISSIONS[actionId];
  if (!permissions) return [];
  const fill = (pattern: string) =>
    fillArnPattern(pattern, {
      Partition: names.partition,
      Region: names.region,
      Account: names.account,
      ReportBucketArn: names.reportBucketArn,
    })
      // One concrete resource of the pattern stands for all: IAM matches it as it would any.
      .replace(/\*/g, "gameday-permission-check");
  return [
    ...permissions.taggedResources.flatMap((action) =>
      resources.map((r) => ({ action, resource: r.arn, context: resourceTagContext(r.tags), onTarget: true })),
    ),
    ...[...permissions.unscoped, ...(permissions.unscopedWrites ?? []).flatMap((w) => w.actions)].map((action) => ({
      action,
      resource: "*",
    })),
    ...(permissions.onResources ?? []).flatMap((grant) =>
      grant.actions.flatMap((action) =>
        grant.resources.map((resource) => ({
          action,
          resource: fill(resource),
          context: Object.fromEntries(Object.values(grant.conditions ?? {}).flatMap((keys) => Object.entries(keys))),
        })),
      ),
    ),
  ];
}
