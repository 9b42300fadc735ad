import { readFileSync } from "node:fs";
import aslValidator from "asl-validator";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { planSchema } from "../../src/core/plan/schema";
import { reportSchema } from "../../src/core/report/schema";
import { worldSchema } from "../../src/sim/world-schema";
import { allStates, readDefinition, substitute } from "../../src/local/definition";
import { rehearsalSubstitutions } from "../../src/local/rehearsal";
import { run } from "../helpers";
import { rememberValidated, validatedBefore } from "../../src/local/validated-definitions";

const definition = substitute(readDefinition(), rehearsalSubstitutions());
const states = allStates(definition);

describe("state-machines/game-day.asl.json", () => {
  it("is valid ASL", () => {
    const { isValid, errorsText } = (aslValidator as any)(JSON.parse(readDefinition()));
    expect(errorsText?.() ?? "").toBe("");
    expect(isValid).toBe(true);
  });

  it("uses JSONPath only (the local interpreter ignores JSONata)", () => {
    expect(readDefinition()).not.toMatch(/JSONata|"Assign"|\{%/);
  });

  it("gives every Task a Retry, and a Catch unless a Map state around it catches", () => {
    for (const [name, state] of states) {
      if (state.Type !== "Task") continue;
      expect(state.Retry, name).toBeDefined();
      const inMap = ["Start an FIS experiment", "Stop an FIS experiment"].includes(name);
      if (!inMap) expect(state.Catch, name).toBeDefined();
    }
    for (const name of ["Start the stage's experiments", "Stop the experiments: a guardrail broke or time ran out"]) {
      expect(states.get(name)!.Catch).toBeDefined();
    }
  });

  it("handles all four terminal FIS states through the observer, not the Choice (no state can loop forever)", () => {
    const choice = states.get("What does the fault watch say?")!;
    expect(JSON.stringify(choice)).toContain("watch-recovery");
    const source = readFileSync("src/core/ports/index.ts", "utf8");
    for (const status of ["completed", "stopped", "failed", "cancelled"]) expect(source).toContain(`"${status}"`);
  });

  it("waits before every poll, so no loop runs without a Wait", () => {
    expect(states.get("Wait for the next fault poll")!.Next).toBe("Observe the system during the fault");
    expect(states.get("Wait for the next recovery poll")!.Next).toBe("Observe the system's recovery");
    expect(states.get("Wait for the experiments to stop")!.Next).toBe("Stop every experiment this game day started");
  });

  it("starts experiments with a ClientToken computed before the task, so retries reuse it", () => {
    const start = states.get("Start an FIS experiment")!;
    expect(start.Parameters).toMatchObject({
      "ClientToken.$": "$.clientToken",
      Tags: { "gameday:execution.$": "$.executionName" },
    });
  });
});

describe("published plan schema", () => {
  it("matches the schema generated from the validator", () => {
    const generated = { ...z.toJSONSchema(planSchema, { io: "input", unrepresentable: "any" }), title: "gameday plan" };
    expect(JSON.parse(readFileSync("schemas/plan.schema.json", "utf8"))).toEqual(generated);
  });

  it("publishes the world format's schema, generated from the world validator, and the example world has it", async () => {
    const generated = {
      ...z.toJSONSchema(worldSchema, { io: "input", unrepresentable: "any" }),
      title: "gameday world",
    };
    expect(JSON.parse(readFileSync("schemas/world.schema.json", "utf8"))).toEqual(generated);
    const { code, out } = await run(["schema", "world"]);
    expect(code).toBe(0);
    expect(JSON.parse(out)).toEqual(generated);
    expect((await run(["schema", "worlds"])).code).toBe(2);
  });

  it("publishes the report schema the store holds every report to, and a rehearsed report meets it", async () => {
    const generated = {
      ...z.toJSONSchema(reportSchema, { io: "input", unrepresentable: "any" }),
      title: "gameday report",
    };
    expect(JSON.parse(readFileSync("schemas/report.schema.json", "utf8"))).toEqual(generated);
    const { rehearsePlan, planFrom } = await import("../helpers");
    const report = (await rehearsePlan(planFrom("plans/ecs-checkout-zone-loss.json"))).report!;
    const { default: Ajv } = await import("ajv/dist/2020.js");
    // Formats are left to the patterns zod writes beside them (an ISO-8601 time has one).
    const validate = new Ajv({ strict: false, validateFormats: false }).compile(generated);
    expect(validate(JSON.parse(JSON.stringify(report))), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ ...report, execution: { ...report.execution, startedAt: "Jan 1 2099" } })).toBe(false);
  });
});

describe("validating the definition once per content", () => {
  it("remembers only what was validated, by content: a changed definition is validated again", () => {
    const definition = {
      Comment: `probe ${Date.now()} ${Math.random()}`,
      StartAt: "Done",
      States: { Done: { Type: "Succeed" } },
    };
    expect(validatedBefore(definition)).toBe(false);
    rememberValidated(definition);
    expect(validatedBefore(definition)).toBe(true);
    expect(validatedBefore({ ...definition, Comment: `${definition.Comment} changed` })).toBe(false);
  });

  it("still refuses a broken definition on first use", async () => {
    const broken = readDefinition().replace('"Type": "Choice"', '"Type": "Chooce"');
    const { rehearsePlan, planFrom } = await import("../helpers");
    await expect(rehearsePlan(planFrom("plans/ecs-checkout-zone-loss.json"), { definition: broken })).rejects.toThrow(
      /definition is invalid/,
    );
  });
});
