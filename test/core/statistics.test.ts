import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { histogramPercentile, summarize } from "../../src/core/statistics/summary";
import { durationSeconds, isIsoDuration } from "../../src/core/time/duration";
import { evaluateMath, fillMetrics, formatMathExpression, parseMathExpression } from "../../src/core/probes/math";

const values = fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 200 });

describe("statistics", () => {
  it("orders min ≤ median ≤ max and keeps the mean inside", () => {
    fc.assert(
      fc.property(values, (xs) => {
        const s = summarize(xs);
        expect(s.min!).toBeLessThanOrEqual(s.median!);
        expect(s.median!).toBeLessThanOrEqual(s.max!);
        expect(s.mean!).toBeGreaterThanOrEqual(s.min! - 1e-6);
        expect(s.mean!).toBeLessThanOrEqual(s.max! + 1e-6);
        expect(s.mad!).toBeGreaterThanOrEqual(0);
        expect(s.last).toBe(xs[xs.length - 1]);
      }),
    );
  });

  it("does not change when the values are shuffled (except last)", () => {
    fc.assert(
      fc.property(values, (xs) => {
        const a = summarize(xs);
        const b = summarize([...xs].reverse());
        expect(b.median).toBe(a.median);
        expect(b.p99).toBe(a.p99);
      }),
    );
  });

  it("reads -0 as 0, whatever the order", () => {
    expect(Object.is(summarize([-0, 0]).median, 0)).toBe(true);
    expect(Object.is(summarize([0, -0]).median, 0)).toBe(true);
    expect(Object.is(summarize([-0]).min, 0)).toBe(true);
  });

  it("summarizes nothing as nulls", () => {
    expect(summarize([])).toMatchObject({ count: 0, median: null, max: null });
  });

  it("reads percentiles off a histogram monotonically", () => {
    const buckets = fc.array(
      fc.record({ milliseconds: fc.integer({ min: 1, max: 5000 }), count: fc.integer({ min: 1, max: 1000 }) }),
      { minLength: 1, maxLength: 30 },
    );
    fc.assert(
      fc.property(buckets, fc.integer({ min: 1, max: 98 }), (bs, p) => {
        expect(histogramPercentile(bs, p)!).toBeLessThanOrEqual(histogramPercentile(bs, p + 1)!);
      }),
    );
    expect(
      histogramPercentile(
        [
          { milliseconds: 10, count: 99 },
          { milliseconds: 500, count: 1 },
        ],
        99,
      ),
    ).toBe(10);
    expect(
      histogramPercentile(
        [
          { milliseconds: 10, count: 98 },
          { milliseconds: 500, count: 2 },
        ],
        99,
      ),
    ).toBe(500);
  });
});

describe("durations and metric math", () => {
  it("parses ISO-8601 durations and refuses others", () => {
    expect(durationSeconds("PT1H30M")).toBe(5400);
    expect(durationSeconds("PT30S")).toBe(30);
    expect(isIsoDuration("P1M")).toBe(false);
    expect(() => durationSeconds("5m")).toThrow(/ISO-8601/);
  });

  it("evaluates arithmetic like CloudWatch, with no value on a division by zero", () => {
    const tree = parseMathExpression("100 * (a - b) / c");
    expect(evaluateMath(tree, (id) => ({ a: 5, b: 3, c: 4 })[id])).toBe(50);
    expect(evaluateMath(tree, (id) => ({ a: 5, b: 3, c: 0 })[id])).toBeUndefined();
    expect(() => parseMathExpression("METRICS()")).toThrow(/only FILL/);
    expect(() => parseMathExpression("FILL(a + b, 0)")).toThrow(/FILL takes a metric id and a number/);
  });

  it("reads a missing count as the number FILL gives, and a rate without requests as no value", () => {
    const rate = parseMathExpression("100 * FILL(faults, 0) / FILL(requests, 0)");
    expect(formatMathExpression(rate)).toBe("((100 * FILL(faults, 0)) / FILL(requests, 0))");
    expect(evaluateMath(rate, (id) => ({ requests: 200 })[id])).toBe(0);
    expect(evaluateMath(rate, (id) => ({ faults: 3, requests: 200 })[id])).toBe(1.5);
    expect(evaluateMath(rate, () => undefined)).toBeUndefined();
    // The probes' queries fill only the counts (Sum, SampleCount) a probe names.
    const filled = fillMetrics(parseMathExpression("faults / requests + latency"), (id) => id !== "latency");
    expect(formatMathExpression(filled)).toBe("((FILL(faults, 0) / FILL(requests, 0)) + latency)");
  });
});
