import { CloudWatchClient, DescribeAlarmHistoryCommand, DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
import { mockClient } from "aws-sdk-client-mock";
import { describe, expect, it } from "vitest";
import { ALARM_HISTORY_MAX_PAGES, CloudWatchMetricSource } from "../../src/aws/metrics";
import { sampleAlarmStates } from "../../src/core/probes/alarms";
import { renderMarkdown } from "../../src/core/report/markdown";
import { SimulatedAccount } from "../../src/sim/account";
import { planFrom, rehearsePlan, world } from "../helpers";

const withAlarmProbe = (file: string, alarmName: string) =>
  planFrom(file, (plan) => {
    plan.hypothesis.probes.push({ id: "checkoutAlarm", type: "alarm", alarmName });
  });

describe("alarm-state probes", () => {
  it("go to ALARM in the simulated account when the failover's stale connections fail checkout", async () => {
    const account = new SimulatedAccount(world(), 1);
    expect(await account.metrics.alarmStates(["shop-checkout-5xx", "no-such-alarm"])).toEqual(
      new Map([["shop-checkout-5xx", "OK"]]),
    );
    account.world.failover("orders-db", account.clock.now());
    account.clock.advance(120_000);
    expect((await account.metrics.alarmStates(["shop-checkout-5xx"])).get("shop-checkout-5xx")).toBe("ALARM");
  });

  it("breach when the alarm is in one of the breaching states", async () => {
    const plan = planFrom("plans/ec2-web-tier.json", (p) => {
      p.hypothesis.probes.push({
        id: "checkoutAlarm",
        type: "alarm",
        alarmName: "shop-checkout-5xx",
        breachingStates: ["OK"],
      });
    });
    const report = (await rehearsePlan(plan)).report!;
    expect(report.verdict).toBe("ABORTED");
    expect(report.reason).toContain("checkoutAlarm (alarm shop-checkout-5xx is OK)");
  });

  it("stay in band while the alarm is OK", async () => {
    const report = (await rehearsePlan(withAlarmProbe("plans/ec2-web-tier.json", "shop-checkout-5xx"))).report!;
    expect(report.verdict).toBe("PASSED");
    expect(report.probes.find((p) => p.id === "checkoutAlarm")!.timeToDetect.every((t) => t === null)).toBe(true);
  });

  it("abort the game day before anything starts when the alarm does not exist", async () => {
    const report = (await rehearsePlan(withAlarmProbe("plans/ec2-web-tier.json", "no-such-alarm"))).report!;
    expect(report.verdict).toBe("ABORTED");
    expect(report.reason).toContain("alarm no-such-alarm does not exist");
    expect(report.experiments).toEqual([]);
  });

  it("are read with DescribeAlarms, metric and composite alarms, 100 names per call", async () => {
    const cloudwatch = mockClient(CloudWatchClient);
    cloudwatch.on(DescribeAlarmsCommand).callsFake((input: { AlarmNames: string[] }) => ({
      MetricAlarms: input.AlarmNames.filter((n) => n !== "a-1").map((n) => ({ AlarmName: n, StateValue: "OK" })),
      CompositeAlarms: input.AlarmNames.includes("a-1") ? [{ AlarmName: "a-1", StateValue: "ALARM" }] : [],
    }));
    const names = Array.from({ length: 150 }, (_, i) => `a-${i}`);
    const states = await new CloudWatchMetricSource(new CloudWatchClient({ region: "eu-west-1" })).alarmStates(names);
    expect(cloudwatch.commandCalls(DescribeAlarmsCommand).map((c) => c.args[0].input)).toEqual([
      { AlarmNames: names.slice(0, 100), AlarmTypes: ["MetricAlarm", "CompositeAlarm"], NextToken: undefined },
      { AlarmNames: names.slice(100), AlarmTypes: ["MetricAlarm", "CompositeAlarm"], NextToken: undefined },
    ]);
    expect(states.size).toBe(150);
    expect(states.get("a-1")).toBe("ALARM");
    expect(states.get("a-7")).toBe("OK");
    cloudwatch.restore();
  });
});

const T0 = Date.parse("2026-11-24T10:00:00Z");
const minute = 60_000;
const historyItem = (at: number, from: string, to: string) => ({
  Timestamp: new Date(at),
  HistoryItemType: "StateUpdate" as const,
  AlarmName: "checkout-5xx",
  HistoryData: JSON.stringify({ version: "1.0", oldState: { stateValue: from }, newState: { stateValue: to } }),
  HistorySummary: `Alarm updated from ${from} to ${to}`,
});

describe("alarm-state history", () => {
  it("is sampled once a minute as 1 in a breaching state and 0 otherwise", () => {
    const changes = [
      { at: T0, state: "OK" as const },
      { at: T0 + 2.5 * minute, state: "ALARM" as const },
      { at: T0 + 4 * minute, state: "INSUFFICIENT_DATA" as const },
    ];
    const window = { start: T0, end: T0 + 5 * minute };
    expect(sampleAlarmStates(changes, ["ALARM"], window).values).toEqual([0, 0, 0, 1, 0, 0]);
    expect(sampleAlarmStates(changes, ["ALARM", "INSUFFICIENT_DATA"], window).values).toEqual([0, 0, 0, 1, 1, 1]);
    expect(sampleAlarmStates([], ["ALARM"], window)).toEqual({ timestamps: [], values: [] });
  });

  it("is read with DescribeAlarmHistory from the window's start, the first update's old state opening it", async () => {
    const cloudwatch = mockClient(CloudWatchClient);
    cloudwatch
      .on(DescribeAlarmHistoryCommand)
      .resolvesOnce({ AlarmHistoryItems: [historyItem(T0 + 3 * minute, "OK", "ALARM")], NextToken: "page-2" })
      .resolvesOnce({
        AlarmHistoryItems: [historyItem(T0 + 9 * minute, "ALARM", "OK"), historyItem(T0 + 30 * minute, "OK", "ALARM")],
        NextToken: "page-3",
      });
    const source = new CloudWatchMetricSource(new CloudWatchClient({ region: "eu-west-1" }));
    const changes = await source.alarmHistory("checkout-5xx", { start: T0, end: T0 + 20 * minute });
    expect(changes).toEqual([
      { at: T0, state: "OK" },
      { at: T0 + 3 * minute, state: "ALARM" },
      { at: T0 + 9 * minute, state: "OK" },
    ]);
    // The second page already reaches past the window: the third is never read.
    expect(cloudwatch.commandCalls(DescribeAlarmHistoryCommand).map((c) => c.args[0].input)).toEqual(
      [undefined, "page-2"].map((NextToken) => ({
        AlarmName: "checkout-5xx",
        AlarmTypes: ["MetricAlarm", "CompositeAlarm"],
        HistoryItemType: "StateUpdate",
        StartDate: new Date(T0),
        ScanBy: "TimestampAscending",
        MaxRecords: 100,
        NextToken,
      })),
    );
    expect(cloudwatch.commandCalls(DescribeAlarmsCommand)).toHaveLength(0);
    cloudwatch.restore();
  });

  it("takes an alarm that never changed since the window began to be in its current state; a missing one has none", async () => {
    const cloudwatch = mockClient(CloudWatchClient);
    cloudwatch.on(DescribeAlarmHistoryCommand).resolves({ AlarmHistoryItems: [] });
    cloudwatch.on(DescribeAlarmsCommand).callsFake((input: { AlarmNames: string[] }) => ({
      MetricAlarms: input.AlarmNames.includes("steady") ? [{ AlarmName: "steady", StateValue: "ALARM" }] : [],
    }));
    const source = new CloudWatchMetricSource(new CloudWatchClient({ region: "eu-west-1" }));
    const window = { start: T0, end: T0 + 10 * minute };
    expect(await source.alarmHistory("steady", window)).toEqual([{ at: T0, state: "ALARM" }]);
    expect(await source.alarmHistory("gone", window)).toEqual([]);
    cloudwatch.restore();
  });

  it("stops reading a flapping alarm's history after a bounded number of pages", async () => {
    const cloudwatch = mockClient(CloudWatchClient);
    let page = 0;
    cloudwatch.on(DescribeAlarmHistoryCommand).callsFake(() => {
      page += 1;
      const at = T0 + page * 1000;
      return {
        AlarmHistoryItems: [historyItem(at, "OK", "ALARM"), historyItem(at + 500, "ALARM", "OK")],
        NextToken: "more",
      };
    });
    const source = new CloudWatchMetricSource(new CloudWatchClient({ region: "eu-west-1" }));
    const changes = await source.alarmHistory("flapping", { start: T0, end: T0 + 60 * minute });
    expect(cloudwatch.commandCalls(DescribeAlarmHistoryCommand)).toHaveLength(ALARM_HISTORY_MAX_PAGES);
    expect(changes).toHaveLength(1 + 2 * ALARM_HISTORY_MAX_PAGES);
    cloudwatch.restore();
  });

  it("is charted in the failing example: OK through the baseline and the failover, ALARM during the recovery", async () => {
    const report = (await rehearsePlan(planFrom("plans/aurora-failover.json"))).report!;
    const probe = report.probes.find((p) => p.id === "checkoutErrorsAlarm")!;
    expect(probe.alarm).toEqual({
      name: "shop-checkout-5xx",
      breachingStates: ["ALARM"],
      changes: [
        { at: report.phaseWindows!.baseline[0]!.start, state: "OK" },
        // The failover begins at 10:00; the alarm sees its minute once CloudWatch has published it (30 s after
        // the minute, for the application's own metrics), at the next evaluation, 10:02.
        { at: "2026-01-05T10:02:00.000Z", state: "ALARM" },
      ],
    });
    expect(probe.timeline!.periodSeconds).toBe(60);
    expect(probe.phases.baseline).toMatchObject({ max: 0, count: 5 });
    expect(probe.phases.recovery.last).toBe(1);
    expect(probe.timeToRecover).toEqual([null]);
    const row = renderMarkdown(report)
      .split("\n")
      .find((l) => l.startsWith("| checkoutErrorsAlarm"));
    expect(renderMarkdown(report)).toContain(
      "Alarm shop-checkout-5xx (checkoutErrorsAlarm): OK at 09:55:00 → ALARM at 10:02:00.",
    );
    expect(row).toBe(
      "| checkoutErrorsAlarm | FAILED | never ALARM (alarm shop-checkout-5xx) | not ALARM | not ALARM | ALARM | – | did not settle |",
    );
  });

  it("matches, minute by minute, the states the probe read during the game day in the simulated account", async () => {
    const account = new SimulatedAccount(world(), 1);
    const start = account.clock.now();
    account.world.failover("orders-db", start);
    const read: string[] = [];
    for (let i = 0; i <= 8; i += 1) {
      read.push((await account.metrics.alarmStates(["shop-checkout-5xx"])).get("shop-checkout-5xx")!);
      account.clock.advance(minute);
    }
    const changes = await account.metrics.alarmHistory("shop-checkout-5xx", { start, end: start + 8 * minute });
    const sampled = Array.from(
      { length: 9 },
      (_, i) => changes.filter((c) => c.at <= start + i * minute).at(-1)!.state,
    );
    expect(sampled).toEqual(read);
    expect(read).toContain("ALARM");
    expect(await account.metrics.alarmHistory("no-such-alarm", { start, end: start + minute })).toEqual([]);
  });
});
