// Bundles the CLI once per version of its sources, so a command starts without compiling TypeScript. Code splitting
// keeps the AWS SDK, the interpreter and the report code in chunks that only the commands using them load; npm
// packages stay in node_modules.
//
// Each version lives in its own folder (dist/cli/<version>/), built in a staging folder and renamed into place in
// one step: gameday processes started at once never load a half-written bundle nor lose one another is loading.
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The folder the bundles live in: dist/cli, or GAMEDAY_CLI_BUNDLES. */
export const bundlesDir = (root) => process.env.GAMEDAY_CLI_BUNDLES || join(root, "dist", "cli");

/** The sources' version: the newest modification time of any source file. */
export function sourceVersion(root) {
  const newest = Math.max(
    ...readdirSync(join(root, "src"), { recursive: true })
      .filter((file) => file.endsWith(".ts"))
      .map((file) => statSync(join(root, "src", file)).mtimeMs),
  );
  return `v${Math.floor(newest).toString(36)}`;
}

/** The entry file of the bundle of the current sources (which may not be built yet). */
export const bundleEntry = (root) => join(bundlesDir(root), sourceVersion(root), "main.js");

/** Staging folders older than this were left by a process that was killed while building. */
const ABANDONED_MS = 10 * 60_000;
/** Bundles of older sources are removed once this old: a process started before the change may still load them. */
const OUTDATED_MS = 60 * 60_000;

export async function buildCli(root) {
  const { build } = await import("esbuild");
  const dir = bundlesDir(root);
  const version = sourceVersion(root);
  const target = join(dir, version);
  if (existsSync(join(target, "main.js"))) return;
  mkdirSync(dir, { recursive: true });
  removeLeftovers(dir, version);
  const staging = join(dir, `.staging-${process.pid}-${Date.now()}`);
  try {
    await build({
      entryPoints: [join(root, "src", "cli", "main.ts")],
      bundle: true,
      splitting: true,
      format: "esm",
      platform: "node",
      target: "node20",
      packages: "external",
      outdir: staging,
      logLevel: "warning",
    });
    // Another gameday may have built the same version meanwhile: then its folder stays and ours goes.
    renameSync(staging, target);
  } catch (error) {
    if (!existsSync(join(target, "main.js"))) throw error;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

function removeLeftovers(dir, version) {
  const now = Date.now();
  for (const entry of readdirSync(dir)) {
    if (entry === version) continue;
    const path = join(dir, entry);
    let age;
    try {
      age = now - statSync(path).mtimeMs;
    } catch {
      continue; // removed by another process meanwhile
    }
    const leftover = entry.startsWith(".staging-") ? age > ABANDONED_MS : age > OUTDATED_MS;
    if (leftover) rmSync(path, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url))
  await buildCli(join(fileURLToPath(import.meta.url), "..", ".."));
