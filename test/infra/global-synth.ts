import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { gameDayApp } from "../../infra/app";

declare module "vitest" {
  export interface ProvidedContext {
    /** The cloud assembly of the default stack, synthesized once per test run with cdk-nag on. */
    cloudAssembly: string;
  }
}

// Bundling eight functions takes seconds, so the stack is synthesized once for every infra test file.
export function setup(project: TestProject) {
  const outdir = mkdtempSync(join(tmpdir(), "gameday-synth-"));
  // The metadata the cdk CLI turns on, which the tests use to find resources and bundles.
  const { app } = gameDayApp({
    outdir,
    context: { "aws:cdk:enable-path-metadata": true, "aws:cdk:enable-asset-metadata": true },
  });
  app.synth();
  project.provide("cloudAssembly", outdir);
  return () => rmSync(outdir, { recursive: true, force: true });
}
