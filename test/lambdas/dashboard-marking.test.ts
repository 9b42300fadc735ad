import { existsSync } from "node:fs";
import { join } from "node:path";
import { CloudWatchClient, GetDashboardCommand, PutDashboardCommand } from "@aws-sdk/client-cloudwatch";
import { mockClient } from "aws-sdk-client-mock";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createStoreReport } from "../../src/handlers/store-report";
import { chartLibrary } from "../../src/assets/chart-library";
import { CloudWatchDashboards } from "../../src/aws/dashboards";
import { LATEST_RUN_HEADING, NO_RUN_YET } from "../../src/core/dashboards/latest-run";
import type { Report } from "../../src/core/report/model";
import { REPORT_EVENT } from "../../src/core/report/storage";
import { MemoryStore } from "../fakes";
import { planFrom, rehearsePlan } from "../helpers";
import { logicalIdAt, resolveIntrinsics, resourcesOfType, synthesizedStack } from "../infra/assembly";

const { template, directory } = synthesizedStack();
const cloudwatch = mockClient(CloudWatchClient);
let report: Report;

/** The per-plan dashboard exactly as the stack deploys it. */
const deployedBody = (name: string) => {
  const found = resourcesOfType(template, "AWS::CloudWatch::Dashboard").find(
    ([, d]) => d.Properties.DashboardName === name,
  );
  return resolveIntrinsics(found![1].Properties.DashboardBody) as string;
};

const event = (detail: Report) => ({
  version: "0",
  id: "e-1",
  "detail-type": REPORT_EVENT.detailType,
  source: REPORT_EVENT.source,
  account: "111122223333",
  time: detail.execution.endedAt,
  region: "eu-west-1",
  resources: [],
  detail,
});

beforeAll(async () => {
  report = (await rehearsePlan(planFrom("plans/aurora-failover.json"), { executionName: "nightly-42" })).report!;
  delete report.comparison;
});
beforeEach(() => cloudwatch.reset());

describe("marking the plan's dashboard when a report is stored", () => {
  it("draws the run's fault windows on every graph and puts the verdict in the latest-run widget", async () => {
    const deployed = deployedBody("GameDay_aurora-failover");
    expect(deployed).toContain(JSON.stringify(NO_RUN_YET).slice(1, -1));
    cloudwatch.on(GetDashboardCommand).resolves({ DashboardBody: deployed });
    cloudwatch.on(PutDashboardCommand).resolves({ DashboardValidationMessages: [] });
    const handle = createStoreReport({
      store: new MemoryStore(),
      metrics: { record: () => undefined },
      chart: chartLibrary(),
      dashboards: {
        store: new CloudWatchDashboards(new CloudWatchClient({ region: "eu-west-1" })),
        namePrefix: "GameDay_",
      },
    });
    await handle(event(report));

    expect(cloudwatch.commandCalls(GetDashboardCommand).map((c) => c.args[0].input)).toEqual([
      { DashboardName: "GameDay_aurora-failover" },
    ]);
    const put = cloudwatch.commandCalls(PutDashboardCommand).map((c) => c.args[0].input);
    expect(put).toHaveLength(1);
    expect(put[0]!.DashboardName).toBe("GameDay_aurora-failover");
    const before = JSON.parse(deployed);
    const after = JSON.parse(put[0]!.DashboardBody!);
    expect(after.widgets).toHaveLength(before.widgets.length);
    const bands = report.stages.map((s) => [
      { label: `nightly-42: ${s.name}`, value: s.faultStartedAt, color: "#d62728" },
      { value: s.faultEndedAt },
    ]);
    const graphs = after.widgets.filter((w: any) => w.type === "metric");
    expect(graphs.length).toBeGreaterThan(0);
    for (const [i, widget] of after.widgets.entries()) {
      if (widget.type === "metric") {
        expect(widget.properties.annotations.vertical).toEqual(bands);
        // The bounds the stack drew stay.
        expect(widget.properties.annotations.horizontal).toEqual(before.widgets[i].properties.annotations?.horizontal);
      } else if (widget.properties?.markdown?.startsWith(LATEST_RUN_HEADING)) {
        expect(widget.properties.markdown).toContain(`**FAILED** — nightly-42,`);
        // The widget names the report's worst-moved service or edge; the failover's weakness is among the first.
        expect(report.traces!.blastRadius.slice(0, 3)).toContain("checkout → orders-db");
        expect(widget.properties.markdown).toContain(`blast radius: ${report.traces!.blastRadius[0]}`);
        expect(widget.properties.markdown).toContain("reports/aurora-failover/nightly-42.html");
      } else {
        expect(widget).toEqual(before.widgets[i]);
      }
    }
  });

  it("leaves dashboards alone for a plan the stack does not ship", async () => {
    cloudwatch
      .on(GetDashboardCommand)
      .rejects(Object.assign(new Error("Dashboard does not exist"), { name: "ResourceNotFound" }));
    const handle = createStoreReport({
      store: new MemoryStore(),
      metrics: { record: () => undefined },
      chart: chartLibrary(),
      dashboards: {
        store: new CloudWatchDashboards(new CloudWatchClient({ region: "eu-west-1" })),
        namePrefix: "GameDay_",
      },
    });
    await expect(handle(event(report))).resolves.toMatchObject({ outcome: "stored" });
    expect(cloudwatch.commandCalls(PutDashboardCommand)).toEqual([]);
  });

  it("is deployed with the chart library in its package and the dashboards' name prefix", () => {
    const store = template.Resources[logicalIdAt(template, "GameDay/Reports/Store/Function/Resource")]!;
    expect(store.Properties.Environment.Variables.DASHBOARD_PREFIX).toBe("GameDay_");
    const asset = join(directory, store.Metadata!["aws:asset:path"]);
    expect(existsSync(join(asset, "assets/uPlot.iife.min.js"))).toBe(true);
    expect(existsSync(join(asset, "assets/uPlot.min.css"))).toBe(true);
  });
});
