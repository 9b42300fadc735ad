import type { PolicyDocument, StackPolicies } from "./stack-policies";

/** The names a rehearsal gives the stack's resources, so the synthesized policies speak of the simulated ones. */
export interface SimulatedNames {
  partition: string;
  region: string;
  account: string;
  stateMachineArn: string;
  reportBucket: string;
  lockTable: string;
  reportBus: string;
  /** A game-day function's ARN as the rehearsal's ASL names it. */
  functionArn(key: string): string;
  /** The id the simulated FIS gave the template the stack deploys as `Template-<name>`, if the rehearsal loaded it. */
  templateId(name: string): string | undefined;
  /**
   * Templates the rehearsal loaded that the synthesized stack does not deploy. They are granted as the stack grants
   * the templates it deploys: the stack synthesized with them (`-c templates=DIR`) would. The CLI says which.
   */
  undeployedTemplateIds(): string[];
}

/**
 * Adds the undeployed templates to every statement that lists the stack's own templates, as a synthesis with
 * those templates would.
 */
export function withUndeployedTemplates(document: PolicyDocument, names: SimulatedNames): PolicyDocument {
  const extra = names.undeployedTemplateIds();
  if (!extra.length) return document;
  const templateArn = (id: string) =>
    `arn:${names.partition}:fis:${names.region}:${names.account}:experiment-template/${id}`;
  const statements = Array.isArray(document.Statement) ? document.Statement : [document.Statement];
  return {
    ...document,
    Statement: (statements as Record<string, unknown>[]).map((statement) => {
      const resources: unknown[] = Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];
      const listsTemplates = resources.some((r) => typeof r === "string" && /:experiment-template\/(?!\*)/.test(r));
      return listsTemplates ? { ...statement, Resource: [...resources, ...extra.map(templateArn)] } : statement;
    }),
  };
}

export const bucketArn = (names: SimulatedNames) => `arn:${names.partition}:s3:::${names.reportBucket}`;
export const busArn = (n: SimulatedNames) =>
  `arn:${n.partition}:events:${n.region}:${n.account}:event-bus/${n.reportBus}`;
export const tableArn = (n: SimulatedNames) =>
  `arn:${n.partition}:dynamodb:${n.region}:${n.account}:table/${n.lockTable}`;

/**
 * Resolves CloudFormation intrinsics in a policy to the rehearsal's names. A resource the rehearsal has no
 * counterpart for resolves to `«LogicalId.Attribute»`, which no request ever matches: harsher, never kinder.
 */
export function resolveIntrinsics(value: unknown, stack: StackPolicies, names: SimulatedNames): unknown {
  const recurse = (v: unknown): unknown => resolveIntrinsics(v, stack, names);
  if (Array.isArray(value)) return value.map(recurse);
  if (value === null || typeof value !== "object") return value;
  const object = value as Record<string, unknown>;
  if ("Ref" in object) return reference(object.Ref as string, undefined, stack, names);
  if ("Fn::GetAtt" in object) {
    const [id, attribute] = object["Fn::GetAtt"] as [string, string];
    return reference(id, attribute, stack, names);
  }
  if ("Fn::Join" in object) {
    const [separator, parts] = object["Fn::Join"] as [string, unknown[]];
    return (recurse(parts) as unknown[]).join(separator);
  }
  if ("Fn::Select" in object) {
    const [index, list] = object["Fn::Select"] as [number, unknown];
    return (recurse(list) as unknown[])[index];
  }
  if ("Fn::Split" in object) {
    const [separator, text] = object["Fn::Split"] as [string, unknown];
    return (recurse(text) as string).split(separator);
  }
  if ("Fn::Sub" in object) {
    const [text, variables = {}] = (Array.isArray(object["Fn::Sub"]) ? object["Fn::Sub"] : [object["Fn::Sub"]]) as [
      string,
      Record<string, unknown>,
    ];
    return text.replace(/\$\{([^}]+)\}/g, (_, name: string) => {
      if (name in variables) return String(recurse(variables[name]));
      const [id, attribute] = name.split(".");
      return String(reference(id!, attribute, stack, names));
    });
  }
  return Object.fromEntries(Object.entries(object).map(([k, v]) => [k, recurse(v)]));
}

function reference(id: string, attribute: string | undefined, stack: StackPolicies, names: SimulatedNames): string {
  const pseudo: Record<string, string> = {
    "AWS::Partition": names.partition,
    "AWS::Region": names.region,
    "AWS::AccountId": names.account,
    "AWS::StackName": stack.stackName,
    "AWS::StackId": stackIdOf(stack, names),
    "AWS::URLSuffix": "amazonaws.com",
  };
  if (pseudo[id]) return pseudo[id];
  const unknown = `«${id}${attribute ? `.${attribute}` : ""}»`;
  const resource = stack.resources[id];
  if (!resource) return unknown;
  const { partition, region, account } = names;
  const under = resource.path.slice(stack.stackName.length + 1);
  switch (resource.type) {
    case "AWS::StepFunctions::StateMachine":
      return attribute === "Name" ? names.stateMachineArn.split(":").pop()! : names.stateMachineArn;
    case "AWS::S3::Bucket":
      if (under !== "Reports/Bucket/Resource") return unknown;
      return attribute === "Arn" ? bucketArn(names) : names.reportBucket;
    case "AWS::DynamoDB::Table":
      return attribute === "Arn" ? tableArn(names) : names.lockTable;
    case "AWS::Events::EventBus":
      return attribute === "Arn" ? busArn(names) : names.reportBus;
    case "AWS::Lambda::Function": {
      const key = /^Orchestrator\/(\w+)\/Function\/Resource$/.exec(under)?.[1];
      const arn = key ? names.functionArn(key) : `arn:${partition}:lambda:${region}:${account}:function:${id}`;
      return attribute === "Arn" ? arn : arn.split(":").pop()!;
    }
    case "AWS::FIS::ExperimentTemplate": {
      const name = /^Template-(.+)\/Resource$/.exec(under)?.[1];
      return (name && names.templateId(name)) ?? unknown;
    }
    case "AWS::IAM::Role":
      return attribute === "Arn" ? roleArn(names, id) : id;
    default:
      return unknown;
  }
}

/** The stack's id as CloudFormation would give it in the simulated account (the trailing id is fixed). */
export const stackIdOf = (stack: Pick<StackPolicies, "stackName">, names: SimulatedNames) =>
  `arn:${names.partition}:cloudformation:${names.region}:${names.account}:stack/${stack.stackName}/5f0e1c70-c9a1-11f0-8de9-0242ac120002`;

export const roleArn = (names: SimulatedNames, roleId: string) =>
  `arn:${names.partition}:iam::${names.account}:role/${roleId}`;
