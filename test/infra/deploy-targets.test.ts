import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { gameDayApp } from "../../infra/app";
import { SYNTH_WITHOUT_BUNDLING } from "../../infra/policy-template";
import { REGIONS_WITHOUT_FIS_TEMPLATES } from "../../infra/regions";

// `cdk deploy` resolves the account and Region from the credentials, so the stack must synthesize with a concrete
// account too, not only environment-agnostic as the other infra tests do. Bundling is skipped (the assets do not
// change with the account), cdk-nag and CloudFormation's own validation stay on.
const synthesizeFor = (target: { account: string; region: string }) => {
  const outdir = mkdtempSync(join(tmpdir(), "gameday-target-"));
  try {
    gameDayApp({ outdir, target, context: SYNTH_WITHOUT_BUNDLING }).app.synth();
    return JSON.parse(readFileSync(join(outdir, "GameDay.template.json"), "utf8"));
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
};

describe("deploy targets", () => {
  afterEach(() => vi.restoreAllMocks());

  it.each([
    { account: "210987654321", region: "eu-west-1" },
    { account: "123456789012", region: "ap-southeast-2" },
    { account: "123456789012", region: "us-gov-west-1" },
  ])("synthesizes for account $account in $region, cdk-nag clean and with no warning", (target) => {
    const printed: string[] = [];
    for (const stream of ["error", "warn", "log"] as const)
      vi.spyOn(console, stream).mockImplementation((...args) => void printed.push(args.join(" ")));
    const template = synthesizeFor(target);
    expect(printed.filter((line) => /warn|deprecat|error/i.test(line))).toEqual([]);
    expect(JSON.stringify(template)).toContain(target.account);
    expect(Object.keys(template.Resources).length).toBeGreaterThan(50);
  });

  it("uses on its event bus only what every partition's CloudFormation takes", () => {
    // AWS GovCloud (US) has no Description on AWS::Events::EventBus and takes its Policy only as JSON text
    // (cfn-lint 1.51.0 provider schemas for us-gov-west-1, rules E3002 and E3012).
    const template = synthesizeFor({ account: "123456789012", region: "us-gov-west-1" });
    const buses = Object.values(template.Resources as Record<string, { Type: string; Properties: any }>).filter(
      (r) => r.Type === "AWS::Events::EventBus",
    );
    expect(buses).toHaveLength(1);
    expect(Object.keys(buses[0]!.Properties).sort()).toEqual(["Name", "Policy"]);
    expect(Object.keys(buses[0]!.Properties.Policy)).toEqual(["Fn::Join"]);
  });

  it("refuses, in one line, a Region whose CloudFormation has no FIS templates", () => {
    expect(REGIONS_WITHOUT_FIS_TEMPLATES.has("il-central-1")).toBe(true);
    const synth = spawnSync(process.execPath, ["--import", "tsx", "infra/main.ts"], {
      env: { ...process.env, CDK_DEFAULT_ACCOUNT: "210987654321", CDK_DEFAULT_REGION: "il-central-1" },
      encoding: "utf8",
    });
    expect(synth.status).toBe(1);
    const lines = synth.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^gameday: Region il-central-1 has no AWS::FIS::ExperimentTemplate .*\(set AWS_REGION/);
  });
});
