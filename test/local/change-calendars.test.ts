import { describe, expect, it } from "vitest";
import { planFrom, rehearsePlan, world } from "../helpers";

/** The web shop with one change calendar, CLOSED from 09:00 to 12:00 on the day the rehearsal starts (10:00). */
const withCalendar = (closed: { from: string; until: string }[]) => ({
  ...world(),
  changeCalendars: [{ name: "prod-change-freeze", closed }],
});
const FREEZE = { from: "2026-01-05T09:00:00Z", until: "2026-01-05T12:00:00Z" };
const LATER = { from: "2026-01-06T09:00:00Z", until: "2026-01-06T12:00:00Z" };

const plan = (calendars: string[]) =>
  planFrom("plans/ecs-checkout-zone-loss.json", (p) => {
    p.changeCalendars = calendars;
  });

describe("change calendars", () => {
  it("refuses a game day during a change freeze before it injects anything, and stores a refusal, never a baseline", async () => {
    const result = await rehearsePlan(plan(["prod-change-freeze"]), { world: withCalendar([FREEZE]) });
    expect(result.status).toBe("FAILED");
    expect(result.account.fis.experiments.size).toBe(0);
    expect(result.report?.verdict).toBe("ABORTED");
    expect(result.report?.reason).toContain('Change calendar "prod-change-freeze" is CLOSED');
    expect(result.report?.reason).toContain("it opens at 2026-01-05T12:00:00.000Z");
    expect(result.report?.rehearsal?.reportsStored).toBe(1);
    expect([...result.account.reportBucket.objects.keys()].some((k) => k.endsWith("latest.json"))).toBe(false);
    expect(result.iam?.denied).toEqual([]);
  });

  it("runs the game day while every calendar it names is OPEN", async () => {
    const result = await rehearsePlan(plan(["prod-change-freeze"]), { world: withCalendar([LATER]) });
    expect(result.report?.verdict).toBe("PASSED");
    expect(result.iam?.asked).toContainEqual(
      expect.objectContaining({
        principal: "ValidatePlan",
        request: expect.objectContaining({ action: "ssm:GetCalendarState" }),
      }),
    );
  });

  it("refuses a plan that names a calendar the account does not have, as an invalid plan", async () => {
    const result = await rehearsePlan(plan(["prod-change-frezee"]), { world: withCalendar([LATER]) });
    expect(result.account.fis.experiments.size).toBe(0);
    expect(result.report?.verdict).toBe("ABORTED");
    expect(result.report?.reason).toContain("GameDay.InvalidPlan");
    expect(result.report?.reason).toContain('change calendar "prod-change-frezee", which SSM does not know');
  });

  it("cannot read another account's calendar: the stack grants its own account's only", async () => {
    const result = await rehearsePlan(plan(["arn:aws:ssm:us-east-1:999999999999:document/prod-change-freeze"]), {
      world: withCalendar([LATER]),
    });
    expect(result.account.fis.experiments.size).toBe(0);
    expect(result.iam?.denied).toContainEqual(expect.objectContaining({ action: "ssm:GetCalendarState" }));
  });
});
