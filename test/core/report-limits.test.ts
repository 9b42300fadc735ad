import { describe, expect, it } from "vitest";
import { compareReports } from "../../src/core/report/compare";
import { cutToLength, newReport } from "../../src/core/report/construct";
import type { Report } from "../../src/core/report/model";
import { REPORT_TEXT_LIMITS, reportProblems } from "../../src/core/report/schema";

const parts = {
  plan: { name: "checkout", description: "a plan" },
  execution: {
    name: "run-1",
    startedAt: "2026-11-24T10:00:00.000Z",
    endedAt: "2026-11-24T10:20:00.000Z",
    actionsMode: "run-all" as const,
  },
  verdict: "PASSED" as const,
  reason: "Every probe stayed within its bounds while the fault was live.",
};

describe("a report's limits, end to end", () => {
  it("cuts texts that validate accepts but the store would refuse, saying how much was cut", () => {
    const report = newReport({
      ...parts,
      plan: { name: "checkout", description: "d".repeat(5000) },
      reason: "r".repeat(9000),
      findings: [{ rule: "tolerated", verdict: null, message: "m".repeat(4200), bound: "b".repeat(2000) }],
    });
    expect(report.plan.description).toHaveLength(REPORT_TEXT_LIMITS.planDescription);
    expect(report.plan.description).toMatch(/d… \(9\d\d more characters\)$/);
    expect(report.reason).toHaveLength(REPORT_TEXT_LIMITS.reason);
    expect(report.findings[0]!.message).toHaveLength(REPORT_TEXT_LIMITS.findingMessage);
    expect(report.findings[0]!.bound).toHaveLength(REPORT_TEXT_LIMITS.findingBound);
    expect(reportProblems(report)).toBeUndefined();
  });

  it("keeps every finding that decided the verdict when a report has more findings than it may hold", () => {
    const tolerated = Array.from({ length: 1500 }, (_, i) => ({
      rule: "tolerated" as const,
      verdict: null,
      message: `tolerated ${i}`,
    }));
    const deciding = { rule: "out-of-bounds-during-fault" as const, verdict: "FAILED" as const, message: "broke" };
    const report = newReport({ ...parts, verdict: "FAILED", findings: [...tolerated, deciding] });
    expect(report.findings).toHaveLength(REPORT_TEXT_LIMITS.findings);
    expect(report.findings).toContainEqual(deciding);
    expect(report.findings.at(-1)).toMatchObject({ rule: "findings-cut", message: /^502 more finding/ });
  });

  it("cuts to exactly the length asked, whatever the count's digits", () => {
    for (const length of [101, 1_000, 10_001, 123_456])
      for (const max of [60, 100, 4096])
        if (length > max) expect(cutToLength("x".repeat(length), max)).toHaveLength(max);
    expect(cutToLength("short", 10)).toBe("short");
  });

  it("takes times only as ISO-8601 date and time, never whatever Date.parse reads", () => {
    const at = (startedAt: string) =>
      reportProblems({ ...newReport(parts), execution: { ...parts.execution, startedAt } });
    expect(at("2026-11-24T10:02:00Z")).toBeUndefined();
    expect(at("2026-11-24T10:02:00.000Z")).toBeUndefined();
    expect(at("2026-11-24T12:02:00+02:00")).toBeUndefined();
    expect(at("Jan 1 2099 (<img src=x>)")).toMatch(/execution.startedAt: must be an ISO-8601/);
    expect(at("2026-11-24")).toMatch(/execution.startedAt/);
  });

  it("refuses a report listing more than a reader should walk, and compares long lists without a stack overflow", () => {
    const probe = (times: (number | null)[]) => ({ id: "p", type: "metric", timeToRecover: times }) as never;
    const huge = { ...newReport(parts), probes: [probe(Array.from({ length: 440_000 }, (_, i) => i))] };
    expect(reportProblems(huge)).toMatch(/probes.0.timeToRecover: Too big/i);
    // Even one that got past the schema compares: no Math.max(...list) over it.
    const current = {
      ...newReport(parts),
      probes: [{ id: "p", type: "metric", timeToRecover: [5], phases: { fault: { max: 1 } }, bounds: { max: 2 } }],
    } as unknown as Report;
    expect(compareReports(current, huge as Report).improvements.map((c) => c.subject)).toContain("p recovery");
  });
});
