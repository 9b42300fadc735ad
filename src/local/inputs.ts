import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse, printParseErrorCode, type ParseError } from "jsonc-parser";
import { checkPlan } from "../core/plan/check";
import { metricsOfProbe, type Metric, type PlanInput, type TemplateReference } from "../core/plan/schema";
import { errorsIn, type Problem } from "../core/problems";
import { checkFisTemplate } from "../core/template/check";
import { looksLikeFisTemplate, type FisTemplate } from "../core/template/schema";
import { zodProblems } from "../core/validation/zod-problems";
import { worldSchema, type WorldDefinition } from "../sim/world-schema";
import { publishedMetrics } from "../sim/telemetry";
import { MAX_JSON_DEPTH, readInputText, tooDeep } from "./files";

export const PROJECT_ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const DEFAULT_WORLD = resolve(PROJECT_ROOT, "worlds/web-shop.json");
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
  /** The plan document to start (for a bare template, the one-experiment plan made from it). */
  plan?: PlanInput;
  /** Every template file the plan uses, by absolute path. */
  templates: Map<string, FisTemplate>;
  problems: Problem[];
}

const withFile = (file: string, problems: Problem[]) => problems.map((p) => ({ ...p, file: p.file ?? file }));

/** Where a template reference points on disk, when it points at a file. */
export function templatePath(reference: TemplateReference, planFile: string): string | undefined {
  if ("file" in reference) return resolve(dirname(planFile), reference.file);
  if ("name" in reference) return resolve(TEMPLATES_DIR, `${reference.name}.json`);
  return undefined;
}

/** Loads a plan or a bare FIS template file and checks it, with every template file the plan refers to. */
export function loadInput(file: string, world?: WorldDefinition): LoadedInput {
  const absolute = resolve(file);
  const { value, problems } = readJson(absolute);
  if (problems.length) return { kind: "plan", templates: new Map(), problems };
  return checkInput(value, absolute, world);
}

/** Checks a parsed plan or template document; `absolute` is where it lives, for relative template files. */
export function checkInput(value: unknown, absolute: string, world?: WorldDefinition): LoadedInput {
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
      const path = templatePath(reference, absolute);
      if (!path) return;
      const where = `stages[${s}].experiments[${e}].template`;
      if (!existsSync(path)) {
        all.push({
          severity: "error",
          file: absolute,
          path: where,
          message: `${"file" in reference ? "file" : "template"} ${path} does not exist`,
        });
        return;
      }
      const loaded = readJson(path);
      if (loaded.problems.length) return all.push(...loaded.problems);
      const template = checkFisTemplate(loaded.value);
      all.push(...withFile(path, template.problems));
      if (template.template) templates.set(path, template.template);
    }),
  );
  return { kind: "plan", ...(check.plan ? { plan: value as PlanInput } : {}), templates, problems: all };
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

export function loadWorld(file = DEFAULT_WORLD): { world?: WorldDefinition; problems: Problem[] } {
  const { value, problems } = readJson(file);
  if (problems.length) return { problems };
  const parsed = worldSchema.safeParse(value, { reportInput: true });
  if (!parsed.success) return { problems: withFile(file, zodProblems(parsed.error)) };
  const world = parsed.data;
  // The world's own alarms and default probes must watch metrics it publishes, or they never see anything.
  const alarms = world.alarms.map((alarm, i) =>
    unpublished(world, alarm.metric, `alarms[${i}].metric`, file, `alarm ${alarm.name} will have no data`),
  );
  return {
    world,
    problems: [
      ...alarms.flatMap((p) => (p ? [p] : [])),
      ...unpublishedProbeMetrics(world.defaultHypothesis?.probes ?? [], world, file, "defaultHypothesis.probes"),
    ],
  };
}

/** A warning when the world publishes no such metric, naming its dimensions and what the world has instead. */
function unpublished(
  world: WorldDefinition,
  metric: Pick<Metric, "namespace" | "name"> & { dimensions?: Record<string, string> },
  path: string,
  file: string,
  consequence: string,
): Problem | undefined {
  const published = publishedMetrics(world);
  if (published.publishes(metric)) return undefined;
  const dims =
    Object.entries(metric.dimensions ?? {})
      .map(([k, v]) => `${k}=${v}`)
      .join(",") || "no dimensions";
  const near = published.nearest(metric);
  const has = near.sameName.length
    ? `it publishes ${metric.name} with ${near.sameName.join("; ")}`
    : near.names.length
      ? `its ${metric.namespace} metrics are ${near.names.join(", ")}`
      : `it publishes nothing in ${metric.namespace}`;
  return {
    severity: "warning",
    file,
    path,
    message: `world ${world.name} publishes no ${metric.namespace} ${metric.name} with ${dims}, so ${consequence}: ${has}`,
  };
}

/**
 * Probe metrics the world does not publish: they would read "no data" for the whole game day. Each warning names
 * the metric, its dimensions, and what the world has instead, so a typo or a forgotten --world shows at once.
 */
export function unpublishedProbeMetrics(
  probes: readonly unknown[],
  world: WorldDefinition,
  file: string,
  at = "hypothesis.probes",
): Problem[] {
  return (probes as { id: string; type: string; metric?: Metric; metrics?: Record<string, Metric> }[]).flatMap(
    (probe, i) =>
      metricsOfProbe(probe).flatMap(([where, metric]) => {
        const problem = unpublished(
          world,
          metric,
          `${at}[${i}].${where.join(".")}`,
          file,
          `probe ${probe.id} will read no data`,
        );
        return problem ? [problem] : [];
      }),
  );
}

export const hasErrors = (problems: Problem[]) => errorsIn(problems).length > 0;
