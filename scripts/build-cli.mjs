// Bundles the CLI into dist/cli once, so a command starts without compiling TypeScript. Code splitting keeps the
// AWS SDK, the interpreter and the report code in chunks that only the commands using them load; npm packages stay
// in node_modules.
import { mkdirSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export async function buildCli(root) {
  const { build } = await import("esbuild");
  const staging = join(root, "dist", `cli-${process.pid}-${Date.now()}`);
  const target = join(root, "dist", "cli");
  mkdirSync(join(root, "dist"), { recursive: true });
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
  // Another gameday may be building at the same time: whichever lands last wins, both are whole.
  rmSync(target, { recursive: true, force: true });
  try {
    renameSync(staging, target);
  } catch {
    rmSync(staging, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url))
  await buildCli(join(fileURLToPath(import.meta.url), "..", ".."));
