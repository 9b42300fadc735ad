import { FIS_ACTION_PERMISSIONS, fillArnPattern } from "../../core/catalog/fis-permissions";
import type { SimResource } from "../../sim/resources";
import type { IamRequest } from "./authorizer";
import { bucketArn, type SimulatedNames } from "./resolve";
import { resourceTags } from "./calls";

/**
 * The calls FIS makes as the experiment role to run one action on these resources, as the catalog lists its
 * permissions: the tag-scoped calls on each resource (with its tags as aws:ResourceTag/*), lookups on *, and the
 * calls on named resources, with the condition keys FIS sets on what it creates (managedByFIS=true).
 */
export function experimentRoleRequests(
  actionId: string,
  resources: SimResource[],
  names: SimulatedNames,
): IamRequest[] {
  const permissions = FIS_ACTION_PERMISSIONS[actionId];
  if (!permissions) return [];
  const fill = (pattern: string) =>
    fillArnPattern(pattern, {
      Partition: names.partition,
      Region: names.region,
      Account: names.account,
      ReportBucketArn: bucketArn(names),
    })
      // One concrete resource of the pattern stands for all: IAM matches it as it would any.
      .replace(/\*/g, "gameday-rehearsal");
  return [
    ...permissions.taggedResources.flatMap((action) =>
      resources.map((r) => ({ action, resource: r.arn, context: resourceTags(r.tags), onTarget: true })),
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
