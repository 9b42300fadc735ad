import {
  CloudWatchClient,
  DescribeAlarmHistoryCommand,
  DescribeAlarmsCommand,
  GetMetricDataCommand,
  type MetricDataQuery,
} from "@aws-sdk/client-cloudwatch";
import type { AlarmState } from "../core/plan/schema";
import { SDK_CLIENT_CONFIG, tracer } from "./powertools";
import type { AlarmStateChange, MetricQuery, MetricSeries, MetricSource, TimeWindow } from "../core/ports";

/** GetMetricData takes at most 500 queries per call (aws-facts §4). */
export const GET_METRIC_DATA_MAX_QUERIES = 500;

export function toMetricDataQuery(query: MetricQuery): MetricDataQuery {
  if ("metric" in query) {
    return {
      Id: query.id,
      ReturnData: query.returnData,
      MetricStat: {
        Metric: {
          Namespace: query.metric.namespace,
          MetricName: query.metric.name,
          Dimensions: Object.entries(query.metric.dimensions).map(([Name, Value]) => ({ Name, Value })),
        },
        Period: query.metric.periodSeconds,
        Stat: query.metric.statistic,
      },
    };
  }
  return { Id: query.id, Expression: query.expression, Period: query.periodSeconds, ReturnData: query.returnData };
}

/**
 * CloudWatch behind the MetricSource port. Math expressions must travel with the metrics they reference, so a
 * probe's queries are never split across calls; up to 500 queries cost one call per page.
 */
export class CloudWatchMetricSource implements MetricSource {
  constructor(private readonly client: CloudWatchClient) {}

  async query(queries: MetricQuery[], window: TimeWindow): Promise<Map<string, MetricSeries>> {
    const out = new Map<string, MetricSeries>();
    for (const batch of batches(queries)) {
      let nextToken: string | undefined;
      do {
        const response = await this.client.send(
          new GetMetricDataCommand({
            MetricDataQueries: batch.map(toMetricDataQuery),
            StartTime: new Date(window.start),
            EndTime: new Date(window.end),
            ScanBy: "TimestampAscending",
            NextToken: nextToken,
          }),
        );
        for (const result of response.MetricDataResults ?? []) {
          const id = result.Id!;
          const series = out.get(id) ?? { id, timestamps: [], values: [] };
          (result.Timestamps ?? []).forEach((t, i) => {
            series.timestamps.push(t.getTime());
            series.values.push(result.Values?.[i] ?? NaN);
          });
          out.set(id, series);
        }
        nextToken = response.NextToken;
      } while (nextToken);
    }
    return out;
  }

  async alarmStates(alarmNames: string[]): Promise<Map<string, AlarmState>> {
    const out = new Map<string, AlarmState>();
    // DescribeAlarms takes at most 100 names per call.
    for (let i = 0; i < alarmNames.length; i += 100) {
      let nextToken: string | undefined;
      do {
        const response = await this.client.send(
          new DescribeAlarmsCommand({
            AlarmNames: alarmNames.slice(i, i + 100),
            AlarmTypes: ["MetricAlarm", "CompositeAlarm"],
            NextToken: nextToken,
          }),
        );
        for (const alarm of [...(response.MetricAlarms ?? []), ...(response.CompositeAlarms ?? [])])
          if (alarm.AlarmName && alarm.StateValue) out.set(alarm.AlarmName, alarm.StateValue as AlarmState);
        nextToken = response.NextToken;
      } while (nextToken);
    }
    return out;
  }

  /**
   * DescribeAlarmHistory's state updates from the window's start onwards (up to now, ascending): the first update's
   * old state is the state the window began in; an alarm that never changed since is in its current state.
   */
  async alarmHistory(alarmName: string, window: TimeWindow): Promise<AlarmStateChange[]> {
    const updates: { at: number; from?: AlarmState; to?: AlarmState }[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const response = await this.client.send(
        new DescribeAlarmHistoryCommand({
          AlarmName: alarmName,
          AlarmTypes: ["MetricAlarm", "CompositeAlarm"],
          HistoryItemType: "StateUpdate",
          StartDate: new Date(window.start),
          ScanBy: "TimestampAscending",
          MaxRecords: 100,
          NextToken: nextToken,
        }),
      );
      for (const item of response.AlarmHistoryItems ?? [])
        if (item.Timestamp) updates.push({ at: item.Timestamp.getTime(), ...stateChangeOf(item.HistoryData) });
      nextToken = response.NextToken;
      pages += 1;
      // Only the first update after the window matters; it is already read once a page reaches past the window.
    } while (nextToken && pages < ALARM_HISTORY_MAX_PAGES && (updates.at(-1)?.at ?? 0) <= window.end);
    const initial = updates[0]?.from ?? (await this.alarmStates([alarmName])).get(alarmName);
    if (!initial) return [];
    const out: AlarmStateChange[] = [{ at: window.start, state: initial }];
    for (const update of updates)
      if (update.at <= window.end && update.to && update.to !== out[out.length - 1]!.state)
        out.push({ at: update.at, state: update.to });
    return out;
  }
}

/** A flapping alarm's history is read up to this many pages of 100 changes. */
export const ALARM_HISTORY_MAX_PAGES = 10;

const stateChangeOf = (historyData: string | undefined): { from?: AlarmState; to?: AlarmState } => {
  try {
    const data = JSON.parse(historyData ?? "{}") as {
      oldState?: { stateValue?: AlarmState };
      newState?: { stateValue?: AlarmState };
    };
    return { from: data.oldState?.stateValue, to: data.newState?.stateValue };
  } catch {
    return {};
  }
};

/** Splits queries into calls of at most 500, keeping each expression with the queries it refers to. */
export function batches(queries: MetricQuery[]): MetricQuery[][] {
  const groups: MetricQuery[][] = [];
  let current: MetricQuery[] = [];
  for (const query of queries) {
    current.push(query);
    if ("expression" in query || query.returnData) {
      groups.push(current);
      current = [];
    }
  }
  if (current.length) groups.push(current);
  const out: MetricQuery[][] = [];
  let call: MetricQuery[] = [];
  for (const group of groups) {
    if (call.length + group.length > GET_METRIC_DATA_MAX_QUERIES) {
      out.push(call);
      call = [];
    }
    call.push(...group);
  }
  if (call.length) out.push(call);
  return out;
}

export const cloudWatchMetrics = () =>
  new CloudWatchMetricSource(tracer.captureAWSv3Client(new CloudWatchClient(SDK_CLIENT_CONFIG)));
