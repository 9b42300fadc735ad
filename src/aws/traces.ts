import {
  GetIndexingRulesCommand,
  GetServiceGraphCommand,
  GetTraceSegmentDestinationCommand,
  GetTimeSeriesServiceStatisticsCommand,
  GetTraceSummariesCommand,
  XRayClient,
  type EdgeStatistics,
  type HistogramEntry,
  type ServiceStatistics,
} from "@aws-sdk/client-xray";
import { SDK_CLIENT_CONFIG, tracer } from "./powertools";
import type {
  TraceDestination,
  RequestStatistics,
  ServiceGraph,
  TimeWindow,
  TimedStatistics,
  TraceEntity,
  TraceSample,
  TraceSource,
} from "../core/ports";

/** Trace summaries are read at most this many pages per window, so a busy service cannot run up the bill. */
export const TRACE_SUMMARY_PAGE_CAP = 5;

const histogram = (entries: HistogramEntry[] | undefined) =>
  (entries ?? []).map((b) => ({ milliseconds: (b.Value ?? 0) * 1000, count: b.Count ?? 0 }));

function statisticsOf(
  summary: ServiceStatistics | EdgeStatistics | undefined,
  entries: HistogramEntry[] | undefined,
): RequestStatistics {
  return {
    requests: summary?.TotalCount ?? 0,
    errors: summary?.ErrorStatistics?.TotalCount ?? 0,
    faults: summary?.FaultStatistics?.TotalCount ?? 0,
    throttles: summary?.ErrorStatistics?.ThrottleCount ?? 0,
    latency: histogram(entries),
  };
}

/** X-Ray filter-expression selector of one service or edge; names are quoted as the expression language wants. */
export function entitySelector(entity: TraceEntity): string {
  const quote = (name: string) => JSON.stringify(name);
  return "service" in entity ? `service(${quote(entity.service)})` : `edge(${quote(entity.from)}, ${quote(entity.to)})`;
}

export class XRayTraceSource implements TraceSource {
  constructor(private readonly client: XRayClient) {}

  async serviceGraph(window: TimeWindow): Promise<ServiceGraph> {
    const graph: ServiceGraph = { services: new Map(), edges: [] };
    const names = new Map<number, string>();
    const pendingEdges: { from: string; to: number; statistics: RequestStatistics }[] = [];
    let nextToken: string | undefined;
    do {
      const response = await this.client.send(
        new GetServiceGraphCommand({
          StartTime: new Date(window.start),
          EndTime: new Date(window.end),
          NextToken: nextToken,
        }),
      );
      for (const service of response.Services ?? []) {
        if (!service.Name) continue;
        if (service.ReferenceId !== undefined) names.set(service.ReferenceId, service.Name);
        // Client nodes and remote (inferred) nodes carry no statistics of their own; their edges still count.
        if (service.SummaryStatistics)
          graph.services.set(service.Name, statisticsOf(service.SummaryStatistics, service.ResponseTimeHistogram));
        for (const edge of service.Edges ?? []) {
          if (edge.ReferenceId === undefined) continue;
          pendingEdges.push({
            from: service.Name,
            to: edge.ReferenceId,
            statistics: statisticsOf(edge.SummaryStatistics, edge.ResponseTimeHistogram),
          });
        }
      }
      nextToken = response.NextToken;
    } while (nextToken);
    // Edges name their target by reference id, which may sit on a later page.
    for (const edge of pendingEdges) {
      const to = names.get(edge.to);
      if (to) graph.edges.push({ from: edge.from, to, statistics: edge.statistics });
    }
    return graph;
  }

  async entityTimeSeries(entity: TraceEntity, window: TimeWindow, periodSeconds: number): Promise<TimedStatistics[]> {
    const out: TimedStatistics[] = [];
    let nextToken: string | undefined;
    do {
      const response = await this.client.send(
        new GetTimeSeriesServiceStatisticsCommand({
          StartTime: new Date(window.start),
          EndTime: new Date(window.end),
          EntitySelectorExpression: entitySelector(entity),
          Period: periodSeconds,
          NextToken: nextToken,
        }),
      );
      for (const point of response.TimeSeriesServiceStatistics ?? []) {
        if (!point.Timestamp) continue;
        const summary = "service" in entity ? point.ServiceSummaryStatistics : point.EdgeSummaryStatistics;
        out.push({
          timestamp: point.Timestamp.getTime(),
          statistics: statisticsOf(summary, point.ResponseTimeHistogram),
        });
      }
      nextToken = response.NextToken;
    } while (nextToken);
    return out.sort((a, b) => a.timestamp - b.timestamp);
  }

  async filteredStatistics(filterExpression: string, window: TimeWindow): Promise<TraceSample> {
    const sample: TraceSample = {
      requests: 0,
      errors: 0,
      faults: 0,
      throttles: 0,
      latency: [],
      faultRootCauses: {},
      capped: false,
    };
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const response = await this.client.send(
        new GetTraceSummariesCommand({
          StartTime: new Date(window.start),
          EndTime: new Date(window.end),
          FilterExpression: filterExpression,
          Sampling: true,
          NextToken: nextToken,
        }),
      );
      for (const trace of response.TraceSummaries ?? []) {
        sample.requests += 1;
        if (trace.HasError) sample.errors += 1;
        if (trace.HasFault) sample.faults += 1;
        if (trace.HasThrottle) sample.throttles += 1;
        sample.latency.push({ milliseconds: (trace.ResponseTime ?? 0) * 1000, count: 1 });
        // Each root cause lists the path of services to the faulting one; the last entry is where it happened.
        for (const cause of trace.FaultRootCauses ?? []) {
          const where = cause.Services?.[cause.Services.length - 1]?.Name;
          if (where) sample.faultRootCauses[where] = (sample.faultRootCauses[where] ?? 0) + 1;
        }
      }
      nextToken = response.NextToken;
      pages += 1;
    } while (nextToken && pages < TRACE_SUMMARY_PAGE_CAP);
    sample.capped = nextToken !== undefined;
    return sample;
  }
}

export const xrayTraces = () => new XRayTraceSource(tracer.captureAWSv3Client(new XRayClient(SDK_CLIENT_CONFIG)));

/**
 * The account's span destination (GetTraceSegmentDestination) and, under CloudWatch Logs, the default indexing
 * rule's sampling percentage (GetIndexingRules; X-Ray's own default is 1%).
 */
export const xrayTraceDestination = (
  client: XRayClient = tracer.captureAWSv3Client(new XRayClient(SDK_CLIENT_CONFIG)),
): TraceDestination => ({
  async current() {
    const where = await client.send(new GetTraceSegmentDestinationCommand({}));
    const destination = where.Destination === "CloudWatchLogs" ? "CloudWatchLogs" : "XRay";
    const status = where.Status ?? "ACTIVE";
    if (destination === "XRay") return { destination, status };
    const rules = await client.send(new GetIndexingRulesCommand({}));
    const rule = (rules.IndexingRules ?? []).find((r) => r.Name === "Default") ?? rules.IndexingRules?.[0];
    const percent =
      rule?.Rule?.Probabilistic?.ActualSamplingPercentage ?? rule?.Rule?.Probabilistic?.DesiredSamplingPercentage;
    return { destination, status, indexedPercent: percent ?? 1 };
  },
});
