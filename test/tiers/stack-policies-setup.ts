import type { TestProject } from "vitest/node";
import { cachedPolicyTemplate } from "../../infra/policy-template";

declare module "vitest" {
  export interface ProvidedContext {
    /** The default stack's template, synthesized without bundling and cached by its inputs: the IAM rehearsals enforce. */
    stackTemplate: string;
  }
}

// Every rehearsal in these tiers runs with IAM enforced against the synthesized stack's policies.
export function setup(project: TestProject) {
  project.provide("stackTemplate", cachedPolicyTemplate());
}
