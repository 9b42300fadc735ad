#!/usr/bin/env node
// The CLI is TypeScript. It runs from a bundle of the current sources in dist/cli/<version> (built at install, and
// here whenever a source changed), so a command starts without compiling; if no bundle can be built, tsx compiles
// the sources on the fly.
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { buildCli, bundleEntry } from "../scripts/build-cli.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

async function load() {
  if (!existsSync(bundleEntry(root))) {
    try {
      await buildCli(root);
    } catch (error) {
      if (process.env.GAMEDAY_DEBUG) console.error(error);
    }
  }
  const bundle = bundleEntry(root);
  if (existsSync(bundle)) return import(pathToFileURL(bundle).href);
  const { register } = await import("tsx/esm/api");
  register();
  return import("../src/cli/main.ts");
}

// A reader that stops reading (`gameday … | head`) is not an error.
for (const stream of [process.stdout, process.stderr])
  stream.on("error", (error) => {
    if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw error;
  });

const { main } = await load();
process.exitCode = await main(process.argv);
