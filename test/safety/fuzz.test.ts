import { UnknownPlanError } from "../../src/core/contract/errors";
import { STATE_MACHINE_ARN } from "../../src/local/rehearsal";
import fc from "fast-check";
import { SimulatedLockTable } from "../../src/sim/locks";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { createValidatePlan } from "../../src/handlers/validate-plan";
import { checkInput, hasErrors } from "../../src/inputs/documents";
import { run, world } from "../helpers";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = (string | number)[];

const load = (file: string) => JSON.parse(readFileSync(file, "utf8")) as Json;

/** Every path to a value in the document, the root excluded. */
function pathsOf(value: Json, prefix: Path = []): Path[] {
  if (value === null || typeof value !== "object") return [];
  const entries: [string | number, Json][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  return entries.flatMap(([key, child]) => [[...prefix, key], ...pathsOf(child, [...prefix, key])]);
}

type Mutation = { path: Path; op: "delete" | "replace"; value: Json };

function mutate(document: Json, mutations: Mutation[]): Json {
  const copy = structuredClone(document);
  for (const { path, op, value } of mutations) {
    let parent: any = copy;
    for (const key of path.slice(0, -1)) parent = parent?.[key];
    const last = path[path.length - 1]!;
    if (parent === null || typeof parent !== "object" || !(last in parent)) continue;
    if (op === "replace") parent[last] = value;
    else if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete parent[last];
  }
  return copy;
}

const mutations = (document: Json) =>
  fc.array(
    fc.record({
      path: fc.constantFrom(...pathsOf(document)),
      op: fc.constantFrom("delete" as const, "replace" as const),
      value: fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>,
    }),
    { minLength: 1, maxLength: 3 },
  );

const SOURCES = [
  "plans/ecs-checkout-zone-loss.json",
  "plans/ec2-web-tier.json",
  "templates/ec2-web-cpu-stress.json",
  "test/fixtures/fis-template-library/aurora-cluster-failover-template.json",
];

describe("validation under random mutations of valid plans and templates", () => {
  it.each(SOURCES)("never crashes on mutations of %s, and names the file and path of each problem", (source) => {
    const document = load(source);
    fc.assert(
      fc.property(mutations(document), (ms) => {
        const file = resolve("fuzzed.json");
        const checked = checkInput(mutate(document, ms), file, world());
        for (const problem of checked.problems) {
          expect(problem.file).toBeTypeOf("string");
          expect(problem.path).toBeTypeOf("string");
          expect(problem.message.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 150, seed: 7 },
    );
  });

  it("lets the deployed validate-plan step either prepare a plan or refuse it as invalid input, nothing else", async () => {
    const document = load("plans/ecs-checkout-zone-loss.json");
    const validate = createValidatePlan({
      plans: { load: async (name: string) => Promise.reject(new UnknownPlanError(`no plan ${name}`)) },
      experiments: { liveSummaries: async () => [], resolvedTargets: async () => ({}) },
      templates: { resolve: async () => "EXT0123456789abcd" },
      clock: { now: () => Date.parse("2026-11-24T10:00:00Z") },
      locks: new SimulatedLockTable(),
      targets: { templateTargets: async () => undefined, taggedResources: async () => [] },
      calendars: { state: async () => ({ state: "OPEN" as const }) },
      permissions: { templateActions: async () => undefined, denied: async () => [] },
      traceDestination: { current: async () => ({ destination: "XRay" as const, status: "ACTIVE" }) },
    });
    await fc.assert(
      fc.asyncProperty(mutations(document), async (ms) => {
        const plan = mutate(document, ms);
        const valid = !hasErrors(checkInput(plan, resolve("fuzzed.json")).problems);
        try {
          const state = await validate({ input: { plan }, executionName: "fuzz", stateMachine: STATE_MACHINE_ARN });
          expect(state.stages.length).toBeGreaterThan(0);
        } catch (error) {
          expect((error as Error).name).toBe("GameDay.InvalidInput");
          expect(valid).toBe(false);
        }
      }),
      { numRuns: 200, seed: 11 },
    );
  });

  it("makes `gameday rehearse` exit 2 and start nothing for mutated invalid plans", async () => {
    const document = load("plans/ecs-checkout-zone-loss.json");
    const directory = mkdtempSync(join(tmpdir(), "gameday-fuzz-"));
    const invalid = fc
      .sample(mutations(document), { numRuns: 200, seed: 3 })
      .map((ms) => mutate(document, ms))
      .filter((plan) => hasErrors(checkInput(plan, resolve("plans/fuzzed.json"), world()).problems))
      .slice(0, 12);
    expect(invalid.length).toBe(12);
    for (const [i, plan] of invalid.entries()) {
      const file = join(directory, `fuzzed-${i}.json`);
      writeFileSync(file, JSON.stringify(plan));
      const { code, err } = await run(["rehearse", file, "--out", join(directory, `out-${i}`)]);
      expect(code, err).toBe(2);
      expect(err).toContain(`${file} is invalid; nothing was started.`);
    }
  });
});
