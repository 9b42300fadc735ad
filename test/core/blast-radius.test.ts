import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { RequestStatistics, TimedStatistics } from "../../src/core/ports";
import { analyseEntity, mergeStatistics } from "../../src/core/traces/blast-radius";

const MINUTE = 60_000;
const windows = {
  baseline: [{ start: 0, end: 5 * MINUTE }],
  fault: [{ start: 5 * MINUTE, end: 8 * MINUTE }],
  recovery: [{ start: 8 * MINUTE, end: 12 * MINUTE }],
};

/** A per-minute series: `faults(i)` faults out of `requests(i)` requests, latency around `ms(i)`. */
function minutes(
  count: number,
  shape: { requests?: (i: number) => number; faults?: (i: number) => number; ms?: (i: number) => number },
): TimedStatistics[] {
  return Array.from({ length: count }, (_, i) => {
    const requests = shape.requests?.(i) ?? 1000;
    const ms = shape.ms?.(i) ?? 40;
    return {
      timestamp: i * MINUTE,
      statistics: {
        requests,
        errors: 0,
        faults: shape.faults?.(i) ?? 1,
        throttles: 0,
        latency: [
          { milliseconds: ms, count: requests * 0.9 },
          { milliseconds: ms * 3, count: requests * 0.1 },
        ],
      },
    };
  });
}

describe("blast radius of one service or edge", () => {
  it("flags a fault rate far beyond the baseline's noise, in the phase it happened", () => {
    const report = analyseEntity(
      "checkout → orders-db",
      "edge",
      minutes(12, { faults: (i) => (i >= 8 ? 450 : 1 + (i % 2)) }),
      windows,
      60,
    );
    expect(report.moved).toEqual([
      expect.objectContaining({ measure: "faultRate", phase: "recovery", observed: 0.45, baseline: 0.001 }),
    ]);
    expect(report.phases.fault.faultRate).toBeCloseTo(0.0013, 3);
  });

  it("does not call the baseline's own noise a movement", () => {
    const noisy = minutes(12, { faults: (i) => [2, 9, 4, 8, 3, 7, 5, 9, 3, 6, 2, 8][i]!, ms: (i) => 40 + (i % 3) * 4 });
    expect(analyseEntity("web", "service", noisy, windows, 60).moved).toEqual([]);
  });

  it("needs more than a single failed request on a flat, fault-free baseline", () => {
    const flat = minutes(12, { faults: (i) => (i === 6 ? 2 : 0) });
    expect(analyseEntity("catalog", "service", flat, windows, 60).moved).toEqual([]);
  });

  it("flags slower responses and lost traffic", () => {
    const slow = minutes(12, {
      ms: (i) => (i >= 5 && i < 8 ? 120 : 40),
      requests: (i) => (i >= 5 && i < 8 ? 500 : 1000),
    });
    const moved = analyseEntity("checkout", "service", slow, windows, 60).moved.map((m) => [m.measure, m.phase]);
    expect(moved).toEqual([
      ["p99Milliseconds", "fault"],
      ["requestsPerMinute", "fault"],
    ]);
  });
});

const statistics = fc.record({
  requests: fc.nat(10_000),
  errors: fc.nat(100),
  faults: fc.nat(100),
  throttles: fc.nat(100),
  latency: fc.array(fc.record({ milliseconds: fc.integer({ min: 1, max: 50 }), count: fc.nat(100) }), { maxLength: 8 }),
}) satisfies fc.Arbitrary<RequestStatistics>;

describe("adding statistics up", () => {
  it("sums every count and keeps every latency sample, in any order", () => {
    fc.assert(
      fc.property(fc.array(statistics, { maxLength: 10 }), (parts) => {
        const total = mergeStatistics(parts);
        const reversed = mergeStatistics([...parts].reverse());
        for (const key of ["requests", "errors", "faults", "throttles"] as const)
          expect(total[key]).toBe(parts.reduce((sum, p) => sum + p[key], 0));
        const samples = (s: RequestStatistics) => s.latency.reduce((sum, b) => sum + b.count, 0);
        expect(samples(total)).toBe(parts.reduce((sum, p) => sum + samples(p), 0));
        expect(new Map(reversed.latency.map((b) => [b.milliseconds, b.count]))).toEqual(
          new Map(total.latency.map((b) => [b.milliseconds, b.count])),
        );
      }),
    );
  });
});
