import { isTerminal } from "../../core/ports";
import type { SimulatedAccount } from "../../sim/account";
import type { IamAuthorizer, IamRequest } from "./authorizer";
import { bucketArn, busArn, tableArn, type SimulatedNames } from "./resolve";
import type { PrincipalName } from "./stack-policies";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a port method of any signature
type Method = (...args: any[]) => Promise<unknown>;
type Rules<T> = { [K in keyof T]?: T[K] extends Method ? (...args: Parameters<T[K]>) => IamRequest[] : never };

/**
 * The IAM requests each port call makes in AWS, as the adapters in src/aws send them (one SDK command per port
 * method; the resource and condition keys as the Service Authorization Reference lists them for that action).
 */
export function iamCalls(names: SimulatedNames, account: SimulatedAccount) {
  const { partition, region } = names;
  const arn = (service: string, resource: string) =>
    `arn:${partition}:${service}:${region}:${names.account}:${resource}`;
  const anything = (action: string): IamRequest[] => [{ action, resource: "*" }];
  /** FIS authorizes calls on an experiment with its tags as aws:ResourceTag/* keys. */
  const onExperiment = (action: string, id: string): IamRequest[] => [
    {
      action,
      resource: arn("fis", `experiment/${id}`),
      context: resourceTags(account.fis.experiments.get(id)?.tags ?? {}),
    },
  ];
  const object = (action: string, key: string): IamRequest[] => [
    { action, resource: `${bucketArn(names)}/${key}`, resourcePolicy: "reportBucket" },
  ];
  return {
    metrics: {
      query: () => anything("cloudwatch:GetMetricData"),
      alarmStates: (alarmNames: string[]) =>
        alarmNames.map((name) => ({
          action: "cloudwatch:DescribeAlarms",
          resource: arn("cloudwatch", `alarm:${name}`),
        })),
      alarmHistory: (name: string) => [
        { action: "cloudwatch:DescribeAlarmHistory", resource: arn("cloudwatch", `alarm:${name}`) },
      ],
    },
    traces: {
      serviceGraph: () => anything("xray:GetServiceGraph"),
      entityTimeSeries: () => anything("xray:GetTimeSeriesServiceStatistics"),
      filteredStatistics: () => anything("xray:GetTraceSummaries"),
    },
    experiments: {
      get: (id: string) => onExperiment("fis:GetExperiment", id),
      // The Service Authorization Reference lists no condition key for this action: no resource tags are given,
      // so a grant conditioned on them is denied here as it may be on AWS.
      resolvedTargets: (id: string) => [
        { action: "fis:ListExperimentResolvedTargets", resource: arn("fis", `experiment/${id}`) },
      ],
      stop: (id: string) => onExperiment("fis:StopExperiment", id),
      // FIS cannot filter its list by tag: the adapter pages through ListExperiments, then GetExperiment of each match.
      listTagged: (tagKey: string, tagValue: string, alsoTagged: Record<string, string> = {}) => [
        ...anything("fis:ListExperiments"),
        ...account.fis
          .matching(tagKey, alsoTagged, (e) => e.tags[tagKey] === tagValue)
          .flatMap((e) => onExperiment("fis:GetExperiment", e.id)),
      ],
      // Summaries only: no experiment is read in full.
      liveSummaries: () => anything("fis:ListExperiments"),
      listLive: (tagKey: string, alsoTagged: Record<string, string> = {}) => [
        ...anything("fis:ListExperiments"),
        ...account.fis
          .matching(tagKey, alsoTagged, (e) => !isTerminal(e.status))
          .flatMap((e) => onExperiment("fis:GetExperiment", e.id)),
      ],
    },
    locks: {
      take: () => [{ action: "dynamodb:PutItem", resource: tableArn(names) }],
      release: () => [{ action: "dynamodb:DeleteItem", resource: tableArn(names) }],
      heldBy: () => [{ action: "dynamodb:Query", resource: `${tableArn(names)}/index/byHolder` }],
    },
    targets: {
      templateTargets: (templateId: string) => [
        { action: "fis:GetExperimentTemplate", resource: arn("fis", `experiment-template/${templateId}`) },
      ],
      taggedResources: () => anything("tag:GetResources"),
      taggedResourcesWithTags: () => anything("tag:GetResources"),
    },
    mutes: {
      // CloudWatch authorizes a mute rule on the rule and on each alarm it targets (PutAlarmMuteRule).
      mute: (rule: string, alarms: readonly string[]) => [
        { action: "cloudwatch:PutAlarmMuteRule", resource: arn("cloudwatch", `alarm-mute-rule:${rule}`) },
        ...alarms.map((alarm) => ({
          action: "cloudwatch:PutAlarmMuteRule",
          resource: arn("cloudwatch", `alarm:${alarm}`),
        })),
      ],
      unmute: (rule: string) => [
        { action: "cloudwatch:DeleteAlarmMuteRule", resource: arn("cloudwatch", `alarm-mute-rule:${rule}`) },
      ],
    },
    traceDestination: {
      current: () => [...anything("xray:GetTraceSegmentDestination"), ...anything("xray:GetIndexingRules")],
    },
    permissions: {
      templateActions: (templateId: string) => [
        { action: "fis:GetExperimentTemplate", resource: arn("fis", `experiment-template/${templateId}`) },
      ],
      denied: (roleArn: string) => [{ action: "iam:SimulatePrincipalPolicy", resource: roleArn }],
    },
    calendars: {
      // A calendar named by ARN is that document; by name, the account's own.
      state: (calendar: string) => [
        {
          action: "ssm:GetCalendarState",
          resource: calendar.startsWith("arn:") ? calendar : arn("ssm", `document/${calendar}`),
        },
      ],
    },
    reports: {
      put: (key: string) => object("s3:PutObject", key),
      putIfAbsent: (key: string) => object("s3:PutObject", key),
      get: (key: string) => object("s3:GetObject", key),
    },
    publisher: {
      publish: () => [{ action: "events:PutEvents", resource: busArn(names), resourcePolicy: "reportBus" as const }],
    },
    executions: {
      describe: (name: string) => [
        { action: "states:DescribeExecution", resource: executionArn(names.stateMachineArn, name) },
      ],
      listEnded: () => [{ action: "states:ListExecutions", resource: names.stateMachineArn }],
      builtReport: (name: string) => [
        { action: "states:GetExecutionHistory", resource: executionArn(names.stateMachineArn, name) },
      ],
    },
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each call takes its port method's arguments
  } satisfies Record<string, Record<string, (...args: any[]) => IamRequest[]>>;
}

const executionArn = (stateMachineArn: string, name: string) =>
  `${stateMachineArn.replace(":stateMachine:", ":execution:")}:${name}`;

export const resourceTags = (tags: Record<string, string>) =>
  Object.fromEntries(Object.entries(tags).map(([k, v]) => [`aws:ResourceTag/${k}`, v]));

export const requestTags = (tags: Record<string, string>): Record<string, string | string[]> => ({
  ...Object.fromEntries(Object.entries(tags).map(([k, v]) => [`aws:RequestTag/${k}`, v])),
  "aws:TagKeys": Object.keys(tags),
});

/** The port with each listed method authorized first, as the principal: a denied call never reaches the account. */
export function authorized<T extends object>(
  port: T,
  rules: Rules<T>,
  principal: PrincipalName,
  iam: IamAuthorizer,
): T {
  const wrapped = Object.create(port) as T;
  for (const [method, requestsOf] of Object.entries(rules) as [keyof T, (...args: unknown[]) => IamRequest[]][]) {
    const call = (port[method] as Method).bind(port);
    (wrapped as Record<keyof T, Method>)[method] = async (...args: unknown[]) => {
      for (const request of requestsOf(...args)) await iam.authorize(principal, request);
      return call(...args);
    };
  }
  return wrapped;
}

/**
 * The report bucket as S3 answers a caller: GetObject of a missing key is 404 only to a caller that may also
 * ListBucket; to any other it is 403 AccessDenied (S3 API Reference, GetObject: "If you don't have the
 * s3:ListBucket permission, Amazon S3 returns an HTTP status code 403 Access Denied error"). Whether a ListBucket
 * grant limited by `s3:prefix` counts is not documented, so the request carries no prefix: such a grant does not.
 */
export function reportBucketAs<T extends { get(key: string): Promise<string | undefined> }>(
  bucket: T,
  calls: ReturnType<typeof iamCalls>["reports"],
  principal: PrincipalName,
  iam: IamAuthorizer,
  names: SimulatedNames,
): T {
  const guarded = authorized(bucket, calls as unknown as Rules<T>, principal, iam);
  const get = guarded.get.bind(guarded);
  return Object.assign(Object.create(guarded) as T, {
    async get(key: string) {
      const body = await get(key);
      if (body !== undefined) return body;
      await iam.authorize(principal, {
        action: "s3:ListBucket",
        resource: bucketArn(names),
        resourcePolicy: "reportBucket",
      });
      return undefined;
    },
  });
}
