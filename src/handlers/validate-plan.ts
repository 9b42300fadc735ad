import { prepareGameDay } from "../core/gameday/prepare";
import { reserveGameDay, type ReservationPorts } from "../core/locks/reservation";
import type { PlanCatalog, TemplateCatalog } from "../core/ports";
import { checkExecutionInput, checkExecutionName } from "../core/gameday/execution-input";

export interface ValidatePlanEvent {
  /** The execution input: `{"plan": "<name>"}` or `{"plan": {...inline plan...}}`, optionally `actionsMode`. */
  input: unknown;
  executionName: string;
  /** $$.StateMachine.Id: experiments are tagged with it, so another stack's guard never takes them for its own. */
  stateMachine: string;
}

/**
 * Nothing starts before this returns: the plan is checked, its templates resolved, and the run locks of its plan
 * and targets taken (GameDay.Overlap names the game day that holds them).
 */
export const createValidatePlan =
  (ports: { plans: PlanCatalog; templates: TemplateCatalog } & ReservationPorts) =>
  async (event: ValidatePlanEvent) => {
    const { plan, actionsMode } = checkExecutionInput(event.input);
    checkExecutionName(event.executionName);
    const document = typeof plan === "string" ? await ports.plans.load(plan) : plan;
    const prepared = await prepareGameDay(
      document,
      {
        executionName: event.executionName,
        stateMachine: event.stateMachine,
        actionsMode: actionsMode ?? "run-all",
      },
      ports.templates,
      ports.clock,
    );
    return reserveGameDay(prepared, ports);
  };
