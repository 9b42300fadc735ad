import { readFileSync } from "node:fs";
import { ENVIRONMENT, requiredEnvironment } from "../core/contract/environment";
import { join } from "node:path";
import type { PlanCatalog, TemplateCatalog } from "../core/ports";
import { InvalidPlanError, UnknownPlanError, UnknownTemplateError } from "../core/contract/errors";

/** The file, beside the handler's code, that holds the plans shipped with the stack (name → plan). */
export const PLAN_CATALOG_FILE = "plans.json";
/** Environment variable holding the deployed template ids by template name. */
export const TEMPLATE_IDS_VARIABLE = ENVIRONMENT.templateIds;

/**
 * Plans ship with the stack inside the function's bundle (a Lambda environment holds only 4 KB), so starting
 * a game day from the console needs only `{"plan": "<name>"}`.
 */
export class BundledPlanCatalog implements PlanCatalog {
  constructor(private readonly plans: Record<string, unknown>) {}
  async load(name: string): Promise<unknown> {
    // Own keys only: "constructor" or "__proto__" must not resolve to what every object inherits.
    const plan = typeof name === "string" && Object.hasOwn(this.plans, name) ? this.plans[name] : undefined;
    if (plan === undefined) {
      throw new UnknownPlanError(
        `No plan named "${name}" ships with this stack. Known plans: ${Object.keys(this.plans).join(", ") || "none"}.`,
      );
    }
    return plan;
  }
}

/** Environment variable holding the ids of templates from elsewhere that the stack was deployed to allow. */
export const EXTRA_TEMPLATE_IDS_VARIABLE = ENVIRONMENT.extraTemplateIds;

/** What a template from elsewhere must have before a game day starts it: how FIS describes its stop conditions. */
export type StopConditionsOf = (templateId: string) => Promise<{ source: string; value?: string }[]>;

/**
 * Template names and files map to the ids of the templates the stack deployed. A template given by id must be one
 * of those, or one listed at deploy time (`-c extraTemplateIds=…`), and such a template from elsewhere must stop on
 * a CloudWatch alarm: the stack never saw it, so it checks now, before anything starts.
 */
export class DeployedTemplateCatalog implements TemplateCatalog {
  constructor(
    private readonly idsByName: Record<string, string>,
    private readonly extraIds: readonly string[] = [],
    private readonly stopConditionsOf?: StopConditionsOf,
  ) {}
  async resolve(reference: { id: string } | { name: string } | { file: string }): Promise<string> {
    if ("id" in reference) return this.resolveId(reference.id);
    const key = "name" in reference ? reference.name : reference.file;
    const id = typeof key === "string" && Object.hasOwn(this.idsByName, key) ? this.idsByName[key] : undefined;
    if (typeof id !== "string" || !id) {
      throw new UnknownTemplateError(`No FIS template "${key}" was deployed with this stack.`);
    }
    return id;
  }

  private async resolveId(id: string): Promise<string> {
    if (Object.values(this.idsByName).includes(id)) return id;
    if (!this.extraIds.includes(id))
      throw new UnknownTemplateError(
        `FIS template ${id} was neither deployed with this stack nor allowed at deploy time (-c extraTemplateIds=${id}).`,
      );
    const stopConditions = (await this.stopConditionsOf?.(id)) ?? [];
    if (!stopConditions.some((c) => c.source === "aws:cloudwatch:alarm"))
      throw new InvalidPlanError(
        `FIS template ${id} has no CloudWatch alarm stop condition; a game day starts only templates that stop themselves when an alarm fires.`,
      );
    return id;
  }
}

export function deployedCatalogs(stopConditionsOf?: StopConditionsOf): {
  plans: BundledPlanCatalog;
  templates: DeployedTemplateCatalog;
} {
  const file = join(process.env.LAMBDA_TASK_ROOT ?? process.cwd(), PLAN_CATALOG_FILE);
  return {
    plans: new BundledPlanCatalog(JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>),
    templates: new DeployedTemplateCatalog(
      JSON.parse(requiredEnvironment(ENVIRONMENT.templateIds)) as Record<string, string>,
      (process.env[EXTRA_TEMPLATE_IDS_VARIABLE] ?? "").split(",").filter(Boolean),
      stopConditionsOf,
    ),
  };
}
