import type { PlanCatalog } from "../src/core/ports";
import { stripVTControlCharacters } from "node:util";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { main } from "../src/cli/main";
import type { PlanInput } from "../src/core/plan/schema";
import { checkInput, hasErrors } from "../src/inputs/documents";
import { loadWorld } from "../src/local/inputs";
import { rehearse, type HandlerWrapper, type RehearsalResult } from "../src/local/rehearsal";
import { rehearsalTemplates } from "../src/local/templates";
import type { SimulatedAccount } from "../src/sim/account";
import type { FaultSpec } from "../src/sim/faults";
import type { WorldDefinition } from "../src/sim/world-schema";
import type { ApprovalChoice } from "../src/local/approval-choices";
import { loadStackPolicies, type StackPolicies } from "../src/local/iam/stack-policies";
import { inject } from "vitest";

export const world = () => loadWorld().world!;

let policies: StackPolicies | undefined;
/**
 * The synthesized stack's policies, which every rehearsal of the suite enforces (provided by the rehearsal, safety
 * and infra tiers' global setup); undefined in the unit tier, which rehearses nothing.
 */
export function stackPolicies(): StackPolicies | undefined {
  const file = inject("stackTemplate");
  if (!file) return undefined;
  return (policies ??= loadStackPolicies(file));
}

/** DescribeStacks of a deployed gameday stack: the outputs the CLI finds the state machine and reports by. */
export const deployedStackDescription = (stack: {
  stateMachineArn: string;
  reportBucket: string;
  stackId?: string;
}) => ({
  $metadata: {},
  Stacks: [
    {
      ...(stack.stackId ? { StackId: stack.stackId } : {}),
      StackName: "GameDay",
      StackStatus: "CREATE_COMPLETE" as const,
      CreationTime: new Date(),
      Outputs: [
        { OutputKey: "StateMachineArn", OutputValue: stack.stateMachineArn },
        { OutputKey: "ReportBucket", OutputValue: stack.reportBucket },
      ],
    },
  ],
});
export const fixture = (name: string) => resolve("test/fixtures", name);

/** A plan made from an example plan, changed as a test case needs it. */
export function planFrom(file: string, change: (plan: any) => void = () => {}): PlanInput {
  const plan = JSON.parse(readFileSync(file, "utf8"));
  change(plan);
  return plan;
}

/** Rehearses a plan document as if it lived in plans/. */
export async function rehearsePlan(
  plan: PlanInput,
  options: {
    seed?: number;
    wrapHandler?: (account: () => SimulatedAccount) => HandlerWrapper;
    definition?: string;
    executionName?: string;
    account?: SimulatedAccount;
    recordHistory?: boolean;
    stateMachineArn?: string;
    faults?: FaultSpec[];
    /** Keys added to the execution input beside the plan, as typed into the console. */
    input?: Record<string, unknown>;
    /** Default: the suite's synthesized stack; null rehearses with every call trusted. */
    iam?: StackPolicies | null;
    /** The stack's plan catalog; given, the plan goes inline in the input (by default it ships and starts by name). */
    plans?: PlanCatalog;
    /** The simulated workload; the web shop by default. */
    world?: WorldDefinition;
    /** What the person asked for approval does (plans with requiresApproval). */
    approval?: ApprovalChoice;
  } = {},
): Promise<RehearsalResult> {
  const planFile = resolve("plans/under-test.json");
  const loaded = checkInput(plan, planFile);
  if (hasErrors(loaded.problems)) throw new Error(JSON.stringify(loaded.problems));
  let account: SimulatedAccount | undefined;
  return rehearse({
    input: { plan, ...options.input } as { plan: unknown },
    world: options.world ?? world(),
    seed: options.seed ?? 1,
    executionName: options.executionName ?? `test-${plan.name}`,
    ...(options.account ? { account: options.account } : {}),
    ...(options.recordHistory ? { recordHistory: true } : {}),
    ...(options.definition ? { definition: options.definition } : {}),
    ...(options.stateMachineArn ? { stateMachineArn: options.stateMachineArn } : {}),
    ...(options.faults ? { faults: options.faults } : {}),
    ...(options.approval ? { approval: options.approval } : {}),
    ...(options.plans ? { plans: options.plans } : {}),
    ...(stackPolicies() && options.iam !== null ? { iam: options.iam ?? stackPolicies()! } : {}),
    templates: (a) => {
      account = a;
      return rehearsalTemplates(a, planFile, loaded.templates);
    },
    ...(options.wrapHandler ? { wrapHandler: options.wrapHandler(() => account!) } : {}),
  });
}

/** Runs the gameday CLI in-process, capturing its output. */
export async function run(args: string[]) {
  let out = "";
  let err = "";
  // Rehearsals through the CLI enforce the suite's synthesized stack too, unless the test names its own.
  const template = inject("stackTemplate");
  const withIam =
    args[0] === "rehearse" && template && !args.includes("--stack-template")
      ? [...args, "--stack-template", template]
      : args;
  const code = await main(["node", "gameday", ...withIam], {
    out: (t) => (out += t),
    err: (t) => (err += t),
    interactive: false,
  });
  // Colour depends on the environment (CI=true turns it on); assertions read the text.
  return { code, out: stripVTControlCharacters(out), err: stripVTControlCharacters(err) };
}

/**
 * Starts `count` experiments someone started by hand from the console (no gameday tags): each a wait of `minutes`.
 * They take room under FIS's quota and are live experiments of the account that no gameday stack owns.
 */
export function startByHand(fis: SimulatedAccount["fis"], minutes: number, count = 1): void {
  fis.registerTemplate("EXThandStarted", {
    description: "a wait someone started from the console",
    roleArn: "arn:aws:iam::123456789012:role/someone",
    targets: {},
    actions: { wait: { actionId: "aws:fis:wait", parameters: { duration: `PT${minutes}M` } } },
    stopConditions: [{ source: "none" }],
  } as never);
  for (let i = 0; i < count; i++)
    fis.startExperiment({ clientToken: `by-hand-${i}`, experimentTemplateId: "EXThandStarted" });
}
