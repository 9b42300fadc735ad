import { stackPolicies } from "../helpers";
import { resolve } from "node:path";
import { isTerminal } from "../../src/core/ports";
import { EXECUTION_TAG, STATE_MACHINE_TAG } from "../../src/core/gameday/state";
import type { PlanInput } from "../../src/core/plan/schema";
import { checkInput, hasErrors, loadInput } from "../../src/inputs/documents";
import { loadWorld } from "../../src/local/inputs";
import { rehearse, STATE_MACHINE_ARN, type RehearsalResult } from "../../src/local/rehearsal";
import { rehearsalTemplates } from "../../src/local/templates";
import { parseFaultSpec, THROTTLED_SERVICES } from "../../src/sim/faults";
import { keyedRandom } from "../../src/sim/random";

/** Every example plan, and a plan whose fault overloads the web tier (a guardrail stop). */
export const MATRIX_PLANS = [
  "plans/ec2-web-tier.json",
  "plans/ecs-checkout-zone-loss.json",
  "plans/eks-catalog-pods.json",
  "plans/aurora-failover.json",
  "plans/aurora-failover-recovers.json",
  "plans/dynamodb-orders-replication-pause.json",
  "test/fixtures/overload-web-cpu.json",
];

/** Loads a plan or bare template as `gameday rehearse` does. */
export function matrixInput(file: string): { plan: PlanInput; templates: ReturnType<typeof checkInput>["templates"] } {
  const { world } = loadWorld(undefined);
  const loaded = loadInput(file, world);
  if (hasErrors(loaded.problems) || !loaded.plan) throw new Error(`${file}: ${JSON.stringify(loaded.problems)}`);
  return { plan: loaded.plan as PlanInput, templates: loaded.templates };
}

/**
 * A random combination of every fault a rehearsal can inject, drawn from `seed`: each throttle at up to 70%,
 * Lambda crashes and timeouts, an abort at a random time in the first fifteen minutes, duplicate report events,
 * a lost status-change event and a stop conflict, each present or not.
 */
export function combinedFaults(seed: number): string[] {
  const draw = (purpose: string) => keyedRandom(seed, "combined-faults", purpose);
  const fraction = (purpose: string, max: number) => Math.round(draw(`${purpose}:value`) * max * 100) / 100;
  const faults: string[] = [];
  for (const service of THROTTLED_SERVICES)
    if (draw(service) < 0.5) faults.push(`throttle:${service}:${fraction(service, 0.7)}`);
  if (draw("lambda-error") < 0.4) faults.push(`lambda-error:${fraction("lambda-error", 0.3)}`);
  if (draw("lambda-timeout") < 0.4) faults.push(`lambda-timeout:${fraction("lambda-timeout", 0.2)}`);
  if (draw("abort") < 0.5) faults.push(`abort-at:PT${Math.floor(draw("abort:at") * 900)}S`);
  if (draw("duplicates") < 0.4) faults.push(`duplicate-events:${1 + Math.floor(draw("duplicates:n") * 5)}`);
  if (draw("lose-status-event") < 0.4) faults.push("lose-status-event");
  if (draw("fis-stop-conflict") < 0.4) faults.push("fis-stop-conflict");
  return faults;
}

const onlyTransient = (faults: string[]) => faults.length > 0 && faults.every((f) => f.startsWith("throttle:"));

export interface CheckedRehearsal {
  label: string;
  result: RehearsalResult;
  /** Every invariant the run broke, in words; empty when it kept them all. */
  broken: string[];
}

/**
 * Rehearses `file` with the given faults and seed, and checks the safety invariants (README, Safety):
 * 1. no experiment the game day started is live once the game day, its guard and the sweeps are done;
 * 2. exactly one report is stored for the execution;
 * 3. the rehearsal ends, and leaves no timer of the interpreter behind to keep the process alive;
 * 4. the game day holds no run lock once it, its guard and the sweeps are done;
 * 5. transient failures alone never end a game day in error, and retried starts never start a fault twice.
 */
export async function rehearseAndCheckInvariants(
  file: string,
  faults: string[],
  seed: number,
): Promise<CheckedRehearsal> {
  const { plan, templates } = matrixInput(file);
  const { world } = loadWorld(undefined);
  const executionName = `matrix-${seed}-${faults.join("+").replace(/[^A-Za-z0-9-]/g, "_")}`.slice(0, 80);
  const timersBefore = process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;
  const result = await rehearse({
    input: { plan },
    world: world!,
    seed,
    executionName,
    faults: faults.map(parseFaultSpec),
    templates: (account) => rehearsalTemplates(account, resolve(file), templates),
    iam: stackPolicies(),
  });
  const label = `${file} seed ${seed} faults [${faults.join(", ")}]`;
  const broken: string[] = [];
  const report = result.report;
  if (!report) broken.push("no report");
  const started = [...result.account.fis.experiments.values()].filter(
    (e) => e.tags[EXECUTION_TAG] === executionName && e.tags[STATE_MACHINE_TAG] === STATE_MACHINE_ARN,
  );
  const live = started.filter((e) => !isTerminal(e.status));
  if (live.length) broken.push(`experiments left live: ${live.map((e) => `${e.id} ${e.status}`).join(", ")}`);
  const stored = result.account.stackOf(STATE_MACHINE_ARN).reportBucket.reportsOf(executionName).length;
  if (stored !== 1) broken.push(`${stored} reports stored`);
  const locks = await result.account.stackOf(STATE_MACHINE_ARN).locks.heldBy(executionName);
  if (locks.length) broken.push(`run locks left: ${locks.join(", ")}`);
  const timersAfter = process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;
  if (timersAfter > timersBefore) broken.push(`${timersAfter - timersBefore} timer(s) left running`);
  const tokens = started.map((e) => e.clientToken);
  if (new Set(tokens).size !== tokens.length) broken.push("two experiments from one ClientToken");
  // Throttling alone is retried until it passes; with crashes and timeouts besides, a game day whose retries
  // ran out may honestly end in ERROR naming the throttle (the soak sees about one such run in 1,500).
  if (onlyTransient(faults)) {
    if (result.status !== "SUCCEEDED")
      broken.push(`transient faults alone ended ${result.status}: ${result.error?.name}`);
    if (report?.verdict === "ERROR") broken.push(`transient faults alone gave ERROR: ${report.reason}`);
    if (report && /Throttl|SlowDown|TransientError/.test(report.reason))
      broken.push(`the reason blames a transient failure: ${report.reason}`);
  }
  return { label, result, broken };
}
