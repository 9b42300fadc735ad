import { Metrics } from "@aws-lambda-powertools/metrics";
import { afterEach, describe, expect, it, vi } from "vitest";
import { embeddedReportMetrics } from "../../src/aws/report-metrics";
import { METRICS_NAMESPACE, SERVICE_NAME } from "../../src/core/contract/metrics";
import type { Report } from "../../src/core/report/model";
import { resolveIntrinsics, resourcesOfType, synthesizedStack } from "./assembly";

const { template } = synthesizedStack();

/** The EMF lines the store function prints for one report of each verdict, exactly as Powertools writes them. */
function publishedMetrics(plan: string): Set<string> {
  const lines: string[] = [];
  const write = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
    lines.push(String(chunk));
    return true;
  });
  vi.spyOn(console, "log").mockImplementation((...args) => void lines.push(args.join(" ")));
  const sink = embeddedReportMetrics(new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME }));
  for (const verdict of ["PASSED", "FAILED", "INCONCLUSIVE", "ABORTED", "ERROR"])
    sink.record(plan, { verdict, recovery: 42, stages: [], comparison: { regressions: [] } } as unknown as Report);
  write.mockRestore();
  const published = new Set<string>();
  for (const line of lines.flatMap((l) => l.split("\n")).filter((l) => l.includes('"_aws"'))) {
    const emf = JSON.parse(line);
    for (const directive of emf._aws.CloudWatchMetrics)
      for (const dimensions of directive.Dimensions as string[][])
        for (const metric of directive.Metrics as { Name: string }[])
          published.add(identity(directive.Namespace, metric.Name, dimensions));
  }
  return published;
}

const identity = (namespace: string, name: string, dimensionKeys: string[]) =>
  `${namespace} ${name} {${[...dimensionKeys].sort().join(",")}}`;

/** Every metric of gameday's namespace a deployed dashboard asks for: widget metrics and SEARCH expressions. */
function dashboardQueries(): { metrics: string[]; searches: { schema: string[]; name: string }[] } {
  const metrics: string[] = [];
  const searches: { schema: string[]; name: string }[] = [];
  for (const [, dashboard] of resourcesOfType(template, "AWS::CloudWatch::Dashboard")) {
    const body = JSON.parse(resolveIntrinsics(dashboard.Properties.DashboardBody));
    for (const widget of body.widgets)
      for (const entry of (widget.properties?.metrics ?? []) as unknown[][]) {
        const options = entry.find((part) => typeof part === "object") as { expression?: string } | undefined;
        for (const search of options?.expression?.matchAll(/SEARCH\('\{([^}]*)\}\s+MetricName="(\w+)"/g) ?? [])
          searches.push({ schema: search[1]!.split(","), name: search[2]! });
        if (entry[0] !== METRICS_NAMESPACE) continue;
        const dimensions = entry.slice(2).filter((part) => typeof part === "string") as string[];
        const keys = dimensions.filter((_, index) => index % 2 === 0);
        metrics.push(identity(entry[0], entry[1] as string, keys));
      }
  }
  return { metrics, searches };
}

afterEach(() => vi.restoreAllMocks());

describe("the dashboards ask for what the store function publishes", () => {
  const published = publishedMetrics("ecs-checkout-zone-loss");

  it("publishes each report metric with the dimension set {Plan, service}", () => {
    expect(published).toContain(identity(METRICS_NAMESPACE, "VerdictPASSED", ["Plan", "service"]));
    expect(published).toContain(identity(METRICS_NAMESPACE, "RecoverySeconds", ["Plan", "service"]));
  });

  it("names, in every plan widget, a metric with exactly a published dimension set", () => {
    const { metrics } = dashboardQueries();
    expect(metrics.length).toBeGreaterThan(5);
    for (const metric of metrics) expect(published, metric).toContain(metric);
  });

  it("searches, on the overview, exactly a published dimension set", () => {
    const { searches } = dashboardQueries();
    expect(searches.length).toBeGreaterThanOrEqual(6);
    for (const { schema, name } of searches) {
      const [namespace, ...keys] = schema;
      expect(namespace).toBe(METRICS_NAMESPACE);
      // SEARCH with a schema matches only metrics whose dimension set is exactly the schema's keys.
      expect(published, `${name} in {${schema.join(",")}}`).toContain(identity(namespace!, name, keys));
    }
  });
});
