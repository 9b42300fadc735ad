import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { gameDayApp } from "./app";
import { PROJECT_ROOT } from "./sources";
import { DEFAULT_STACK_NAME } from "../src/core/contract/stack-names";
import { CACHE_DIR } from "../src/inputs/project-root";

/** What the synthesized policies depend on: the stack's code, the ASL, the plans, the templates, the lockfile. */
const INPUTS = ["infra", "src", "lambdas", "state-machines", "plans", "templates", "package-lock.json"];

/** CDK context for a synth whose policies are read, not deployed: no function bundled, construct paths kept. */
export const SYNTH_WITHOUT_BUNDLING = { "aws:cdk:bundling-stacks": [], "aws:cdk:enable-path-metadata": true };

function* filesUnder(path: string): Generator<string> {
  if (!existsSync(path)) return;
  if (statSync(path).isFile()) return yield path;
  for (const entry of readdirSync(path).sort()) yield* filesUnder(join(path, entry));
}

/** A digest of every input file's path and content. */
export function policyInputsDigest(root = PROJECT_ROOT): string {
  const hash = createHash("sha256");
  for (const input of INPUTS)
    for (const file of filesUnder(join(root, input)))
      hash.update(relative(root, file)).update("\0").update(readFileSync(file));
  return hash.digest("hex").slice(0, 16);
}

/**
 * The default stack's CloudFormation template, synthesized without bundling the functions (policies do not depend
 * on the bundles) and cached by its inputs: the first call takes a few seconds, later ones read a file. The
 * rehearsal and safety tiers enforce IAM with it; the unit tier never calls this.
 */
export function cachedPolicyTemplate(stackName = DEFAULT_STACK_NAME): string {
  const file = join(CACHE_DIR, `${stackName}-${policyInputsDigest()}.template.json`);
  if (existsSync(file)) return file;
  mkdirSync(CACHE_DIR, { recursive: true });
  const outdir = join(CACHE_DIR, `synth-${process.pid}-${Date.now()}`);
  try {
    const { app, stack } = gameDayApp({
      stackName,
      outdir,
      target: {},
      cloudFormationValidation: false,
      context: SYNTH_WITHOUT_BUNDLING,
    });
    app.synth();
    // Written whole, then renamed: test workers starting together never read half a file.
    renameSync(join(outdir, `${stack.stackName}.template.json`), file);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
  return file;
}
