import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { renderJUnit } from "../../src/core/report/junit";
import type { Report } from "../../src/core/report/model";
import { escapeMarkdown, escapeMarkup } from "../../src/core/report/text";
import { EXIT_CODES } from "../../src/core/verdict/verdict";
import { run } from "../helpers";

/** Rehearses a plan with the CLI, as a user would, and reads back every output it wrote. */
async function outputsOf(planFile: string, ...extra: string[]) {
  const out = mkdtempSync(join(tmpdir(), "gameday-agree-"));
  const { code, out: summary } = await run(["rehearse", planFile, "--out", out, ...extra]);
  const report = JSON.parse(readFileSync(join(out, "report.json"), "utf8")) as Report;
  return {
    code,
    summary,
    report,
    markdown: readFileSync(join(out, "report.md"), "utf8"),
    html: readFileSync(join(out, "report.html"), "utf8"),
    junit: renderJUnit(report),
  };
}

const count = (xml: string, attribute: string) =>
  Number(new RegExp(`<testsuite [^>]*${attribute}="(\\d+)"`).exec(xml)![1]);

describe("every output of a game day tells the same verdict", () => {
  const runs = [
    ...readdirSync("plans").map((f) => [`plans/${f}`]),
    ["plans/ec2-web-tier.json", "--fault", "abort-at:PT4M"],
    ["plans/ecs-checkout-zone-loss.json", "--fault", "lambda-error:1"],
  ];
  it.each(runs.map((argv) => ({ name: argv.join(" "), argv })))("$name", async ({ argv: [planFile, ...extra] }) => {
    const o = await outputsOf(planFile!, ...extra);
    const { verdict, reason, findings } = o.report;
    // Exit code and summary.
    expect(o.code).toBe(EXIT_CODES[verdict]);
    expect(o.summary).toContain(`${verdict}  ${o.report.plan.name}\n${reason}\n`);
    // Markdown and HTML headlines.
    expect(o.markdown.split("\n")[0]).toMatch(new RegExp(`— \\S+ ${verdict}$`));
    expect(o.markdown).toContain(`\n${escapeMarkdown(reason)}\n`);
    expect(o.html).toContain(`<span class="verdict">${verdict}</span>`);
    expect(o.html).toContain(`<p>${escapeMarkup(reason)}</p>`);
    // JUnit counts: failures only for FAILED, errors for ABORTED and ERROR, skipped cases for every verdict that
    // judged nothing (and for experiments none of whose actions ran).
    const judged = verdict === "PASSED" || verdict === "FAILED";
    expect(count(o.junit, "failures") > 0).toBe(verdict === "FAILED");
    if (!judged) expect(count(o.junit, "skipped")).toBeGreaterThanOrEqual(o.report.probes.length);
    if (verdict === "PASSED") expect(count(o.junit, "skipped")).toBe(0);
    expect(count(o.junit, "errors") > 0).toBe(verdict === "ABORTED" || verdict === "ERROR");
    expect(o.junit).toContain(`<property name="verdict" value="${verdict}"/>`);
    // The probes each output marks as having broken the hypothesis are the ones the findings name.
    const decided = new Set(findings.filter((f) => f.verdict === verdict && f.probeId).map((f) => f.probeId));
    for (const probe of o.report.probes) {
      const broke = decided.has(probe.id);
      const unjudged = findings.some((f) => f.probeId === probe.id && f.verdict === "INCONCLUSIVE");
      const junitCase = new RegExp(`<testcase name="probe ${probe.id}[^"]*"[^>]*>(<failure|<skipped|<error)`);
      // A probe passes in JUnit only when the game day judged it and it held.
      expect(junitCase.test(o.junit), `JUnit case of ${probe.id}`).toBe(broke || !judged || unjudged);
      // A probe some finding could not judge is never "held" in Markdown.
      const outcome = broke ? verdict : unjudged && verdict !== "INCONCLUSIVE" ? "not shown" : "held";
      expect(o.markdown, `Markdown row of ${probe.id}`).toContain(`| ${probe.id} | ${outcome} |`);
      expect(new RegExp(`<h3>${probe.id} <span class="hot">`).test(o.html), `HTML card of ${probe.id}`).toBe(broke);
    }
    // The reason claims "within its bounds" only for a PASSED game day.
    expect(/stayed within its bounds/.test(reason)).toBe(verdict === "PASSED");
  });

  it("fails a failover that breaks the bounds in its one fault poll, though the shop recovers", async () => {
    const o = await outputsOf("plans/aurora-failover-recovers.json");
    expect(o.report.verdict).toBe("FAILED");
    expect(o.report.recovery).toEqual(expect.any(Number));
    expect(o.report.findings.filter((f) => f.verdict === "FAILED").map((f) => f.rule)).toEqual([
      "out-of-bounds-during-fault",
      "out-of-bounds-during-fault",
    ]);
    expect(o.report.stages[0]!.polls).toBe(1);
  });

  it("calls a game day that injected nothing INCONCLUSIVE (exit 4), never PASSED", async () => {
    const o = await outputsOf("plans/dynamodb-orders-replication-pause.json");
    expect(o.report.verdict).toBe("INCONCLUSIVE");
    expect(o.code).toBe(4);
    expect(o.report.findings[0]).toMatchObject({ rule: "nothing-injected" });
    expect(o.report.recovery).toBeNull();
    expect(o.summary).toContain("recovery: not measured");
  });
});
