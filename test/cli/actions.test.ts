import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { FIS_ACTIONS } from "../../src/core/catalog/fis-actions";
import { FIS_ACTION_PERMISSIONS } from "../../src/core/catalog/fis-permissions";
import { ACTION_MODELS, ACTION_MODULES } from "../../src/sim/fis-actions";
import { run } from "../helpers";

describe("gameday actions", () => {
  it("lists every catalog action with what validate, the stack and the rehearsal do with it, as they do it", async () => {
    const { code, out } = await run(["actions", "--format", "json"]);
    expect(code).toBe(0);
    const rows = JSON.parse(out) as { actionId: string; deploys: unknown; simulatedBy?: string; validates: boolean }[];
    expect(rows.map((r) => r.actionId).sort()).toEqual(Object.keys(FIS_ACTIONS).sort());
    for (const row of rows) {
      expect(row.validates, row.actionId).toBe(true);
      expect(Boolean(row.deploys), row.actionId).toBe(row.actionId in FIS_ACTION_PERMISSIONS);
      expect(row.simulatedBy, row.actionId).toBe(ACTION_MODULES[row.actionId]);
      if (row.simulatedBy) expect(existsSync(row.simulatedBy), row.simulatedBy).toBe(true);
    }
  });

  it("models no action the catalog does not know", () => {
    expect(Object.keys(ACTION_MODELS).filter((id) => !(id in FIS_ACTIONS))).toEqual([]);
  });

  it("prints a table a person reads, with the counts, and can list only what a rehearsal skips", async () => {
    const table = (await run(["actions"])).out;
    const simulated = Object.keys(ACTION_MODELS).length;
    const total = Object.keys(FIS_ACTIONS).length;
    expect(table).toMatch(/^action\s+targets\s+validate\s+deploy\s+rehearse\s+model \(src\/sim\/\)$/m);
    expect(table).toMatch(/^aws:rds:failover-db-cluster\s+aws:rds:cluster\s+yes\s+yes\s+yes\s+kinds\/aurora\.ts$/m);
    expect(table).toMatch(
      /^aws:ssm:start-automation-execution\s+–\s+yes\s+yes\s+yes \(when declared\)\s+fis-actions\.ts$/m,
    );
    expect(table).toContain(`${total} actions: validate checks all`);
    expect(table).toContain(`the rehearsal simulates ${simulated}`);
    const skipped = (await run(["actions", "--not-simulated"])).out;
    expect(skipped).not.toMatch(/^aws:rds:failover-db-cluster/m);
    expect(skipped.split("\n").filter((l) => l.startsWith("aws:"))).toHaveLength(total - simulated);
  });

  it("refuses an unknown format", async () => {
    const { code, err } = await run(["actions", "--format", "xml"]);
    expect(code).toBe(2);
    expect(err).toContain("--format is table or json");
  });
});
