import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { boundBreaches, inBand, resolveBounds } from "../../src/core/probes/bounds";
import { phaseOf, splitByPhase, timeToRecover } from "../../src/core/statistics/phases";

const MINUTE = 60_000;

describe("bounds relative to the baseline", () => {
  it("resolves 'no more than 1.5× baseline' from the baseline median", () => {
    const bounds = resolveBounds(
      { relativeToBaseline: { maxRatio: 1.5, minimumDeviation: 0 } },
      { median: 0.4, mad: 0.02, points: 5 },
    );
    expect(bounds).toEqual({ max: 0.6000000000000001, maxRule: "1.5 × baseline 0.4" });
    expect(boundBreaches(0.7, bounds)).toEqual(["value 0.7 > 0.6 (1.5 × baseline 0.4)"]);
  });

  it("resolves median ± k·MAD, never narrower than the minimum deviation", () => {
    const noisy = resolveBounds(
      { relativeToBaseline: { mads: 4, minimumDeviation: 0.5 } },
      { median: 10, mad: 1, points: 9 },
    );
    expect([noisy.min, noisy.max]).toEqual([6, 14]);
    const flat = resolveBounds(
      { relativeToBaseline: { mads: 4, minimumDeviation: 0.5 } },
      { median: 10, mad: 0, points: 9 },
    );
    expect([flat.min, flat.max]).toEqual([9.5, 10.5]);
  });

  it("keeps the tighter of an absolute and a relative bound, and only absolute ones before the baseline is known", () => {
    const bounds = { max: 2, relativeToBaseline: { maxRatio: 3, minimumDeviation: 0 } };
    expect(resolveBounds(bounds, { median: 0.5, mad: 0, points: 5 })).toEqual({
      max: 1.5,
      maxRule: "3 × baseline 0.5",
    });
    expect(resolveBounds(bounds, { median: 1, mad: 0, points: 5 })).toEqual({ max: 2 });
    expect(resolveBounds(bounds)).toEqual({ max: 2 });
  });

  it("is never looser than the absolute bounds, and a value is in band exactly when it breaches nothing", () => {
    fc.assert(
      fc.property(
        fc.double({ min: -100, max: 100, noNaN: true }),
        fc.double({ min: 0, max: 50, noNaN: true }),
        fc.double({ min: 0.1, max: 10, noNaN: true }),
        fc.double({ min: -100, max: 100, noNaN: true }),
        fc.double({ min: -200, max: 200, noNaN: true }),
        (median, mad, ratio, max, value) => {
          const resolved = resolveBounds(
            { max, relativeToBaseline: { maxRatio: ratio, mads: 3, minimumDeviation: 0 } },
            { median, mad, points: 5 },
          );
          expect(resolved.max!).toBeLessThanOrEqual(max);
          expect(inBand(value, resolved)).toBe(boundBreaches(value, resolved).length === 0);
        },
      ),
    );
  });
});

const windows = {
  baseline: [{ start: 0, end: 5 * MINUTE }],
  fault: [{ start: 5 * MINUTE, end: 8 * MINUTE }],
  recovery: [{ start: 8 * MINUTE, end: 14 * MINUTE }],
};

describe("the phase split", () => {
  it("puts each datapoint in the phase its period starts in, and none between phases", () => {
    expect(phaseOf(0, windows)).toBe("baseline");
    expect(phaseOf(5 * MINUTE, windows)).toBe("fault");
    expect(phaseOf(8 * MINUTE - 1, windows)).toBe("fault");
    expect(phaseOf(14 * MINUTE, windows)).toBeUndefined();
  });

  it("loses and duplicates no datapoint inside the phases", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 * MINUTE - 1 }), { maxLength: 100 }), (timestamps) => {
        const values = timestamps.map((_, i) => i);
        const split = splitByPhase(timestamps, values, windows);
        const inside = timestamps.filter((t) => t < 14 * MINUTE).length;
        expect(split.baseline.length + split.fault.length + split.recovery.length).toBe(inside);
      }),
    );
  });
});

describe("time to recover", () => {
  const series = (values: number[]) => ({
    timestamps: values.map((_, i) => 5 * MINUTE + i * MINUTE),
    values,
    periodSeconds: 60,
  });
  const below2 = (v: number) => v <= 2;
  const faultEnd = 8 * MINUTE + 20_000;

  it("is zero when the probe is in band as the fault ends", () => {
    expect(timeToRecover(series([1, 1, 1, 1, 1, 1, 1]), faultEnd, 14 * MINUTE, below2, 3)).toBe(0);
  });

  it("counts from the fault's end to the first of N in-band datapoints", () => {
    // 5,6,7 fault; 8 breached (covers the end), 9 breached, 10 in band, then 11 out again, 12..14 in band.
    const s = series([9, 9, 9, 9, 9, 1, 9, 1, 1, 1]);
    expect(timeToRecover(s, faultEnd, 15 * MINUTE, below2, 3)).toBe((12 * MINUTE - faultEnd) / 1000);
  });

  it("is null when the probe never settles while the game day watches", () => {
    expect(timeToRecover(series([9, 9, 9, 9, 9, 9]), faultEnd, 11 * MINUTE, below2, 3)).toBeNull();
  });

  it("accepts a shorter in-band tail when the game day stopped watching after seeing recovery", () => {
    expect(timeToRecover(series([9, 9, 9, 9, 9, 1, 1]), faultEnd, 12 * MINUTE, below2, 3)).toBe(
      (10 * MINUTE - faultEnd) / 1000,
    );
  });

  it("never recovers earlier when a later datapoint breaches, and always lands on an in-band datapoint", () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { minLength: 1, maxLength: 30 }), fc.nat(29), (ok, flip) => {
        const values = ok.map((good) => (good ? 1 : 9));
        const s = series(values);
        const until = 5 * MINUTE + values.length * MINUTE;
        const before = timeToRecover(s, faultEnd, until, below2, 3);
        if (before !== null) {
          const at = faultEnd + before * 1000;
          const index = s.timestamps.findIndex(
            (t) => t === at || (before === 0 && t <= faultEnd && t + MINUTE > faultEnd),
          );
          expect(values[index]).toBe(1);
        }
        const worse = [...values];
        if (flip < worse.length) worse[flip] = 9;
        const after = timeToRecover(series(worse), faultEnd, until, below2, 3);
        if (before === null) expect(after).toBeNull();
        else if (after !== null) expect(after).toBeGreaterThanOrEqual(before);
      }),
    );
  });
});
