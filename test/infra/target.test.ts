import { describe, expect, it } from "vitest";
import { describeTarget } from "../../infra/app";

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
