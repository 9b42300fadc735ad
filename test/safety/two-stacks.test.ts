import { describe, expect, it } from "vitest";
import { EXECUTION_TAG, STATE_MACHINE_TAG } from "../../src/core/gameday/state";
import { STATE_MACHINE_ARN, type RehearsalResult } from "../../src/local/rehearsal";
import { SimulatedAccount } from "../../src/sim/account";
import { planFrom, rehearsePlan, world } from "../helpers";
import { cachedPolicyTemplate } from "../../infra/policy-template";
import { loadStackPolicies } from "../../src/local/iam/stack-policies";

const STAGING = "arn:aws:states:us-east-1:123456789012:stateMachine:GameDayStaging-Orchestrator";
const NAME = "checkout-2026-11-24";

const experimentsOf = (account: SimulatedAccount, stateMachine: string) =>
  [...account.fis.experiments.values()].filter(
    (e) => e.tags[EXECUTION_TAG] === NAME && e.tags[STATE_MACHINE_TAG] === stateMachine,
  );

/**
 * Two gameday stacks in one account, each running an execution named NAME: production's runs the EC2 plan (ten
 * minutes of CPU stress); while that fault is live, staging's runs the ECS plan and is stopped from outside, so staging's orphan guard (and
 * every sweep after it) looks for experiments of NAME.
 */
async function twoStacks(
  stagingFaults: Parameters<typeof rehearsePlan>[1] = {},
  stagingPlan = "plans/ecs-checkout-zone-loss.json",
) {
  const account = new SimulatedAccount(world(), 11);
  let staging: RehearsalResult | undefined;
  let productionDuringStaging: string[] = [];
  const production = await rehearsePlan(planFrom("plans/ec2-web-tier.json"), {
    account,
    executionName: NAME,
    wrapHandler: () => (key, handler) => async (event) => {
      if (key === "ObserveFault" && !staging) {
        staging = await rehearsePlan(planFrom(stagingPlan), {
          account,
          executionName: NAME,
          stateMachineArn: STAGING,
          // Staging's game day runs under its own stack's policies, as deployed.
          iam: loadStackPolicies(cachedPolicyTemplate("GameDayStaging")),
          ...stagingFaults,
        });
        await account.fis.listLive(EXECUTION_TAG);
        productionDuringStaging = experimentsOf(account, STATE_MACHINE_ARN).map((e) => e.status);
      }
      return handler(event);
    },
  });
  return { account, production, staging: staging!, productionDuringStaging };
}

describe("two gameday stacks in one account", () => {
  it("never stop, report or unlock each other's game day of the same execution name", async () => {
    const { account, production, staging, productionDuringStaging } = await twoStacks({
      faults: [{ kind: "abort-at", afterSeconds: 45 }, { kind: "lose-status-event" }],
    });
    // Staging was stopped from outside; its guard and sweeps looked for NAME and saw only staging's experiment.
    expect(staging.status).toBe("ABORTED");
    expect(staging.report).toMatchObject({ verdict: "ABORTED", execution: { name: NAME } });
    expect(staging.report!.experiments.map((e) => e.experimentId)).toEqual(
      experimentsOf(account, STAGING).map((e) => e.id),
    );
    expect(experimentsOf(account, STAGING)).toHaveLength(1);
    // Production's fault ran its course, untouched: its own verdict, its own report in its own bucket.
    expect(productionDuringStaging).not.toContain("stopping");
    expect(productionDuringStaging).not.toContain("stopped");
    expect(production.status).toBe("SUCCEEDED");
    expect(production.report!.verdict, JSON.stringify(production.report!.findings)).toBe("PASSED");
    expect(experimentsOf(account, STATE_MACHINE_ARN).map((e) => e.status)).toEqual(["completed", "completed"]);
    expect(account.stackOf(STATE_MACHINE_ARN).reportBucket.reportsOf(NAME)).toHaveLength(1);
    expect(account.stackOf(STAGING).reportBucket.reportsOf(NAME)).toHaveLength(1);
    expect(await account.stackOf(STATE_MACHINE_ARN).locks.heldBy(NAME)).toEqual([]);
    expect(await account.stackOf(STAGING).locks.heldBy(NAME)).toEqual([]);
  });

  it("never run game days on the same resources at once: the second stack's is refused before it injects", async () => {
    // Staging runs production's own plan (the same web instances) while production's CPU stress is live. The
    // stacks share no lock table; FIS's resolved targets of production's live experiment stop staging.
    const { account, production, staging } = await twoStacks({}, "plans/ec2-web-tier.json");
    expect(staging.status).toBe("FAILED");
    expect(staging.error?.name).toBe("GameDay.Overlap");
    expect(staging.error?.cause).toMatch(
      /FIS experiment \S+, of game day "checkout-2026-11-24" .* is acting on arn:aws:ec2:/,
    );
    expect(experimentsOf(account, STAGING)).toEqual([]);
    expect(await account.stackOf(STAGING).locks.heldBy(NAME)).toEqual([]);
    expect(production.report!.verdict).toBe("PASSED");
  });
});
