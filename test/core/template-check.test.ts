import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { checkFisTemplate } from "../../src/core/template/check";

const FIXTURES = "test/fixtures/fis-template-library";
const load = (file: string) => JSON.parse(readFileSync(file, "utf8"));
const base = () => load("templates/ec2-terminate-web-instances.json");

describe("FIS template validation", () => {
  it.each(readdirSync(FIXTURES).filter((f) => f.endsWith(".json")))(
    "accepts the public library template %s",
    (file) => {
      const { problems } = checkFisTemplate(load(`${FIXTURES}/${file}`));
      expect(problems.filter((p) => p.severity === "error")).toEqual([]);
      // The library's placeholders and missing stop conditions are worth a warning.
      expect(problems.some((p) => p.severity === "warning")).toBe(true);
    },
  );

  const cases: [string, (t: any) => void, string, string][] = [
    [
      "an unknown action id",
      (t) => (t.actions.terminate.actionId = "aws:ec2:explode"),
      "actions.terminate.actionId",
      "unknown FIS action",
    ],
    [
      "a target that is not defined",
      (t) => (t.actions.terminate.targets.Instances = "ghost"),
      "actions.terminate.targets.Instances",
      "not defined",
    ],
    [
      "a resource type that does not fit the action",
      (t) => (t.targets.webInstances.resourceType = "aws:rds:db"),
      "actions.terminate.targets.Instances",
      "needs aws:ec2:instance",
    ],
    [
      "a selection mode out of range",
      (t) => (t.targets.webInstances.selectionMode = "PERCENT(150)"),
      "targets.webInstances.selectionMode",
      "PERCENT",
    ],
    [
      "a malformed selection mode",
      (t) => (t.targets.webInstances.selectionMode = "SOME(2)"),
      "targets.webInstances.selectionMode",
      "not ALL",
    ],
    [
      "both resourceArns and resourceTags",
      (t) => (t.targets.webInstances.resourceArns = ["arn:aws:ec2:us-east-1:123456789012:instance/i-1"]),
      "targets.webInstances",
      "not both",
    ],
    [
      "a malformed alarm ARN",
      (t) => (t.stopConditions[0].value = "arn:aws:cloudwatch:alarm"),
      "stopConditions[0].value",
      "alarm ARN",
    ],
    [
      "a non ISO-8601 duration",
      (t) => (t.actions.terminate = { actionId: "aws:fis:wait", parameters: { duration: "5 minutes" } }),
      "actions.terminate.parameters.duration",
      "ISO-8601",
    ],
    [
      "startAfter naming an unknown action",
      (t) => (t.actions.terminate.startAfter = ["warmup"]),
      "actions.terminate.startAfter[0]",
      "not defined",
    ],
  ];
  it.each(cases)("rejects %s, naming the JSON path", (_, mutate, path, message) => {
    const template = base();
    mutate(template);
    const errors = checkFisTemplate(template).problems.filter((p) => p.severity === "error");
    expect(errors).toContainEqual(expect.objectContaining({ path, message: expect.stringContaining(message) }));
  });

  it("rejects startAfter cycles", () => {
    const template = base();
    template.actions.a = { actionId: "aws:fis:wait", parameters: { duration: "PT1M" }, startAfter: ["b"] };
    template.actions.b = { actionId: "aws:fis:wait", parameters: { duration: "PT1M" }, startAfter: ["a"] };
    const errors = checkFisTemplate(template).problems.filter((p) => p.severity === "error");
    expect(errors.some((e) => e.message.includes("cycle"))).toBe(true);
  });

  it.each([
    ["VirtualInterfaces", "fis-template-library"],
    ["DXVirtualInterfaces", null],
  ])("accepts a Direct Connect disconnect targeted by %s, warning where the sources disagree", (key, warning) => {
    const template = {
      description: "Disconnect a virtual interface",
      targets: {
        vifs: {
          resourceType: "aws:directconnect:virtual-interface",
          resourceArns: ["arn:aws:directconnect:us-east-1:123456789012:dxvif/dxvif-abc"],
          selectionMode: "ALL",
        },
      },
      actions: {
        disconnect: {
          actionId: "aws:directconnect:virtual-interface-disconnect",
          parameters: { duration: "PT10M" },
          targets: { [key]: "vifs" },
        },
      },
      stopConditions: [{ source: "aws:cloudwatch:alarm", value: "arn:aws:cloudwatch:us-east-1:123456789012:alarm:x" }],
      roleArn: "arn:aws:iam::123456789012:role/fis",
    };
    const problems = checkFisTemplate(template).problems;
    expect(problems.filter((p) => p.severity === "error")).toEqual([]);
    const warnings = problems.filter((p) => p.path === `actions.disconnect.targets.${key}`);
    if (warning) expect(warnings).toEqual([expect.objectContaining({ message: expect.stringContaining(warning) })]);
    else expect(warnings).toEqual([]);
  });
});
