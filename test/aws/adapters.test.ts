import { CloudWatchClient, GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { FisClient, GetExperimentCommand, ListExperimentsCommand, StopExperimentCommand } from "@aws-sdk/client-fis";
import { GetServiceGraphCommand, XRayClient } from "@aws-sdk/client-xray";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { fisExperiments } from "../../src/aws/fis-control";
import { CloudWatchMetricSource } from "../../src/aws/metrics";
import { XRayTraceSource } from "../../src/aws/traces";
import type { MetricQuery } from "../../src/core/ports";
import { metricQueries } from "../../src/core/probes/read";
import { planFrom } from "../helpers";

const cloudwatch = mockClient(CloudWatchClient);
const xray = mockClient(XRayClient);
const fis = mockClient(FisClient as any);
const window = { start: Date.parse("2026-01-05T10:00:00Z"), end: Date.parse("2026-01-05T10:05:00Z") };

beforeEach(() => {
  cloudwatch.reset();
  xray.reset();
  fis.reset();
});

const metric = (i: number): MetricQuery => ({
  id: `m${i}`,
  returnData: true,
  metric: {
    namespace: "AWS/ECS",
    name: "CPUUtilization",
    dimensions: { ClusterName: "shop" },
    statistic: "Average",
    periodSeconds: 60,
  },
});

describe("CloudWatch adapter", () => {
  it("sends up to 500 queries in one GetMetricData call, with the exact request shape", async () => {
    cloudwatch
      .on(GetMetricDataCommand)
      .resolves({ MetricDataResults: [{ Id: "m0", Timestamps: [new Date(window.start)], Values: [42] }] });
    const series = await new CloudWatchMetricSource(new CloudWatchClient({})).query(
      Array.from({ length: 500 }, (_, i) => metric(i)),
      window,
    );
    const calls = cloudwatch.commandCalls(GetMetricDataCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args[0].input).toMatchObject({
      StartTime: new Date(window.start),
      EndTime: new Date(window.end),
      ScanBy: "TimestampAscending",
      MetricDataQueries: expect.arrayContaining([
        {
          Id: "m0",
          ReturnData: true,
          MetricStat: {
            Metric: {
              Namespace: "AWS/ECS",
              MetricName: "CPUUtilization",
              Dimensions: [{ Name: "ClusterName", Value: "shop" }],
            },
            Period: 60,
            Stat: "Average",
          },
        },
      ]),
    });
    expect(calls[0]!.args[0].input.MetricDataQueries).toHaveLength(500);
    expect(series.get("m0")).toEqual({ id: "m0", timestamps: [window.start], values: [42] });
  });

  it("splits 501 queries into two calls and follows NextToken", async () => {
    cloudwatch
      .on(GetMetricDataCommand)
      .resolvesOnce({ MetricDataResults: [], NextToken: "page2" })
      .resolves({ MetricDataResults: [] });
    await new CloudWatchMetricSource(new CloudWatchClient({})).query(
      Array.from({ length: 501 }, (_, i) => metric(i)),
      window,
    );
    const calls = cloudwatch.commandCalls(GetMetricDataCommand);
    expect(calls.map((c) => c.args[0].input.MetricDataQueries!.length)).toEqual([500, 500, 1]);
    expect(calls[1]!.args[0].input.NextToken).toBe("page2");
  });

  it("keeps a math probe's expression in the same call as its metrics", async () => {
    cloudwatch.on(GetMetricDataCommand).resolves({ MetricDataResults: [] });
    const plan = planFrom("plans/ecs-checkout-zone-loss.json");
    const queries = metricQueries(
      (plan.hypothesis.probes as any).map((p: any) => ({
        ...p,
        metric: p.metric && { dimensions: {}, periodSeconds: 60, ...p.metric },
      })),
    );
    await new CloudWatchMetricSource(new CloudWatchClient({})).query(queries, window);
    const sent = cloudwatch.commandCalls(GetMetricDataCommand)[0]!.args[0].input.MetricDataQueries!;
    expect(sent.find((q) => q.Id === "frontDoorFaultPercent")).toMatchObject({
      // Both are counts: a minute without 5xx responses has no datapoint in CloudWatch and reads as zero.
      Expression: "((100 * FILL(frontDoorFaultPercent_faults, 0)) / FILL(frontDoorFaultPercent_requests, 0))",
      ReturnData: true,
    });
    expect(sent.find((q) => q.Id === "frontDoorFaultPercent_faults")).toMatchObject({ ReturnData: false });
  });
});

describe("X-Ray adapter", () => {
  it("reads per-service statistics from the service graph", async () => {
    xray.on(GetServiceGraphCommand).resolves({
      Services: [
        {
          Name: "checkout",
          SummaryStatistics: {
            TotalCount: 100,
            FaultStatistics: { TotalCount: 3 },
            ErrorStatistics: { TotalCount: 1, ThrottleCount: 0 },
          },
          ResponseTimeHistogram: [{ Value: 0.05, Count: 100 }],
        },
      ],
    });
    const stats = (await new XRayTraceSource(new XRayClient({})).serviceGraph(window)).services;
    expect(xray.commandCalls(GetServiceGraphCommand)[0]!.args[0].input).toEqual({
      StartTime: new Date(window.start),
      EndTime: new Date(window.end),
      NextToken: undefined,
    });
    expect(stats.get("checkout")).toEqual({
      requests: 100,
      faults: 3,
      errors: 1,
      throttles: 0,
      latency: [{ milliseconds: 50, count: 100 }],
    });
  });
});

describe("FIS adapter", () => {
  it("finds the experiments tagged with an execution across pages", async () => {
    fis
      .on(ListExperimentsCommand as any)
      .resolvesOnce({
        experiments: [
          { id: "EXP1", tags: { "gameday:execution": "run-1" } },
          { id: "EXP2", tags: {} },
        ],
        nextToken: "t2",
      } as any)
      .resolves({ experiments: [{ id: "EXP3", tags: { "gameday:execution": "run-1" } }] } as any);
    fis.on(GetExperimentCommand as any).callsFake((input: any) => ({
      experiment: { id: input.id, experimentTemplateId: "EXT1", state: { status: "running" }, tags: {}, actions: {} },
    }));
    const found = await fisExperiments(new FisClient({})).listTagged("gameday:execution", "run-1");
    expect(found.map((e) => e.id)).toEqual(["EXP1", "EXP3"]);
    expect(fis.commandCalls(ListExperimentsCommand as any).map((c: any) => c.args[0].input)).toEqual([
      { maxResults: 100, nextToken: undefined },
      { maxResults: 100, nextToken: "t2" },
    ]);
  });

  it("never reads another stack's live experiment: the list's own tags narrow it before GetExperiment", async () => {
    const mine = { "gameday:execution": "a", "gameday:state-machine": "arn:sm:prod" };
    const theirs = { "gameday:execution": "a", "gameday:state-machine": "arn:sm:staging" };
    fis.on(ListExperimentsCommand as any).resolves({
      experiments: [
        { id: "EXP1", tags: mine, state: { status: "running" } },
        { id: "EXP2", tags: theirs, state: { status: "running" } },
      ],
    } as any);
    fis.on(GetExperimentCommand as any).callsFake((input: any) => ({
      experiment: { id: input.id, experimentTemplateId: "EXT1", state: { status: "running" }, tags: mine, actions: {} },
    }));
    const experiments = fisExperiments(new FisClient({}));
    const live = await experiments.listLive("gameday:execution", { "gameday:state-machine": "arn:sm:prod" });
    const tagged = await experiments.listTagged("gameday:execution", "a", { "gameday:state-machine": "arn:sm:prod" });
    expect([live, tagged].map((found) => found.map((e) => e.id))).toEqual([["EXP1"], ["EXP1"]]);
    expect(fis.commandCalls(GetExperimentCommand as any).map((c: any) => c.args[0].input.id)).toEqual(["EXP1", "EXP1"]);
  });

  it("takes StopExperiment's refusal as done only when FIS says the experiment is stopping or ended", async () => {
    const refused = (name: string) => Object.assign(new Error("cannot be stopped"), { name, $metadata: {} });
    fis
      .on(StopExperimentCommand as any)
      .rejectsOnce(refused("ValidationException"))
      .rejectsOnce(refused("ConflictException"))
      .rejectsOnce(refused("ValidationException"))
      .rejects(Object.assign(new Error("no"), { name: "AccessDeniedException" }));
    fis
      .on(GetExperimentCommand as any)
      .resolvesOnce({ experiment: { id: "EXP1", state: { status: "completed" }, tags: {} } } as any)
      .resolvesOnce({ experiment: { id: "EXP1", state: { status: "stopping" }, tags: {} } } as any)
      .resolves({ experiment: { id: "EXP1", state: { status: "running" }, tags: {} } } as any);
    const control = fisExperiments(new FisClient({}));
    await expect(control.stop("EXP1")).resolves.toBeUndefined();
    await expect(control.stop("EXP1")).resolves.toBeUndefined();
    // Refused while still running: a malformed request, not an ended experiment.
    await expect(control.stop("EXP1")).rejects.toThrow("cannot be stopped");
    await expect(control.stop("EXP1")).rejects.toThrow("no");
    expect(fis.commandCalls(GetExperimentCommand as any).map((c: any) => c.args[0].input)).toEqual([
      { id: "EXP1" },
      { id: "EXP1" },
      { id: "EXP1" },
    ]);
    expect(fis.commandCalls(StopExperimentCommand as any)[0]!.args[0].input).toEqual({ id: "EXP1" });
  });
});
