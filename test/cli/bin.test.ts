import { spawn, spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { stripVTControlCharacters } from "node:util";
import { describe, expect, it } from "vitest";

const newestSource = () =>
  Math.max(
    ...readdirSync("src", { recursive: true, encoding: "utf8" })
      .filter((f) => f.endsWith(".ts"))
      .map((f) => statSync(join("src", f)).mtimeMs),
  );

describe("the gameday command", () => {
  it("runs from a bundle no older than the sources, built on first use", () => {
    const help = spawnSync(process.execPath, ["bin/gameday.js", "--help"], { encoding: "utf8" });
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: gameday/);
    expect(statSync("dist/cli/main.js").mtimeMs).toBeGreaterThanOrEqual(newestSource());
    const validate = spawnSync(process.execPath, ["bin/gameday.js", "validate", "plans/ec2-web-tier.json"], {
      encoding: "utf8",
    });
    expect(validate.status).toBe(0);
    expect(stripVTControlCharacters(validate.stdout + validate.stderr)).toContain(
      "✓ plans/ec2-web-tier.json (plan): valid",
    );
  });

  it("stops quietly when its reader stops reading", async () => {
    const child = spawn(process.execPath, ["bin/gameday.js", "rehearse", "--help"]);
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    child.stdout.once("data", () => child.stdout.destroy());
    const code = await new Promise((resolve) => child.on("close", resolve));
    expect(stderr).not.toMatch(/EPIPE|Unhandled/);
    expect(code).toBe(0);
  });
});
