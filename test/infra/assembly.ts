import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gameDayApp, type GameDayAppOptions } from "../../infra/app";
import { SYNTH_WITHOUT_BUNDLING } from "../../infra/policy-template";
import { inject } from "vitest";

export interface CfnResource {
  Type: string;
  Properties?: any;
  Metadata?: Record<string, any>;
  DependsOn?: string[];
}

export interface CfnTemplate {
  Resources: Record<string, CfnResource>;
  Outputs: Record<string, { Value: unknown; Description?: string }>;
}

/** The default stack as `npx cdk synth` writes it, synthesized once by global-synth.ts. */
export function synthesizedStack(): { template: CfnTemplate; directory: string } {
  const directory = inject("cloudAssembly");
  const template = JSON.parse(readFileSync(join(directory, "GameDay.template.json"), "utf8")) as CfnTemplate;
  return { template, directory };
}

export const resourcesOfType = (template: CfnTemplate, type: string) =>
  Object.entries(template.Resources).filter(([, r]) => r.Type === type);

/** The logical id of the resource whose construct path is `path` (e.g. "GameDay/Orchestrator/StateMachine/Resource"). */
export function logicalIdAt(template: CfnTemplate, path: string): string {
  const found = Object.entries(template.Resources).find(([, r]) => r.Metadata?.["aws:cdk:path"] === path);
  if (!found) throw new Error(`no resource at ${path}`);
  return found[0];
}

/**
 * Resolves CloudFormation intrinsics to strings as a deployment would, with every unknown value spelled as
 * `«LogicalId.Attribute»` or `«LogicalId»`: two sides resolved the same way can be compared and glob-matched.
 */
export function resolveIntrinsics(value: unknown, overrides: Record<string, string> = {}): any {
  if (Array.isArray(value)) return value.map((v) => resolveIntrinsics(v, overrides));
  if (value === null || typeof value !== "object") return value;
  const object = value as Record<string, unknown>;
  if ("Ref" in object) {
    const name = object.Ref as string;
    return (
      overrides[name] ??
      { "AWS::Partition": "aws", "AWS::Region": "eu-west-1", "AWS::AccountId": "111122223333" }[name] ??
      `«${name}»`
    );
  }
  if ("Fn::GetAtt" in object) {
    const [id, attribute] = object["Fn::GetAtt"] as [string, string];
    return overrides[`${id}.${attribute}`] ?? `«${id}.${attribute}»`;
  }
  if ("Fn::Join" in object) {
    const [separator, parts] = object["Fn::Join"] as [string, unknown[]];
    return parts.map((p) => resolveIntrinsics(p, overrides)).join(separator);
  }
  if ("Fn::Select" in object) {
    const [index, list] = object["Fn::Select"] as [number, unknown];
    return (resolveIntrinsics(list, overrides) as unknown[])[index];
  }
  if ("Fn::Split" in object) {
    const [separator, text] = object["Fn::Split"] as [string, unknown];
    return (resolveIntrinsics(text, overrides) as string).split(separator);
  }
  const intrinsic = Object.keys(object).find((k) => k.startsWith("Fn::"));
  if (intrinsic) throw new Error(`resolveIntrinsics does not know ${intrinsic}`);
  return Object.fromEntries(Object.entries(object).map(([k, v]) => [k, resolveIntrinsics(v, overrides)]));
}

export interface Statement {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Action: string[];
  Resource: string[];
  Condition?: Record<string, Record<string, unknown>>;
}

const asList = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** Every statement attached to the role `roleId`: its inline policies and each AWS::IAM::Policy naming it. */
export function statementsOfRole(template: CfnTemplate, roleId: string): Statement[] {
  const role = template.Resources[roleId];
  if (role?.Type !== "AWS::IAM::Role") throw new Error(`${roleId} is not a role`);
  if (asList(role.Properties.ManagedPolicyArns).length)
    throw new Error(`${roleId} has managed policies, which this check cannot read`);
  const documents = [
    ...asList<any>(role.Properties.Policies).map((p) => p.PolicyDocument),
    ...resourcesOfType(template, "AWS::IAM::Policy")
      .filter(([, p]) => asList<any>(p.Properties.Roles).some((r) => r.Ref === roleId))
      .map(([, p]) => p.Properties.PolicyDocument),
  ];
  return documents.flatMap((d) =>
    asList<any>(d.Statement).map((s) => ({
      ...s,
      Action: asList<string>(s.Action),
      Resource: asList(resolveIntrinsics(s.Resource)) as string[],
    })),
  );
}

const glob = (pattern: string) =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*")
      .replace(/\?/g, ".")}$`,
    "i",
  );

/** The Allow statements granting `action` on `resource` (resource "*" asks: on some resource). */
export function grantsOf(statements: Statement[], action: string, resource = "*"): Statement[] {
  if (statements.some((s) => s.Effect === "Deny")) throw new Error("Deny statements are not modelled here");
  return statements.filter(
    (s) =>
      s.Effect === "Allow" &&
      s.Action.some((a) => glob(a).test(action)) &&
      (resource === "*" || s.Resource.some((r) => glob(r).test(resource))),
  );
}

/** SDK commands the SDK sends on its own (credentials, endpoint discovery, S3 Express sessions), never gameday. */
const SDK_INTERNAL = new Set(["dynamodb:DescribeEndpoints", "s3:CreateSession"]);
const SDK_INTERNAL_CLIENTS = new Set(["sso", "sso-oidc", "sts", "cognito-identity"]);

/**
 * The AWS SDK commands a bundle holds, as IAM actions (`PutObjectCommand` → `s3:PutObject`), read from esbuild's
 * metafile: a command's module contributes bytes to the output only when the handler's code reaches it.
 */
export function sdkActionsOfMetafile(metafile: {
  outputs: Record<string, { inputs: Record<string, { bytesInOutput: number }> }>;
}): string[] {
  const prefixes: Record<string, string> = {
    cloudwatch: "cloudwatch",
    xray: "xray",
    fis: "fis",
    s3: "s3",
    eventbridge: "events",
    sfn: "states",
    dynamodb: "dynamodb",
    "resource-groups-tagging-api": "tag",
    ssm: "ssm",
    iam: "iam",
  };
  const actions = new Set<string>();
  for (const output of Object.values(metafile.outputs))
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const match = /@aws-sdk\/client-([a-z0-9-]+)\/dist-(?:es|cjs)\/commands\/(\w+)Command\.js$/.exec(input);
      if (!match || bytesInOutput === 0 || SDK_INTERNAL_CLIENTS.has(match[1]!)) continue;
      const prefix = prefixes[match[1]!];
      if (!prefix) throw new Error(`no IAM prefix known for @aws-sdk/client-${match[1]}`);
      const action = `${prefix}:${match[2]}`;
      if (!SDK_INTERNAL.has(action)) actions.add(action);
    }
  return [...actions].sort();
}

/**
 * Synthesizes the app as a test needs it, without bundling the functions (nothing these tests read depends on the
 * bundles) and with construct paths, and answers the default stack's template.
 */
export function synthesizeWithoutBundling(options: Omit<GameDayAppOptions, "outdir" | "context">): CfnTemplate {
  const outdir = mkdtempSync(join(tmpdir(), "gameday-synth-"));
  try {
    gameDayApp({
      cloudFormationValidation: false,
      ...options,
      outdir,
      context: SYNTH_WITHOUT_BUNDLING,
    }).app.synth();
    return JSON.parse(readFileSync(join(outdir, `${options.stackName ?? "GameDay"}.template.json`), "utf8"));
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
