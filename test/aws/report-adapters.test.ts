import { BundledPlanCatalog, DeployedTemplateCatalog } from "../../src/aws/catalogs";
import { checkedTemplateIds } from "../../infra/stack";
import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { PutObjectCommand, S3Client, S3ServiceException } from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { EventBridgeReportPublisher } from "../../src/aws/report-publisher";
import { S3ReportStore } from "../../src/aws/report-store";
import type { Report } from "../../src/core/report/model";

const s3 = mockClient(S3Client);
const events = mockClient(EventBridgeClient);
beforeEach(() => {
  s3.reset();
  events.reset();
});

const s3Error = (name: string, status: number) =>
  new S3ServiceException({ name, $fault: "client", $metadata: { httpStatusCode: status }, message: name });

describe("S3 report store", () => {
  const store = () => new S3ReportStore(new S3Client({ region: "eu-west-1" }), "reports-bucket");

  it("writes only if no object exists under the key", async () => {
    s3.on(PutObjectCommand).resolves({});
    expect(await store().putIfAbsent("reports/p/run-1.json", "{}", "application/json")).toBe("stored");
    expect(s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input)).toEqual([
      {
        Bucket: "reports-bucket",
        Key: "reports/p/run-1.json",
        Body: "{}",
        ContentType: "application/json",
        IfNoneMatch: "*",
      },
    ]);
  });

  it("takes 412 Precondition Failed as: already stored", async () => {
    s3.on(PutObjectCommand).rejects(s3Error("PreconditionFailed", 412));
    expect(await store().putIfAbsent("k", "{}", "application/json")).toBe("already-stored");
  });

  it.each([
    ["ConditionalRequestConflict", 409],
    ["AccessDenied", 403],
    ["InternalError", 500],
  ])("lets %s through, so the event is retried or dead-lettered", async (name, status) => {
    s3.on(PutObjectCommand).rejects(s3Error(name, status));
    await expect(store().putIfAbsent("k", "{}", "application/json")).rejects.toThrow(name);
  });
});

describe("EventBridge report publisher", () => {
  const report = { schemaVersion: 1, verdict: "ABORTED", plan: { name: "p" } } as unknown as Report;
  const publisher = () => new EventBridgeReportPublisher(new EventBridgeClient({ region: "eu-west-1" }), "gd-bus");

  it("puts the report event the storage rule matches", async () => {
    events.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: "e-1" }] });
    await publisher().publish(report);
    expect(events.commandCalls(PutEventsCommand).map((c) => c.args[0].input)).toEqual([
      {
        Entries: [
          { Source: "gameday", DetailType: "Game Day Report", Detail: JSON.stringify(report), EventBusName: "gd-bus" },
        ],
      },
    ]);
  });

  it("fails when EventBridge refuses the entry, though the call itself succeeded", async () => {
    events.on(PutEventsCommand).resolves({
      FailedEntryCount: 1,
      Entries: [{ ErrorCode: "InternalFailure", ErrorMessage: "try again" }],
    });
    await expect(publisher().publish(report)).rejects.toThrow(
      "EventBridge refused the report: InternalFailure try again",
    );
  });
});

describe("the deployed plan and template catalogs", () => {
  it.each(["constructor", "__proto__", "toString", "hasOwnProperty"])(
    "refuse the inherited name %s as an unknown plan and template",
    async (name) => {
      const plans = new BundledPlanCatalog({ "ec2-web-tier": { name: "ec2-web-tier" } });
      await expect(plans.load(name)).rejects.toMatchObject({ name: "GameDay.UnknownPlan" });
      const templates = new DeployedTemplateCatalog({ "ec2-web": "EXT1" });
      await expect(templates.resolve({ name })).rejects.toMatchObject({ name: "GameDay.UnknownTemplate" });
    },
  );

  it("resolve names they hold", async () => {
    expect(await new BundledPlanCatalog({ a: { name: "a" } }).load("a")).toEqual({ name: "a" });
    expect(await new DeployedTemplateCatalog({ t: "EXT1" }).resolve({ name: "t" })).toBe("EXT1");
  });
});

describe("templates given by id", () => {
  const alarmStop = [{ source: "aws:cloudwatch:alarm", value: "arn:aws:cloudwatch:eu-west-1:111122223333:alarm:a" }];
  it("resolve the stack's own templates, and those allowed at deploy that stop on an alarm", async () => {
    const asked: string[] = [];
    const catalog = new DeployedTemplateCatalog({ own: "EXTown" }, ["EXTextra"], async (id) => {
      asked.push(id);
      return alarmStop;
    });
    expect(await catalog.resolve({ id: "EXTown" })).toBe("EXTown");
    expect(await catalog.resolve({ id: "EXTextra" })).toBe("EXTextra");
    // The stack checked its own at synth; only the template from elsewhere is read.
    expect(asked).toEqual(["EXTextra"]);
  });

  it("refuse a template neither deployed nor allowed, whatever its tags", async () => {
    const catalog = new DeployedTemplateCatalog({ own: "EXTown" }, [], async () => alarmStop);
    await expect(catalog.resolve({ id: "EXTtagged" })).rejects.toMatchObject({
      name: "GameDay.UnknownTemplate",
      message: expect.stringContaining("-c extraTemplateIds=EXTtagged"),
    });
  });

  it("refuse an allowed template without a CloudWatch alarm stop condition", async () => {
    const catalog = new DeployedTemplateCatalog({}, ["EXTextra"], async () => [{ source: "none" }]);
    await expect(catalog.resolve({ id: "EXTextra" })).rejects.toMatchObject({
      name: "GameDay.InvalidPlan",
      message: expect.stringContaining("no CloudWatch alarm stop condition"),
    });
  });

  it("are checked at synth: an id that is not one stops the deployment", () => {
    expect(checkedTemplateIds(["EXTa1b2", "EXTa1b2"])).toEqual(["EXTa1b2"]);
    expect(() => checkedTemplateIds(["my-template"])).toThrow(/"my-template" is not an FIS experiment template id/);
  });
});
