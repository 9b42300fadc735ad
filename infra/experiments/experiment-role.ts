import { Aws, Stack } from "aws-cdk-lib";
import { Effect, PolicyStatement, Role, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import type { IBucket } from "aws-cdk-lib/aws-s3";
import { Construct } from "constructs";
import type { ExperimentTemplate } from "./experiment-template";
import { acknowledge, nagArnOf } from "../nag";
import { FIS_ACTION_PERMISSIONS, SSM_FIS_DOCUMENTS, SSM_MANAGED_INSTANCES, TAG_RESOLUTION } from "./permissions";

/** Resources opt in to faults by carrying this tag; the experiment role can touch nothing else. */
export interface OptInTag {
  key: string;
  value: string;
}

export const DEFAULT_OPT_IN_TAG: OptInTag = { key: "FIS-Ready", value: "True" };

export interface ExperimentRoleProps {
  optInTag?: OptInTag;
}

/**
 * The one role FIS assumes for every template of the stack. Its permissions are derived from the actions the
 * templates use (`grantTemplates`), and every mutating call is limited to resources carrying the opt-in tag.
 */
export class ExperimentRole extends Construct {
  readonly role: Role;
  readonly optInTag: OptInTag;

  constructor(scope: Construct, id: string, props: ExperimentRoleProps = {}) {
    super(scope, id);
    this.optInTag = props.optInTag ?? DEFAULT_OPT_IN_TAG;
    const stack = Stack.of(this);
    this.role = new Role(this, "Role", {
      description: "Assumed by AWS FIS to run the game-day stack's experiment templates",
      assumedBy: new ServicePrincipal("fis.amazonaws.com", {
        conditions: { StringEquals: { "aws:SourceAccount": stack.account } },
      }),
    });
  }

  /** Adds what the templates' actions need; call once with every template of the stack. */
  grantTemplates(templates: ExperimentTemplate[], reportBucket?: IBucket): void {
    const tagged = new Set<string>();
    const unscoped = new Set<string>();
    const onResources = new Map<string, Set<string>>();
    const passRoles = new Set<string>();
    let byTags = false;
    for (const template of templates) {
      for (const target of Object.values(template.document.targets)) if (target.resourceTags) byTags = true;
      for (const action of Object.values(template.document.actions)) {
        const permissions = FIS_ACTION_PERMISSIONS[action.actionId];
        if (!permissions) {
          throw new Error(
            `No IAM permissions are known for FIS action ${action.actionId} (template ${template.node.id}); ` +
              "add them to infra/experiments/permissions.ts so the experiment role can run it.",
          );
        }
        permissions.taggedResources.forEach((a) => tagged.add(a));
        permissions.unscoped.forEach((a) => unscoped.add(a));
        for (const grant of permissions.onResources ?? []) {
          for (const resource of grant.resources) {
            const set = onResources.get(resource) ?? new Set();
            grant.actions.forEach((a) => set.add(a));
            onResources.set(resource, set);
          }
        }
        const automationRole = automationAssumeRole(action.parameters?.documentParameters);
        if (action.actionId === "aws:ssm:start-automation-execution" && automationRole) passRoles.add(automationRole);
      }
    }
    if (byTags) TAG_RESOLUTION.forEach((a) => unscoped.add(a));
    if (tagged.size) {
      this.role.addToPolicy(
        new PolicyStatement({
          sid: "FaultsOnOptedInResourcesOnly",
          actions: [...tagged].sort(),
          resources: ["*"],
          conditions: { StringEquals: { [`aws:ResourceTag/${this.optInTag.key}`]: this.optInTag.value } },
        }),
      );
    }
    if (unscoped.size) {
      this.role.addToPolicy(
        new PolicyStatement({ sid: "ReadOnlyLookups", actions: [...unscoped].sort(), resources: ["*"] }),
      );
    }
    for (const [resource, actions] of onResources) {
      this.role.addToPolicy(
        new PolicyStatement({
          actions: [...actions].sort(),
          resources: [
            resource
              .replace("${Partition}", Aws.PARTITION)
              .replace("${Region}", Aws.REGION)
              .replace("${Account}", Aws.ACCOUNT_ID),
          ],
        }),
      );
    }
    if (passRoles.size) {
      this.role.addToPolicy(
        new PolicyStatement({
          actions: ["iam:PassRole"],
          resources: [...passRoles],
          conditions: { StringEquals: { "iam:PassedToService": "ssm.amazonaws.com" } },
        }),
      );
    }
    // Experiment logs: FIS creates the log delivery with the experiment role (FIS user guide, experiment logging).
    this.role.addToPolicy(
      new PolicyStatement({
        sid: "ExperimentLogDelivery",
        actions: [
          "logs:CreateLogDelivery",
          "logs:PutResourcePolicy",
          "logs:DescribeResourcePolicies",
          "logs:DescribeLogGroups",
        ],
        resources: ["*"],
      }),
    );
    acknowledge(
      this.role,
      "IAM5[Resource::*]",
      "Fault actions on * are conditioned on the opt-in tag (FaultsOnOptedInResourcesOnly). The rest take no " +
        "resource-level permissions or must see every candidate: target resolution (tag:GetResources, " +
        "Describe*/List*), SSM command follow-up, Logs delivery set-up, and the dashboard snapshot of FIS reports.",
    );
    if (onResources.has(SSM_FIS_DOCUMENTS)) {
      acknowledge(
        this.role,
        "IAM5[Resource::arn:<AWS::Partition>:ssm:<AWS::Region>::document/AWSFIS-*]",
        "The AWS-owned FIS SSM documents (AWSFIS-Run-CPU-Stress and its siblings) that the templates' " +
          "aws:ssm:send-command actions run; the instances they run on must carry the opt-in tag.",
      );
    }
    if (onResources.has(SSM_MANAGED_INSTANCES)) {
      acknowledge(
        this.role,
        "IAM5[Resource::arn:<AWS::Partition>:ssm:<AWS::Region>:<AWS::AccountId>:managed-instance/*]",
        "ECS task faults run the FIS documents through the SSM agent sidecar of each targeted task, which " +
          "registers as an untagged managed instance; the tasks themselves are chosen by the template's targets.",
      );
    }
    if (reportBucket) {
      acknowledge(
        this.role,
        `IAM5[Resource::${nagArnOf(reportBucket)}/fis-reports/*]`,
        "FIS writes each experiment report under fis-reports/<template>/ with keys it chooses at run time.",
      );
      this.role.addToPolicy(
        new PolicyStatement({
          sid: "ExperimentReports",
          effect: Effect.ALLOW,
          actions: ["s3:PutObject", "s3:GetObject"],
          resources: [reportBucket.arnForObjects("fis-reports/*")],
        }),
      );
      this.role.addToPolicy(
        new PolicyStatement({
          sid: "ExperimentReportDashboards",
          actions: ["cloudwatch:GetDashboard", "cloudwatch:GetMetricWidgetImage"],
          resources: ["*"],
        }),
      );
    }
  }
}

function automationAssumeRole(documentParameters: string | undefined): string | undefined {
  if (!documentParameters) return undefined;
  try {
    const role = (JSON.parse(documentParameters) as { AutomationAssumeRole?: unknown }).AutomationAssumeRole;
    return typeof role === "string" ? role : undefined;
  } catch {
    return undefined;
  }
}
