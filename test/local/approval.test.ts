import { describe, expect, it } from "vitest";
import { APPROVAL_TIMEOUT_SECONDS } from "../../src/core/plan/timing";
import { REHEARSAL_APPROVER } from "../../src/local/sdk-integrations";
import { planFrom, rehearsePlan } from "../helpers";

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
