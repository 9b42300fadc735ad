import { Aws, Stack } from "aws-cdk-lib";
import { Effect, PolicyStatement, Role, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import type { IBucket } from "aws-cdk-lib/aws-s3";
import { Construct } from "constructs";
import type { ExperimentTemplate } from "./experiment-template";
import { acknowledge, nagArnOf } from "../nag";
import { FIS_ACTION_PERMISSIONS, fillArnPattern, TAG_RESOLUTION } from "../../src/core/catalog/fis-permissions";

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
    const unscopedWrites = new Map<string, string>();
    const onResources = new Map<
      string,
      { resource: string; conditions?: Record<string, Record<string, string>>; actions: Set<string>; why: Set<string> }
    >();
    const passRoles = new Set<string>();
    let byTags = false;
    for (const template of templates) {
      for (const target of Object.values(template.document.targets)) if (target.resourceTags) byTags = true;
      for (const action of Object.values(template.document.actions)) {
        const permissions = FIS_ACTION_PERMISSIONS[action.actionId];
        if (!permissions) {
          throw new Error(
            `No IAM permissions are known for FIS action ${action.actionId} (template ${template.node.id}); ` +
              "add them to src/core/catalog/fis-permissions.ts so the experiment role can run it.",
          );
        }
        permissions.taggedResources.forEach((a) => tagged.add(a));
        permissions.unscoped.forEach((a) => unscoped.add(a));
        for (const write of permissions.unscopedWrites ?? [])
          write.actions.forEach((a) => unscopedWrites.set(a, write.why));
        for (const grant of permissions.onResources ?? []) {
          for (const resource of grant.resources) {
            const key = JSON.stringify([resource, grant.conditions ?? null]);
            const entry = onResources.get(key) ?? {
              resource,
              ...(grant.conditions ? { conditions: grant.conditions } : {}),
              actions: new Set(),
              why: new Set(),
            };
            grant.actions.forEach((a) => entry.actions.add(a));
            entry.why.add(grant.why);
            onResources.set(key, entry);
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
    for (const [action, why] of unscopedWrites) {
      // A write on *, in a statement of its own so a reviewer sees it apart from the lookups, with its reason.
      this.role.addToPolicy(
        new PolicyStatement({ sid: `Unscoped${action.replace(/\W/g, "")}`, actions: [action], resources: ["*"] }),
      );
      acknowledge(this.role, `IAM5[Action::${action}]`, `${action} ${why}.`);
    }
    for (const { resource, conditions, actions, why } of onResources.values()) {
      if (resource.includes("${ReportBucketArn}") && !reportBucket)
        throw new Error(`${resource} needs the stack's report bucket; pass it to grantTemplates`);
      const bucketArn = reportBucket ? { ReportBucketArn: reportBucket.bucketArn } : {};
      const bucketNag = reportBucket ? { ReportBucketArn: nagArnOf(reportBucket) } : {};
      acknowledge(
        this.role,
        `IAM5[Resource::${fillArnPattern(resource, { ...NAG_PSEUDO_PARAMETERS, ...bucketNag })}]`,
        `${[...actions].join(", ")} on ${[...why].join("; ")}.`,
      );
      this.role.addToPolicy(
        new PolicyStatement({
          actions: [...actions].sort(),
          resources: [
            fillArnPattern(resource, {
              Partition: Aws.PARTITION,
              Region: Aws.REGION,
              Account: Aws.ACCOUNT_ID,
              ...bucketArn,
            }),
          ],
          ...(conditions ? { conditions } : {}),
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
    // CloudWatch Logs' vended-log delivery needs logs:PutResourcePolicy and DescribeResourcePolicies on *: a log
    // group's resource policy is an account-level object with no ARN to scope to.
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
        "Describe*/List*), SSM command follow-up (ListCommands; CancelCommand in its own statement), Logs " +
        "delivery set-up (logs:PutResourcePolicy: log resource policies are account-level and have no ARN), and " +
        "the dashboard snapshot of FIS reports.",
    );
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

/** cdk-nag spells the stack's pseudo parameters this way inside a finding id. */
const NAG_PSEUDO_PARAMETERS = { Partition: "<AWS::Partition>", Region: "<AWS::Region>", Account: "<AWS::AccountId>" };

function automationAssumeRole(documentParameters: string | undefined): string | undefined {
  if (!documentParameters) return undefined;
  try {
    const role = (JSON.parse(documentParameters) as { AutomationAssumeRole?: unknown }).AutomationAssumeRole;
    return typeof role === "string" ? role : undefined;
  } catch {
    return undefined;
  }
}
