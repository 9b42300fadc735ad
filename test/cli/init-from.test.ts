import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { run } from "../helpers";

const fresh = () => mkdtempSync(join(tmpdir(), "gameday-init-from-"));
const FIXTURES = "test/fixtures/cloudformation";

/** init --from, validate what it wrote, rehearse it: the world, the verdict and what init printed. */
async function fromStack(from: string, extra: string[] = []) {
  const dir = join(fresh(), "svc");
  const init = await run(["init", "shop", "--from", from, "--dir", dir, "--region", "eu-west-1", ...extra]);
  expect(init.code, init.err).toBe(0);
  const validated = await run([
    "validate",
    join(dir, "world.json"),
    join(dir, "plan.json"),
    join(dir, "template.json"),
  ]);
  expect(validated.err).not.toMatch(/^error /m);
  expect(validated.code).toBe(0);
  const rehearsed = await run([
    "rehearse",
    join(dir, "plan.json"),
    "--world",
    join(dir, "world.json"),
    "--json",
    "--out",
    join(dir, "reports"),
  ]);
  return {
    init,
    world: JSON.parse(readFileSync(join(dir, "world.json"), "utf8")),
    template: JSON.parse(readFileSync(join(dir, "template.json"), "utf8")),
    report: JSON.parse(rehearsed.out),
  };
}

describe("gameday init --from a CloudFormation template", () => {
  it("reads an ECS Fargate service behind a load balancer, the table and queue it uses and the queue's worker", async () => {
    const { init, world, template, report } = await fromStack(join(FIXTURES, "orders-api.yaml"));
    const tiers = Object.fromEntries(world.tiers.map((t: { name: string }) => [t.name, t]));
    expect(Object.keys(tiers).sort()).toEqual(["order-events", "order-events-worker", "orders-api", "shop-orders"]);
    // The service's names, count and tags as the template fixes them; the parameter's default for its count.
    expect(tiers["orders-api"]).toMatchObject({
      kind: "ecs",
      share: 1,
      resourceNames: { cluster: "orders", service: "orders-api" },
      tags: { team: "orders", "FIS-Ready": "True" },
      calls: expect.arrayContaining(["shop-orders", "order-events"]),
    });
    expect(tiers["orders-api"].unitsPerZone * world.zones.length).toBe(4);
    expect(tiers["order-events"]).toMatchObject({ kind: "sqs", calls: ["order-events-worker"] });
    // Zones from the subnets (Fn::Select over Fn::GetAZs), the load balancer by its name.
    expect(world.zones).toEqual(["eu-west-1a", "eu-west-1b"]);
    expect(world.loadBalancer).toBe("app/orders-alb/0123456789abcdef");
    expect(init.out).toContain("orders-api calls shop-orders (TaskDefinition refers to OrdersTable)");
    expect(init.out).toContain("OrderEventsDeadLetters (AWS::SQS::Queue): a dead-letter queue");
    expect(template.targets["orders-api"]).toMatchObject({
      resourceType: "aws:ecs:task",
      parameters: { cluster: "orders", service: "orders-api" },
    });
    expect(["PASSED", "FAILED"]).toContain(report.verdict);
  });

  it("reads an Auto Scaling group behind a load balancer, with its zones and tags", async () => {
    const { world, report } = await fromStack(join(FIXTURES, "web-asg.yaml"));
    expect(world.zones).toEqual(["eu-west-1a", "eu-west-1b"]);
    expect(world.tiers).toEqual([
      expect.objectContaining({
        name: "web",
        kind: "ec2",
        unitsPerZone: 2,
        resourceNames: { autoScalingGroup: "web" },
        tags: { app: "web", "FIS-Ready": "True" },
      }),
    ]);
    expect(world.loadBalancer).toBe("app/WebLoadBalancer/0123456789abcdef");
    expect(["PASSED", "FAILED"]).toContain(report.verdict);
  });

  it("reads a MySQL instance with a read replica, and reboots its primary with a failover", async () => {
    const { init, world, template, report } = await fromStack(join(FIXTURES, "mysql-with-replica.json"));
    expect(world.tiers).toEqual([
      expect.objectContaining({
        name: "catalog-db",
        kind: "aurora",
        unitsPerZone: 2,
        tags: { tier: "data", "FIS-Ready": "True" },
      }),
    ]);
    expect(template.actions.inject).toMatchObject({
      actionId: "aws:rds:reboot-db-instances",
      parameters: { forceFailover: "true" },
    });
    expect(init.out).toContain("no application load balancer in the templates");
    expect(["PASSED", "FAILED"]).toContain(report.verdict);
  });

  it("reads every stack of a cdk.out folder", async () => {
    const out = join(fresh(), "cdk.out");
    mkdirSync(out);
    cpSync(join(FIXTURES, "mysql-with-replica.json"), join(out, "Data.template.json"));
    writeFileSync(join(out, "manifest.json"), JSON.stringify({ version: "41.0.0" }));
    const { world } = await fromStack(out);
    expect(world.tiers.map((t: { name: string }) => t.name)).toEqual(["catalog-db"]);
  });

  it("refuses what is not a template, and --kind beside --from, writing nothing", async () => {
    const dir = join(fresh(), "svc");
    const notTemplate = join(fresh(), "x.yaml");
    writeFileSync(notTemplate, "just: text\n");
    const refused = await run(["init", "shop", "--from", notTemplate, "--dir", dir]);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain(`${notTemplate}: no Resources section`);
    const both = await run(["init", "shop", "--from", join(FIXTURES, "web-asg.yaml"), "--kind", "ecs", "--dir", dir]);
    expect(both.code).toBe(2);
    expect(both.err).toContain("--kind and --from do not go together");
  });
});
