import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { EXECUTION_TAG } from "../../src/core/gameday/state";
import type { RehearsalResult } from "../../src/local/rehearsal";
import { renderMarkdown } from "../../src/core/report/markdown";
import { SimulatedAccount } from "../../src/sim/account";
import { worldSchema } from "../../src/sim/world-schema";
import { planFrom, rehearsePlan } from "../helpers";

const GAME_DAYS = 8;

/** The web shop with eight services of its own, svc-1 to svc-8, each an Auto Scaling group the front tier calls. */
function eightServices() {
  const shop = JSON.parse(readFileSync("worlds/web-shop.json", "utf8"));
  const services = Array.from({ length: GAME_DAYS }, (_, i) => ({
    name: `svc-${i + 1}`,
    kind: "ec2",
    service: `svc-${i + 1}`,
    unitsPerZone: 1,
    capacityPerUnit: 400,
    baseLatencyMilliseconds: 20,
    share: 0.5,
    replaceSeconds: 240,
    tags: { "FIS-Ready": "True", Service: `svc-${i + 1}` },
    resourceNames: { autoScalingGroup: `svc-${i + 1}` },
  }));
  shop.tiers[0].calls = [...shop.tiers[0].calls, ...services.map((s) => s.name)];
  return worldSchema.parse({ ...shop, tiers: [...shop.tiers, ...services] });
}

/**
 * A plan stressing one service's CPU lightly for 20 minutes: a long experiment that holds one of FIS's five while
 * the game days after it start (each reads its baseline from history, so they start about 30 seconds apart), and
 * short enough that the sixth finds room within the 30 minutes a game day waits for it.
 */
function planFor(service: string, dir: string) {
  const template = JSON.parse(readFileSync("templates/ec2-web-cpu-stress.json", "utf8"));
  template.targets.webInstances.resourceTags = { Service: service };
  template.targets.webInstances.selectionMode = "ALL";
  template.actions.cpuStress.parameters = {
    documentArn: "arn:aws:ssm:us-east-1::document/AWSFIS-Run-CPU-Stress",
    documentParameters: JSON.stringify({ DurationSeconds: "1200", LoadPercent: "20" }),
    duration: "PT20M",
  };
  const file = join(dir, `${service}.json`);
  writeFileSync(file, JSON.stringify(template));
  return planFrom("plans/ec2-web-tier.json", (plan) => {
    plan.name = `stress-${service}`;
    plan.stages = [{ name: `CPU pressure on ${service}`, experiments: [{ template: { file } }] }];
    plan.timing.maxFaultDuration = "PT30M";
  });
}

describe("eight game days at once in one account (FIS allows five active experiments)", () => {
  it("all end with verdicts: those past the quota wait for room, none fails on it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gameday-eight-"));
    const world = eightServices();
    const account = new SimulatedAccount(world, 5);
    const results: RehearsalResult[] = [];

    // Each game day starts the next while its own fault is live: eight game days overlap.
    const start = async (i: number): Promise<void> => {
      let next = false;
      const result = await rehearsePlan(planFor(`svc-${i + 1}`, dir), {
        account,
        world,
        executionName: `game-day-${i + 1}`,
        wrapHandler: () => (key, handler) => async (event) => {
          if (key === "ObserveFault" && !next && i + 1 < GAME_DAYS) {
            next = true;
            await start(i + 1);
          }
          return handler(event);
        },
      });
      results[i] = result;
    };
    await start(0);

    expect(results).toHaveLength(GAME_DAYS);
    for (const [i, r] of results.entries()) {
      expect(["PASSED", "FAILED", "INCONCLUSIVE"], `game day ${i + 1}: ${r.report?.reason}`).toContain(
        r.report?.verdict,
      );
      expect(JSON.stringify(r.report)).not.toMatch(/ServiceQuotaExceeded|quota of 5/);
    }
    const experiments = [...account.fis.experiments.values()].filter((e) => e.tags[EXECUTION_TAG]);
    expect(experiments).toHaveLength(GAME_DAYS);
    // Five at once at most, and five at some point: the quota was full, and the later game days waited for room.
    const spans = experiments.map((e) => [e.startTime!, e.endTime!] as const);
    const overlapping = spans.map(([start]) => spans.filter(([s, e]) => s <= start && start < e).length);
    expect(Math.max(...overlapping)).toBe(5);
    expect(account.fis.quotaRefusals, "StartExperiment calls that found the quota full").toBeGreaterThan(0);
    // The wait is visible: the waiting game days entered the wait state, and their reports say how long it was.
    const waited = results.filter((r) => (r.enteredStates.get("Wait for room under FIS's quota") ?? 0) > 0);
    expect(waited.length).toBeGreaterThan(0);
    for (const r of waited) {
      const minutes = r.report!.stages[0]!.quotaWaitMinutes!;
      expect(minutes).toBe(r.enteredStates.get("Wait for room under FIS's quota"));
      expect(renderMarkdown(r.report!)).toContain(`after ${minutes} min waiting for room under FIS's quota`);
    }
  });
});
