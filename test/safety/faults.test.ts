import { describe, expect, it } from "vitest";
import { formatFaultSpec, parseFaultSpec } from "../../src/sim/faults";
import { run } from "../helpers";
import { matrixInput } from "./matrix";
import { rehearse } from "../../src/local/rehearsal";
import { rehearsalTemplates } from "../../src/local/templates";
import { stackPolicies, world } from "../helpers";
import { resolve } from "node:path";

async function rehearseWith(file: string, faults: string[], seed = 1) {
  const { plan, templates } = matrixInput(file);
  return rehearse({
    input: { plan },
    world: world(),
    seed,
    executionName: "faults-test",
    faults: faults.map(parseFaultSpec),
    templates: (account) => rehearsalTemplates(account, resolve(file), templates),
    iam: stackPolicies(),
  });
}

describe("--fault specs", () => {
  it.each([
    ["throttle:fis:0.3", { kind: "throttle", service: "fis", fraction: 0.3 }],
    ["lambda-error:0.1", { kind: "lambda-error", fraction: 0.1 }],
    ["lambda-timeout:1", { kind: "lambda-timeout", fraction: 1 }],
    ["abort-at:PT7M", { kind: "abort-at", afterSeconds: 420 }],
    ["duplicate-events:3", { kind: "duplicate-events", copies: 3 }],
    ["fis-stop-conflict", { kind: "fis-stop-conflict" }],
    ["lose-status-event", { kind: "lose-status-event" }],
  ])("parses %s", (text, spec) => {
    expect(parseFaultSpec(text)).toEqual(spec);
    expect(parseFaultSpec(formatFaultSpec(parseFaultSpec(text)))).toEqual(spec);
  });

  it.each([
    ["throttle:ec2:0.5", "the service must be one of fis, cloudwatch, xray, events, s3, dynamodb, tagging"],
    ["throttle:fis:1.5", "the fraction must be a decimal number from 0 to 1"],
    ["throttle:fis:0x1", "the fraction must be a decimal number from 0 to 1"],
    ["throttle:fis:1e-1", "the fraction must be a decimal number from 0 to 1"],
    ["throttle:fis:", "the fraction must be a decimal number from 0 to 1"],
    ["duplicate-events:0x2", "expected a whole number of deliveries from 1 to 100"],
    ["abort-at:7 minutes", "expected an ISO-8601 duration such as abort-at:PT7M"],
    ["duplicate-events:0", "expected a whole number of deliveries from 1 to 100"],
    ["meteor-strike", "unknown fault"],
  ])("refuses %s, saying why", (text, message) => {
    expect(() => parseFaultSpec(text)).toThrow(message);
  });

  it("makes the CLI exit 2 on a bad spec, starting nothing", async () => {
    const { code, err } = await run(["rehearse", "plans/ecs-checkout-zone-loss.json", "--fault", "throttle:fis:2"]);
    expect(code).toBe(2);
    expect(err).toContain("--fault throttle:fis:2: the fraction must be a decimal number from 0 to 1");
  });

  it("lists what fired and how many reports were stored in the report", async () => {
    const { code, out } = await run([
      "rehearse",
      "plans/ecs-checkout-zone-loss.json",
      "--fault",
      "duplicate-events:3",
      "--json",
      "--out",
      "/tmp/gameday-faults-test",
    ]);
    expect(code).toBe(0);
    const report = JSON.parse(out);
    expect(report.rehearsal.reportsStored).toBe(1);
    expect(report.rehearsal.faultsInjected).toEqual({ "duplicate-events:3": 2 });
  });
});

describe("injected failures and the orphan guard", () => {
  it("stops a live fault when the execution is stopped from outside, and reports ABORTED", async () => {
    const result = await rehearseWith("plans/ec2-web-tier.json", ["abort-at:PT2M"]);
    expect(result.status).toBe("ABORTED");
    expect(result.report).toMatchObject({ verdict: "ABORTED", cleanup: { stopped: [expect.any(String)] } });
    expect(result.report!.reason).toMatch(/stopped from outside.*stopped 1 running/);
    expect(result.report!.rehearsal).toMatchObject({ orphanedExperiments: 0, reportsStored: 1 });
    const stopped = [...result.account.fis.experiments.values()].filter((e) => e.status === "stopped");
    expect(stopped).toHaveLength(1);
  });

  it("stops it at the next sweep when the status-change event is lost", async () => {
    const result = await rehearseWith("test/fixtures/overload-web-cpu.json", ["abort-at:PT40S", "lose-status-event"]);
    const experiment = [...result.account.fis.experiments.values()][0]!;
    expect(experiment.status).toBe("stopped");
    // Stopped by the sweep, five minutes after the abort, not by the (lost) event a second after it.
    expect(experiment.endTime! - (Date.parse(world().start) + 40_000)).toBeGreaterThanOrEqual(300_000);
    expect(result.report).toMatchObject({ verdict: "ABORTED", rehearsal: { reportsStored: 1 } });
  });

  it("sends a stop again when the first one answered ConflictException", async () => {
    const plain = await rehearseWith("test/fixtures/overload-web-cpu.json", []);
    const conflicted = await rehearseWith("test/fixtures/overload-web-cpu.json", ["fis-stop-conflict"]);
    expect(conflicted.report!.rehearsal!.faultsInjected).toEqual({ "fis-stop-conflict": 1 });
    const end = (r: typeof plain) => [...r.account.fis.experiments.values()][0]!;
    expect(end(conflicted).status).toBe("stopped");
    // One poll (30 s) later than without the conflict, not at the end of the 10-minute fault.
    expect(end(conflicted).endTime! - end(plain).endTime!).toBe(30_000);
  });

  it("reports a game day whose first Lambda crashed as not started, not as an invalid plan", async () => {
    const result = await rehearseWith("plans/ec2-web-tier.json", ["lambda-error:1"]);
    expect(result.error?.name).toBe("GameDay.NotStarted");
    expect(result.account.fis.experiments.size).toBe(0);
    expect(result.report).toMatchObject({
      verdict: "ABORTED",
      rehearsal: { orphanedExperiments: 0, reportsStored: 1 },
    });
    expect(result.report!.reason).toContain("GameDay.NotStarted");
  });
});

describe("the deadline", () => {
  it("is tagged on every experiment, so the sweep can stop one that outlives a hung game day", async () => {
    const result = await rehearseWith("plans/ec2-web-tier.json", []);
    const experiments = [...result.account.fis.experiments.values()];
    expect(experiments.length).toBeGreaterThan(0);
    const start = Date.parse(world().start);
    for (const e of experiments) {
      const deadline = Date.parse(e.tags["gameday:deadline"]!);
      // Baseline 5 min + two stages of (fault 10 min + recovery 10 min + 5 polls of 30 s) + 10 min of slack.
      expect(deadline - start).toBe((300 + 2 * (600 + 600 + 150) + 600) * 1000);
    }
  });
});
