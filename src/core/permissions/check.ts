import { FIS_ACTIONS } from "../catalog/fis-actions";
import { InvalidPlanError } from "../contract/errors";
import type { PermissionCheck, TargetDirectory } from "../ports";
import { TAG_LISTABLE_RESOURCE_TYPES } from "../locks/keys";
import { experimentRoleRequests, type ArnNames, type PermissionRequest } from "./experiment-role";

/** What a missing permission costs, in the refusal: which FIS action needs it, in which template. */
interface Need {
  templateId: string;
  roleArn: string;
  action: string;
  actionId: string;
  request: PermissionRequest;
}

/**
 * Refuses the game day, before anything starts, when a template's experiment role may not do what one of its
 * actions needs (the catalog's permissions from the FIS actions reference, on the resources its tagged targets
 * select now): FIS's own preview does not check the role, and the action would fail at run time. Asked of IAM's
 * policy simulator, read-only; the refusal names the permission, the role, and the action that needs it.
 */
export async function refuseWithoutPermissions(
  templateIds: readonly string[],
  directory: TargetDirectory,
  permissions: PermissionCheck,
  names: ArnNames,
): Promise<void> {
  const missing: string[] = [];
  for (const templateId of new Set(templateIds)) {
    const [body, targets] = await Promise.all([
      permissions.templateActions(templateId),
      directory.templateTargets(templateId),
    ]);
    if (!body || !targets) continue;
    const needs: Need[] = [];
    for (const action of body.actions) {
      if (FIS_ACTIONS[action.actionId]?.injectsNothing) continue;
      const resources = [];
      for (const targetName of Object.values(action.targets)) {
        const target = targets[targetName];
        if (!target) continue;
        const selected = target.resourceTags ?? {};
        // Resources named by ARN: their tags are not known here, and a tag-conditioned grant would be refused
        // wrongly; FIS's run-time check still holds them.
        if (target.resourceArns?.length) continue;
        if (target.resourceTags && TAG_LISTABLE_RESOURCE_TYPES[target.resourceType])
          resources.push(
            ...(directory.taggedResourcesWithTags
              ? await directory.taggedResourcesWithTags(target.resourceType, selected)
              : (await directory.taggedResources(target.resourceType, selected)).map((arn) => ({
                  arn,
                  tags: selected,
                }))),
          );
      }
      for (const request of experimentRoleRequests(action.actionId, resources, names))
        // A pattern the validate step cannot fill (the report bucket of Lambda fault configurations) is not asked.
        if (!request.resource.includes("${"))
          needs.push({ templateId, roleArn: body.roleArn, action: action.name, actionId: action.actionId, request });
    }
    if (!needs.length) continue;
    const denied = await permissions.denied(
      body.roleArn,
      needs.map((n) => n.request),
    );
    for (const { request, decision } of denied) {
      const need = needs.find((n) => n.request === request) ?? needs.find((n) => n.request.action === request.action);
      missing.push(
        `the experiment role ${body.roleArn} of template ${templateId} may not ${request.action} on ${request.resource}` +
          ` (IAM's policy simulator: ${decision}), which action ${need?.action ?? "?"} (${need?.actionId ?? "?"}) needs`,
      );
    }
  }
  if (missing.length)
    throw new InvalidPlanError(
      `Nothing was started: ${[...new Set(missing)].slice(0, 10).join("; ")}${missing.length > 10 ? `; and ${missing.length - 10} more` : ""}. ` +
        "Grant the role these permissions (gameday actions lists what each FIS action needs), then start again.",
    );
}

/** The account's coordinates, from the state machine's ARN (arn:PARTITION:states:REGION:ACCOUNT:stateMachine:NAME). */
export function arnNamesOf(stateMachineArn: string, reportBucket?: string): ArnNames {
  const [, partition = "aws", , region = "", account = ""] = stateMachineArn.split(":");
  return {
    partition,
    region,
    account,
    reportBucketArn: reportBucket ? `arn:${partition}:s3:::${reportBucket}` : "${ReportBucketArn}",
  };
}
