import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { run } from "../helpers";

const fresh = () => join(mkdtempSync(join(tmpdir(), "gameday-init-scenario-")), "svc");

/** init --scenario, validate what it wrote, rehearse it. */
async function scenario(name: string, extra: string[]) {
  const dir = fresh();
  const init = await run(["init", "orders", "--scenario", name, "--dir", dir, "--region", "eu-central-1", ...extra]);
  expect(init.code, init.err).toBe(0);
  const files = ["world.json", "plan.json", "template.json"].map((f) => join(dir, f));
  const validated = await run(["validate", ...files]);
  expect(validated.err).not.toMatch(/^error /m);
  // The only warnings: actions whose permissions come from the FIS reference alone, which is true and worth saying.
  for (const line of validated.err.split("\n").filter((l) => l.startsWith("warning ")))
    expect(line).toContain("follow the FIS actions reference as gameday reads it");
  expect(validated.code).toBe(0);
  const rehearsed = await run(["rehearse", files[1]!, "--world", files[0]!, "--json", "--out", join(dir, "out")]);
  return {
    init,
    template: JSON.parse(readFileSync(files[2]!, "utf8")),
    report: JSON.parse(rehearsed.out),
  };
}

describe("gameday init --scenario", () => {
  it("writes the AZ power interruption scenario as FIS composes it, and it rehearses with every action injected", async () => {
    const { init, template, report } = await scenario("az-power-interruption", ["--kind", "ec2"]);
    expect(init.out).toContain("AZ Availability: Power Interruption for orders on ec2");
    expect(
      Object.values(template.actions)
        .map((a) => (a as { actionId: string }).actionId)
        .sort(),
    ).toEqual([
      "aws:arc:start-zonal-autoshift",
      "aws:ebs:pause-volume-io",
      "aws:ec2:asg-insufficient-instance-capacity-error",
      "aws:ec2:stop-instances",
      "aws:elasticache:replicationgroup-interrupt-az-power",
      "aws:network:disrupt-connectivity",
      "aws:rds:failover-db-cluster",
    ]);
    expect(["PASSED", "FAILED"]).toContain(report.verdict);
    const statuses = report.experiments[0].actions.map((a: { status: string }) => a.status);
    expect(statuses.every((s: string) => ["completed", "stopped"].includes(s))).toBe(true);
  });

  it("writes the cross-Region connectivity scenario against the Region named, and it rehearses to a judged verdict", async () => {
    const { template, report } = await scenario("cross-region-connectivity", ["--other-region", "eu-west-1"]);
    const regions = Object.values(template.actions).flatMap((a) => {
      const region = (a as { parameters: { region?: string } }).parameters.region;
      return region ? [region] : [];
    });
    expect(new Set(regions)).toEqual(new Set(["eu-west-1"]));
    expect(["PASSED", "FAILED"]).toContain(report.verdict);
    // The dependency in the other Region is cut off: the service's calls to it fail.
    expect(report.traces.blastRadius).toContain("orders → orders-remote");
  });

  it("refuses a scenario it does not know, a service kind a zone loss does not stop, and --from with it", async () => {
    const unknown = await run(["init", "x", "--scenario", "region-power", "--dir", fresh()]);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain("--scenario must be one of az-power-interruption, cross-region-connectivity");
    const lambda = await run([
      "init",
      "x",
      "--kind",
      "lambda",
      "--scenario",
      "az-power-interruption",
      "--dir",
      fresh(),
    ]);
    expect(lambda.err).toContain("starts from a service on ec2 or ecs");
    const both = await run(["init", "x", "--scenario", "az-power-interruption", "--from", "cdk.out", "--dir", fresh()]);
    expect(both.err).toContain("--scenario and --from do not go together");
  });
});
