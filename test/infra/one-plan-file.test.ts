import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { planFrom, run } from "../helpers";
import { resourcesOfType, synthesizeWithoutBundling } from "./assembly";

/** A plan written beside its own template, as a team keeps it in its service's repository. */
function planBesideItsTemplate() {
  const dir = mkdtempSync(join(tmpdir(), "gameday-own-plan-"));
  writeFileSync(
    join(dir, "stop-tasks.json"),
    readFileSync("templates/ecs-stop-checkout-tasks-in-one-zone.json", "utf8"),
  );
  const plan = planFrom("plans/ecs-checkout-zone-loss.json", (p) => {
    p.name = "checkout-own-plan";
    p.stages[0].experiments[0].template = { name: "stop-tasks" };
  });
  writeFileSync(join(dir, "plan.json"), JSON.stringify(plan, null, 1));
  return dir;
}

describe("one plan file for validate, rehearse and synth", () => {
  it("validates and rehearses a plan whose template is named and lives beside it", async () => {
    const dir = planBesideItsTemplate();
    try {
      expect((await run(["validate", join(dir, "plan.json")])).code).toBe(0);
      const rehearsed = await run(["rehearse", join(dir, "plan.json"), "--out", join(dir, "out")]);
      expect(rehearsed.code).toBe(0);
      expect(rehearsed.out).toContain("PASSED");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("synthesizes it into the stack (-c plans=DIR): the template is deployed under its name", () => {
    const dir = planBesideItsTemplate();
    try {
      const stack = synthesizeWithoutBundling({ target: {}, plansDirectory: dir });
      const paths = resourcesOfType(stack, "AWS::FIS::ExperimentTemplate").map(([, r]) => r.Metadata?.["aws:cdk:path"]);
      expect(paths).toContain("GameDay/Template-stop-tasks/Resource");
      expect(JSON.stringify(stack.Outputs)).toContain("checkout-own-plan");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("the folder gameday init writes", () => {
  it("deploys as it is: its plan and template are the stack's, its world is left to rehearsals", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gameday-init-folder-"));
    try {
      expect((await run(["init", "payments", "--kind", "ecs", "--dir", dir])).code).toBe(0);
      const { loadStackSources } = await import("../../infra/sources");
      const sources = loadStackSources(dir, dir);
      expect([...sources.plans.keys()]).toEqual(["payments-first-game-day"]);
      expect([...sources.templates.keys()]).toEqual(["template"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
