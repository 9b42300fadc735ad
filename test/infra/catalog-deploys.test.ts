import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FIS_ACTIONS, type ParameterSpec } from "../../src/core/catalog/fis-actions";
import { FIS_ACTION_PERMISSIONS } from "../../src/core/catalog/fis-permissions";
import { checkFisTemplate } from "../../src/core/template/check";
import { resourcesOfType, statementsOfRole, synthesizeWithoutBundling } from "./assembly";

/** A value FIS takes for a parameter of this kind: the low end of its range. */
function sampleValue(name: string, spec: ParameterSpec): string {
  switch (spec.kind) {
    case "duration":
      return `PT${Math.max(spec.minSeconds ?? 60, 60)}S`;
    case "percent":
    case "integer":
      return String(Math.max(spec.min ?? 0, 1));
    case "boolean":
      return "true";
    case "enum":
      return spec.values[0]!;
    case "text":
      return name === "documentArn" ? "arn:aws:ssm:us-east-1::document/AWSFIS-Run-CPU-Stress" : "value";
  }
}

/** For each catalog action, the smallest template naming it that validate accepts. */
function templateFor(actionId: string) {
  const spec = FIS_ACTIONS[actionId]!;
  const targets = Object.fromEntries(
    Object.entries(spec.targets).map(([key, resourceType]) => [
      `t${key}`,
      { resourceType, resourceTags: { app: "checkout" }, selectionMode: "ALL" },
    ]),
  );
  const parameters = Object.fromEntries(
    Object.entries(spec.parameters)
      .filter(([, p]) => p.required)
      .map(([name, p]) => [name, sampleValue(name, p)]),
  );
  return {
    description: `every action deploys: ${actionId}`,
    targets,
    actions: {
      fault: {
        actionId,
        parameters,
        targets: Object.fromEntries(Object.keys(spec.targets).map((key) => [key, `t${key}`])),
      },
    },
    stopConditions: [{ source: "aws:cloudwatch:alarm", value: "arn:aws:cloudwatch:us-east-1:123456789012:alarm:x" }],
    roleArn: "arn:aws:iam::123456789012:role/fis",
  };
}

describe("the stack deploys whatever validate accepts", () => {
  it("synthesizes a template of every catalog action and grants the experiment role each one's permissions", () => {
    const directory = mkdtempSync(join(tmpdir(), "gameday-catalog-"));
    const templates = join(directory, "templates");
    mkdirSync(templates);
    try {
      for (const actionId of Object.keys(FIS_ACTIONS)) {
        const document = templateFor(actionId);
        const errors = checkFisTemplate(document).problems.filter((p) => p.severity === "error");
        expect(errors, actionId).toEqual([]);
        writeFileSync(join(templates, `${actionId.replace(/:/g, "-")}.json`), JSON.stringify(document));
      }
      const stack = synthesizeWithoutBundling({ target: {}, templatesDirectory: templates });
      expect(resourcesOfType(stack, "AWS::FIS::ExperimentTemplate").length).toBeGreaterThanOrEqual(
        Object.keys(FIS_ACTIONS).length,
      );
      const [roleId] = Object.entries(stack.Resources).find(
        ([, r]) => r.Metadata?.["aws:cdk:path"] === "GameDay/ExperimentRole/Role/Resource",
      )!;
      const granted = new Set(statementsOfRole(stack, roleId).flatMap((s) => s.Action));
      for (const [actionId, permissions] of Object.entries(FIS_ACTION_PERMISSIONS)) {
        const needed = [
          ...permissions.taggedResources,
          ...permissions.unscoped,
          ...(permissions.unscopedWrites ?? []).flatMap((w) => w.actions),
          ...(permissions.onResources ?? []).flatMap((g) => g.actions),
        ];
        for (const action of needed) expect(granted.has(action), `${actionId} needs ${action}`).toBe(true);
      }
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
