import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
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
  /** How much of the bundle (minified bytes) is the AWS SDK, which is bundled, per esbuild's metafile. */
  sdkKiB: number;
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
 * Synthesizes the stack, then imports each deployed bundle in a fresh Node.js process `runs` times: what a cold
 * Lambda does before its first invocation. The bundles hold the AWS SDK they use.
 */
export function measureColdStarts(runs = 5): ColdStart[] {
  const outdir = mkdtempSync(join(tmpdir(), "gameday-bench-synth-"));
  try {
    gameDayApp({ outdir, context: { "aws:cdk:enable-asset-metadata": true } }).app.synth();
    const template = JSON.parse(readFileSync(join(outdir, "GameDay.template.json"), "utf8"));
    const out: ColdStart[] = [];
    const resources: Record<string, CfnResource> = template.Resources;
    for (const resource of Object.values(resources)) {
      if (resource.Type !== "AWS::Lambda::Function" || !resource.Metadata?.["aws:asset:path"]) continue;
      const asset = join(outdir, resource.Metadata["aws:asset:path"]);
      const bundle = join(asset, "index.mjs");
      if (!existsSync(bundle)) continue;
      const metafile = JSON.parse(readFileSync(join(asset, "index.meta.json"), "utf8")) as {
        outputs: Record<string, { inputs: Record<string, { bytesInOutput: number }> }>;
      };
      let sdkBytes = 0;
      for (const output of Object.values(metafile.outputs))
        for (const [input, { bytesInOutput }] of Object.entries(output.inputs))
          if (/node_modules\/@(aws-sdk|smithy)\//.test(input)) sdkBytes += bytesInOutput;
      out.push({
        handler: resource.Properties.Description ?? resource.Metadata["aws:cdk:path"] ?? "",
        bundleKiB: Math.round(statSync(bundle).size / 1024),
        medianImportMs: medianImportMs([pathToFileURL(bundle).href], runs),
        sdkKiB: Math.round(sdkBytes / 1024),
      });
    }
    return out;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
