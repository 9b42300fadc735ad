import { CloudWatchClient, DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
import { mockClient } from "aws-sdk-client-mock";
import { describe, expect, it } from "vitest";
import { CloudWatchMetricSource } from "../../src/aws/metrics";
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
