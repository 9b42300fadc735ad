import { describe, expect, it } from "vitest";
import type { Metric } from "../../src/core/plan/schema";
import { metricQueries, probeWindow, readProbes } from "../../src/core/probes/read";
import { lastPublishedPeriodEnd, publicationDelayOf } from "../../src/core/probes/publication";
import { checkPlan } from "../../src/core/plan/check";
import { SimulatedAccount } from "../../src/sim/account";
import { planFrom, rehearsePlan, world } from "../helpers";

const LB = { LoadBalancer: "app/shop-alb/50dc6c495c0c9188" };
const alb = (name: string, statistic = "Sum"): Metric => ({
  namespace: "AWS/ApplicationELB",
  name,
  dimensions: LB,
  statistic,
  periodSeconds: 60,
});
const MINUTE = 60_000;

/** An account whose clock stands `seconds` past a whole minute, some minutes into the world. */
function accountAt(seconds: number, change: (w: ReturnType<typeof world>) => void = () => {}) {
  const definition = structuredClone(world());
  change(definition);
  const account = new SimulatedAccount(definition, 1);
  account.clock.advance(10 * MINUTE + seconds * 1000);
  return account;
}

const read = async (account: SimulatedAccount, metric: Metric, start: number, end: number) =>
  (await account.metrics.query([{ id: "m", metric, returnData: true }], { start, end })).get("m")!;

describe("the simulated CloudWatch publishes as AWS does", () => {
  it("has a load balancer's minute only once the minute closed and its 60-s delay passed", async () => {
    const account = accountAt(50);
    const now = account.clock.now();
    const minute = Math.floor(now / MINUTE) * MINUTE;
    const series = await read(account, alb("RequestCount"), minute - 5 * MINUTE, now);
    // At mm:50 the minute before last is published; the last minute is not (60 s after it closed is mm+1:00).
    expect(series.timestamps.at(-1)).toBe(minute - 2 * MINUTE);
    expect(series.timestamps).not.toContain(minute - MINUTE);
    expect(series.timestamps).not.toContain(minute);
  });

  it("streams the application's own metrics in, so the current period is partial", async () => {
    const account = accountAt(40);
    const now = account.clock.now();
    const minute = Math.floor(now / MINUTE) * MINUTE;
    const requests: Metric = {
      namespace: "Shop",
      name: "Requests",
      dimensions: { Service: "web" },
      statistic: "Sum",
      periodSeconds: 60,
    };
    const series = await read(account, requests, minute - 3 * MINUTE, now);
    const whole = series.values[series.timestamps.indexOf(minute - MINUTE)]!;
    const partial = series.values[series.timestamps.indexOf(minute)]!;
    // 30 s of delay: at mm:40 the current minute holds its first 10 s only.
    expect(series.timestamps.at(-1)).toBe(minute);
    expect(partial).toBeLessThan(whole / 2);
  });

  it("publishes no 4xx datapoint in a minute without 4xx; FILL fills only where the expression has datapoints", async () => {
    const account = accountAt(0, (w) => (w.traffic.clientErrorRate = 0));
    const now = account.clock.now();
    const window = { start: now - 8 * MINUTE, end: now };
    const raw = await read(account, alb("HTTPCode_Target_4XX_Count"), window.start, now);
    const requests = await read(account, alb("RequestCount"), window.start, now);
    expect(requests.timestamps.length).toBe(7);
    expect(raw.timestamps).toEqual([]);
    const rate = {
      id: "rate",
      type: "math" as const,
      expression: "100 * errors / requests",
      metrics: { errors: alb("HTTPCode_Target_4XX_Count"), requests: alb("RequestCount") },
      bounds: { max: 1 },
    };
    // The rate's periods are the requests' ones: no 4xx there reads 0, not "no data".
    const filled = (await account.metrics.query(metricQueries([rate]), window)).get("rate")!;
    expect(filled.timestamps).toEqual(requests.timestamps);
    expect(filled.values).toEqual(Array(7).fill(0));
    // A lone count has no periods of its own to fill: the probe's missing-data treatment decides.
    const lone = {
      id: "errors",
      type: "metric" as const,
      metric: alb("HTTPCode_Target_4XX_Count"),
      bounds: { max: 10 },
    };
    expect((await account.metrics.query(metricQueries([lone]), window)).get("errors")!.timestamps).toEqual([]);
  });

  it("reads a lone count's missing minute as the zero AWS did not publish: in bounds, below a lower bound", async () => {
    const account = accountAt(0, (w) => (w.traffic.clientErrorRate = 0));
    const now = account.clock.now();
    const sources = { metrics: account.metrics, traces: account.traces };
    const probe = (bounds: object) =>
      checkPlan({
        ...planFrom("plans/ecs-checkout-zone-loss.json"),
        hypothesis: { probes: [{ id: "errors", type: "metric", metric: alb("HTTPCode_Target_4XX_Count"), bounds }] },
      }).plan!.hypothesis.probes;
    const [capped] = await readProbes(probe({ max: 10 }), sources, { start: now - 30_000, end: now });
    expect(capped).toMatchObject({ value: null, breached: false, missingData: "notBreaching" });
    const [floored] = await readProbes(probe({ min: 5 }), sources, { start: now - 30_000, end: now });
    expect(floored).toMatchObject({ value: null, breached: true, missingData: "breaching" });
  });

  it("fills nothing for a metric the account does not have", async () => {
    const account = accountAt(0);
    const now = account.clock.now();
    const probe = {
      id: "typo",
      type: "metric" as const,
      metric: alb("HTTPCode_Target_5xx_Count"),
      bounds: { max: 10 },
      treatMissingData: "missing" as const,
    };
    const filled = (await account.metrics.query(metricQueries([probe]), { start: now - 5 * MINUTE, end: now })).get(
      "typo",
    )!;
    expect(filled.timestamps).toEqual([]);
  });

  it("lets a world publish later than gameday assumes", async () => {
    const account = accountAt(50, (w) => (w.publication.metricDelaySeconds["AWS/ApplicationELB"] = 180));
    const now = account.clock.now();
    const minute = Math.floor(now / MINUTE) * MINUTE;
    const series = await read(account, alb("RequestCount"), minute - 8 * MINUTE, now);
    expect(series.timestamps.at(-1)).toBe(minute - 4 * MINUTE);
  });

  it("has X-Ray find traces only after its processing delay", async () => {
    const account = accountAt(0);
    const now = account.clock.now();
    const graph = await account.traces.serviceGraph({ start: now - 50_000, end: now });
    expect(graph.services.get("checkout")?.requests ?? 0).toBe(0);
    const older = await account.traces.serviceGraph({ start: now - 120_000, end: now - 60_000 });
    expect(older.services.get("checkout")!.requests).toBeGreaterThan(0);
  });
});

describe("probes read what CloudWatch has published", () => {
  it("end each metric probe's window at its last complete, published period", () => {
    const poll = { start: Date.parse("2026-01-05T10:04:20Z"), end: Date.parse("2026-01-05T10:04:50Z") };
    const probe = { id: "p", type: "metric" as const, metric: alb("RequestCount"), bounds: { max: 1 } } as never;
    // ALB: 60 s after the minute ends; at 10:04:50 the last published minute is 10:02 (10:03 is out at 10:05).
    expect(probeWindow(probe, poll)).toEqual({
      start: Date.parse("2026-01-05T10:02:00Z"),
      end: Date.parse("2026-01-05T10:03:00Z"),
    });
    expect(lastPublishedPeriodEnd(poll.end, 60, publicationDelayOf({ namespace: "AWS/EC2" }))).toBe(
      Date.parse("2026-01-05T10:02:00Z"),
    );
    const trace = { id: "t", type: "trace" as const, service: "checkout", maxFaultRate: 0.1 } as never;
    expect(probeWindow(trace, poll)).toEqual({ start: poll.start - 60_000, end: poll.end - 60_000 });
  });

  it("treat a probe's missing data as the probe says", async () => {
    // The world publishes the load balancer 3 minutes late; the probe waits the default minute.
    const account = accountAt(0, (w) => (w.publication.metricDelaySeconds["AWS/ApplicationELB"] = 180));
    const now = account.clock.now();
    const probe = (treatMissingData: string) =>
      checkPlan({
        ...planFrom("plans/ecs-checkout-zone-loss.json"),
        hypothesis: {
          probes: [
            {
              id: "latency",
              type: "metric",
              metric: alb("TargetResponseTime", "p99"),
              bounds: { max: 1 },
              treatMissingData,
            },
          ],
        },
      }).plan!.hypothesis.probes;
    const poll = { start: now - 30_000, end: now };
    const sources = { metrics: account.metrics, traces: account.traces };
    const [missing] = await readProbes(probe("missing"), sources, poll);
    expect(missing).toMatchObject({ value: null, breached: false, missingData: "missing" });
    const [breaching] = await readProbes(probe("breaching"), sources, poll);
    expect(breaching).toMatchObject({ value: null, breached: true, breaches: ["no data (treated as breaching)"] });
    const [notBreaching] = await readProbes(probe("notBreaching"), sources, poll);
    expect(notBreaching).toMatchObject({ value: null, breached: false, missingData: "notBreaching" });
  });
});

describe("a rehearsal against a world that publishes late", () => {
  it("cannot show the steady state of a probe whose data has not arrived, and starts nothing", async () => {
    const account = new SimulatedAccount(
      { ...world(), publication: { metricDelaySeconds: { "AWS/ApplicationELB": 600 } } },
      1,
    );
    const r = await rehearsePlan(planFrom("plans/ecs-checkout-zone-loss.json"), { account });
    expect(r.report!.verdict).toBe("INCONCLUSIVE");
    expect(r.report!.reason).toMatch(/frontDoorFaultPercent had no data in the baseline window.*nothing was started/);
    expect(account.fis.experiments.size).toBe(0);
  });

  it("refuses to inject while a probe's newest period is late, and passes once the probe waits long enough", async () => {
    const late = () =>
      new SimulatedAccount({ ...world(), publication: { metricDelaySeconds: { "AWS/ApplicationELB": 150 } } }, 1);
    const blind = await rehearsePlan(planFrom("plans/ecs-checkout-zone-loss.json"), { account: late() });
    expect(blind.report!.verdict).toBe("ABORTED");
    expect(blind.report!.reason).toMatch(
      /frontDoorFaultPercent \(no datapoint yet for its latest period \(09:58 UTC\): CloudWatch publishes it later than the 60 s the probe waits/,
    );
    expect(blind.account.fis.experiments.size).toBe(0);
    const waiting = await rehearsePlan(
      planFrom("plans/ecs-checkout-zone-loss.json", (plan) => {
        for (const probe of plan.hypothesis.probes)
          for (const metric of probe.metric ? [probe.metric] : Object.values(probe.metrics ?? {}))
            (metric as { publicationDelaySeconds?: number }).publicationDelaySeconds = 150;
      }),
      { account: late() },
    );
    expect(waiting.report!.verdict).toBe("PASSED");
  });

  it("detects a breach only once CloudWatch has published it, and says so in the time to detect", async () => {
    const r = await rehearsePlan(planFrom("plans/aurora-failover-recovers.json"));
    const faults = r.report!.probes.find((p) => p.id === "frontDoorFaultPercent")!;
    // The failover begins at 10:00:05; the load balancer's 10:00 minute is published at 10:02.
    expect(faults.timeToDetect, JSON.stringify(faults.timeToDetect)).toEqual([expect.any(Number)]);
    expect(faults.timeToDetect[0]).toBeGreaterThanOrEqual(115);
    expect(r.report!.verdict).toBe("FAILED");
  });
});
