import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { ChartLibrary } from "../core/report/html";

const SCRIPT = "uPlot.iife.min.js";
const STYLE = "uPlot.min.css";
export const CHART_LIBRARY_FILES = [SCRIPT, STYLE];

/** Where a chart library file sits in node_modules. */
export const chartLibraryFile = (file: string) => createRequire(import.meta.url).resolve(`uplot/dist/${file}`);

let cached: ChartLibrary | undefined;

/**
 * uPlot, read once: from `assets/` beside the Lambda bundle (the stack copies it there), or from node_modules when
 * gameday runs from a checkout.
 */
export function chartLibrary(): ChartLibrary {
  if (cached) return cached;
  const bundled = join(process.env.LAMBDA_TASK_ROOT ?? "/nonexistent", "assets");
  const directory = existsSync(join(bundled, SCRIPT)) ? bundled : dirname(chartLibraryFile(SCRIPT));
  cached = {
    script: readFileSync(join(directory, SCRIPT), "utf8"),
    style: readFileSync(join(directory, STYLE), "utf8"),
  };
  return cached;
}
