import { GetExperimentTemplateCommand, type FisClient } from "@aws-sdk/client-fis";
import {
  IAMClient,
  SimulatePrincipalPolicyCommand,
  type ContextEntry,
  type SimulatePrincipalPolicyCommandOutput,
} from "@aws-sdk/client-iam";
import type { PermissionCheck } from "../core/ports";
import { stopConditionAlarmArns } from "../core/probes/alarms";
import type { PermissionRequest } from "../core/permissions/experiment-role";

/** A template's experiment role and its actions, as GetExperimentTemplate describes them. */
export const fisTemplateActions =
  (client: FisClient): PermissionCheck["templateActions"] =>
  async (templateId) => {
    const template = (await client.send(new GetExperimentTemplateCommand({ id: templateId }))).experimentTemplate;
    if (!template?.roleArn) return undefined;
    return {
      roleArn: template.roleArn,
      stopConditionAlarms: stopConditionAlarmArns(template.stopConditions),
      actions: Object.entries(template.actions ?? {}).map(([name, a]) => ({
        name,
        actionId: a.actionId ?? "",
        targets: a.targets ?? {},
      })),
    };
  };

const contextEntries = (context: PermissionRequest["context"] = {}): ContextEntry[] =>
  Object.entries(context).map(([key, value]) => ({
    ContextKeyName: key,
    ContextKeyValues: Array.isArray(value) ? value : [value],
    ContextKeyType: Array.isArray(value) ? "stringList" : "string",
  }));

/**
 * IAM's policy simulator for a role (SimulatePrincipalPolicy: its identity policies and permission boundary),
 * one call per resource and condition set, every page. A call not "allowed" is denied with IAM's decision.
 */
export const iamPolicySimulator =
  (client = new IAMClient({})): PermissionCheck["denied"] =>
  async (roleArn, requests) => {
    const groups = new Map<string, PermissionRequest[]>();
    for (const request of requests) {
      const key = JSON.stringify([request.resource, request.context ?? {}]);
      groups.set(key, [...(groups.get(key) ?? []), request]);
    }
    const denied: { request: PermissionRequest; decision: string }[] = [];
    for (const group of groups.values()) {
      const { resource, context } = group[0]!;
      let marker: string | undefined;
      do {
        const page: SimulatePrincipalPolicyCommandOutput = await client.send(
          new SimulatePrincipalPolicyCommand({
            PolicySourceArn: roleArn,
            ActionNames: [...new Set(group.map((r) => r.action))],
            ResourceArns: [resource],
            ContextEntries: contextEntries(context),
            ...(marker ? { Marker: marker } : {}),
          }),
        );
        for (const result of page.EvaluationResults ?? [])
          if (result.EvalDecision !== "allowed")
            for (const request of group.filter((r) => r.action === result.EvalActionName))
              denied.push({ request, decision: result.EvalDecision ?? "implicitDeny" });
        marker = page.IsTruncated ? page.Marker : undefined;
      } while (marker);
    }
    return denied;
  };
