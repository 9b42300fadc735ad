import type { SimulatedAccount } from "../sim/account";
import type { ApprovalChoice } from "./approval-choices";
import { GAME_DAY_ERRORS } from "../core/contract/errors";
import type { FaultInjector } from "../sim/faults";
import { ServiceError, type SimExperiment } from "../sim/fis";

type Json = Record<string, unknown>;

const date = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

/** An experiment as Step Functions' aws-sdk integration returns it: PascalCase keys. */
export function experimentResponse(e: SimExperiment): Json {
  return {
    Experiment: {
      Id: e.id,
      ExperimentTemplateId: e.templateId,
      State: { Status: e.status, ...(e.reason ? { Reason: e.reason } : {}) },
      Tags: e.tags,
      CreationTime: date(e.creationTime),
      ...(e.startTime ? { StartTime: date(e.startTime) } : {}),
      ...(e.endTime ? { EndTime: date(e.endTime) } : {}),
      ExperimentOptions: { ActionsMode: e.actionsMode },
      Actions: Object.fromEntries(
        e.actions.map((a) => [a.name, { ActionId: a.actionId, State: { Status: a.status }, Parameters: a.parameters }]),
      ),
    },
  };
}

/** Service errors surface in Step Functions as `Service.ExceptionName` (e.g. `Fis.ConflictException`). */
export function asStepFunctionsError(service: string, error: unknown): Error {
  const e = error as Error & { service?: string };
  if (!e.service) return e;
  const wrapped = new Error(e.message);
  wrapped.name = `${service}.${e.name}`;
  return wrapped;
}

export type IntegrationHandler = (input: Json) => Promise<Json>;

export type { ApprovalChoice };

/** Who decides in a rehearsal: no person, so a name that says so. */
export const REHEARSAL_APPROVER = "arn:aws:sts::123456789012:assumed-role/rehearsal/on-call";

/** The SDK and optimized integrations the game-day ASL uses, answered by the simulated account. */
export function sdkIntegrations(
  account: SimulatedAccount,
  faults: FaultInjector,
  approval: ApprovalChoice = "approve",
): Record<string, IntegrationHandler> {
  const fis = (run: (input: Json) => SimExperiment) => async (input: Json) => {
    try {
      return experimentResponse(run(input));
    } catch (error) {
      throw asStepFunctionsError("Fis", error);
    }
  };
  return {
    // A throttle can also hit after FIS started the experiment (the answer is lost): the retry must not start a
    // second one, which the ClientToken guarantees.
    "arn:aws:states:::aws-sdk:fis:startExperiment": fis((input) =>
      faults.throttleAround("fis", () =>
        account.fis.startExperiment({
          clientToken: input.ClientToken as string,
          experimentTemplateId: input.ExperimentTemplateId as string,
          actionsMode: (input.ExperimentOptions as Json | undefined)?.ActionsMode as string | undefined,
          tags: input.Tags as Record<string, string>,
        }),
      ),
    ),
    "arn:aws:states:::aws-sdk:fis:stopExperiment": fis((input) => {
      faults.throttle("fis");
      if (faults.stopConflict())
        throw new ServiceError(
          "fis",
          "ValidationException",
          `Experiment ${String(input.Id)} cannot be stopped in its current state`,
          400,
        );
      return account.fis.stopExperiment(input.Id as string);
    }),
    // Not in gameday's ASL (its observer reads FIS itself): the status-polling designs benchmarks compare with use it.
    "arn:aws:states:::aws-sdk:fis:getExperiment": fis((input) => {
      faults.throttle("fis");
      return account.fis.describeExperiment(input.Id as string);
    }),
    // The approval request: published to the stack's topic, then the token waits for a person. A rehearsal's
    // person decides at once, or never (the task times out after the timeout the request carries).
    "arn:aws:states:::sns:publish.waitForTaskToken": async (input) => {
      const attributes = (input.MessageAttributes ?? {}) as Record<string, { StringValue?: string }>;
      const token = attributes.taskToken?.StringValue;
      if (!token)
        throw Object.assign(new Error("the approval request carries no task token"), { name: "States.Runtime" });
      account.notifications.push({
        topicArn: String(input.TopicArn),
        subject: String(input.Subject ?? ""),
        message: String(input.Message ?? ""),
        attributes: Object.fromEntries(Object.entries(attributes).map(([k, v]) => [k, String(v.StringValue ?? "")])),
        at: account.clock.now(),
      });
      if (approval === "timeout") {
        account.clock.advance(Number(attributes.timeoutSeconds?.StringValue ?? 3600) * 1000);
        throw Object.assign(new Error("The task timed out waiting for its token"), { name: "States.Timeout" });
      }
      account.clock.advance(60_000);
      if (approval === "reject")
        throw Object.assign(new Error(`${REHEARSAL_APPROVER}: rehearsed rejection`), {
          name: GAME_DAY_ERRORS.rejected,
        });
      return { decision: "approved", by: REHEARSAL_APPROVER, at: new Date(account.clock.now()).toISOString() };
    },
    "arn:aws:states:::events:putEvents": async (input) => {
      const entries = ((input.Entries as Json[]) ?? []).map((entry) => ({
        source: entry.Source as string,
        detailType: entry.DetailType as string,
        // The optimized integration accepts an object and sends it as JSON text.
        detail: typeof entry.Detail === "string" ? entry.Detail : JSON.stringify(entry.Detail),
        eventBusName: entry.EventBusName as string,
      }));
      let results;
      try {
        faults.throttle("events");
        results = account.putEvents(entries, () => faults.entryFails());
      } catch (error) {
        throw asStepFunctionsError("EventBridge", error);
      }
      // The optimized integration fails the task when any entry failed, though the call itself succeeded
      // (aws-facts §8): the state machine's Retry must name EventBridge.FailedEntry to cover it.
      const failed = results.filter((r) => "errorCode" in r);
      if (failed.length)
        throw Object.assign(
          new Error(`${failed.length} of ${results.length} entries failed: ${JSON.stringify(failed)}`),
          {
            name: "EventBridge.FailedEntry",
          },
        );
      return {
        Entries: results.map((r) => ("eventId" in r ? { EventId: r.eventId } : {})),
        FailedEntryCount: 0,
      };
    },
  };
}
