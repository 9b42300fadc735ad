import { GetServiceGraphCommand, GetTraceSummariesCommand, XRayClient } from "@aws-sdk/client-xray";
import { SDK_CLIENT_CONFIG, tracer } from "./powertools";
import type { LatencyBucket, RequestStatistics, TimeWindow, TraceSource } from "../core/ports";

/** Trace summaries are read at most this many pages per window, so a busy service cannot run up the bill. */
export const TRACE_SUMMARY_PAGE_CAP = 5;

export class XRayTraceSource implements TraceSource {
  constructor(private readonly client: XRayClient) {}

  async serviceStatistics(window: TimeWindow): Promise<Map<string, RequestStatistics>> {
    const out = new Map<string, RequestStatistics>();
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
        const s = service.SummaryStatistics;
        if (!service.Name || !s) continue;
        out.set(service.Name, {
          requests: s.TotalCount ?? 0,
          errors: s.ErrorStatistics?.TotalCount ?? 0,
          faults: s.FaultStatistics?.TotalCount ?? 0,
          throttles: s.ErrorStatistics?.ThrottleCount ?? 0,
          latency: (service.ResponseTimeHistogram ?? []).map((b): LatencyBucket => ({
            milliseconds: (b.Value ?? 0) * 1000,
            count: b.Count ?? 0,
          })),
        });
      }
      nextToken = response.NextToken;
    } while (nextToken);
    return out;
  }

  async filteredStatistics(filterExpression: string, window: TimeWindow): Promise<RequestStatistics> {
    const stats: RequestStatistics = { requests: 0, errors: 0, faults: 0, throttles: 0, latency: [] };
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
        stats.requests += 1;
        if (trace.HasError) stats.errors += 1;
        if (trace.HasFault) stats.faults += 1;
        if (trace.HasThrottle) stats.throttles += 1;
        stats.latency.push({ milliseconds: (trace.ResponseTime ?? 0) * 1000, count: 1 });
      }
      nextToken = response.NextToken;
      pages += 1;
    } while (nextToken && pages < TRACE_SUMMARY_PAGE_CAP);
    return stats;
  }
}

export const xrayTraces = () => new XRayTraceSource(tracer.captureAWSv3Client(new XRayClient(SDK_CLIENT_CONFIG)));
