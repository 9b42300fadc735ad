import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";

/** Median wall time of a command in a fresh process, in milliseconds. */
function medianMs(args: string[], runs: number): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    try {
      execFileSync(process.execPath, args, { stdio: "ignore" });
    } catch {
      // validate exits non-zero on a warning-free but failing file; the start time is what is measured.
    }
    times.push(performance.now() - started);
  }
  return [...times].sort((a, b) => a - b)[Math.floor(runs / 2)]!;
}

/** How fast the CLI answers, against a bare Node.js start on the same machine. */
export function measureCliStart(runs = 7) {
  // The first call builds the bundle if a source changed; it is not measured.
  execFileSync(process.execPath, ["bin/gameday.js", "--help"], { stdio: "ignore" });
  const plans = readdirSync("plans")
    .filter((f) => f.endsWith(".json"))
    .map((f) => `plans/${f}`);
  const nodeMs = medianMs(["-e", "0"], runs);
  const helpMs = medianMs(["bin/gameday.js", "--help"], runs);
  const validateMs = medianMs(["bin/gameday.js", "validate", ...plans], runs);
  return { nodeMs, helpMs, validateMs, helpRatio: helpMs / nodeMs, validateRatio: validateMs / nodeMs };
}
