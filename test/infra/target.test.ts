import { describe, expect, it } from "vitest";
import { describeTarget } from "../../infra/app";
import { overviewDashboardName, planDashboardName } from "../../infra/dashboards";

describe("what a synth targets", () => {
  it("names the account and Region", () => {
    expect(describeTarget("GameDay", { account: "111122223333", region: "eu-west-1" })).toBe(
      "gameday: stack GameDay for account 111122223333, Region eu-west-1",
    );
  });
  it("says so when it targets none, and what to set", () => {
    expect(describeTarget("GameDayStaging", { region: "us-east-1" })).toMatch(
      /^gameday: stack GameDayStaging for no account or Region \(environment-agnostic: account unset; set AWS_PROFILE/,
    );
  });
});

describe("dashboard names across stacks", () => {
  /** An IAM resource pattern as IAM matches it: * any run of characters. */
  const matches = (pattern: string, name: string) =>
    new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`).test(name);

  it("never collide, and one stack's grant on its plan dashboards reaches no other stack's", () => {
    const stacks = ["GameDay", "GameDay-prod", "GameDay-prod-eu", "Game"];
    const plans = ["checkout", "prod-checkout", "eu-checkout", "overview"];
    const names = stacks.flatMap((stack) => [
      overviewDashboardName(stack),
      ...plans.map((plan) => planDashboardName(stack, plan)),
    ]);
    expect(new Set(names).size).toBe(names.length);
    for (const stack of stacks) {
      const grant = `${planDashboardName(stack, "")}*`;
      for (const other of stacks.filter((s) => s !== stack))
        for (const plan of plans)
          expect(matches(grant, planDashboardName(other, plan)), `${grant} ⊅ ${other}`).toBe(false);
    }
    // The names CloudWatch accepts: letters, digits, - and _.
    for (const name of names) expect(name).toMatch(/^[A-Za-z0-9_-]{1,255}$/);
  });
});
