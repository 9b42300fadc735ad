import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { GAME_DAY_FUNCTION_ENTRIES } from "../../src/core/contract/functions";
import { readDefinition, substitute } from "../../src/local/definition";
import { rehearsalSubstitutions, REPORT_BUS } from "../../src/local/rehearsal";
import { planFrom, rehearsePlan } from "../helpers";
import { logicalIdAt, synthesizedStack } from "./assembly";
import { deployedDefinition } from "./definition";

const { template } = synthesizedStack();

// The deployed ARNs, spelled as the rehearsal spells them, so the local runner can answer every Task.
const rehearsalArns = rehearsalSubstitutions();
const overrides: Record<string, string> = {
  ...Object.fromEntries(
    Object.keys(GAME_DAY_FUNCTION_ENTRIES).map((key) => [
      `${logicalIdAt(template, `GameDay/Orchestrator/${key}/Function/Resource`)}.Arn`,
      rehearsalArns[`${key}FunctionArn`]!,
    ]),
  ),
  [logicalIdAt(template, "GameDay/Reports/Bus/Resource")]: REPORT_BUS,
  [logicalIdAt(template, "GameDay/Orchestrator/Notifications/Resource")]: rehearsalArns.NotificationTopicArn!,
};
const deployed = deployedDefinition(template, overrides);

describe("the deployed definition is the rehearsed one", () => {
  it("equals state-machines/game-day.asl.json once its ARNs are substituted", () => {
    expect(JSON.parse(deployed)).toEqual(substitute(readDefinition(), rehearsalArns));
  });

  it.each(readdirSync("plans").map((f) => `plans/${f}`))(
    "rehearses %s to the same outcome as the repository's file",
    async (file) => {
      const plan = planFrom(file);
      const fromStack = await rehearsePlan(plan, { definition: deployed, seed: 7 });
      const fromRepository = await rehearsePlan(plan, { seed: 7 });
      expect(fromStack.status).toBe("SUCCEEDED");
      expect(fromStack.report?.verdict).toBeDefined();
      expect(fromStack.report?.verdict).toBe(fromRepository.report?.verdict);
      expect(fromStack.stateTransitions).toBe(fromRepository.stateTransitions);
      expect(fromStack.report?.rehearsal?.orphanedExperiments).toBe(0);
    },
  );
});
