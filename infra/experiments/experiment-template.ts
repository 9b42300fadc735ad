import { Arn, ArnFormat, Stack } from "aws-cdk-lib";
import type { IAlarm } from "aws-cdk-lib/aws-cloudwatch";
import { CfnExperimentTemplate } from "aws-cdk-lib/aws-fis";
import type { IRole } from "aws-cdk-lib/aws-iam";
import type { ILogGroup } from "aws-cdk-lib/aws-logs";
import type { IBucket } from "aws-cdk-lib/aws-s3";
import { Construct } from "constructs";
import { formatPath, formatProblem, type Problem } from "../../src/core/problems";
import { checkFisTemplate } from "../../src/core/template/check";
import type { FisTemplate } from "../../src/core/template/schema";
import { GAME_DAY_ERRORS } from "../../src/core/contract/errors";

/** Tag every template the stack deploys carries; the state machine may start only templates with it. */
export const STACK_TAG = "gameday:stack";
/**
 * A template deployed without stop conditions must say why, in this tag: a JSON template sets it itself, and
 * `stopConditions: { waived }` sets it, so the reason stays visible on the template in the FIS console.
 */
export const STOP_CONDITIONS_WAIVED_TAG = "gameday:stop-conditions-waived";

/** What every template of one stack shares. */
export interface ExperimentTemplateContext {
  role: IRole;
  /** Experiment logs (log schema version 2) go here. */
  logGroup: ILogGroup;
  /** FIS experiment reports are written under `fis-reports/<template>/` in this bucket. */
  reportBucket?: IBucket;
}

/** Stop conditions are required: name the alarms, or waive them with a reason that reviewers can read. */
export type StopConditions = { alarms: IAlarm[] } | { waived: string };

export interface ExperimentTemplateProps extends ExperimentTemplateContext {
  /** Template name: the key plans use in `{"template": {"name": ...}}`. */
  name: string;
  /** The template in the public library's JSON format (CreateExperimentTemplate shape). */
  document: FisTemplate;
  /** Where the document came from, for error messages. */
  source: string;
  /** Replaces the document's stop conditions. Without it the document's own are kept. */
  stopConditions?: StopConditions;
  /** Dashboard the FIS experiment report snapshots (the plan's dashboard). */
  dashboardName?: string;
}

export class ExperimentTemplateError extends Error {
  override name = GAME_DAY_ERRORS.invalidTemplate;
  constructor(readonly problems: Problem[]) {
    super(problems.map(formatProblem).join("\n"));
  }
}

/** Account and Region placeholders of the public library's templates, filled with the deploying stack's. */
const ACCOUNT_PLACEHOLDERS = /<YOUR[ -_]AWS[ -_]ACCOUNT>|<YOUR-ACCOUNT-ID>|<ACCOUNT[-_]ID>/g;
const REGION_PLACEHOLDERS = /<YOUR[ -_]REGION>|<REGION>/g;
const LEFTOVER_PLACEHOLDER = /<[A-Z][A-Z0-9 _-]*>|\$\{[^}]+\}/;
/** AWS-owned SSM documents (AWSFIS-Run-CPU-Stress and friends) live in every Region under the same name. */
const AWS_OWNED_DOCUMENT = /^arn:aws[\w-]*:ssm:[a-z0-9-]+::document\//;

/**
 * One FIS experiment template, from a document in the library's JSON format: the stack's role and log group
 * are filled in, placeholders are resolved or refused, stop-condition alarms are looked up by name in the
 * account and Region deployed to, and the result is validated like `gameday validate` does.
 */
export class ExperimentTemplate extends Construct {
  readonly resource: CfnExperimentTemplate;
  readonly templateId: string;
  /** The FIS actions this template runs, for the experiment role's permissions. */
  readonly actionIds: string[];
  readonly document: FisTemplate;

  constructor(scope: Construct, id: string, props: ExperimentTemplateProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const problems: Problem[] = [];
    // Validated with example values in place of the account and Region, deployed with the stack's own.
    const example = fillPlaceholders(
      props.document,
      { account: "123456789012", region: "us-east-1" },
      [],
      problems,
      props.source,
    );
    const check = checkFisTemplate(example);
    problems.push(...check.problems.filter((p) => p.severity === "error").map((p) => ({ ...p, file: props.source })));
    const document = fillPlaceholders(
      props.document,
      { account: stack.account, region: stack.region },
      [],
      [],
      props.source,
    );
    const stopConditions = this.stopConditions(props, document, problems);
    if (problems.length) throw new ExperimentTemplateError(problems);
    this.document = document;
    this.actionIds = Object.values(document.actions).map((a) => a.actionId);

    this.resource = new CfnExperimentTemplate(this, "Resource", {
      description: document.description,
      roleArn: props.role.roleArn,
      targets: Object.fromEntries(
        Object.entries(document.targets).map(([name, t]) => [
          name,
          {
            resourceType: t.resourceType,
            selectionMode: t.selectionMode,
            ...(t.resourceArns ? { resourceArns: t.resourceArns } : {}),
            ...(t.resourceTags ? { resourceTags: t.resourceTags } : {}),
            ...(t.filters ? { filters: t.filters } : {}),
            ...(t.parameters ? { parameters: t.parameters } : {}),
          },
        ]),
      ),
      actions: Object.fromEntries(
        Object.entries(document.actions).map(([name, a]) => [
          name,
          {
            actionId: a.actionId,
            ...(a.description ? { description: a.description } : {}),
            ...(a.parameters ? { parameters: a.parameters } : {}),
            ...(a.targets ? { targets: a.targets } : {}),
            ...(a.startAfter ? { startAfter: a.startAfter } : {}),
          },
        ]),
      ),
      stopConditions: stopConditions.length ? stopConditions : [{ source: "none" }],
      logConfiguration: {
        logSchemaVersion: 2,
        cloudWatchLogsConfiguration: { LogGroupArn: props.logGroup.logGroupArn },
      },
      ...(document.experimentOptions ? { experimentOptions: document.experimentOptions } : {}),
      ...(props.reportBucket
        ? {
            experimentReportConfiguration: {
              outputs: {
                experimentReportS3Configuration: {
                  bucketName: props.reportBucket.bucketName,
                  prefix: `fis-reports/${props.name}/`,
                },
              },
              ...(props.dashboardName
                ? {
                    dataSources: {
                      cloudWatchDashboards: [
                        {
                          dashboardIdentifier: Arn.format(
                            {
                              service: "cloudwatch",
                              region: "",
                              resource: "dashboard",
                              resourceName: props.dashboardName,
                            },
                            stack,
                          ),
                        },
                      ],
                    },
                  }
                : {}),
              preExperimentDuration: "PT10M",
              postExperimentDuration: "PT10M",
            },
          }
        : {}),
      tags: {
        ...(document.tags ?? {}),
        ...(props.stopConditions && "waived" in props.stopConditions
          ? { [STOP_CONDITIONS_WAIVED_TAG]: props.stopConditions.waived }
          : {}),
        Name: props.name,
        [STACK_TAG]: stack.stackName,
      },
    });
    this.templateId = this.resource.ref;
  }

  private stopConditions(props: ExperimentTemplateProps, document: FisTemplate, problems: Problem[]) {
    if (props.stopConditions && "waived" in props.stopConditions) return [];
    if (document.tags?.[STOP_CONDITIONS_WAIVED_TAG]?.trim()) return [];
    if (props.stopConditions) {
      return props.stopConditions.alarms.map((alarm) => ({ source: "aws:cloudwatch:alarm", value: alarm.alarmArn }));
    }
    const conditions = document.stopConditions.filter((c) => c.source !== "none");
    if (!conditions.length) {
      problems.push({
        severity: "error",
        file: props.source,
        path: "stopConditions",
        message:
          "a deployed template needs a CloudWatch alarm stop condition; add one, or if this fault must run " +
          `unguarded, say why in the tag "${STOP_CONDITIONS_WAIVED_TAG}": "<reason>"`,
      });
    }
    return conditions.map((c, i) => ({
      source: c.source,
      value: this.alarmInThisAccount(c.value, props.source, i, problems),
    }));
  }

  /** Alarms are named in the template but live in the account deployed to: keep the name, take the account. */
  private alarmInThisAccount(value: string | undefined, source: string, index: number, problems: Problem[]): string {
    const isAlarmArn = !!value && /^arn:aws[\w-]*:cloudwatch:[^:]*:[^:]*:alarm:.+/.test(value);
    const name = isAlarmArn ? Arn.split(value, ArnFormat.COLON_RESOURCE_NAME).resourceName : undefined;
    if (!value || !name) {
      problems.push({
        severity: "error",
        file: source,
        path: `stopConditions[${index}].value`,
        message: `"${value}" is not a CloudWatch alarm ARN`,
      });
      return value ?? "";
    }
    return Arn.format(
      { service: "cloudwatch", resource: "alarm", resourceName: name, arnFormat: ArnFormat.COLON_RESOURCE_NAME },
      Stack.of(this),
    );
  }
}

interface Environment {
  account: string;
  region: string;
}

function fillPlaceholders<T>(value: T, env: Environment, path: PropertyKey[], problems: Problem[], source: string): T {
  if (typeof value === "string") {
    let filled = value.replace(ACCOUNT_PLACEHOLDERS, env.account).replace(REGION_PLACEHOLDERS, env.region);
    if (AWS_OWNED_DOCUMENT.test(filled)) filled = filled.replace(/:ssm:[a-z0-9-]+::/, `:ssm:${env.region}::`);
    const leftover = LEFTOVER_PLACEHOLDER.exec(
      value.replace(ACCOUNT_PLACEHOLDERS, "").replace(REGION_PLACEHOLDERS, ""),
    );
    if (leftover && path[0] !== "roleArn" && path[0] !== "description") {
      problems.push({
        severity: "error",
        file: source,
        path: formatPath(path),
        message: `placeholder ${leftover[0]} must be replaced with a real value before the template can be deployed`,
      });
    }
    return filled as T;
  }
  if (Array.isArray(value)) return value.map((v, i) => fillPlaceholders(v, env, [...path, i], problems, source)) as T;
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, fillPlaceholders(v, env, [...path, k], problems, source)]),
    ) as T;
  }
  return value;
}
