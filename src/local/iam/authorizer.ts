import { runSimulation, runUnsafeSimulation, type Simulation } from "@cloud-copilot/iam-simulate";
import { ServiceError } from "../../sim/fis";
import { resolveIntrinsics, roleArn, withUndeployedTemplates, type SimulatedNames } from "./resolve";
import type { PolicyDocument, PrincipalName, StackPolicies } from "./stack-policies";

/** One call as IAM sees it: the action, the resource ARN and the request's condition keys. */
export interface IamRequest {
  action: string;
  resource: string;
  context?: Record<string, string | string[]>;
  /** The resource policy AWS evaluates with the caller's own (the report bus's, the report bucket's). */
  resourcePolicy?: "reportBus" | "reportBucket";
  /**
   * The resource is a target of the action, which the IAM action may not name itself (eks:DescribeCluster for a
   * pod): when the action takes no resource of this type, it is authorized on * with the target's tags.
   */
  onTarget?: boolean;
}

/** What AWS answers a denied call with, per service (S3's REST API says AccessDenied, JSON APIs AccessDeniedException). */
const DENIED_ERROR: Record<string, { name: string; status: number }> = {
  s3: { name: "AccessDenied", status: 403 },
};

/** A call the synthesized policies do not allow, named as AWS names it, with the role, action and resource. */
export class AccessDeniedError extends ServiceError {
  constructor(
    readonly principal: PrincipalName,
    readonly roleArn: string,
    readonly request: IamRequest,
    reason: string,
  ) {
    const service = request.action.split(":")[0]!;
    const { name, status } = DENIED_ERROR[service] ?? { name: "AccessDeniedException", status: 400 };
    super(
      service,
      name,
      `${roleArn} (${principal}) is not authorized to perform: ${request.action} on resource: ${request.resource} ` +
        `because ${reason}`,
      status,
    );
  }
}

/**
 * Authorizes each call of a rehearsal against the synthesized stack's policies, as IAM would: the caller's identity
 * policies and, where AWS reads one, the resource's policy (an explicit Deny in either wins). Decisions are cached:
 * a rehearsal asks the same few questions hundreds of times.
 */
export class IamAuthorizer {
  private readonly identity = new Map<PrincipalName, { arn: string; documents: PolicyDocument[] }>();
  private readonly resourcePolicies: Partial<Record<"reportBus" | "reportBucket", PolicyDocument>>;
  private readonly decisions = new Map<string, Promise<string | undefined>>();
  /** Every call asked about, allowed or not: the mutation test reads which statements a rehearsal needs. */
  readonly asked: { principal: PrincipalName; request: IamRequest; denied?: string }[] = [];

  constructor(
    readonly stack: StackPolicies,
    readonly names: SimulatedNames,
  ) {
    for (const [principal, role] of Object.entries(stack.principals) as [
      PrincipalName,
      { roleId: string; documents: PolicyDocument[] },
    ][])
      this.identity.set(principal, { arn: roleArn(names, role.roleId), documents: role.documents });
    this.resourcePolicies = stack.resourcePolicies;
  }

  roleArnOf(principal: PrincipalName): string {
    return (
      this.identity.get(principal)?.arn ?? `arn:${this.names.partition}:iam::${this.names.account}:role/«${principal}»`
    );
  }

  /** Throws AccessDeniedError unless the principal may make the call. */
  async authorize(principal: PrincipalName, request: IamRequest): Promise<void> {
    const key = JSON.stringify([principal, request]);
    let decision = this.decisions.get(key);
    if (!decision) this.decisions.set(key, (decision = this.decide(principal, request)));
    const denied = await decision;
    this.asked.push({ principal, request, ...(denied ? { denied } : {}) });
    if (denied) throw new AccessDeniedError(principal, this.roleArnOf(principal), request, denied);
  }

  /** Whether the call would be allowed, without failing it (S3 asks this of ListBucket for a missing key). */
  async allows(principal: PrincipalName, request: IamRequest): Promise<boolean> {
    try {
      await this.authorize(principal, request);
      return true;
    } catch (error) {
      if (error instanceof AccessDeniedError) return false;
      throw error;
    }
  }

  private async decide(principal: PrincipalName, request: IamRequest): Promise<string | undefined> {
    const caller = this.identity.get(principal);
    if (!caller) return `the synthesized stack has no role for ${principal}`;
    // Resolved at each decision, not once: templates get their simulated ids only as the rehearsal loads them.
    const resolve = (document: PolicyDocument) => {
      // A policy given as JSON text (the report bus's) is text once its intrinsics are resolved.
      const resolved = resolveIntrinsics(document, this.stack, this.names);
      const parsed = (typeof resolved === "string" ? JSON.parse(resolved) : resolved) as PolicyDocument;
      return withUndeployedTemplates(parsed, this.names);
    };
    const resourcePolicy = request.resourcePolicy ? this.resourcePolicies[request.resourcePolicy] : undefined;
    const simulation: Simulation = {
      request: {
        principal: caller.arn,
        action: request.action,
        resource: { resource: request.resource, accountId: this.names.account },
        // IAM fills these from the request itself; the simulator needs them given.
        contextVariables: {
          "aws:PrincipalArn": caller.arn,
          "aws:PrincipalAccount": this.names.account,
          "aws:SecureTransport": "true",
          ...request.context,
        },
      },
      identityPolicies: caller.documents.map((policy, index) => ({
        name: `policy-${index}`,
        policy: resolve(policy),
      })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      ...(resourcePolicy ? { resourcePolicy: resolve(resourcePolicy) } : {}),
    };
    let result = await runSimulation(simulation, {});
    if (request.onTarget && result.resultType === "error") {
      simulation.request.resource.resource = "*";
      result = await runSimulation(simulation, {});
    }
    let overall: string;
    if (result.resultType !== "error") overall = result.overallResult;
    // AWS-owned SSM documents have ARNs without an account (arn:aws:ssm:REGION::document/AWSFIS-…), a form the
    // simulator's resource catalogue does not list; such a request is evaluated without input validation.
    else if (
      JSON.stringify(result.errors).includes("no.resource.types") &&
      /^arn:[^:]+:ssm:[^:]*::document\//.test(request.resource)
    )
      overall = runUnsafeSimulation(simulation, {});
    else return `the request could not be evaluated: ${JSON.stringify(result.errors).slice(0, 300)}`;
    if (overall === "Allowed") return undefined;
    return overall === "ExplicitlyDenied"
      ? "an explicit deny in a policy denies it"
      : `no identity-based policy allows the ${request.action} action`;
  }
}
