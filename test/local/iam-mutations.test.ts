import { describe, expect, it } from "vitest";
import { IamAuthorizer } from "../../src/local/iam/authorizer";
import type { PolicyDocument, PrincipalName, StackPolicies } from "../../src/local/iam/stack-policies";
import type { RehearsalResult } from "../../src/local/rehearsal";
import type { FaultSpec } from "../../src/sim/faults";
import type { WorldDefinition } from "../../src/sim/world-schema";
import { fixture, planFrom, rehearsePlan, stackPolicies, startByHand, world } from "../helpers";

/**
 * Statements the rehearsal cannot need, by action or Sid, each with the reason it is granted: what the deployed
 * functions and FIS do that the simulated account does not see (logs, traces, dead letters, dashboards, FIS's
 * own reports).
 */
const NEEDED_OUTSIDE_REHEARSALS: Record<string, string> = {
  "logs:CreateLogStream": "each function writes its own log group",
  "xray:PutTraceSegments": "active tracing sends each function's and the state machine's segments",
  "sqs:SendMessage": "a failed asynchronous invocation goes to the dead-letter queue",
  "logs:CreateLogDelivery": "Step Functions delivers the execution log (logging ALL) to its log group",
  "cloudwatch:GetDashboard": "the store marks the plan's dashboard with each run",
  ExperimentReports: "FIS writes its own experiment reports to the bucket; rehearsals make none",
  ExperimentLogDelivery: "FIS delivers experiment logs to the stack's log group",
};

interface Scenario {
  name: string;
  plan: string;
  /** A template file in place of the plan's first stage's first template. */
  template?: string;
  /** Fields added to the plan. */
  planFields?: Record<string, unknown>;
  world?: WorldDefinition;
  faults?: FaultSpec[];
  wrapHandler?: Parameters<typeof rehearsePlan>[1] extends infer O
    ? O extends { wrapHandler?: infer W }
      ? W
      : never
    : never;
}
const SCENARIOS: Scenario[] = [
  {
    name: "a game day that asks for approval",
    plan: "plans/ecs-checkout-zone-loss.json",
    planFields: { requiresApproval: true },
  },
  {
    name: "a game day whose change calendar is open",
    plan: "plans/ecs-checkout-zone-loss.json",
    planFields: { changeCalendars: ["prod-change-freeze"] },
    world: { ...world(), changeCalendars: [{ name: "prod-change-freeze", closed: [] }] },
  },
  {
    name: "a zone loss that holds, its pagers muted",
    plan: "plans/ecs-checkout-zone-loss.json",
    planFields: { muteAlarmActions: ["shop-checkout-5xx"] },
  },
  {
    // Trace probes by filter expression ask where the account sends its spans.
    name: "a game day with a trace probe over trace summaries",
    plan: "plans/ecs-checkout-zone-loss.json",
    planFields: {
      hypothesis: {
        probes: [
          {
            id: "checkoutFaults",
            type: "trace",
            filterExpression: 'service("checkout")',
            maxFaultRate: 0.05,
          },
        ],
      },
    },
  },
  { name: "a failover that breaks a guardrail", plan: "plans/aurora-failover.json" },
  {
    name: "a game day stopped from outside whose status event is lost",
    plan: "plans/ec2-web-tier.json",
    // Its mute outlives it until the orphan guard's sweep ends it.
    planFields: { muteAlarmActions: ["shop-checkout-5xx"] },
    faults: [{ kind: "abort-at", afterSeconds: 420 }, { kind: "lose-status-event" }],
  },
  {
    name: "an overload the guardrail stops",
    plan: "plans/ecs-checkout-zone-loss.json",
    template: "overload-web-cpu.json",
  },
  {
    name: "an observer that crashes while the fault is live",
    plan: "plans/ecs-checkout-zone-loss.json",
    template: "long-wait.json",
    wrapHandler: () => (key, handler) => async (event) => {
      if (key === "ObserveFault") throw Object.assign(new Error("the observer crashed"), { name: "ObserverCrashed" });
      return handler(event);
    },
  },
  {
    // Validate reads what every live experiment of the account acts on, whoever started it.
    name: "a game day beside an experiment someone started by hand",
    plan: "plans/ecs-checkout-zone-loss.json",
    wrapHandler: (account) => (key, handler) => async (event) => {
      const fis = account().fis;
      if (key === "ValidatePlan" && !fis.experiments.size) startByHand(fis, 60);
      return handler(event);
    },
  },
];

/** What a reader of the game day sees, and the safety invariants: a statement is needed when removing it changes one. */
const outcome = (r: RehearsalResult) =>
  JSON.stringify([
    r.status,
    r.report?.verdict,
    r.report?.reason,
    r.report?.rehearsal?.reportsStored,
    r.report?.rehearsal?.orphanedExperiments,
    r.report?.experiments.map((e) => e.status),
    r.deadLetters.length,
    [...r.account.fis.experiments.values()].map((e) => e.status),
  ]);

const rehearseScenario = (scenario: Scenario, iam: StackPolicies) =>
  rehearsePlan(
    planFrom(scenario.plan, (plan) => {
      if (scenario.template) plan.stages[0].experiments[0].template = { file: fixture(scenario.template) };
      Object.assign(plan, scenario.planFields);
    }),
    {
      iam,
      ...(scenario.world ? { world: scenario.world } : {}),
      seed: 3,
      ...(scenario.faults ? { faults: scenario.faults } : {}),
      ...(scenario.wrapHandler ? { wrapHandler: scenario.wrapHandler } : {}),
    },
  );

/** Every statement of every principal the rehearsal enforces, each with the policies lacking only it. */
function mutations(policies: StackPolicies) {
  const found: { principal: PrincipalName; statement: Record<string, unknown>; mutated: StackPolicies }[] = [];
  for (const [principal, role] of Object.entries(policies.principals) as [
    PrincipalName,
    { documents: PolicyDocument[] },
  ][]) {
    // The operator's policy is the CLI's, which no rehearsal uses: test/infra/operator-policy.test.ts removes each
    // of its statements against a whole CLI session instead.
    if (principal === "Operator") continue;
    role.documents.forEach((document, d) => {
      ([] as Record<string, unknown>[]).concat(document.Statement as never).forEach((statement, s) => {
        const mutated = structuredClone(policies);
        const documents = mutated.principals[principal]!.documents;
        const statements = ([] as unknown[]).concat(documents[d]!.Statement);
        statements.splice(s, 1);
        documents[d] = { ...documents[d]!, Statement: statements };
        found.push({ principal, statement, mutated });
      });
    });
  }
  return found;
}

describe("every granted statement is needed", () => {
  it("removing any statement makes a rehearsal fail, or it is needed for what rehearsals cannot see", async () => {
    const policies = stackPolicies()!;
    const baseline = new Map<Scenario, NonNullable<RehearsalResult["iam"]> & { outcome: string }>();
    for (const scenario of SCENARIOS) {
      const result = await rehearseScenario(scenario, policies);
      expect(result.iam?.denied, scenario.name).toEqual([]);
      baseline.set(scenario, { ...result.iam!, outcome: outcome(result) });
    }
    const tally = { failing: 0, documented: 0, unexplained: [] as string[] };
    for (const { principal, statement, mutated } of mutations(policies)) {
      const label = `${principal} ${JSON.stringify(statement.Action)} ${statement.Sid ?? ""}`;
      let failed = false;
      for (const scenario of SCENARIOS) {
        const { outcome: before, asked, names } = baseline.get(scenario)!;
        // Replayed first (fast): only a scenario that asked for something the statement grants can fail without it.
        const replay = new IamAuthorizer(mutated, names);
        let denied = false;
        for (const call of asked.filter((a) => a.principal === principal))
          if (!(await replay.allows(call.principal, call.request))) denied = true;
        if (!denied) continue;
        failed = outcome(await rehearseScenario(scenario, mutated)) !== before;
        if (failed) break;
      }
      const actions = ([] as string[]).concat(statement.Action as string[]);
      if (failed) tally.failing += 1;
      else if (actions.some((a) => NEEDED_OUTSIDE_REHEARSALS[a]) || NEEDED_OUTSIDE_REHEARSALS[statement.Sid as string])
        tally.documented += 1;
      else tally.unexplained.push(label);
    }
    console.info(`IAM mutation test: ${JSON.stringify({ ...tally, unexplained: tally.unexplained.length })}`);
    expect(tally.unexplained).toEqual([]);
    expect(tally.failing).toBeGreaterThan(10);
  }, 300_000);
});
