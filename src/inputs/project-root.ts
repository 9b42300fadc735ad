import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The gameday checkout or package this code runs from: the nearest folder above this module that holds the state
 * machine. Found by walking up, not by a fixed depth: the same module runs from src/ (tsx, tests) and from a bundle
 * in dist/cli/<version>/.
 */
export const PROJECT_ROOT = findProjectRoot(dirname(fileURLToPath(import.meta.url)));

/** Where gameday keeps what it computed once and may reuse (synthesized policies, validated definitions). */
export const CACHE_DIR = join(PROJECT_ROOT, "node_modules", ".cache", "gameday");

function findProjectRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "state-machines", "game-day.asl.json"))) return dir;
    if (dirname(dir) === dir) throw new Error(`no gameday project above ${from} (state-machines/game-day.asl.json)`);
  }
}
