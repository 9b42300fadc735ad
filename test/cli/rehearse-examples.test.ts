import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { run } from "../helpers";

const FIXTURES = "test/fixtures/fis-template-library";
const inputs = [
  ...readdirSync("plans").map((f) => `plans/${f}`),
  ...readdirSync(FIXTURES)
    .filter((f) => f.endsWith(".json"))
    .map((f) => `${FIXTURES}/${f}`),
];

describe("gameday rehearse, end to end", () => {
  it.each(inputs)("rehearses %s to a verdict with no orphaned experiment", async (file) => {
    const out = mkdtempSync(join(tmpdir(), "gameday-"));
    const { code, out: stdout } = await run(["rehearse", file, "--json", "--out", out]);
    expect([0, 1, 3, 4]).toContain(code);
    const report = JSON.parse(stdout);
    expect(JSON.parse(readFileSync(join(out, "report.json"), "utf8"))).toEqual(report);
    expect(readFileSync(join(out, "report.md"), "utf8")).toContain(`# Game day: ${report.plan.name}`);
    expect(["PASSED", "FAILED", "INCONCLUSIVE", "ABORTED", "ERROR"]).toContain(report.verdict);
    expect({ PASSED: 0, FAILED: 1, ABORTED: 3, ERROR: 3, INCONCLUSIVE: 4 }[report.verdict as string]).toBe(code);
    // A game day in which no action touched a target tested nothing: never PASSED.
    const ran = report.experiments.some((e: { actions: { status: string }[] }) =>
      e.actions.some((a) => ["running", "completed", "stopping", "stopped", "failed"].includes(a.status)),
    );
    if (!ran) expect(report.verdict).not.toBe("PASSED");
    expect(report.rehearsal.orphanedExperiments).toBe(0);
    expect(report.rehearsal.stateTransitions).toBeGreaterThan(5);
    for (const e of report.experiments) {
      expect(e).toMatchObject({
        templateId: expect.stringMatching(/^EXT/),
        experimentId: expect.stringMatching(/^EXP/),
        status: expect.any(String),
      });
      for (const a of e.actions)
        expect(a).toMatchObject({
          name: expect.any(String),
          actionId: expect.stringMatching(/^aws:/),
          status: expect.any(String),
        });
    }
    for (const p of report.probes) expect(Object.keys(p.phases)).toEqual(["baseline", "fault", "recovery"]);
  });

  it("shows at least one passing and one failing example plan", async () => {
    const verdicts = [];
    for (const f of readdirSync("plans"))
      verdicts.push(
        (await run(["rehearse", `plans/${f}`, "--json", "--out", mkdtempSync(join(tmpdir(), "gd-"))])).code,
      );
    expect(verdicts).toContain(0);
    expect(verdicts).toContain(1);
  });

  it("reports modeled gaps instead of crashing on actions the simulator does not model", async () => {
    const { out } = await run([
      "rehearse",
      `${FIXTURES}/elasticache-redis-primary-node-reboot-experiment-template.json`,
      "--json",
      "--out",
      mkdtempSync(join(tmpdir(), "gd-")),
    ]);
    expect(JSON.parse(out).rehearsal.unmodeledActions).toEqual([
      expect.objectContaining({ actionId: "aws:ssm:start-automation-execution" }),
    ]);
  });

  it("is deterministic for a seed", async () => {
    const a = JSON.parse(
      (
        await run([
          "rehearse",
          "plans/ec2-web-tier.json",
          "--json",
          "--seed",
          "7",
          "--out",
          mkdtempSync(join(tmpdir(), "gd-")),
        ])
      ).out,
    );
    const b = JSON.parse(
      (
        await run([
          "rehearse",
          "plans/ec2-web-tier.json",
          "--json",
          "--seed",
          "7",
          "--out",
          mkdtempSync(join(tmpdir(), "gd-")),
        ])
      ).out,
    );
    delete a.rehearsal.wallSeconds;
    delete b.rehearsal.wallSeconds;
    expect(a).toEqual(b);
  });
});
