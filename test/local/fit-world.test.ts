import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadWorld } from "../../src/local/inputs";
import { fitWorldToTemplate } from "../../src/sim/fit-world";
import { run } from "../helpers";

const dir = mkdtempSync(join(tmpdir(), "gameday-fit-"));

/** A template as a team writes it for its own service: its own tags, cluster and service names, an RDS ARN. */
const paymentsTemplate = {
  description: "Stop half of the payments API's tasks and fail over its database",
  targets: {
    ApiTasks: {
      resourceType: "aws:ecs:task",
      resourceTags: { team: "payments" },
      parameters: { cluster: "payments-prod", service: "payments-api" },
      selectionMode: "PERCENT(50)",
    },
    Database: {
      resourceType: "aws:rds:cluster",
      resourceArns: ["arn:aws:rds:us-east-1:123456789012:cluster:payments-db"],
      selectionMode: "ALL",
    },
  },
  actions: {
    stopTasks: { actionId: "aws:ecs:stop-task", targets: { Tasks: "ApiTasks" } },
    failover: { actionId: "aws:rds:failover-db-cluster", targets: { Clusters: "Database" } },
  },
  stopConditions: [{ source: "none" }],
  roleArn: "arn:aws:iam::123456789012:role/fis",
  tags: {},
};

describe("a bare template rehearsed without a world of its own", () => {
  it("brings its targets into the default world: tags, names from parameters and ARNs, each said", () => {
    const { world } = loadWorld();
    const fitted = fitWorldToTemplate(world!, paymentsTemplate as never);
    const checkout = fitted.world.tiers.find((t) => t.kind === "ecs")!;
    expect(checkout.tags).toMatchObject({ team: "payments" });
    expect(checkout.resourceNames).toMatchObject({ cluster: "payments-prod", service: "payments-api" });
    expect(fitted.world.tiers.find((t) => t.kind === "aurora")!.resourceNames.cluster).toBe("payments-db");
    expect(fitted.changes).toEqual([
      "tier checkout: tagged team=payments (target ApiTasks)",
      "tier checkout: cluster named payments-prod (target ApiTasks)",
      "tier checkout: service named payments-api (target ApiTasks)",
      "tier orders-db: cluster named payments-db (target Database)",
    ]);
    expect(fitted.unfit).toEqual([]);
    // The loaded world is not changed.
    expect(world!.tiers.find((t) => t.kind === "ecs")!.tags.team).toBeUndefined();
  });

  it("adds a tier of a kind the world lacks, and says which targets nothing can stand for", () => {
    const { world } = loadWorld();
    const fitted = fitWorldToTemplate(world!, {
      targets: {
        Cache: {
          resourceType: "aws:elasticache:replicationgroup",
          resourceTags: { a: "b" },
          parameters: { availabilityZoneIdentifier: "use1-az2" },
          selectionMode: "ALL",
        },
        One: {
          resourceType: "aws:ec2:instance",
          resourceArns: ["arn:aws:ec2:us-east-1:123456789012:instance/i-0abc"],
          selectionMode: "ALL",
        },
        Odd: { resourceType: "aws:example:widget", selectionMode: "ALL" },
      },
    } as never);
    expect(fitted.changes).toEqual([
      expect.stringMatching(
        /^tier elasticache \(elasticache: an ElastiCache replication group.*\) added, called by web on every request \(target Cache\)$/,
      ),
      "tier elasticache: tagged a=b (target Cache)",
    ]);
    const cache = fitted.world.tiers.find((t) => t.name === "elasticache")!;
    expect(cache).toMatchObject({ kind: "elasticache", unitsPerZone: 3, share: 1 });
    expect(fitted.world.tiers[0]!.calls).toContain("elasticache");
    expect(fitted.unfit).toEqual([
      "One: aws:ec2:instance ARNs name ids the simulated world makes itself; target these resources by tags",
      "Odd: the simulated world has no aws:example:widget resources",
    ]);
  });

  it("rehearses to a judged verdict where the unfitted world found no target, and prints what it changed", async () => {
    const file = join(dir, "payments.json");
    writeFileSync(file, JSON.stringify(paymentsTemplate));
    const out = join(dir, "out");
    const { err } = await run(["rehearse", file, "--out", out]);
    expect(err).toContain("world web-shop fitted to the template's targets: tier checkout: tagged team=payments");
    const report = JSON.parse(readFileSync(join(out, "report.json"), "utf8"));
    expect(["PASSED", "FAILED"]).toContain(report.verdict);
    const actions = report.experiments[0].actions.map((a: { name: string; status: string }) => [a.name, a.status]);
    expect(actions).toEqual(
      expect.arrayContaining([
        ["stopTasks", "completed"],
        ["failover", "completed"],
      ]),
    );

    // The same template against the world as written: nothing carries its tags.
    const worldOut = join(dir, "as-written");
    await run(["rehearse", file, "--out", worldOut, "--world", "worlds/web-shop.json"]);
    const unfitted = JSON.parse(readFileSync(join(worldOut, "report.json"), "utf8"));
    expect(unfitted.verdict).not.toMatch(/PASSED|FAILED/);
  });
});
