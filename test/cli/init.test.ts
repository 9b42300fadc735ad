import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { run } from "../helpers";

const fresh = () => mkdtempSync(join(tmpdir(), "gameday-init-"));

describe("gameday init", () => {
  it.each(["ec2", "ecs", "eks", "aurora", "lambda", "dynamodb"])(
    "writes a %s starter that validates as it is",
    async (kind) => {
      const dir = join(fresh(), "svc");
      const init = await run(["init", "payments", "--kind", kind, "--rps", "250", "--dir", dir]);
      expect(init.code).toBe(0);
      expect(init.out).toContain(`gameday rehearse `);
      const validated = await run([
        "validate",
        join(dir, "world.json"),
        join(dir, "plan.json"),
        join(dir, "template.json"),
      ]);
      // No problem of error severity (a warning may name an action such as aws:lambda:invocation-error).
      expect(validated.err).not.toMatch(/^error /m);
      expect(validated.code).toBe(0);
      const world = JSON.parse(readFileSync(join(dir, "world.json"), "utf8"));
      expect(world.tiers[0]).toMatchObject({ name: "payments", kind, service: "payments" });
      expect(world.traffic.requestsPerSecond).toBe(250);
    },
  );

  it("rehearses at once: an ECS service that loses half its tasks holds, a Lambda that fails half its invocations does not", async () => {
    const root = fresh();
    for (const kind of ["ecs", "lambda"])
      await run(["init", `orders-${kind}`, "--kind", kind, "--dir", join(root, kind)]);
    const ecs = await run([
      "rehearse",
      join(root, "ecs", "plan.json"),
      "--world",
      join(root, "ecs", "world.json"),
      "--json",
    ]);
    expect(JSON.parse(ecs.out).verdict).toBe("PASSED");
    const lambda = await run([
      "rehearse",
      join(root, "lambda", "plan.json"),
      "--world",
      join(root, "lambda", "world.json"),
      "--json",
    ]);
    const report = JSON.parse(lambda.out);
    expect(report.verdict).toBe("FAILED");
    expect(report.experiments[0].actions[0].actionId).toBe("aws:lambda:invocation-error");
  });

  it("never overwrites, and refuses what it cannot start, naming the value", async () => {
    const dir = fresh();
    writeFileSync(join(dir, "plan.json"), "{}");
    const taken = await run(["init", "checkout", "--dir", dir]);
    expect(taken.code).toBe(2);
    expect(taken.err).toMatch(/plan\.json already exist/);
    expect(existsSync(join(dir, "world.json"))).toBe(false);
    expect(readFileSync(join(dir, "plan.json"), "utf8")).toBe("{}");
    const sqs = await run(["init", "queue", "--kind", "sqs", "--dir", join(dir, "q")]);
    expect(sqs.code).toBe(2);
    expect(sqs.err).toMatch(/FIS has no action on SQS queues: fault the queue's consumer/);
    expect((await run(["init", "Checkout", "--dir", join(dir, "x")])).err).toMatch(/not "Checkout"/);
    expect((await run(["init", "checkout", "--rps", "-3", "--dir", join(dir, "x")])).err).toMatch(/not "-3"/);
    expect((await run(["init", "checkout", "--zones", "eu-west-1a", "--dir", join(dir, "x")])).err).toMatch(
      /zone "eu-west-1a" is not in us-east-1/,
    );
    expect(existsSync(join(dir, "x"))).toBe(false);
  });
});
