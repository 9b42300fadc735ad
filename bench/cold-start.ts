import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { gameDayApp } from "../infra/app";

interface CfnResource {
  Type: string;
  Metadata?: Record<string, string>;
  Properties: { Description?: string };
}

export interface ColdStart {
  handler: string;
  bundleKiB: number;
  medianImportMs: number;
  /** Importing only the AWS SDK clients the bundle imports: the floor the runtime's own SDK sets. */
  sdkOnlyMedianMs: number;
}

const IMPORT_ONCE = `const t = performance.now(); for (const m of process.argv.slice(1)) await import(m); console.log(performance.now() - t);`;

function medianImportMs(modules: string[], runs: number): number {
  const times = Array.from({ length: runs }, () =>
    Number(
      execFileSync(process.execPath, ["--input-type=module", "-e", IMPORT_ONCE, ...modules], { encoding: "utf8" }),
    ),
  ).sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

/**
 * Synthesizes the stack, then imports each deployed bundle in a fresh Node.js process `runs` times. The AWS SDK
 * stays outside the bundles, as the Lambda runtime provides it, so it is imported from node_modules, unbundled,
 * as the runtime does.
 */
export function measureColdStarts(runs = 5): ColdStart[] {
  const outdir = mkdtempSync(join(tmpdir(), "gameday-bench-synth-"));
  try {
    gameDayApp({ outdir, context: { "aws:cdk:enable-asset-metadata": true } }).app.synth();
    symlinkSync(resolve("node_modules"), join(outdir, "node_modules"));
    const template = JSON.parse(readFileSync(join(outdir, "GameDay.template.json"), "utf8"));
    const out: ColdStart[] = [];
    const resources: Record<string, CfnResource> = template.Resources;
    for (const [id, resource] of Object.entries(resources)) {
      if (resource.Type !== "AWS::Lambda::Function" || !resource.Metadata?.["aws:asset:path"]) continue;
      const bundle = join(outdir, resource.Metadata["aws:asset:path"], "index.mjs");
      if (!existsSync(bundle)) continue;
      const clients = [...new Set(readFileSync(bundle, "utf8").match(/@aws-sdk\/client-[a-z0-9-]+/g) ?? [])];
      // Resolved from beside the bundle, as the bundle's own imports are.
      const sdkOnly = join(outdir, `sdk-only-${id}.mjs`);
      writeFileSync(sdkOnly, clients.map((c) => `import "${c}";`).join("\n"));
      out.push({
        handler: resource.Properties.Description ?? id,
        bundleKiB: Math.round(statSync(bundle).size / 1024),
        medianImportMs: medianImportMs([pathToFileURL(bundle).href], runs),
        sdkOnlyMedianMs: medianImportMs([pathToFileURL(sdkOnly).href], runs),
      });
    }
    return out;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
