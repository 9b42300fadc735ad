import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { run } from "../helpers";

const LIBRARY = "test/fixtures/fis-template-library";
const out = () => mkdtempSync(join(tmpdir(), "gameday-declare-"));

describe("gameday rehearse --declare", () => {
  it("judges a library template whose automation nobody can guess once its effect is declared on the command line", async () => {
    const template = join(LIBRARY, "dynamodb-region-impairment-experiment-template.json");
    const undeclared = await run(["rehearse", template, "--out", out()]);
    expect(undeclared.code).toBe(4);
    expect(undeclared.out + undeclared.err).toContain('"document": "DynamoDB-Region-Impairment"');

    const dir = out();
    const declared = await run([
      "rehearse",
      template,
      "--declare",
      "DynamoDB-Region-Impairment=errors:1@dynamodb",
      "--out",
      dir,
    ]);
    expect(declared.err).toContain("DynamoDB-Region-Impairment declared to have effect errors (--declare)");
    const report = JSON.parse(readFileSync(join(dir, "report.json"), "utf8"));
    expect(["PASSED", "FAILED"]).toContain(report.verdict);
    const actions = report.experiments[0].actions.map((a: { actionId: string; status: string }) => a.status);
    expect(actions.every((s: string) => s === "completed" || s === "stopped")).toBe(true);
  });

  it("refuses a declaration it cannot read, or on a tier the world does not have, starting nothing", async () => {
    const template = join(LIBRARY, "dynamodb-region-impairment-experiment-template.json");
    const unreadable = await run(["rehearse", template, "--declare", "DynamoDB-Region-Impairment=explode"]);
    expect(unreadable.code).toBe(2);
    expect(unreadable.err).toContain("expected DOCUMENT=EFFECT[:AMOUNT][@TIER]");
    const noTier = await run(["rehearse", template, "--declare", "DynamoDB-Region-Impairment=errors@nowhere"]);
    expect(noTier.code).toBe(2);
    expect(noTier.err).toMatch(/--declare: declaredEffects\.\d+\.tier: "nowhere" is not a tier of this world/);
  });
});
