import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { keyedBinomial, keyedPoisson } from "../../src/sim/random";
import { SimulatedMetrics } from "../../src/sim/cloudwatch";
import { World } from "../../src/sim/world";
import { worldSchema } from "../../src/sim/world-schema";

const START = Date.parse("2026-01-05T10:00:00Z");

describe("counts drawn as AWS counts them", () => {
  it("draws Poisson and binomial counts with the right mean and spread, keyed", () => {
    const draws = (f: (i: number) => number) => Array.from({ length: 4000 }, (_, i) => f(i));
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const variance = (xs: number[]) => mean(xs.map((x) => (x - mean(xs)) ** 2));
    for (const m of [0.2, 3, 40, 400]) {
      const xs = draws((i) => keyedPoisson(m, 1, "p", i));
      expect(xs.every(Number.isInteger)).toBe(true);
      expect(mean(xs)).toBeCloseTo(m, m < 10 ? 1 : 0);
      expect(variance(xs) / m).toBeGreaterThan(0.85);
      expect(variance(xs) / m).toBeLessThan(1.15);
    }
    for (const [n, p] of [
      [12, 0.02],
      [4000, 0.0004],
      [200, 0.5],
      [50, 0.97],
    ] as const) {
      const xs = draws((i) => keyedBinomial(n, p, 2, "b", i));
      expect(xs.every((x) => Number.isInteger(x) && x >= 0 && x <= n)).toBe(true);
      expect(Math.abs(mean(xs) - n * p)).toBeLessThan(0.1 * n * p + 0.05);
    }
    expect(keyedPoisson(3, 1, "same")).toBe(keyedPoisson(3, 1, "same"));
  });

  it("shows a quiet service's errors as whole errors in some minutes, not a trickle in every minute", async () => {
    const shop = JSON.parse(readFileSync("worlds/web-shop.json", "utf8"));
    // 12 requests a minute, 2% of them failing while it lasts: on AWS some minutes have one error (8% of twelve).
    const definition = worldSchema.parse({
      ...shop,
      traffic: { ...shop.traffic, requestsPerSecond: 0.2, clientErrorRate: 0.02, noise: 0 },
    });
    const world = new World(definition, 3, START, 3600);
    let now = START;
    const metrics = new SimulatedMetrics(world, () => now);
    now = START + 10 * 60_000;
    const series = await metrics.query(
      [
        {
          id: "e",
          returnData: true,
          metric: {
            namespace: "AWS/ApplicationELB",
            name: "HTTPCode_Target_4XX_Count",
            dimensions: { LoadBalancer: definition.loadBalancer },
            statistic: "Sum",
            periodSeconds: 60,
          },
        },
      ],
      { start: START - 40 * 60_000, end: START },
    );
    const e = series.get("e")!;
    expect(e.values.every((v) => Number.isInteger(v) && v >= 1)).toBe(true);
    // Sparse: the minutes without a 4XX have no datapoint at all.
    expect(e.timestamps.length).toBeGreaterThan(0);
    expect(e.timestamps.length).toBeLessThan(40);
  });
});
