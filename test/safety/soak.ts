/**
 * `npm run soak [-- --runs N --first-seed S]`: the combined-fault matrix at length, outside the test suite.
 * Each run draws its own combination of every fault from its seed (see combinedFaults) and checks every safety
 * invariant; the summary lists each broken one with the command that reproduces it. Exit 1 when any broke.
 */
import { parseArgs } from "node:util";
import logUpdate from "log-update";
import { combinedFaults, MATRIX_PLANS, rehearseAndCheckInvariants } from "./invariants";

const { values } = parseArgs({
  options: { runs: { type: "string", default: "3000" }, "first-seed": { type: "string", default: "100000" } },
});
const decimal = (name: string, text: string) => {
  if (!/^\d+$/.test(text)) throw new Error(`--${name} must be a whole decimal number, not ${JSON.stringify(text)}`);
  return Number(text);
};
const runs = decimal("runs", values.runs!);
const firstSeed = decimal("first-seed", values["first-seed"]!);

const started = performance.now();
const verdicts = new Map<string, number>();
const broken: string[] = [];
for (let i = 0; i < runs; i++) {
  const seed = firstSeed + i;
  const file = MATRIX_PLANS[i % MATRIX_PLANS.length]!;
  const faults = combinedFaults(seed);
  const { label, result, broken: these } = await rehearseAndCheckInvariants(file, faults, seed);
  const verdict = result.report?.verdict ?? "no report";
  verdicts.set(verdict, (verdicts.get(verdict) ?? 0) + 1);
  if (these.length)
    broken.push(
      `${label}: ${these.join("; ")}\n  gameday rehearse ${file} --seed ${seed} ${faults.map((f) => `--fault ${f}`).join(" ")}`,
    );
  const elapsed = (performance.now() - started) / 1000;
  const eta = (elapsed / (i + 1)) * (runs - i - 1);
  logUpdate(
    `soak: run ${i + 1}/${runs} · ${broken.length} broke an invariant · ${((elapsed * 1000) / (i + 1)).toFixed(0)} ms/run · ` +
      `${elapsed.toFixed(0)} s elapsed, about ${eta.toFixed(0)} s to go`,
  );
}
logUpdate.done();
const seconds = (performance.now() - started) / 1000;
console.log(
  `${runs} combined-fault rehearsals (seeds ${firstSeed}–${firstSeed + runs - 1}, ${MATRIX_PLANS.length} plans) in ${seconds.toFixed(1)} s`,
);
console.log(`verdicts: ${[...verdicts].map(([v, n]) => `${v} ${n}`).join(", ")}`);
if (broken.length) {
  console.log(`\n${broken.length} run(s) broke an invariant:\n${broken.join("\n")}`);
  process.exitCode = 1;
} else console.log("every invariant held on every run");
