import { STATE_MACHINE_ARN } from "../../src/local/rehearsal";
import { describe, expect, it } from "vitest";
import { prepareGameDay } from "../../src/core/gameday/prepare";
import { describeLockKey, lockKeys } from "../../src/core/locks/keys";
import { OverlapError, releaseGameDay, reserveGameDay } from "../../src/core/locks/reservation";
import type { TargetDirectory } from "../../src/core/ports";
import type { FisTarget } from "../../src/core/template/schema";
import { SimulatedLockTable } from "../../src/sim/locks";
import { planFrom } from "../helpers";

const T0 = Date.parse("2026-11-24T10:00:00Z");
const clockAt = (ms: number) => ({ now: () => ms });

const checkoutTasks: FisTarget = {
  resourceType: "aws:ecs:task",
  selectionMode: "ALL",
  resourceTags: { service: "checkout", "FIS-Ready": "True" },
  filters: [{ path: "AvailabilityZone", values: ["eu-west-1a"] }],
};
const orderDb: FisTarget = {
  resourceType: "aws:rds:cluster",
  selectionMode: "ALL",
  resourceArns: ["arn:aws:rds:eu-west-1:111122223333:cluster:orders"],
};
const catalogPods: FisTarget = {
  resourceType: "aws:eks:pod",
  selectionMode: "COUNT(1)",
  parameters: {
    clusterIdentifier: "arn:aws:eks:eu-west-1:111122223333:cluster/shop",
    namespace: "catalog",
    selectorType: "labelSelector",
    selectorValue: "app=catalog",
  },
};
const TASK_ARNS = [
  "arn:aws:ecs:eu-west-1:111122223333:task/shop/t1",
  "arn:aws:ecs:eu-west-1:111122223333:task/shop/t2",
];

/** A live experiment of the account: its summary's tags and what FIS resolved its targets to. */
interface LiveExperiment {
  id: string;
  tags: Record<string, string>;
  resolved: Record<string, string[]>;
}

/**
 * Templates by id, with tag lookups answered from a fixed list and counted; the account's live experiments (none by
 * default).
 */
function directory(templates: Record<string, Record<string, FisTarget> | undefined>, live: LiveExperiment[] = []) {
  const lookups: [string, Record<string, string>][] = [];
  const targets: TargetDirectory = {
    templateTargets: async (id) => templates[id],
    taggedResources: async (type, tags) => {
      lookups.push([type, tags]);
      return type === "aws:ecs:task" && tags.service === "checkout" ? TASK_ARNS : [];
    },
  };
  const experiments = {
    liveSummaries: async () => live.map(({ id, tags }) => ({ id, tags })),
    resolvedTargets: async (id: string) => live.find((e) => e.id === id)?.resolved ?? {},
  };
  return { targets, lookups, experiments };
}

/** The example ECS plan, validated, its one template resolved to `templateId`. */
async function gameDay(executionName: string, templateId: string, options: { plan?: string; preview?: boolean } = {}) {
  const document = planFrom("plans/ecs-checkout-zone-loss.json", (p) => (p.name = options.plan ?? p.name));
  return prepareGameDay(
    document,
    { executionName, stateMachine: STATE_MACHINE_ARN, actionsMode: options.preview ? "skip-all" : "run-all" },
    { resolve: async () => templateId },
    clockAt(T0),
  );
}

describe("run-lock keys", () => {
  it("lock the plan, the template's ARNs, its tag selector and every resource carrying those tags", async () => {
    const { targets, lookups } = directory({ EXTcheckout: { Tasks: checkoutTasks, Db: orderDb } });
    const keys = await lockKeys("ecs-checkout-zone-loss", ["EXTcheckout"], targets);
    expect(keys).toEqual([
      "plan:ecs-checkout-zone-loss",
      `resource:${TASK_ARNS[0]}`,
      `resource:${TASK_ARNS[1]}`,
      `resource:${orderDb.resourceArns![0]}`,
      "selector:aws:ecs:task/FIS-Ready=True,service=checkout",
    ]);
    // Filters (one zone) are not applied: a fault in the other zone could still pick the same tasks.
    expect(lookups).toEqual([["aws:ecs:task", { service: "checkout", "FIS-Ready": "True" }]]);
  });

  it("lock a pod fault's namespace, since pods carry no tags to list", async () => {
    const { targets, lookups } = directory({ EXTpods: { Pods: catalogPods } });
    expect(await lockKeys("eks", ["EXTpods"], targets)).toEqual(["eks-namespace:shop/catalog", "plan:eks"]);
    expect(lookups).toEqual([]);
  });

  it("lock a template whose targets cannot be read by its id, and each template once", async () => {
    const { targets } = directory({});
    expect(await lockKeys("p", ["EXTgone", "EXTgone"], targets)).toEqual(["plan:p", "template:EXTgone"]);
  });

  it("are described in words for the refusal message", () => {
    expect(describeLockKey("plan:aurora-failover")).toBe('the plan "aurora-failover"');
    expect(describeLockKey(`resource:${TASK_ARNS[0]}`)).toBe(TASK_ARNS[0]);
    expect(describeLockKey("selector:aws:ecs:task/service=checkout")).toBe(
      "aws:ecs:task targets selected by service=checkout",
    );
    expect(describeLockKey("eks-namespace:shop/catalog")).toBe("pods of the EKS namespace shop/catalog");
    expect(describeLockKey("template:EXTgone")).toBe("the FIS template EXTgone");
  });
});

describe("reserving a game day", () => {
  const templates = { EXTcheckout: { Tasks: checkoutTasks }, EXTother: { Tasks: { ...checkoutTasks, filters: [] } } };

  it("takes every key until the game day's deadline and records how many", async () => {
    const locks = new SimulatedLockTable();
    const state = await gameDay("run-a", "EXTcheckout");
    const reserved = await reserveGameDay(state, { locks, ...directory(templates), clock: clockAt(T0) });
    expect(reserved.run.lockedKeys).toBe(4);
    expect([...locks.items.values()].every((h) => h.executionName === "run-a")).toBe(true);
    expect([...locks.items.values()][0]!.expiresAt).toBe(Date.parse(state.run.deadline));
  });

  it("refuses a second run of the same plan, naming the running one, and holds nothing after", async () => {
    const locks = new SimulatedLockTable();
    const ports = { locks, ...directory(templates), clock: clockAt(T0 + 60_000) };
    await reserveGameDay(await gameDay("run-a", "EXTcheckout"), ports);
    const before = new Map(locks.items);
    const refused = reserveGameDay(await gameDay("run-b", "EXTcheckout"), ports);
    await expect(refused).rejects.toThrow(OverlapError);
    await expect(refused).rejects.toMatchObject({ name: "GameDay.Overlap", holder: { executionName: "run-a" } });
    await expect(refused).rejects.toThrow(
      'Game day "run-b" of plan "ecs-checkout-zone-loss" was not started: game day "run-a" of the same plan ' +
        'is running since 2026-11-24T10:00:00.000Z and holds the plan "ecs-checkout-zone-loss".',
    );
    expect(locks.items).toEqual(before);
  });

  it("refuses another plan whose targets overlap, releasing the keys it had already taken", async () => {
    const locks = new SimulatedLockTable();
    const ports = { locks, ...directory(templates), clock: clockAt(T0) };
    await reserveGameDay(await gameDay("run-a", "EXTcheckout"), ports);
    const released: string[] = [];
    const watching = {
      ...ports,
      locks: {
        take: locks.take.bind(locks),
        release: async (k: string, e: string) => {
          released.push(k);
          await locks.release(k, e);
        },
      },
    };
    const other = await gameDay("run-b", "EXTother", { plan: "checkout-everywhere" });
    const error = await reserveGameDay(other, watching).catch((e: OverlapError) => e);
    expect(error).toBeInstanceOf(OverlapError);
    expect((error as OverlapError).message).toContain(`of plan "ecs-checkout-zone-loss" is running since`);
    // "plan:checkout-everywhere" sorts first and was taken, then given back.
    expect(released).toEqual(["plan:checkout-everywhere"]);
    expect(await locks.heldBy("run-b")).toEqual([]);
  });

  it("lets a game day through once the other's hold has expired", async () => {
    const locks = new SimulatedLockTable();
    const a = await gameDay("run-a", "EXTcheckout");
    await reserveGameDay(a, { locks, ...directory(templates), clock: clockAt(T0) });
    const afterDeadline = clockAt(Date.parse(a.run.deadline) + 1000);
    const b = await reserveGameDay(await gameDay("run-b", "EXTcheckout"), {
      locks,
      ...directory(templates),
      clock: afterDeadline,
    });
    expect(b.run.lockedKeys).toBe(4);
    expect(await locks.heldBy("run-a")).toEqual([]);
  });

  it("lets a retried attempt of the same execution take its own locks again", async () => {
    const locks = new SimulatedLockTable();
    const ports = { locks, ...directory(templates), clock: clockAt(T0) };
    await reserveGameDay(await gameDay("run-a", "EXTcheckout"), ports);
    const again = await reserveGameDay(await gameDay("run-a", "EXTcheckout"), ports);
    expect(again.run.lockedKeys).toBe(4);
  });

  it("takes nothing for a preview, which injects no fault", async () => {
    const locks = new SimulatedLockTable();
    const ports = { locks, ...directory(templates), clock: clockAt(T0) };
    await reserveGameDay(await gameDay("run-a", "EXTcheckout"), ports);
    const preview = await reserveGameDay(await gameDay("run-p", "EXTcheckout", { preview: true }), ports);
    expect(preview.run.lockedKeys).toBeUndefined();
    expect(await locks.heldBy("run-p")).toEqual([]);
  });

  it("is released by execution name, leaving other game days' locks alone", async () => {
    const locks = new SimulatedLockTable();
    const ports = { locks, ...directory({ EXTpods: { Pods: catalogPods }, ...templates }), clock: clockAt(T0) };
    await reserveGameDay(await gameDay("run-a", "EXTcheckout"), ports);
    await reserveGameDay(await gameDay("run-e", "EXTpods", { plan: "eks" }), ports);
    expect(await releaseGameDay("run-a", locks)).toBe(4);
    expect(await locks.heldBy("run-a")).toEqual([]);
    expect(await locks.heldBy("run-e")).toEqual(["eks-namespace:shop/catalog", "plan:eks"]);
  });
});

describe("reserving a game day against the account's live experiments", () => {
  const templates = { EXTcheckout: { Tasks: checkoutTasks } };
  const otherStack = "arn:aws:states:eu-west-1:111122223333:stateMachine:GameDay-prod-Orchestrator";

  it("refuses while another stack's experiment acts on one of its resources, naming it, and keeps no lock", async () => {
    const locks = new SimulatedLockTable();
    const live = [
      {
        id: "EXPprod",
        tags: { "gameday:execution": "nightly", "gameday:plan": "checkout", "gameday:state-machine": otherStack },
        resolved: { Tasks: [TASK_ARNS[1]!] },
      },
    ];
    const state = await gameDay("run-a", "EXTcheckout");
    await expect(reserveGameDay(state, { locks, ...directory(templates, live), clock: clockAt(T0) })).rejects.toThrow(
      expect.objectContaining({
        name: "GameDay.Overlap",
        message: expect.stringMatching(
          /FIS experiment EXPprod, of game day "nightly" of plan "checkout" \(state machine .*GameDay-prod-Orchestrator\), is acting on .*task\/shop\/t2 now/,
        ),
      }),
    );
    expect(locks.items.size).toBe(0);
  });

  it("refuses while an experiment started by hand acts on one of its resources", async () => {
    const live = [{ id: "EXPmanual", tags: {}, resolved: { t: [TASK_ARNS[0]!] } }];
    const state = await gameDay("run-a", "EXTcheckout");
    const ports = { locks: new SimulatedLockTable(), ...directory(templates, live), clock: clockAt(T0) };
    await expect(reserveGameDay(state, ports)).rejects.toThrow(/started by hand or by another tool/);
  });

  it("starts beside live experiments on other resources, and past its own retried attempt's", async () => {
    const live: LiveExperiment[] = [
      { id: "EXPelse", tags: {}, resolved: { t: ["arn:aws:ecs:eu-west-1:111122223333:task/other/t9"] } },
      {
        id: "EXPmine",
        tags: { "gameday:execution": "run-a", "gameday:state-machine": STATE_MACHINE_ARN },
        resolved: { Tasks: TASK_ARNS },
      },
    ];
    const state = await gameDay("run-a", "EXTcheckout");
    const ports = { locks: new SimulatedLockTable(), ...directory(templates, live), clock: clockAt(T0) };
    expect((await reserveGameDay(state, ports)).run.lockedKeys).toBe(4);
  });
});
