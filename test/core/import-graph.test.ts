import { readdirSync, readFileSync, existsSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { build } from "esbuild";
import ts from "typescript";
import { describe, expect, it } from "vitest";

/** Relative imports of every product source file, type-only ones included. */
function importGraph(roots: string[]): Map<string, string[]> {
  const files = roots.flatMap((root) =>
    readdirSync(root, { recursive: true, encoding: "utf8" })
      .filter((f) => f.endsWith(".ts"))
      .map((f) => resolve(root, f)),
  );
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, "utf8"), true, true);
    graph.set(
      relative(process.cwd(), file),
      importedFiles
        .filter(({ fileName }) => fileName.startsWith("."))
        .map(({ fileName }) => resolve(dirname(file), fileName))
        .map((base) => [`${base}.ts`, join(base, "index.ts"), base].find((p) => p.endsWith(".ts") && existsSync(p)))
        .filter((p): p is string => p !== undefined)
        .map((p) => relative(process.cwd(), p)),
    );
  }
  return graph;
}

/** The strongly connected groups of more than one file (Tarjan): each is an import cycle. */
export function cycles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const group: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        group.push(w);
      } while (w !== v);
      if (group.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(group.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

/** Every package a bundle of `entry` would import at run time (static and dynamic), with who imports it. */
async function packagesReached(entry: string): Promise<Map<string, string>> {
  const { metafile } = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    splitting: true,
    format: "esm",
    platform: "node",
    packages: "external",
    outdir: "out",
    metafile: true,
    logLevel: "silent",
  });
  const reached = new Map<string, string>();
  for (const [file, input] of Object.entries(metafile.inputs))
    for (const imported of input.imports)
      if (imported.external && !reached.has(imported.path)) reached.set(imported.path, file);
  return reached;
}

const graph = importGraph(["src", "lambdas", "infra"]);

describe("the import graph", () => {
  it("finds a cycle where there is one (the check below is not vacuous)", () => {
    const loop = new Map([
      ["a.ts", ["b.ts"]],
      ["b.ts", ["c.ts"]],
      ["c.ts", ["a.ts"]],
      ["d.ts", ["a.ts"]],
    ]);
    expect(cycles(loop)).toEqual([["a.ts", "b.ts", "c.ts"]]);
    expect(graph.get("src/core/gameday/observe.ts")).toContain("src/core/probes/read.ts");
  });

  it("has no cycle in the product code, type-only imports included", () => {
    expect(cycles(graph)).toEqual([]);
  });

  it("keeps the stack's synthesis away from the rehearsal runner and the CLI", () => {
    const reachable = (from: string[]) => {
      const seen = new Set<string>();
      const walk = (f: string) => {
        if (seen.has(f)) return;
        seen.add(f);
        for (const g of graph.get(f) ?? []) walk(g);
      };
      from.forEach(walk);
      return [...seen];
    };
    const infra = reachable([...graph.keys()].filter((f) => f.startsWith("infra/")));
    expect(infra.filter((f) => /^src\/(local|cli|sim\/(?!world-schema|kinds\/names))/.test(f))).toEqual([]);
  });

  it("gives the rehearsal no AWS SDK client and no Powertools module", async () => {
    const reached = await packagesReached("src/local/rehearsal.ts");
    expect([...reached].filter(([pkg]) => /^@aws-sdk\/|^@aws-lambda-powertools\//.test(pkg))).toEqual([]);
    // It does reach the interpreter it runs the state machine in.
    expect(reached.has("aws-local-stepfunctions")).toBe(true);
  });

  it("gives a deployed handler its AWS SDK clients (the check above can see them)", async () => {
    const reached = await packagesReached("lambdas/observe-fault.ts");
    expect([...reached.keys()].filter((p) => p.startsWith("@aws-sdk/client-")).sort()).toEqual([
      "@aws-sdk/client-cloudwatch",
      "@aws-sdk/client-fis",
      "@aws-sdk/client-xray",
    ]);
  });
});
