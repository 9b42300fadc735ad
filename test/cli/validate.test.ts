import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { run } from "../helpers";

const temp = (name: string, text: string) => {
  const file = join(mkdtempSync(join(tmpdir(), "gd-")), name);
  writeFileSync(file, text);
  return file;
};

describe("gameday validate", () => {
  it("accepts the example plans and the public library templates, printing warnings", async () => {
    const { code, out, err } = await run([
      "validate",
      "plans/ec2-web-tier.json",
      "test/fixtures/fis-template-library/ec2-instances-terminate-template.json",
    ]);
    expect(code).toBe(0);
    expect(out).toMatch(/✓ plans\/ec2-web-tier.json \(plan\): valid/);
    expect(err).toMatch(/warning .*roleArn: holds an unresolved <YOUR/);
  });

  it("exits 2 and names the file and JSON path of every problem", async () => {
    const plan = JSON.parse(
      JSON.stringify(
        await import("../../plans/ecs-checkout-zone-loss.json", { with: { type: "json" } }).then((m) => m.default),
      ),
    );
    plan.stages[0].experiments.push({ template: { file: "missing.json" } });
    plan.timing.pollInterval = "often";
    const file = temp("plan.json", JSON.stringify(plan));
    const { code, err } = await run(["validate", file]);
    expect(code).toBe(2);
    expect(err).toContain(`${file}: timing.pollInterval: must be an ISO-8601 duration`);
    expect(err).toContain(`${file}: stages[0].experiments[1].template: file`);
  });

  it("points at the line and column of invalid JSON", async () => {
    const file = temp("broken.json", '{\n  "name": "x",\n  "description": oops\n}');
    const { code, err } = await run(["validate", file]);
    expect(code).toBe(2);
    expect(err).toMatch(/line 3, column 18/);
  });

  it("checks the templates a plan refers to, naming the template file", async () => {
    const template = temp(
      "bad-template.json",
      JSON.stringify({
        description: "x",
        targets: {},
        actions: { a: { actionId: "aws:ec2:explode" } },
        stopConditions: [{ source: "none" }],
        roleArn: "arn:aws:iam::123456789012:role/x",
      }),
    );
    const plan = JSON.parse(
      JSON.stringify((await import("../../plans/ecs-checkout-zone-loss.json", { with: { type: "json" } })).default),
    );
    plan.stages[0].experiments = [{ template: { file: template } }];
    const { code, err } = await run(["validate", temp("plan.json", JSON.stringify(plan))]);
    expect(code).toBe(2);
    expect(err).toContain(`${template}: actions.a.actionId: unknown FIS action "aws:ec2:explode"`);
  });

  it("makes rehearse exit 2 on an invalid plan, before anything starts", async () => {
    const file = temp("plan.json", JSON.stringify({ name: "Bad Name" }));
    const { code, err } = await run(["rehearse", file, "--out", mkdtempSync(join(tmpdir(), "gd-"))]);
    expect(code).toBe(2);
    expect(err).toMatch(/nothing was started/);
  });
});
