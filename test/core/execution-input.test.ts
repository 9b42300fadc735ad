import { describe, expect, it } from "vitest";
import { checkExecutionInput, checkExecutionName } from "../../src/core/gameday/execution-input";

describe("checkExecutionInput", () => {
  it.each([
    [{ plan: "p" }, { plan: "p" }],
    [
      { plan: { name: "x" }, actionsMode: "skip-all" },
      { plan: { name: "x" }, actionsMode: "skip-all" },
    ],
    [
      { plan: "p", actionsMode: "run-all" },
      { plan: "p", actionsMode: "run-all" },
    ],
  ])("accepts %j", (input, expected) => expect(checkExecutionInput(input)).toEqual(expected));

  it.each([
    [null, /must be an object/],
    [[], /must be an object/],
    [{}, /needs a plan/],
    [{ plann: "p" }, /unknown key "plann" \(did you mean "plan"\?\)/],
    [{ plan: "p", actionMode: "skip-all" }, /unknown key "actionMode" \(did you mean "actionsMode"\?\)/],
    [{ plan: "p", dryRun: true }, /unknown key "dryRun"; it may hold only plan and actionsMode/],
    [{ plan: "p", actionsMode: "preview" }, /actionsMode is "preview"; it is "run-all"/],
    [{ plan: "p", actionsMode: 1 }, /actionsMode is 1;/],
  ])("refuses %j, naming the key and the nearest known one", (input, why) => {
    expect(() => checkExecutionInput(input)).toThrowError(why);
    try {
      checkExecutionInput(input);
    } catch (error) {
      expect((error as Error).name).toBe("GameDay.InvalidInput");
    }
  });
});

describe("checkExecutionName", () => {
  it.each(["checkout-2026-11-24", "nightly_42", "a".repeat(80)])("accepts %s", (name) =>
    expect(() => checkExecutionName(name)).not.toThrow(),
  );
  it.each([
    ["release-1.2.3", /cannot name a report/],
    ["a b", /cannot name a report/],
    ["a".repeat(81), /cannot name a report/],
    ["latest", /is reserved: reports\/<plan>\/latest\.json is the plan's baseline/],
  ])("refuses %s before anything is injected", (name, why) => {
    expect(() => checkExecutionName(name)).toThrowError(why);
  });
});
