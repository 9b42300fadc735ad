import { STATE_MACHINE_ARN } from "../../src/local/rehearsal";
import { describe, expect, it } from "vitest";
import { isTerminal } from "../../src/core/ports";
import { fixture, planFrom, rehearsePlan } from "../helpers";

const ECS = "plans/ecs-checkout-zone-loss.json";
const withTemplate = (file: string) => (plan: any) => {
  plan.stages = [{ name: "Inject", experiments: [{ template: { file } }] }];
};
const everyExperimentEnded = (r: Awaited<ReturnType<typeof rehearsePlan>>) =>
  [...r.account.fis.experiments.values()].every((e) => isTerminal(e.status));

describe("the game-day state machine, run in aws-local-stepfunctions", () => {
  it("passes when the hypothesis holds and the system recovers", async () => {
    const r = await rehearsePlan(planFrom(ECS));
    expect(r.status).toBe("SUCCEEDED");
    expect(r.report).toMatchObject({ verdict: "PASSED", recovery: expect.any(Number) });
    expect(r.report!.experiments[0]).toMatchObject({
      status: "completed",
      actions: [{ actionId: "aws:ecs:stop-task", status: "completed" }],
    });
    expect(r.report!.rehearsal!.orphanedExperiments).toBe(0);
    expect(r.enteredStates.get("Game day passed")).toBe(1);
  });

  it("fails when the system does not recover within the recovery window", async () => {
    const r = await rehearsePlan(planFrom("plans/aurora-failover.json"));
    expect(r.report).toMatchObject({ verdict: "FAILED", recovery: null });
    expect(r.report!.reason).toMatch(/did not stay back in bounds for 3 poll\(s\) within the 2m recovery window/);
    // The load balancer's minutes are published a minute late: within a 2-minute window its readings still
    // describe the failover (judged with the fault), so the traces are what show recovery did not come.
    expect(r.report!.findings.filter((f) => f.rule === "not-recovered").map((f) => f.probeId)).toContain(
      "checkoutTraces",
    );
    expect(r.report!.findings).toContainEqual(
      expect.objectContaining({ rule: "tolerated", probeId: "frontDoorFaultPercent" }),
    );
    expect(r.enteredStates.get("Game day failed: the hypothesis did not hold")).toBe(1);
  });

  it("never passes a game day whose only action waits: a wait injects no fault", async () => {
    const r = await rehearsePlan(planFrom(ECS, withTemplate(fixture("long-wait.json"))));
    expect(r.report!.experiments[0]!.actions.map((a) => [a.actionId, a.status])).toEqual([
      ["aws:fis:wait", "completed"],
    ]);
    expect(r.report!.verdict).toBe("INCONCLUSIVE");
    expect(r.report!.findings.map((f) => f.rule)).toContain("nothing-injected");
  });

  it("never passes automations it cannot simulate between waits: nothing was injected", async () => {
    const r = await rehearsePlan(planFrom(ECS, withTemplate(fixture("automation-and-waits.json"))));
    expect(r.report!.verdict).toBe("INCONCLUSIVE");
    expect(r.report!.findings.map((f) => f.rule)).toContain("nothing-injected");
  });

  it("names the fault actions that ran and those that did not when only part of the fault was injected", async () => {
    const r = await rehearsePlan(
      planFrom("plans/aurora-failover-recovers.json", withTemplate(fixture("failover-with-load-test.json"))),
    );
    const statuses = Object.fromEntries(r.report!.experiments[0]!.actions.map((a) => [a.name, a.status]));
    expect(statuses.failover).toBe("completed");
    expect(statuses["load-test"]).not.toMatch(/running|completed/);
    // The load test is an automation nobody declared: the rehearsal could not simulate it, so the hypothesis was
    // not tested against the whole fault (unless what ran already broke it).
    expect(["INCONCLUSIVE", "FAILED"]).toContain(r.report!.verdict);
    expect(r.report!.reason).toMatch(
      /Only part of the fault was injected: failover \(aws:rds:failover-db-cluster\) ran; load-test \(aws:ssm:start-automation-execution\) \w+.* did not, so the hypothesis was not tested against the whole fault: declare what the rehearsal could not simulate\./,
    );
  });

  it("stops the experiment after two consecutive breaching polls", async () => {
    const r = await rehearsePlan(planFrom(ECS, withTemplate(fixture("overload-web-cpu.json"))));
    expect(r.report!.verdict).toBe("FAILED");
    expect(r.report!.stages[0]).toMatchObject({ stoppedBy: "guardrail", polls: expect.any(Number) });
    expect(r.report!.stages[0]!.guardrailProbes.length).toBeGreaterThan(0);
    expect(r.report!.experiments[0]).toMatchObject({ status: "stopped", actions: [{ status: "stopped" }] });
    expect(r.enteredStates.get("Stop an FIS experiment")).toBe(1);
    // Two breaching polls, not more: the stop comes within one poll of the guardrail's limit, once CloudWatch has
    // published the first breaching minute (up to a 60-s period and a 60-s delay after the fault began: 4 polls).
    expect(r.report!.stages[0]!.polls).toBeLessThanOrEqual(6);
    expect(everyExperimentEnded(r)).toBe(true);
  });

  it("ends in ERROR when FIS fails the experiment (empty target resolution)", async () => {
    const r = await rehearsePlan(planFrom(ECS, withTemplate(fixture("empty-targets.json"))));
    expect(r.report!.verdict).toBe("ERROR");
    expect(r.report!.experiments[0]).toMatchObject({ status: "failed", reason: expect.stringContaining("empty") });
    expect(r.status).toBe("FAILED");
    expect(r.error?.name).toBe("GameDay.Error");
  });

  it("ends ABORTED when someone cancels the experiment", async () => {
    const r = await rehearsePlan(planFrom(ECS, withTemplate(fixture("long-wait.json"))), {
      wrapHandler: (account) => (key, handler) => async (event) => {
        if (key === "ObserveFault")
          for (const e of account().fis.experiments.values()) account().fis.cancelExperiment(e.id);
        return handler(event);
      },
    });
    expect(r.report!.verdict).toBe("ABORTED");
    expect(r.report!.experiments[0]!.status).toBe("cancelled");
  });

  it("refuses to inject into a system that is not steady, and starts nothing", async () => {
    const r = await rehearsePlan(planFrom(ECS, (plan) => (plan.hypothesis.probes[1].bounds.max = 0.05)));
    expect(r.report).toMatchObject({ verdict: "ABORTED", experiments: [] });
    expect(r.report!.reason).toMatch(/not steady/);
    expect(r.account.fis.experiments.size).toBe(0);
    expect(r.enteredStates.has("Start the stage's experiments")).toBe(false);
  });

  it("stops what runs and still publishes a report when a Lambda fails after an experiment started", async () => {
    const r = await rehearsePlan(planFrom(ECS, withTemplate(fixture("long-wait.json"))), {
      wrapHandler: () => (key, handler) => async (event) => {
        if (key === "ObserveFault") throw Object.assign(new Error("the observer crashed"), { name: "ObserverCrashed" });
        return handler(event);
      },
    });
    expect(r.report!.verdict).toBe("ERROR");
    expect(r.report!.reason).toMatch(/ObserverCrashed/);
    expect(r.report!.cleanup!.stopped).toHaveLength(1);
    expect(r.report!.experiments[0]!.status).toBe("stopped");
    expect(r.report!.rehearsal!.orphanedExperiments).toBe(0);
    expect(r.account.events).toHaveLength(1);
  });

  it("fails the execution without starting anything when the plan is invalid", async () => {
    const r = await rehearsePlan(planFrom(ECS), {
      wrapHandler: () => (key, handler) => async (event: any) =>
        key === "ValidatePlan" ? handler({ ...event, input: { plan: { name: "x" } } }) : handler(event),
    });
    expect(r.status).toBe("FAILED");
    expect(r.error?.name).toBe("GameDay.InvalidPlan");
    expect(r.account.fis.experiments.size).toBe(0);
    // The orphan guard still gives the execution its one report, naming the refusal.
    expect(r.report).toMatchObject({ verdict: "ABORTED", rehearsal: { reportsStored: 1 } });
    expect(r.report!.reason).toContain("GameDay.InvalidPlan");
  });

  it("derives each StartExperiment ClientToken from the state machine, execution, stage and index", async () => {
    const r = await rehearsePlan(planFrom("plans/ec2-web-tier.json"));
    const tokens = [...r.account.fis.experiments.values()].map((e) => e.clientToken);
    expect(tokens).toEqual([
      expect.stringMatching(/^test-ec2-web-tier-s0-e0-[0-9a-f]{12}$/),
      expect.stringMatching(/^test-ec2-web-tier-s1-e0-[0-9a-f]{12}$/),
    ]);
    // Another stack's execution of the same name gets other tokens, so FIS never hands it this one's experiment.
    const other = await rehearsePlan(planFrom("plans/ec2-web-tier.json"), {
      stateMachineArn: "arn:aws:states:us-east-1:123456789012:stateMachine:Staging-Orchestrator",
    });
    const otherTokens = [...other.account.fis.experiments.values()].map((e) => e.clientToken);
    expect(otherTokens.filter((t) => tokens.includes(t))).toEqual([]);
    expect([...r.account.fis.experiments.values()][0]!.tags).toMatchObject({
      "gameday:execution": "test-ec2-web-tier",
      "gameday:state-machine": STATE_MACHINE_ARN,
      "gameday:plan": "ec2-web-tier",
    });
  });

  it("costs three state transitions per poll", async () => {
    const r = await rehearsePlan(planFrom(ECS));
    expect(r.report!.rehearsal!.transitionsPerPoll).toBe(3);
  });
});
