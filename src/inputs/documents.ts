import { existsSync } from "node:fs";
import { basename, dirname, resolve } from "node:path";
import { parse, printParseErrorCode, type ParseError } from "jsonc-parser";
import { checkPlan } from "../core/plan/check";
import type { Plan, PlanInput, TemplateReference } from "../core/plan/schema";
import { planCostUpperBound, type GameDayCost } from "../core/cost/game-day-cost";
import { usd } from "../core/report/text";
import { errorsIn, type Problem } from "../core/problems";
import { checkFisTemplate } from "../core/template/check";
import { looksLikeFisTemplate, type FisTemplate } from "../core/template/schema";
import type { WorldDefinition } from "../sim/world-schema";
import { MAX_JSON_DEPTH, readInputText, tooDeep } from "./files";
import { PROJECT_ROOT } from "./project-root";

export { PROJECT_ROOT };
export const TEMPLATES_DIR = resolve(PROJECT_ROOT, "templates");

/**
 * Reads a JSON file the user named: a regular file of bounded size and depth (readInputText, tooDeep); syntax
 * errors become problems with line and column.
 */
export function readJson(file: string): { value?: unknown; problems: Problem[] } {
  const problem = (message: string): { problems: Problem[] } => ({
    problems: [{ severity: "error", file, path: "", message }],
  });
  const read = readInputText(file);
  if ("problem" in read) return problem(read.problem);
  const text = read.text;
  const deep = tooDeep(text);
  if (deep)
    return problem(
      `nested deeper than ${MAX_JSON_DEPTH} arrays and objects at line ${deep.line}, column ${deep.column}; no plan, template or world needs that`,
    );
  const errors: ParseError[] = [];
  const value = parse(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  if (errors.length) {
    return {
      problems: errors.map((e) => {
        const before = text.slice(0, e.offset).split("\n");
        return {
          severity: "error",
          file,
          path: "",
          message: `invalid JSON at line ${before.length}, column ${before[before.length - 1]!.length + 1}: ${printParseErrorCode(e.error)}`,
        };
      }),
    };
  }
  return { value, problems: [] };
}

export interface LoadedInput {
  kind: "plan" | "template";
  /** The most a game day of the plan can cost, estimated before it runs. */
  costEstimate?: GameDayCost;
  /** The plan document to start (for a bare template, the one-experiment plan made from it). */
  plan?: PlanInput;
  /** Every template file the plan uses, by absolute path. */
  templates: Map<string, FisTemplate>;
  problems: Problem[];
}

/** Problems with the file they come from, unless they already name one. */
export const withFile = (file: string, problems: Problem[]) => problems.map((p) => ({ ...p, file: p.file ?? file }));

/** Where a template reference points on disk, when it points at a file. */
export function templatePath(
  reference: TemplateReference,
  planFile: string,
  templatesDirectory = TEMPLATES_DIR,
): string | undefined {
  if ("file" in reference) return resolve(dirname(planFile), reference.file);
  if ("name" in reference)
    return (
      templateCandidates(reference.name, planFile, templatesDirectory).find(existsSync) ??
      resolve(templatesDirectory, `${reference.name}.json`)
    );
  return undefined;
}

/**
 * Where a template named `name` may live: beside the plan first (a plan written next to its templates works
 * unchanged for rehearse, synth and start), then in the templates folder given (`-c templates=DIR`), then in the
 * repository's templates/ (where the example plans' templates are).
 */
export const templateCandidates = (name: string, planFile: string, templatesDirectory = TEMPLATES_DIR) => [
  ...new Set([
    resolve(dirname(planFile), `${name}.json`),
    resolve(templatesDirectory, `${name}.json`),
    resolve(TEMPLATES_DIR, `${name}.json`),
  ]),
];

/** Loads a plan or a bare FIS template file and checks it, with every template file the plan refers to. */
export function loadInput(file: string, world?: WorldDefinition, templatesDirectory?: string): LoadedInput {
  const absolute = resolve(file);
  const { value, problems } = readJson(absolute);
  if (problems.length) return { kind: "plan", templates: new Map(), problems };
  return checkInput(value, absolute, world, templatesDirectory);
}

/** Checks a parsed plan or template document; `absolute` is where it lives, for relative template files. */
export function checkInput(
  value: unknown,
  absolute: string,
  world?: WorldDefinition,
  templatesDirectory = TEMPLATES_DIR,
): LoadedInput {
  const templates = new Map<string, FisTemplate>();
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    const found = value === null ? "null" : Array.isArray(value) ? "an array" : `a ${typeof value}`;
    const message = `the document is ${found}; a plan or an FIS experiment template is a JSON object`;
    return { kind: "plan", templates, problems: [{ severity: "error", file: absolute, path: "$", message }] };
  }
  if (looksLikeFisTemplate(value)) {
    const check = checkFisTemplate(value);
    if (check.template) templates.set(absolute, check.template);
    const plan: PlanInput | undefined = world?.defaultHypothesis
      ? {
          name: planNameFrom(absolute),
          description:
            `Rehearsal of the FIS template ${absolute.split("/").pop()}: ${check.template?.description ?? ""}`.trim(),
          hypothesis: world.defaultHypothesis,
          stages: [{ name: "Inject", experiments: [{ template: { file: absolute } }] }],
        }
      : undefined;
    const problems = withFile(absolute, check.problems);
    if (world && !world.defaultHypothesis)
      problems.push({
        severity: "error",
        file: absolute,
        path: "$",
        message: `a bare FIS template is rehearsed with the world's defaultHypothesis, and world ${world.name} has none: add one to the world, or write a plan that names this template`,
      });
    return { kind: "template", ...(plan ? { plan } : {}), templates, problems };
  }
  const check = checkPlan(value);
  const all: Problem[] = withFile(absolute, check.problems);
  // Template files are checked even when the plan has other problems, so every problem shows at once.
  const stages = (value as { stages?: unknown }).stages;
  (Array.isArray(stages) ? stages : []).forEach((stage: { experiments?: unknown }, s) =>
    (Array.isArray(stage?.experiments) ? stage.experiments : []).forEach((experiment: { template?: unknown }, e) => {
      const reference = experiment?.template as TemplateReference | undefined;
      if (!reference || typeof reference !== "object") return;
      const path = templatePath(reference, absolute, templatesDirectory);
      if (!path) return;
      const where = `stages[${s}].experiments[${e}].template`;
      if (!existsSync(path)) {
        const message =
          "name" in reference
            ? `template ${reference.name} is neither beside the plan nor in the templates folder (looked for ${templateCandidates(reference.name, absolute, templatesDirectory).join(" and ")})`
            : `file ${path} does not exist`;
        all.push({ severity: "error", file: absolute, path: where, message });
        return;
      }
      const loaded = readJson(path);
      if (loaded.problems.length) return all.push(...loaded.problems);
      const template = checkFisTemplate(loaded.value);
      all.push(...withFile(path, template.problems));
      if (template.template) templates.set(path, template.template);
    }),
  );
  const cost = check.plan ? planCostOf(check.plan, templates, absolute, templatesDirectory) : undefined;
  if (cost && check.plan?.maxCostUsd !== undefined && cost.totalUsd > check.plan.maxCostUsd)
    all.push({
      severity: "error",
      file: absolute,
      path: "maxCostUsd",
      message: `a game day of this plan could cost up to $${usd(cost.totalUsd)} at list prices, above its maxCostUsd of $${usd(check.plan.maxCostUsd)}: shorten timing.maxFaultDuration, run fewer actions, or raise maxCostUsd`,
    });
  return {
    kind: "plan",
    ...(check.plan ? { plan: value as PlanInput } : {}),
    templates,
    problems: all,
    ...(cost ? { costEstimate: cost } : {}),
  };
}

/** The plan's cost upper bound, counting each experiment's actions from its template (one when it is not a file). */
function planCostOf(plan: Plan, templates: Map<string, FisTemplate>, absolute: string, templatesDirectory: string) {
  const actions = plan.stages.map((stage) =>
    stage.experiments.map((experiment) => {
      const path = templatePath(experiment.template, absolute, templatesDirectory);
      const template = path ? templates.get(path) : undefined;
      return Math.max(1, Object.keys(template?.actions ?? {}).length);
    }),
  );
  return planCostUpperBound(plan, actions);
}

function planNameFrom(file: string): string {
  const base = file
    .split("/")
    .pop()!
    .replace(/\.json$/, "")
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/^-+/, "");
  return (base || "template").slice(0, 63);
}

export const hasErrors = (problems: Problem[]) => errorsIn(problems).length > 0;

/** A world file (tiers and traffic), as `gameday init` writes one beside its plan and template. */
export const looksLikeWorld = (value: unknown): boolean =>
  typeof value === "object" && value !== null && "tiers" in value && "traffic" in value;

/** A plan (a hypothesis and stages), rather than a template or a world. */
export const looksLikePlan = (value: unknown): boolean =>
  typeof value === "object" && value !== null && "hypothesis" in value && "stages" in value;

/** The name a template file is deployed under: its file name without .json. */
export const templateName = (file: string) => basename(file).replace(/\.json$/, "");

/**
 * Deployed templates are known by name, so file references become name references: the stack deploys a plan
 * this way, and `gameday start` sends a plan file this way.
 */
export function withTemplateNames(plan: PlanInput): PlanInput {
  const { $schema: _schema, ...rest } = plan;
  return {
    ...rest,
    stages: plan.stages.map((stage) => ({
      ...stage,
      experiments: stage.experiments.map((experiment) =>
        "file" in experiment.template
          ? { ...experiment, template: { name: templateName(experiment.template.file) } }
          : experiment,
      ),
    })),
  };
}
