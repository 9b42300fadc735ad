import { STATE_MACHINE_ARN } from "../../src/local/rehearsal";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createValidatePlan } from "../../src/handlers/validate-plan";
import { deployedCatalogs, TEMPLATE_IDS_VARIABLE } from "../../src/aws/catalogs";
import type { TargetDirectory } from "../../src/core/ports";
import type { FisTarget } from "../../src/core/template/schema";
import { SimulatedLockTable } from "../../src/sim/locks";
import { logicalIdAt, resolveIntrinsics, resourcesOfType, synthesizedStack } from "./assembly";

const { template, directory } = synthesizedStack();
const fn = template.Resources[logicalIdAt(template, "GameDay/Orchestrator/ValidatePlan/Function/Resource")]!;

// Deployed template ids, as CloudFormation would fill them in.
const deployedIds = Object.fromEntries(
  resourcesOfType(template, "AWS::FIS::ExperimentTemplate").map(([id], i) => [id, `EXT${String(i).padStart(14, "0")}`]),
);

/** What GetExperimentTemplate would answer for each deployed template: its Targets, from the template synthesized. */
const deployedTargets: TargetDirectory = {
  async templateTargets(templateId) {
    const logicalId = Object.entries(deployedIds).find(([, id]) => id === templateId)?.[0];
    const targets = logicalId ? template.Resources[logicalId]!.Properties.Targets : undefined;
    if (!targets) return undefined;
    return Object.fromEntries(
      Object.entries(targets as Record<string, any>).map(([name, t]): [string, FisTarget] => [
        name,
        {
          resourceType: t.ResourceType,
          selectionMode: t.SelectionMode,
          ...(t.ResourceArns ? { resourceArns: t.ResourceArns } : {}),
          ...(t.ResourceTags ? { resourceTags: t.ResourceTags } : {}),
          ...(t.Parameters ? { parameters: t.Parameters } : {}),
        },
      ]),
    );
  },
  async taggedResources() {
    return [];
  },
};
const locks = new SimulatedLockTable();

/** The validate-plan function as Lambda runs it: its bundle's directory and its environment. */
function deployedValidatePlan() {
  process.env.LAMBDA_TASK_ROOT = join(directory, fn.Metadata!["aws:asset:path"] as string);
  process.env[TEMPLATE_IDS_VARIABLE] = resolveIntrinsics(
    fn.Properties.Environment.Variables[TEMPLATE_IDS_VARIABLE],
    deployedIds,
  );
  return createValidatePlan({
    ...deployedCatalogs(),
    clock: { now: () => Date.parse("2026-11-24T10:00:00Z") },
    locks,
    targets: deployedTargets,
    // The template's role is not what this test is about: every permission is granted.
    permissions: { templateActions: async () => undefined, denied: async () => [] },
    traceDestination: { current: async () => ({ destination: "XRay" as const, status: "ACTIVE" }) },
    experiments: { liveSummaries: async () => [], resolvedTargets: async () => ({}) },
    calendars: { state: async () => ({ state: "OPEN" as const }) },
  });
}

afterEach(() => {
  delete process.env.LAMBDA_TASK_ROOT;
  delete process.env[TEMPLATE_IDS_VARIABLE];
});

describe("starting a game day from the console", () => {
  it.each(["aurora-failover", "ec2-web-tier", "ecs-checkout-zone-loss", "eks-catalog-pods"])(
    '{"plan": "%s"} resolves to the deployed templates',
    async (plan) => {
      const state = await deployedValidatePlan()({
        input: { plan },
        executionName: `console-${plan}`,
        stateMachine: STATE_MACHINE_ARN,
      });
      expect(state.plan.name).toBe(plan);
      const ids = state.stages.flatMap((s) => s.experiments.map((e) => e.templateId));
      expect(ids.length).toBeGreaterThan(0);
      for (const id of ids) expect(Object.values(deployedIds)).toContain(id);
      // The run locks cover the plan and the deployed templates' target selectors.
      const held = await locks.heldBy(`console-${plan}`);
      expect(held).toContain(`plan:${plan}`);
      expect(held.some((key) => key.startsWith("selector:") || key.startsWith("eks-namespace:"))).toBe(true);
      expect(state.run.lockedKeys).toBe(held.length);
    },
  );

  it("names the plans that ship with the stack when the input names another", async () => {
    await expect(
      deployedValidatePlan()({ input: { plan: "checkout" }, executionName: "x", stateMachine: STATE_MACHINE_ARN }),
    ).rejects.toThrow(
      'No plan named "checkout" ships with this stack. Known plans: aurora-failover-recovers, aurora-failover, dynamodb-orders-replication-pause, ec2-web-tier, ecs-checkout-zone-loss, eks-catalog-pods.',
    );
  });

  it("explains the expected input when there is no plan", async () => {
    await expect(
      deployedValidatePlan()({ input: {}, executionName: "x", stateMachine: STATE_MACHINE_ARN }),
    ).rejects.toThrow('{"plan": "<name>"}');
  });
});
