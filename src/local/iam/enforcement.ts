import type { SimulatedAccount } from "../../sim/account";
import { AccessDeniedError, IamAuthorizer, type IamRequest } from "./authorizer";
import { experimentRoleRequests } from "./experiment-role";
import { authorized, iamCalls, reportBucketAs, requestTags } from "./calls";
import { busArn, type SimulatedNames } from "./resolve";
import type { PrincipalName, StackPolicies } from "./stack-policies";
import type { IntegrationHandler } from "../sdk-integrations";

type Json = Record<string, unknown>;

/**
 * IAM as the deployed stack has it, applied to one rehearsal: every call the simulated account receives is made
 * as a principal of the synthesized stack and authorized against that principal's policies first.
 */
export class IamEnforcement {
  readonly iam: IamAuthorizer;
  readonly calls: ReturnType<typeof iamCalls>;

  constructor(
    stack: StackPolicies,
    readonly names: SimulatedNames,
    private readonly account: SimulatedAccount,
  ) {
    this.iam = new IamAuthorizer(stack, names);
    this.calls = iamCalls(names, account);
  }

  /** A port as `principal` reaches it: the listed calls authorized first. */
  port<T extends object>(
    port: T,
    kind: Exclude<keyof IamEnforcement["calls"], "reports">,
    principal: PrincipalName,
  ): T {
    return authorized(port, this.calls[kind] as never, principal, this.iam);
  }

  /**
   * IAM's policy simulator on the stack's experiment role: the requests it may not make, with the reason. Templates
   * the stack does not deploy are granted as a synth with them would grant them (as at run time): nothing to ask.
   */
  async experimentRoleDenials(requests: readonly IamRequest[]): Promise<{ request: IamRequest; decision: string }[]> {
    const denied = [];
    for (const request of requests)
      if (!(await this.iam.allows("Experiments", request))) denied.push({ request, decision: "implicitDeny" });
    return denied;
  }

  /** The report bucket as `principal` reaches it, missing keys answered as S3 answers that caller. */
  reportBucket<T extends { get(key: string): Promise<string | undefined> }>(bucket: T, principal: PrincipalName): T {
    return reportBucketAs(bucket, this.calls.reports, principal, this.iam, this.names);
  }

  /** Step Functions invokes each Lambda task as the state machine's role. */
  async invokeFunction(functionArn: string): Promise<void> {
    await this.iam.authorize("StateMachine", { action: "lambda:InvokeFunction", resource: functionArn });
  }

  /**
   * The state machine's SDK integrations, each authorized as its role before the account answers. A started
   * experiment's actions are then authorized as the experiment role FIS assumes.
   */
  integration(resource: string, run: IntegrationHandler): IntegrationHandler {
    const requests = this.integrationRequests(resource);
    return async (input) => {
      for (const request of requests(input)) await this.iam.authorize("StateMachine", request);
      const output = await run(input);
      if (resource === "arn:aws:states:::aws-sdk:fis:startExperiment")
        await this.authorizeExperimentRole((output.Experiment as Json).Id as string);
      return output;
    };
  }

  private readonly authorizedExperiments = new Set<string>();

  /**
   * FIS runs each action as the stack's experiment role: every permission the action needs (the catalog's, from
   * the FIS actions reference) on every resource it will act on. An action the role may not run fails as it
   * starts, and the experiment with it, as in AWS. Templates the stack does not deploy are granted as a synth
   * with them would grant them, so their experiments are not checked here.
   */
  private async authorizeExperimentRole(experimentId: string): Promise<void> {
    const experiment = this.account.fis.experiments.get(experimentId);
    if (!experiment || this.authorizedExperiments.has(experimentId) || experiment.actionsMode === "skip-all") return;
    this.authorizedExperiments.add(experimentId);
    if (this.names.undeployedTemplateIds().includes(experiment.templateId)) return;
    for (const planned of this.account.fis.plannedTargets(experimentId)) {
      for (const request of experimentRoleRequests(planned.actionId, planned.resources, this.names)) {
        try {
          await this.iam.authorize("Experiments", request);
        } catch (error) {
          if (!(error instanceof AccessDeniedError)) throw error;
          this.account.fis.denyAction(experimentId, planned.action, error.message);
          break;
        }
      }
    }
  }

  private integrationRequests(resource: string) {
    const { partition, region, account } = this.names;
    const fis = (name: string) => `arn:${partition}:fis:${region}:${account}:${name}`;
    switch (resource) {
      case "arn:aws:states:::aws-sdk:fis:startExperiment":
        // StartExperiment is authorized on the template and on the new experiment, with the tags it is given;
        // tagging at creation also needs fis:TagResource.
        return (input: Json) => {
          const tags = requestTags((input.Tags as Record<string, string>) ?? {});
          // The id FIS gives the new experiment is not known yet; any id stands for it.
          const newExperiment = fis("experiment/EXPnew");
          return [
            {
              action: "fis:StartExperiment",
              resource: fis(`experiment-template/${String(input.ExperimentTemplateId)}`),
            },
            { action: "fis:StartExperiment", resource: newExperiment, context: tags },
            { action: "fis:TagResource", resource: newExperiment, context: tags },
          ];
        };
      case "arn:aws:states:::sns:publish.waitForTaskToken":
        return (input: Json) => [{ action: "sns:Publish", resource: String(input.TopicArn) }];
      case "arn:aws:states:::aws-sdk:fis:stopExperiment":
        return (input: Json) => this.calls.experiments.stop(String(input.Id));
      case "arn:aws:states:::aws-sdk:fis:getExperiment":
        return (input: Json) => this.calls.experiments.get(String(input.Id));
      case "arn:aws:states:::events:putEvents":
        return (input: Json) =>
          ((input.Entries as Json[]) ?? []).map((entry) => ({
            action: "events:PutEvents",
            resource: busArn({ ...this.names, reportBus: String(entry.EventBusName ?? "default") }),
            resourcePolicy: "reportBus" as const,
          }));
      default:
        throw new Error(`no IAM mapping for the integration ${resource}`);
    }
  }
}

/**
 * The ports as `principal` reaches them: authorized when the rehearsal enforces IAM, the account's own otherwise.
 * The one place the rehearsal's handlers and aftermath choose between the two.
 */
export function asPrincipal(enforcement: IamEnforcement | undefined, principal: PrincipalName) {
  return {
    port: <T extends object>(port: T, kind: Parameters<IamEnforcement["port"]>[1]): T =>
      enforcement ? enforcement.port(port, kind, principal) : port,
    reportBucket: <T extends { get(key: string): Promise<string | undefined> }>(bucket: T): T =>
      enforcement ? enforcement.reportBucket(bucket, principal) : bucket,
  };
}
