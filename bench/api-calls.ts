import { CloudWatchClient, GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { mockClient } from "aws-sdk-client-mock";
import { CloudWatchMetricSource } from "../src/aws/metrics";
import type { MetricQuery } from "../src/core/ports";

const metric = (i: number): MetricQuery => ({
  id: `m${i}`,
  returnData: true,
  metric: {
    namespace: "AWS/ApplicationELB",
    name: "RequestCount",
    dimensions: { LoadBalancer: `app/lb-${i}/0123456789abcdef` },
    statistic: "Sum",
    periodSeconds: 60,
  },
});

/** GetMetricData calls the CloudWatch adapter sends for one poll of `n` metric queries (one page of data each). */
export async function getMetricDataCallsFor(n: number): Promise<number> {
  const cloudwatch = mockClient(CloudWatchClient);
  cloudwatch.on(GetMetricDataCommand).resolves({ MetricDataResults: [] });
  const source = new CloudWatchMetricSource(new CloudWatchClient({ region: "us-east-1" }));
  await source.query(
    Array.from({ length: n }, (_, i) => metric(i)),
    { start: Date.parse("2026-11-24T10:00:00Z"), end: Date.parse("2026-11-24T10:05:00Z") },
  );
  const calls = cloudwatch.commandCalls(GetMetricDataCommand).length;
  cloudwatch.restore();
  return calls;
}
