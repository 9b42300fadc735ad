import { deployedCatalogs } from "../src/aws/catalogs";
import { lambdaEntry } from "../src/aws/lambda-entry";
import { systemClock } from "../src/aws/powertools";
import { prepareGameDay } from "../src/core/gameday/steps";
import type { Clock, PlanCatalog, TemplateCatalog } from "../src/core/ports";

export interface ValidatePlanEvent {
  /** The execution input: `{"plan": "<name>"}` or `{"plan": {...inline plan...}}`, optionally `actionsMode`. */
  input: { plan?: unknown; actionsMode?: "run-all" | "skip-all" };
  executionName: string;
}

export const createValidatePlan =
  (ports: { plans: PlanCatalog; templates: TemplateCatalog; clock: Clock }) => async (event: ValidatePlanEvent) => {
    const plan = event.input?.plan;
    if (plan === undefined) {
      throw Object.assign(new Error('The execution input needs a plan: {"plan": "<name>"} or {"plan": {...}}'), {
        name: "GameDay.InvalidInput",
      });
    }
    const document = typeof plan === "string" ? await ports.plans.load(plan) : plan;
    return prepareGameDay(
      document,
      { executionName: event.executionName, actionsMode: event.input.actionsMode ?? "run-all" },
      ports.templates,
      ports.clock,
    );
  };

export const handler = lambdaEntry("validate-plan", () =>
  createValidatePlan({ ...deployedCatalogs(), clock: systemClock }),
);
