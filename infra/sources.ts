import { templateName, withTemplateNames } from "../src/inputs/documents";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { PlanInput } from "../src/core/plan/schema";
import { formatProblem, type Problem } from "../src/core/problems";
import type { FisTemplate } from "../src/core/template/schema";
import { checkInput, hasErrors, looksLikePlan, looksLikeWorld, readJson } from "../src/inputs/documents";
import { looksLikeFisTemplate } from "../src/core/template/schema";
import { GAME_DAY_ERRORS } from "../src/core/contract/errors";

export const PROJECT_ROOT = fileURLToPath(new URL("../", import.meta.url));

/** The plans and templates a stack ships, read and validated from disk at synth time. */
export interface StackSources {
  /** Plans by name, with file template references rewritten to template names. */
  plans: Map<string, PlanInput>;
  /** Templates by name (file name without `.json`), with the file each came from. */
  templates: Map<string, { document: FisTemplate; file: string }>;
}

export class InvalidSourcesError extends Error {
  override name = GAME_DAY_ERRORS.invalidInput;
  constructor(readonly problems: Problem[]) {
    super(
      `The stack's plans or templates are invalid; nothing was synthesized:\n${problems.map(formatProblem).join("\n")}`,
    );
  }
}

const jsonFiles = (directory: string) =>
  existsSync(directory)
    ? readdirSync(directory)
        .filter((f) => f.endsWith(".json"))
        .sort()
        .map((f) => join(directory, f))
    : [];

/**
 * Reads every template in `templatesDirectory` and every plan in `plansDirectory`, validating them as
 * `gameday validate` does. Any error stops synthesis, naming the file and the JSON path.
 */
export function loadStackSources(plansDirectory: string, templatesDirectory: string): StackSources {
  const problems: Problem[] = [];
  const templates: StackSources["templates"] = new Map();
  const plans: StackSources["plans"] = new Map();

  // Errors only: warnings (a missing stop condition, say) are the deployed template's to judge. A folder may hold
  // plans, templates and worlds together (as `gameday init` writes them): each loop reads only its own kind.
  const readChecked = (file: string, belongs: (value: unknown) => boolean) => {
    const read = readJson(file);
    if (read.problems.length) {
      problems.push(...read.problems);
      return undefined;
    }
    if (!belongs(read.value)) return undefined;
    const checked = checkInput(read.value, file, undefined, templatesDirectory);
    problems.push(...checked.problems.filter((p) => p.severity === "error"));
    return checked;
  };

  for (const file of jsonFiles(templatesDirectory)) {
    const checked = readChecked(file, (value) => !looksLikeWorld(value) && !looksLikePlan(value));
    const document = checked?.templates.get(file);
    if (document) templates.set(templateName(file), { document, file });
  }

  for (const file of jsonFiles(plansDirectory)) {
    const checked = readChecked(file, (value) => !looksLikeWorld(value) && !looksLikeFisTemplate(value));
    if (!checked?.plan || hasErrors(checked.problems)) continue;
    for (const [path, document] of checked.templates) {
      const name = templateName(path);
      const known = templates.get(name);
      if (known && resolve(known.file) !== resolve(path)) {
        problems.push({
          severity: "error",
          file,
          path: "stages",
          message: `two different template files are named ${name}.json (${known.file} and ${path}); rename one`,
        });
      }
      if (!known) templates.set(name, { document, file: path });
    }
    if (plans.has(checked.plan.name)) {
      problems.push({
        severity: "error",
        file,
        path: "name",
        message: `another plan is already named ${checked.plan.name}`,
      });
    }
    plans.set(checked.plan.name, withTemplateNames(checked.plan));
  }
  if (problems.length) throw new InvalidSourcesError(problems);
  return { plans, templates };
}

/** Deployed templates are known by name, so file references become name references. */

/** Writes the plan catalog the validate-plan function reads, named by its content so bundles stay reproducible. */
export function stagePlanCatalog(plans: Map<string, PlanInput>): string {
  const body = `${JSON.stringify(Object.fromEntries(plans), null, 1)}\n`;
  const directory = join(tmpdir(), "gameday-plan-catalogs");
  mkdirSync(directory, { recursive: true });
  const file = join(directory, `${createHash("sha256").update(body).digest("hex").slice(0, 16)}.json`);
  writeFileSync(file, body);
  return file;
}
