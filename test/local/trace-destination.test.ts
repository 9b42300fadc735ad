import { GetIndexingRulesCommand, GetTraceSegmentDestinationCommand, XRayClient } from "@aws-sdk/client-xray";
import { mockClient } from "aws-sdk-client-mock";
import { describe, expect, it } from "vitest";
import { xrayTraceDestination } from "../../src/aws/traces";
import { planFrom, rehearsePlan, world } from "../helpers";

const ECS = "plans/ecs-checkout-zone-loss.json";

/** The ECS plan with its trace probe reading trace summaries by a filter expression instead of a service. */
const withFilteredTraceProbe = () =>
  planFrom(ECS, (plan) => {
    const probe = plan.hypothesis.probes.find((p: { type: string }) => p.type === "trace");
    delete probe.service;
    probe.filterExpression = 'service("checkout") { fault = true }';
  });

const transactionSearch = (indexedPercent: number) => ({
  ...world(),
  traceDestination: { destination: "CloudWatchLogs" as const, indexedPercent },
});

describe("where the account sends its spans", () => {
  it("refuses, before anything starts, trace probes that would read a 1% indexed sample as the traffic", async () => {
    const result = await rehearsePlan(withFilteredTraceProbe(), { world: transactionSearch(1) });
    expect([...result.account.fis.experiments.values()]).toEqual([]);
    expect(result.report?.verdict).toBe("ABORTED");
    expect(result.report?.reason).toMatch(
      /checkoutTraces read X-Ray trace summaries, but this account sends its spans to CloudWatch Logs \(Transaction Search, status ACTIVE\) and indexes 1% of them/,
    );
  });

  it("runs them when every span is indexed, or spans go to X-Ray, and never asks for service probes", async () => {
    for (const options of [{ world: transactionSearch(100) }, {}]) {
      const result = await rehearsePlan(withFilteredTraceProbe(), options);
      expect(result.report?.verdict).not.toBe("ABORTED");
    }
    const services = await rehearsePlan(planFrom(ECS), { world: transactionSearch(1) });
    expect(services.report?.verdict).toBe("PASSED");
  });

  it("reads the destination and, under CloudWatch Logs, the default indexing rule's actual percentage", async () => {
    const xray = mockClient(XRayClient);
    xray
      .on(GetTraceSegmentDestinationCommand)
      .resolvesOnce({ Destination: "XRay", Status: "ACTIVE" })
      .resolvesOnce({ Destination: "CloudWatchLogs", Status: "ACTIVE" });
    xray.on(GetIndexingRulesCommand).resolves({
      IndexingRules: [
        { Name: "Default", Rule: { Probabilistic: { DesiredSamplingPercentage: 5, ActualSamplingPercentage: 2 } } },
      ],
    });
    const destination = xrayTraceDestination(new XRayClient({ region: "eu-west-1" }));
    expect(await destination.current()).toEqual({ destination: "XRay", status: "ACTIVE" });
    expect(await destination.current()).toEqual({ destination: "CloudWatchLogs", status: "ACTIVE", indexedPercent: 2 });
    expect(xray.commandCalls(GetIndexingRulesCommand)).toHaveLength(1);
    xray.restore();
  });
});
