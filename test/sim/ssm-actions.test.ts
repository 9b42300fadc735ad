import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ACTION_MODELS, type ActionContext } from "../../src/sim/fis-actions";
import type { SimResource } from "../../src/sim/resources";
import { World } from "../../src/sim/world";
import { worldSchema, type WorldDefinition } from "../../src/sim/world-schema";

const START = Date.parse("2026-01-05T10:00:00Z");
const MINUTE = 60_000;

function webShop(extra: Partial<WorldDefinition> = {}): World {
  const definition = worldSchema.parse({ ...JSON.parse(readFileSync("worlds/web-shop.json", "utf8")), ...extra });
  return new World(definition, 1, START, 600);
}

/** Runs one action on every unit of a tier (or none) at START, then reads the tiers while it is live. */
function act(world: World, actionId: string, parameters: Record<string, string>, tier?: string) {
  const targets: Record<string, SimResource[]> = tier
    ? {
        Instances: world.units
          .filter((u) => u.tier === tier)
          .map((u) => ({ arn: `arn:${u.id}`, type: "aws:ec2:instance", tier, unitId: u.id, tags: {} }) as SimResource),
      }
    : {};
  const context: ActionContext = { world, targets, parameters, at: START, key: "EXP1/a", actionId };
  const seconds = ACTION_MODELS[actionId]!(context);
  world.advanceTo(START + 2 * MINUTE);
  // Twenty seconds in: effects are live, a killed process not yet restarted.
  const during = world.snapshots.find((s) => s.t >= START + 20_000)!.tiers;
  return { seconds, during };
}

const before = () => {
  const world = webShop();
  world.advanceTo(START + 2 * MINUTE);
  return world.snapshots.find((s) => s.t >= START + 20_000)!.tiers;
};

const doc = (name: string, parameters: Record<string, string> = {}) => ({
  documentArn: `arn:aws:ssm:us-east-1::document/${name}`,
  documentParameters: JSON.stringify({ DurationSeconds: "300", ...parameters }),
});

describe("aws:ssm:send-command with AWS's AWSFIS-Run-* documents", () => {
  const baseline = before().web!;
  it.each<{ name: string; params: Record<string, string>; shows: string; more: boolean }>([
    { name: "AWSFIS-Run-CPU-Stress", params: { LoadPercent: "100" }, shows: "cpu", more: true },
    { name: "AWSFIS-Run-Memory-Stress", params: { Percent: "90" }, shows: "p50", more: true },
    { name: "AWSFIS-Run-IO-Stress", params: { Percent: "80" }, shows: "p50", more: true },
    { name: "AWSFIS-Run-Disk-Fill", params: { Percent: "100" }, shows: "faults", more: true },
    {
      name: "AWSFIS-Run-Network-Blackhole-Port",
      params: { Port: "443", Protocol: "tcp" },
      shows: "faults",
      more: true,
    },
    { name: "AWSFIS-Run-Network-Latency", params: { DelayMilliseconds: "400" }, shows: "p50", more: true },
    { name: "AWSFIS-Run-Network-Latency-Sources", params: { DelayMilliseconds: "400" }, shows: "p50", more: true },
    { name: "AWSFIS-Run-Network-Packet-Loss", params: { LossPercent: "30" }, shows: "faults", more: true },
    { name: "AWSFIS-Run-Network-Packet-Loss-Sources", params: { LossPercent: "30" }, shows: "faults", more: true },
    { name: "AWSFIS-Run-Kill-Process", params: { ProcessName: "nginx" }, shows: "healthyUnits", more: false },
  ])("$name changes the tier's $shows", ({ name, params, shows, more }) => {
    const { seconds, during } = act(webShop(), "aws:ssm:send-command", doc(name, params), "web");
    expect(seconds).toBe(300);
    const key = shows as "cpu" | "p50" | "faults" | "healthyUnits";
    if (more) expect(during.web![key]).toBeGreaterThan(baseline[key] * 1.2 + 0.001);
    else expect(during.web![key]).toBeLessThan(baseline[key]);
  });

  it("skips a document it does not know, naming what to declare", () => {
    const { seconds } = act(webShop(), "aws:ssm:send-command", doc("Team-Break-Cache"), "web");
    expect(seconds).toEqual({ notModeled: expect.stringContaining('"document": "Team-Break-Cache"') });
  });
});

describe("declared effects of custom documents and automations", () => {
  const declared = (effect: string, extra: Record<string, unknown> = {}) =>
    webShop({ declaredEffects: [{ document: "Team-Break-Cache", effect, ...extra }] } as Partial<WorldDefinition>);
  const baseline = before();

  it.each([
    { effect: "errors", amount: 0.3, shows: "faults" },
    { effect: "latency", amount: 400, shows: "p50" },
    { effect: "cpu-stress", amount: 0.6, shows: "cpu" },
  ])(
    "a send-command running a declared document has its $effect on the targeted units",
    ({ effect, amount, shows }) => {
      const { seconds, during } = act(
        declared(effect, { amount }),
        "aws:ssm:send-command",
        doc("Team-Break-Cache"),
        "web",
      );
      expect(seconds).toBe(300);
      const key = shows as "faults" | "p50" | "cpu";
      expect(during.web![key]).toBeGreaterThan(baseline.web![key] * 1.2 + 0.001);
    },
  );

  it("an automation acts on the declared tier for the declared time", () => {
    const world = declared("stop", { tier: "checkout", durationSeconds: 120 });
    const { seconds, during } = act(world, "aws:ssm:start-automation-execution", {
      documentArn: "arn:aws:ssm:us-east-1:123456789012:document/Team-Break-Cache",
      maxDuration: "PT10M",
    });
    expect(seconds).toBe(120);
    expect(during.checkout!.healthyUnits).toBe(0);
  });

  it("an automation without a declared tier is not modeled, and says to name one", () => {
    const { seconds } = act(declared("errors"), "aws:ssm:start-automation-execution", {
      documentArn: "arn:aws:ssm:us-east-1:123456789012:document/Team-Break-Cache",
    });
    expect(seconds).toEqual({ notModeled: expect.stringContaining('"tier": "<tier it acts on>"') });
  });

  it("refuses a declaration on a tier the world does not have", () => {
    const result = worldSchema.safeParse({
      ...JSON.parse(readFileSync("worlds/web-shop.json", "utf8")),
      declaredEffects: [{ document: "X", effect: "errors", tier: "nope" }],
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(["declaredEffects", 0, "tier"]);
  });
});
