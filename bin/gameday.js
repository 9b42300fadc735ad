#!/usr/bin/env node
// The CLI is TypeScript. It runs from the bundle in dist/cli (built at install, and rebuilt here whenever a source is
// newer), so a command starts without compiling; if no bundle can be built, tsx compiles the sources on the fly.
import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bundle = join(root, "dist", "cli", "main.js");

const newestSource = () =>
  Math.max(
    ...readdirSync(join(root, "src"), { recursive: true })
      .filter((file) => file.endsWith(".ts"))
      .map((file) => statSync(join(root, "src", file)).mtimeMs),
  );

const fresh = () => existsSync(bundle) && statSync(bundle).mtimeMs >= newestSource();

async function load() {
  if (!fresh()) {
    try {
      await (await import("../scripts/build-cli.mjs")).buildCli(root);
    } catch (error) {
      if (process.env.GAMEDAY_DEBUG) console.error(error);
    }
  }
  if (fresh()) return import(pathToFileURL(bundle).href);
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
