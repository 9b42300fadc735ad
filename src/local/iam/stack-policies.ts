import { readFileSync } from "node:fs";
import { GAME_DAY_FUNCTION_ENTRIES, type GameDayFunctionKey } from "../../core/contract/functions";

/**
 * Who calls the simulated account in a rehearsal, named as the stack names them: the state machine's role for its
 * SDK tasks and Lambda invocations, each game-day function's role, the report store's and the orphan guard's, and an
 * operator holding the stack's operator policy.
 */
export type PrincipalName =
  | GameDayFunctionKey
  | "StateMachine"
  | "StoreReports"
  | "OrphanGuard"
  | "Experiments"
  /** Whoever runs the gameday CLI with the stack's operator policy attached (a role named `<stack>-operator` here). */
  | "Operator";

export interface PolicyDocument {
  Version?: string;
  Statement: unknown[] | unknown;
}

/** A synthesized stack's policies, still in CloudFormation's terms (intrinsics unresolved): what a cache keeps. */
export interface StackPolicies {
  stackName: string;
  /** Each principal's role: its logical id and every policy document attached to it. */
  principals: Partial<Record<PrincipalName, { roleId: string; documents: PolicyDocument[] }>>;
  /** Resource policies that AWS evaluates with the caller's: the report bus's and the report bucket's. */
  resourcePolicies: { reportBus?: PolicyDocument; reportBucket?: PolicyDocument };
  /** Each resource's type and construct path, so intrinsics resolve to the rehearsal's own names. */
  resources: Record<string, { type: string; path: string }>;
  /** The state machine's name as deployed. */
  stateMachineName: string;
  /** The FIS templates the stack deploys, by the file name (without .json) it deployed each from. */
  deployedTemplates: string[];
}

interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
  Metadata?: Record<string, unknown>;
}

const asList = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** Construct paths (under the stack) of the roles whose calls a rehearsal makes. */
const ROLE_PATHS: Record<Exclude<PrincipalName, "Operator">, string> = {
  ...(Object.fromEntries(
    Object.keys(GAME_DAY_FUNCTION_ENTRIES).map((key) => [key, `Orchestrator/${key}/Role/Resource`]),
  ) as Record<GameDayFunctionKey, string>),
  StateMachine: "Orchestrator/StateMachine/Role/Resource",
  StoreReports: "Reports/Store/Role/Resource",
  OrphanGuard: "OrphanGuard/Guard/Role/Resource",
  Experiments: "ExperimentRole/Role/Resource",
};

export class StackTemplateError extends Error {
  override readonly name = "StackTemplateError";
}

/**
 * Reads the policies a rehearsal enforces out of a synthesized stack template (`cdk.out/<stack>.template.json`).
 * The template must carry construct paths (`npx cdk synth` writes them unless told --no-path-metadata).
 */
export function readStackPolicies(template: { Resources?: Record<string, CfnResource> }, file: string): StackPolicies {
  const resources = template.Resources ?? {};
  const paths = Object.entries(resources).map(([id, r]) => ({ id, resource: r, path: pathOf(r) }));
  if (!paths.some((p) => p.path))
    throw new StackTemplateError(
      `${file}: the template has no construct paths (aws:cdk:path metadata); synthesize it with npx cdk synth, without --no-path-metadata`,
    );
  const machine = paths.find((p) => p.resource.Type === "AWS::StepFunctions::StateMachine");
  if (!machine) throw new StackTemplateError(`${file}: no state machine in this template; is it a gameday stack?`);
  const stackName = machine.path.split("/")[0]!;
  const find = (suffix: string) => paths.find((p) => p.path === `${stackName}/${suffix}`);

  const principals: StackPolicies["principals"] = {};
  for (const [principal, suffix] of Object.entries(ROLE_PATHS) as [PrincipalName, string][]) {
    const role = find(suffix);
    if (!role) continue;
    principals[principal] = { roleId: role.id, documents: documentsOfRole(resources, role.id) };
  }
  const operator = find("Operator/Policy/Resource");
  if (operator?.resource.Type === "AWS::IAM::ManagedPolicy")
    principals.Operator = {
      roleId: `${stackName}-operator`,
      documents: [operator.resource.Properties!.PolicyDocument as PolicyDocument],
    };
  const bus = paths.find((p) => p.path === `${stackName}/Reports/Bus/Resource`);
  const bucketPolicy = paths.find((p) => p.path === `${stackName}/Reports/Bucket/Policy/Resource`);
  return {
    stackName,
    principals,
    resourcePolicies: {
      ...(bus?.resource.Properties?.Policy ? { reportBus: bus.resource.Properties.Policy as PolicyDocument } : {}),
      ...(bucketPolicy ? { reportBucket: bucketPolicy.resource.Properties!.PolicyDocument as PolicyDocument } : {}),
    },
    resources: Object.fromEntries(paths.map((p) => [p.id, { type: p.resource.Type, path: p.path }])),
    stateMachineName: (machine.resource.Properties?.StateMachineName as string | undefined) ?? machine.id,
    deployedTemplates: paths.flatMap((p) => {
      const name = /^[^/]+\/Template-(.+)\/Resource$/.exec(p.path)?.[1];
      return p.resource.Type === "AWS::FIS::ExperimentTemplate" && name ? [name] : [];
    }),
  };
}

const pathOf = (resource: CfnResource) => (resource.Metadata?.["aws:cdk:path"] as string | undefined) ?? "";

/** A role's inline policies, the AWS::IAM::Policy resources naming it and the stack's managed policies it holds. */
function documentsOfRole(resources: Record<string, CfnResource>, roleId: string): PolicyDocument[] {
  const role = resources[roleId]!;
  const namesRole = (roles: unknown) => asList(roles as unknown[]).some((r) => (r as { Ref?: string })?.Ref === roleId);
  const managed = asList(role.Properties?.ManagedPolicyArns as unknown[]).flatMap((arn) => {
    const id = (arn as { Ref?: string })?.Ref;
    const policy = id ? resources[id] : undefined;
    return policy?.Type === "AWS::IAM::ManagedPolicy" ? [policy.Properties!.PolicyDocument as PolicyDocument] : [];
  });
  return [
    ...asList(role.Properties?.Policies as { PolicyDocument: PolicyDocument }[]).map((p) => p.PolicyDocument),
    ...Object.values(resources)
      .filter((r) => r.Type === "AWS::IAM::Policy" && namesRole(r.Properties?.Roles))
      .map((r) => r.Properties!.PolicyDocument as PolicyDocument),
    ...Object.values(resources)
      .filter((r) => r.Type === "AWS::IAM::ManagedPolicy" && namesRole(r.Properties?.Roles))
      .map((r) => r.Properties!.PolicyDocument as PolicyDocument),
    ...managed,
  ];
}

/** Reads a synthesized stack template file; a StackTemplateError names the file and what is wrong. */
export function loadStackPolicies(file: string): StackPolicies {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new StackTemplateError(`${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"})`);
  }
  let template: unknown;
  try {
    template = JSON.parse(text);
  } catch (error) {
    throw new StackTemplateError(`${file}: not JSON (${(error as Error).message})`);
  }
  if (!template || typeof template !== "object" || !("Resources" in template))
    throw new StackTemplateError(`${file}: not a CloudFormation template (no Resources)`);
  return readStackPolicies(template as { Resources: Record<string, CfnResource> }, file);
}
