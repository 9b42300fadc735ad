import { describe, expect, it } from "vitest";
import { APPROVAL_TIMEOUT_SECONDS } from "../../src/core/plan/timing";
import { REHEARSAL_APPROVER } from "../../src/local/sdk-integrations";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { planFrom, rehearsePlan, run } from "../helpers";

const plan = () =>
  planFrom("plans/ecs-checkout-zone-loss.json", (p) => {
    p.requiresApproval = true;
  });

describe("a game day that asks for approval", () => {
  it("asks on the stack's topic before anything else, then runs once approved, and the report names the approver", async () => {
    const result = await rehearsePlan(plan(), { recordHistory: true });
    expect(result.report?.verdict).toBe("PASSED");
    const [request] = result.account.notifications;
    expect(request).toMatchObject({
      topicArn: expect.stringMatching(/^arn:aws:sns:us-east-1:\d{12}:GameDay-notifications$/),
      subject: "gameday: a game day asks for approval",
      attributes: { kind: "approval-request", execution: "test-ecs-checkout-zone-loss", timeoutSeconds: "3600" },
    });
    expect(request!.message).toContain("gameday approve test-ecs-checkout-zone-loss");
    expect(request!.attributes.taskToken).toMatch(/^[A-Za-z0-9_-]{16,}$/);
    // Asked before the steady state was read, so the baseline is fresh when the fault starts.
    const entered = (result.history ?? []).flatMap((e) =>
      e.stateEnteredEventDetails ? [e.stateEnteredEventDetails.name] : [],
    );
    expect(entered.indexOf("Ask for approval before injecting")).toBeLessThan(
      entered.indexOf("Check the steady state before injecting"),
    );
    expect(result.report?.findings[0]).toMatchObject({
      rule: "approval",
      verdict: null,
      message: expect.stringContaining(`Approved by ${REHEARSAL_APPROVER}`),
    });
    expect(result.iam?.asked).toContainEqual(
      expect.objectContaining({
        principal: "StateMachine",
        request: expect.objectContaining({ action: "sns:Publish" }),
      }),
    );
    expect(result.iam?.denied).toEqual([]);
  });

  it("ends ABORTED with nothing injected and its locks released when someone rejects it, naming who and why", async () => {
    const result = await rehearsePlan(plan(), { approval: "reject" });
    expect(result.report?.verdict).toBe("ABORTED");
    expect(result.report?.reason).toBe(
      `The game day was rejected before it injected anything: ${REHEARSAL_APPROVER}: rehearsed rejection.`,
    );
    expect(result.account.fis.experiments.size).toBe(0);
    expect(result.report?.rehearsal?.reportsStored).toBe(1);
    // The next game day on the same plan is not refused for a lock the rejected one kept.
    const next = await rehearsePlan(plan(), { account: result.account, executionName: "after-the-rejection" });
    expect(next.report?.verdict).toBe("PASSED");
  });

  it("ends ABORTED when nobody decides within the hour, and the orphan guard's deadline allows for the wait", async () => {
    const result = await rehearsePlan(plan(), { approval: "timeout" });
    expect(result.report?.verdict).toBe("ABORTED");
    expect(result.report?.reason).toBe("Nobody approved the game day within 1h, so it injected nothing.");
    expect(result.account.fis.experiments.size).toBe(0);
    const approved = await rehearsePlan(plan());
    const plain = await rehearsePlan(planFrom("plans/ecs-checkout-zone-loss.json"));
    const deadline = (r: typeof approved) =>
      Date.parse([...r.account.fis.experiments.values()][0]!.tags["gameday:deadline"]!);
    const started = (r: typeof approved) => Date.parse(r.report!.execution.startedAt);
    expect(deadline(approved) - started(approved) - (deadline(plain) - started(plain))).toBe(
      APPROVAL_TIMEOUT_SECONDS * 1000,
    );
  });
});

describe("a preview of a plan that asks for approval", () => {
  it("asks nobody: FIS skips every action, so there is nothing to approve", async () => {
    const result = await rehearsePlan(plan(), { input: { actionsMode: "skip-all" }, approval: "reject" });
    expect(result.account.notifications).toEqual([]);
    expect(result.report?.verdict).toBe("INCONCLUSIVE");
    expect(result.report?.findings.some((f) => f.rule === "preview")).toBe(true);
  });
});

describe("gameday rehearse --approval", () => {
  it("shows the wait in the live view with the commands that answer it, and rehearses a rejection", async () => {
    const folder = mkdtempSync(join(tmpdir(), "gameday-approval-"));
    const file = join(folder, "plan.json");
    const written = plan() as any;
    // Its templates stay where the example plan names them.
    for (const stage of written.stages)
      for (const e of stage.experiments) if (e.template.file) e.template.file = resolve("plans", e.template.file);
    writeFileSync(file, JSON.stringify(written));
    const { code, err, out } = await run(["rehearse", file, "--approval", "reject", "--out", join(folder, "out")]);
    expect(code).toBe(3);
    expect(err + out).toContain(
      "waiting for approval (gameday approve ecs-checkout-zone-loss-seed-1, or gameday reject ecs-checkout-zone-loss-seed-1 --reason …)",
    );
    expect(out).toMatch(/^ABORTED {2}ecs-checkout-zone-loss$/m);
    const refused = await run(["rehearse", file, "--approval", "maybe"]);
    expect(refused.code).toBe(2);
  });
});
