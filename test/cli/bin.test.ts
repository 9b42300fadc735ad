import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { stripVTControlCharacters } from "node:util";
import { describe, expect, it } from "vitest";

// @ts-expect-error -- a plain ES module of the build scripts, with no declarations
import { bundleEntry } from "../../scripts/build-cli.mjs";

/** Runs `gameday args` and resolves with its exit code and output. */
const gameday = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  new Promise<{ code: number | null; out: string }>((resolve) => {
    const child = spawn(process.execPath, ["bin/gameday.js", ...args], { env: { ...process.env, ...env } });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.on("close", (code) => resolve({ code, out }));
  });

describe("the gameday command", () => {
  it("runs from a bundle no older than the sources, built on first use", () => {
    const help = spawnSync(process.execPath, ["bin/gameday.js", "--help"], { encoding: "utf8" });
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: gameday/);
    expect(existsSync(bundleEntry(process.cwd()))).toBe(true);
    const validate = spawnSync(process.execPath, ["bin/gameday.js", "validate", "plans/ec2-web-tier.json"], {
      encoding: "utf8",
    });
    expect(validate.status).toBe(0);
    expect(stripVTControlCharacters(validate.stdout + validate.stderr)).toContain(
      "✓ plans/ec2-web-tier.json (plan): valid",
    );
  });

  it("starts whole when many processes start at once with no bundle built yet", async () => {
    // Inside the checkout, where the bundle's npm packages resolve.
    mkdirSync("dist", { recursive: true });
    const bundles = mkdtempSync(join("dist", "test-bundles-"));
    try {
      const runs = await Promise.all(
        Array.from({ length: 8 }, () =>
          gameday(["validate", "plans/ec2-web-tier.json"], { GAMEDAY_CLI_BUNDLES: bundles }),
        ),
      );
      expect(runs.filter((r) => r.code !== 0).map((r) => r.out.slice(0, 300))).toEqual([]);
      // One version folder, no staging folder left behind.
      expect(readdirSync(bundles)).toHaveLength(1);
    } finally {
      rmSync(bundles, { recursive: true, force: true });
    }
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
