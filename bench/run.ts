/**
 * Benchmarks of the engine (`npm run bench`). Targets live here, never in timed unit tests.
 * The last line printed is one JSON object with the figures.
 */
import { resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { checkInput, loadWorld } from "../src/local/inputs";
import { rehearse } from "../src/local/rehearsal";
import { rehearsalTemplates } from "../src/local/templates";
import { readFileSync } from "node:fs";

const world = loadWorld().world!;

/** A one-hour game day: a 10-minute baseline, then CPU stress on two web instances for 40 minutes, then recovery. */
function oneHourPlan() {
  const plan = JSON.parse(readFileSync("plans/ec2-web-tier.json", "utf8"));
  plan.name = "bench-one-hour";
  plan.timing = {
    baseline: "PT10M",
    pollInterval: "PT30S",
    maxFaultDuration: "PT45M",
    recovery: "PT20M",
    recoveredAfterPolls: 3,
  };
  plan.stages = [
    { name: "Long CPU pressure", experiments: [{ template: { file: resolve("bench/long-cpu-stress.json") } }] },
  ];
  return plan;
}

async function timeRehearsal(plan: unknown, seed: number) {
  const planFile = resolve("plans/bench.json");
  const loaded = checkInput(plan, planFile);
  const started = performance.now();
  const result = await rehearse({
    input: { plan },
    world,
    seed,
    executionName: `bench-${seed}`,
    templates: (account) => rehearsalTemplates(account, planFile, loaded.templates),
  });
  return { wallSeconds: (performance.now() - started) / 1000, result };
}

const runs = [];
for (let seed = 1; seed <= 5; seed++) runs.push(await timeRehearsal(oneHourPlan(), seed));
const simulatedSeconds = runs[0]!.result.report!.rehearsal!.simulatedSeconds;
const wall = runs.map((r) => r.wallSeconds).sort((a, b) => a - b);
const median = wall[Math.floor(wall.length / 2)]!;
const perHour = (median / simulatedSeconds) * 3600;
const transitionsPerPoll = runs[0]!.result.report!.rehearsal!.transitionsPerPoll;

console.log(
  `one-hour game day: simulated ${simulatedSeconds} s, wall median ${median.toFixed(2)} s over ${runs.length} seeds (${wall.map((w) => w.toFixed(2)).join(", ")})`,
);
console.log(
  `rehearsal speed: ${perHour.toFixed(2)} s per simulated hour (${(3600 / perHour).toFixed(0)}× real time); target < 10 s: ${perHour < 10 ? "met" : "MISSED"}`,
);
console.log(
  `state transitions per poll: ${transitionsPerPoll}; target ≤ 3: ${transitionsPerPoll <= 3 ? "met" : "MISSED"}`,
);
console.log(
  JSON.stringify({
    rehearsalSecondsPerSimulatedHour: perHour,
    transitionsPerPoll,
    stateTransitions: runs[0]!.result.stateTransitions,
    simulatedSeconds,
  }),
);
