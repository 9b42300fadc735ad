import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { worldSchema } from "../../src/sim/world-schema";
import { SimulatedAccount } from "../../src/sim/account";
import { rehearsePlan } from "../helpers";

const DIR = "examples/order-pipeline";
const orderWorld = (change: (w: any) => void = () => {}) => {
  const raw = JSON.parse(readFileSync(`${DIR}/world.json`, "utf8"));
  change(raw);
  return worldSchema.parse(raw);
};
const orderPlan = (change: (p: any) => void = () => {}) => {
  const plan = JSON.parse(readFileSync(`${DIR}/plan.json`, "utf8"));
  plan.stages[0].experiments[0].template = { file: `${process.cwd()}/${DIR}/worker-errors.template.json` };
  change(plan);
  return plan;
};
const probe = (report: any, id: string) => report.probes.find((p: any) => p.id === id);

describe("Lambda, SQS and DynamoDB tiers", () => {
  it("keep the API answering while the Lambda worker fails, and drain the queue after", async () => {
    const r = await rehearsePlan(orderPlan(), { account: new SimulatedAccount(orderWorld(), 1) });
    expect(r.report!.verdict).toBe("PASSED");
    expect(r.report!.experiments[0]!.actions[0]).toMatchObject({
      actionId: "aws:lambda:invocation-error",
      status: "completed",
    });
    // The queue decouples the API from the worker: no 5xx at the front door.
    expect(probe(r.report, "apiFaultPercent").phases.fault.max).toBeLessThan(0.2);
    // Three minutes without consumption leave orders waiting about that long; the worker then catches up.
    const age = probe(r.report, "oldestOrderSeconds").phases;
    expect(age.baseline.max).toBe(0);
    expect(age.fault.max).toBeGreaterThan(120);
    expect(age.fault.max).toBeLessThan(300);
    expect(age.recovery.last).toBeLessThan(age.fault.max);
    expect(r.report!.traces!.blastRadius).toContain("orders-worker");
    expect(r.report!.traces!.blastRadius).not.toContain("orders-api");
  });

  it("fail the promise of two minutes in the queue", async () => {
    const r = await rehearsePlan(
      orderPlan((p) => (p.hypothesis.probes[1].bounds.max = 120)),
      { account: new SimulatedAccount(orderWorld(), 1) },
    );
    expect(r.report!.verdict).toBe("FAILED");
    expect(r.report!.findings.map((f) => f.probeId)).toContain("oldestOrderSeconds");
    expect(r.report!.findings.map((f) => f.probeId)).not.toContain("apiFaultPercent");
  });

  it("grow a global table's replication latency while FIS pauses replication, and its callers' errors if they read the replica", async () => {
    const pause = (plan: any) => {
      plan.stages[0].experiments[0].template = {
        file: `${process.cwd()}/templates/dynamodb-pause-orders-replication.json`,
      };
      plan.hypothesis.probes[1] = {
        id: "replicationLatency",
        type: "metric",
        metric: {
          namespace: "AWS/DynamoDB",
          name: "ReplicationLatency",
          dimensions: { TableName: "orders", ReceivingRegion: "us-west-2" },
          statistic: "Maximum",
        },
        bounds: { max: 60000 },
      };
    };
    const tagged = (w: any) => (w.tiers[3].tags.App = "shop");
    const quiet = await rehearsePlan(orderPlan(pause), { account: new SimulatedAccount(orderWorld(tagged), 1) });
    // The pause ran until the guardrail saw the latency pass a minute, and stopped it.
    expect(quiet.report!.experiments[0]!.actions[0]).toMatchObject({
      actionId: "aws:dynamodb:global-table-pause-replication",
      status: "stopped",
    });
    expect(quiet.report!.stages[0]).toMatchObject({ stoppedBy: "guardrail", guardrailProbes: ["replicationLatency"] });
    expect(quiet.report!.verdict).toBe("FAILED");
    expect(probe(quiet.report, "replicationLatency").phases.fault.max).toBeGreaterThan(60000);
    expect(probe(quiet.report, "apiFaultPercent").phases.fault.max).toBeLessThan(0.2);
    // A worker that reads the replica fails some of its writes; the queue still shields the API.
    const readsReplica = await rehearsePlan(orderPlan(pause), {
      account: new SimulatedAccount(
        orderWorld((w) => (tagged(w), (w.tiers[3].pausedReplicationErrorRate = 0.3))),
        1,
      ),
    });
    expect(readsReplica.report!.traces!.blastRadius).toContain("orders-worker → orders-table");
    expect(probe(readsReplica.report, "apiFaultPercent").phases.fault.max).toBeLessThan(0.2);
  });

  it("publish Lambda's and SQS's own metrics under AWS's names", async () => {
    const account = new SimulatedAccount(orderWorld(), 1);
    account.clock.advance(600_000);
    const has = (namespace: string, name: string, dimensions: Record<string, string>) =>
      account.metrics.publishes({ namespace, name, dimensions, statistic: "Sum", periodSeconds: 60 });
    expect(has("AWS/Lambda", "Errors", { FunctionName: "orders-worker" })).toBe(true);
    expect(has("AWS/Lambda", "Duration", { FunctionName: "orders-worker" })).toBe(true);
    expect(has("AWS/SQS", "ApproximateNumberOfMessagesVisible", { QueueName: "orders" })).toBe(true);
    expect(has("AWS/DynamoDB", "SuccessfulRequestLatency", { TableName: "orders", Operation: "GetItem" })).toBe(true);
  });
});
