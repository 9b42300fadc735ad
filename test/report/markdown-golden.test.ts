import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { renderMarkdown } from "../../src/core/report/markdown";
import { planFrom, rehearsePlan } from "../helpers";

/** Golden Markdown reports of the example plans (seed 1). `UPDATE_GOLDEN=1 npx vitest run test/report` rewrites them. */
const GOLDEN = "test/golden";

describe("Markdown reports of the example plans", () => {
  it.each(readdirSync("plans"))("match the golden file for %s", async (file) => {
    const report = (
      await rehearsePlan(planFrom(`plans/${file}`), { executionName: `golden-${file.replace(".json", "")}` })
    ).report!;
    // Wall time is the one thing a rehearsal does not repeat exactly.
    report.rehearsal!.wallSeconds = 0;
    const markdown = renderMarkdown(report);
    const golden = join(GOLDEN, file.replace(".json", ".md"));
    if (process.env.UPDATE_GOLDEN || !existsSync(golden)) writeFileSync(golden, markdown);
    expect(markdown).toBe(readFileSync(golden, "utf8"));
  });
});
