import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { CACHE_DIR } from "../inputs/project-root";

/**
 * Definitions the interpreter has already validated, remembered by their content and the interpreter's version:
 * validating the ASL takes about a third of a short rehearsal's CPU, and the file seldom changes. Kept in this
 * process and in node_modules/.cache/gameday (best effort: a read-only checkout validates every time).
 */
const validatedHere = new Set<string>();

const interpreterVersion = (() => {
  try {
    const manifest = createRequire(import.meta.url).resolve("aws-local-stepfunctions/package.json");
    return (JSON.parse(readFileSync(manifest, "utf8")) as { version: string }).version;
  } catch {
    return "unknown";
  }
})();

const keyOf = (definition: unknown) =>
  createHash("sha256")
    .update(interpreterVersion)
    .update("\0")
    .update(typeof definition === "string" ? definition : JSON.stringify(definition))
    .digest("hex")
    .slice(0, 32);
const markerOf = (key: string) => join(CACHE_DIR, `asl-validated-${key}`);

export function validatedBefore(definition: unknown): boolean {
  const key = keyOf(definition);
  return validatedHere.has(key) || existsSync(markerOf(key));
}

export function rememberValidated(definition: unknown): void {
  const key = keyOf(definition);
  validatedHere.add(key);
  try {
    mkdirSync(CACHE_DIR, { recursive: true });
    writeFileSync(markerOf(key), "");
  } catch {
    // A read-only checkout: the next process validates again.
  }
}
