import type { PlanCatalog, TemplateCatalog } from "../core/ports";

/**
 * Plans ship with the stack as one JSON object in the function's environment (name → plan), so starting a
 * game day from the console needs only `{"plan": "<name>"}`.
 */
export class EnvironmentPlanCatalog implements PlanCatalog {
  constructor(private readonly plans: Record<string, unknown>) {}
  async load(name: string): Promise<unknown> {
    const plan = this.plans[name];
    if (plan === undefined) {
      throw Object.assign(
        new Error(
          `No plan named "${name}" ships with this stack. Known plans: ${Object.keys(this.plans).join(", ") || "none"}.`,
        ),
        {
          name: "GameDay.UnknownPlan",
        },
      );
    }
    return plan;
  }
}

/** Template names and files map to the ids of the templates the stack deployed. */
export class DeployedTemplateCatalog implements TemplateCatalog {
  constructor(private readonly idsByName: Record<string, string>) {}
  async resolve(reference: { id: string } | { name: string } | { file: string }): Promise<string> {
    if ("id" in reference) return reference.id;
    const key = "name" in reference ? reference.name : reference.file;
    const id = this.idsByName[key];
    if (!id) {
      throw Object.assign(new Error(`No FIS template "${key}" was deployed with this stack.`), {
        name: "GameDay.UnknownTemplate",
      });
    }
    return id;
  }
}
