import {
  GetServiceGraphCommand,
  GetTimeSeriesServiceStatisticsCommand,
  GetTraceSummariesCommand,
  XRayClient,
} from "@aws-sdk/client-xray";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { entitySelector, TRACE_SUMMARY_PAGE_CAP, XRayTraceSource } from "../../src/aws/traces";

const xray = mockClient(XRayClient);
const window = { start: Date.parse("2026-01-05T10:00:00Z"), end: Date.parse("2026-01-05T10:30:00Z") };
const source = () => new XRayTraceSource(new XRayClient({ region: "eu-west-1" }));
beforeEach(() => xray.reset());

const stats = (total: number, faults: number) => ({
  TotalCount: total,
  FaultStatistics: { TotalCount: faults },
  ErrorStatistics: { TotalCount: 0, ThrottleCount: 0 },
});

describe("X-Ray trace source", () => {
  it("reads services and their edges from every page of the service graph, naming edges by their target", async () => {
    xray
      .on(GetServiceGraphCommand)
      .resolvesOnce({
        Services: [
          {
            ReferenceId: 1,
            Name: "checkout",
            SummaryStatistics: stats(600, 270),
            ResponseTimeHistogram: [{ Value: 0.04, Count: 600 }],
            // The target of this edge is on the next page.
            Edges: [
              {
                ReferenceId: 2,
                SummaryStatistics: stats(600, 270),
                ResponseTimeHistogram: [{ Value: 0.004, Count: 600 }],
              },
            ],
          },
        ],
        NextToken: "page-2",
      })
      .resolvesOnce({ Services: [{ ReferenceId: 2, Name: "orders-db", Type: "remote", Edges: [] }] });
    const graph = await source().serviceGraph(window);
    expect(xray.commandCalls(GetServiceGraphCommand).map((c) => c.args[0].input)).toEqual([
      { StartTime: new Date(window.start), EndTime: new Date(window.end), NextToken: undefined },
      { StartTime: new Date(window.start), EndTime: new Date(window.end), NextToken: "page-2" },
    ]);
    expect([...graph.services.keys()]).toEqual(["checkout"]);
    expect(graph.edges).toEqual([
      {
        from: "checkout",
        to: "orders-db",
        statistics: { requests: 600, faults: 270, errors: 0, throttles: 0, latency: [{ milliseconds: 4, count: 600 }] },
      },
    ]);
  });

  it("reads a service's or an edge's statistics per period with an entity selector, every page", async () => {
    xray
      .on(GetTimeSeriesServiceStatisticsCommand)
      .resolvesOnce({
        TimeSeriesServiceStatistics: [
          {
            Timestamp: new Date(window.start + 60_000),
            EdgeSummaryStatistics: stats(10, 5),
            ResponseTimeHistogram: [],
          },
        ],
        NextToken: "more",
      })
      .resolvesOnce({
        TimeSeriesServiceStatistics: [
          { Timestamp: new Date(window.start), EdgeSummaryStatistics: stats(12, 0), ResponseTimeHistogram: [] },
        ],
      });
    const series = await source().entityTimeSeries({ from: "checkout", to: "orders-db" }, window, 60);
    expect(xray.commandCalls(GetTimeSeriesServiceStatisticsCommand).map((c) => c.args[0].input)).toEqual([
      {
        StartTime: new Date(window.start),
        EndTime: new Date(window.end),
        EntitySelectorExpression: 'edge("checkout", "orders-db")',
        Period: 60,
        NextToken: undefined,
      },
      {
        StartTime: new Date(window.start),
        EndTime: new Date(window.end),
        EntitySelectorExpression: 'edge("checkout", "orders-db")',
        Period: 60,
        NextToken: "more",
      },
    ]);
    expect(series.map((p) => [p.timestamp - window.start, p.statistics.requests, p.statistics.faults])).toEqual([
      [0, 12, 0],
      [60_000, 10, 5],
    ]);
    expect(entitySelector({ service: 'odd"name' })).toBe('service("odd\\"name")');
  });

  it("samples trace summaries, counts root causes where the fault happened, and stops at the page cap", async () => {
    xray.on(GetTraceSummariesCommand).resolves({
      TraceSummaries: [
        {
          HasFault: true,
          ResponseTime: 0.2,
          FaultRootCauses: [{ Services: [{ Name: "web" }, { Name: "checkout" }] }],
        },
        { HasFault: false, HasError: true, ResponseTime: 0.05 },
      ],
      NextToken: "always-more",
    });
    const sample = await source().filteredStatistics("fault", window);
    const calls = xray.commandCalls(GetTraceSummariesCommand).map((c) => c.args[0].input);
    expect(calls).toHaveLength(TRACE_SUMMARY_PAGE_CAP);
    expect(calls[0]).toEqual({
      StartTime: new Date(window.start),
      EndTime: new Date(window.end),
      FilterExpression: "fault",
      Sampling: true,
      NextToken: undefined,
    });
    expect(calls[1]!.NextToken).toBe("always-more");
    expect(sample).toMatchObject({
      requests: 2 * TRACE_SUMMARY_PAGE_CAP,
      faults: TRACE_SUMMARY_PAGE_CAP,
      errors: TRACE_SUMMARY_PAGE_CAP,
      faultRootCauses: { checkout: TRACE_SUMMARY_PAGE_CAP },
      capped: true,
    });
  });
});
