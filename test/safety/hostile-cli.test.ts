import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync, existsSync, readdirSync, readFileSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { planFrom, run, world as loadedWorld } from "../helpers";

const dir = mkdtempSync(join(tmpdir(), "gameday-hostile-"));
const file = (name: string, body: string) => {
  const path = join(dir, name);
  writeFileSync(path, body);
  return path;
};
const plan = (name: string, change: (p: any) => void) =>
  file(name, JSON.stringify(planFrom("plans/ecs-checkout-zone-loss.json", change)));
const world = JSON.parse(JSON.stringify(loadedWorld()));

/** The CLI's answer to hostile input: exit 2, a message naming the problem, no stack trace. */
async function expectRefused(argv: string[], message: string | RegExp) {
  const { code, out, err } = await run(argv);
  expect(err + out).not.toMatch(/^\s+at /m);
  expect(code, err).toBe(2);
  expect(err).toMatch(message);
}

const HOSTILE_FILES: [string, () => string, string | RegExp][] = [
  ["nested arrays", () => file("nested.json", "[".repeat(100_000) + "]".repeat(100_000)), /nested deeper than 64/],
  ["nested objects", () => file("nested-obj.json", '{"a":'.repeat(5000) + "1" + "}".repeat(5000)), /nested deeper/],
  ["a null root", () => file("null.json", "null"), /the document is null/],
  ["a string root", () => file("string.json", '"plan"'), /the document is a string/],
  [
    "a directory",
    () => (mkdirSync(join(dir, "folder.json"), { recursive: true }), join(dir, "folder.json")),
    /not a regular file/,
  ],
  ["a device", () => "/dev/zero", /not a regular file/],
  ["more than 1 MiB", () => file("huge.json", `{"pad":"${"a".repeat(1_100_000)}"}`), /at most 1048576 bytes/],
  [
    "a template file that is a device",
    () => plan("devzero.json", (p) => (p.stages[0].experiments[0].template = { file: "/dev/zero" })),
    /\/dev\/zero: not a regular file/,
  ],
  [
    "a 30-day baseline at 60 s",
    () => plan("b30.json", (p) => (p.timing.baseline = "P30D")),
    /CloudWatch answers for .* beyond 15 days the period must be a multiple of 300/,
  ],
  [
    "a zero period",
    () => plan("p0.json", (p) => (p.hypothesis.probes[0].metrics.faults.periodSeconds = 0)),
    /must be a positive number of seconds \(got 0\)/,
  ],
  [
    "a 15-second period",
    () => plan("p15.json", (p) => (p.hypothesis.probes[0].metrics.faults.periodSeconds = 15)),
    /1, 5, 10, 20, 30 .* \(got 15\)/,
  ],
  [
    "a sub-minute period on an AWS metric",
    () => plan("p20.json", (p) => (p.hypothesis.probes[0].metrics.faults.periodSeconds = 20)),
    /metrics.faults.periodSeconds: 20 seconds for AWS\/ApplicationELB/,
  ],
  [
    "a five-field cron schedule",
    () => plan("cron5.json", (p) => (p.schedule = { expression: "cron(0 10 ? * TUE)" })),
    /schedule.expression: a cron expression has 6 fields .* \(got "cron\(0 10 \? \* TUE\)"\)/,
  ],
  [
    "a cron schedule with both days set",
    () => plan("cron-days.json", (p) => (p.schedule = { expression: "cron(0 10 * * TUE *)" })),
    /one of day-of-month and day-of-week must be \?/,
  ],
  [
    "an unknown time zone",
    () => plan("zone.json", (p) => (p.schedule = { expression: "rate(1 day)", timezone: "Mars/Olympus" })),
    /schedule.timezone: must be an IANA time zone .* \(got "Mars\/Olympus"\)/,
  ],
  [
    "a PERCENT selection above 100 in a template file",
    () => {
      const t = JSON.parse(readFileSync("templates/ec2-web-cpu-stress.json", "utf8"));
      t.targets[Object.keys(t.targets)[0]!].selectionMode = "PERCENT(250)";
      const templateFile = file("pct-template.json", JSON.stringify(t));
      return plan("pct.json", (p) => (p.stages[0].experiments[0].template = { file: templateFile }));
    },
    /selectionMode: PERCENT\(n\) needs n above 0 and at most 100, not PERCENT\(250\)/,
  ],
  [
    "a division by zero",
    () => plan("div.json", (p) => (p.hypothesis.probes[0].expression = "faults / (requests - requests)")),
    /divides by \(requests - requests\)/,
  ],
  [
    "a constant zero divisor",
    () => plan("div0.json", (p) => (p.hypothesis.probes[0].expression = "faults / (2 - 2)")),
    /divides by/,
  ],
  [
    "a stage name over 256 characters",
    () => plan("stage.json", (p) => (p.stages[0].name = "s".repeat(257))),
    /at most 256 characters/,
  ],
  ["a plan named overview", () => plan("overview.json", (p) => (p.name = "overview")), /overview dashboard/],
  [
    "a probe named constructor",
    () => plan("ctor.json", (p) => (p.hypothesis.probes[1].id = "constructor")),
    /reserved name/,
  ],
  [
    "a metric named constructor",
    () =>
      plan("mctor.json", (p) => {
        const probe = p.hypothesis.probes[0];
        probe.metrics.constructor = probe.metrics.faults;
        delete probe.metrics.faults;
        probe.expression = "100 * constructor / requests";
      }),
    /metrics.constructor: key is a reserved name/,
  ],
  [
    "a template name with ../",
    () => plan("dotdot.json", (p) => (p.stages[0].experiments[0].template = { name: "../plans/ec2-web-tier" })),
    /template.name: must be letters/,
  ],
];

describe("hostile files at the CLI: exit 2 with a message, no stack trace, no hang", () => {
  it.each(HOSTILE_FILES)("validate refuses %s", async (_what, make, message) => {
    await expectRefused(["validate", make()], message);
  });

  it.each(HOSTILE_FILES)("rehearse refuses %s, writing nothing", async (_what, make, message) => {
    const out = join(dir, "out-never");
    await expectRefused(["rehearse", make(), "--out", out], message);
    expect(existsSync(out)).toBe(false);
  });

  it("accepts a plan that starts with a byte-order mark", async () => {
    const path = file("bom.json", "\uFEFF" + JSON.stringify(planFrom("plans/ecs-checkout-zone-loss.json")));
    expect((await run(["validate", path])).code).toBe(0);
  });

  it("validate checks a world file as a world", async () => {
    expect((await run(["validate", "worlds/web-shop.json"])).out).toContain("worlds/web-shop.json (world): valid");
    const w = structuredClone(world);
    w.tiers[0].calls = ["nope"];
    await expectRefused(["validate", file("bad-world.json", JSON.stringify(w))], /tiers\[0\].calls\[0\]: calls "nope"/);

    // Alarms and default probes on metrics the world does not publish would never see anything: named, with what
    // the world has.
    const typo = structuredClone(world);
    typo.alarms[0].metric.dimensions = { Service: "chekout" };
    const checked = await run(["validate", file("typo-world.json", JSON.stringify(typo))]);
    expect(checked.code).toBe(0);
    expect(checked.out).toContain("(world): valid, 1 warning(s)");
    expect(checked.err).toMatch(
      /alarms\[0\]\.metric: world web-shop publishes no Shop Faults with Service=chekout, so alarm shop-checkout-5xx will have no data: it publishes Faults with Service=web; Service=checkout/,
    );
  });

  it.each([
    ["a call cycle", (w: any) => (w.tiers[1].calls = ["web"]), /calls form a cycle: web → checkout → web/],
    ["a call to an unknown tier", (w: any) => (w.tiers[0].calls = ["nope"]), /calls "nope", which is not a tier/],
  ])("rehearse refuses a world with %s", async (_what, change, message) => {
    const w = structuredClone(world);
    change(w);
    await expectRefused(
      ["rehearse", "plans/ecs-checkout-zone-loss.json", "--world", file("world.json", JSON.stringify(w))],
      message,
    );
  });

  it("refuses, before starting, a plan naming a template by an id the simulated account does not hold", async () => {
    const path = plan("id.json", (p) => (p.stages[0].experiments[0].template = { id: "EXT0123456789abcd" }));
    await expectRefused(["rehearse", path], /template EXT0123456789abcd is not in the simulated account/);
  });

  it("survives random JSON documents as plans: exit 2 and a message, never a stack trace", async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 6 }), async (value) => {
        const { code, out, err } = await run(["validate", file("random.json", JSON.stringify(value))]);
        expect(err + out).not.toMatch(/^\s+at /m);
        expect(code).toBe(2);
      }),
      { numRuns: 60, seed: 20261129 },
    );
  });
});

describe("hostile arguments: exit 2 before anything runs", () => {
  const PLAN = "plans/ecs-checkout-zone-loss.json";
  // A loop of links, and links into device and kernel folders.
  symlinkSync(join(dir, "loop"), join(dir, "loop"));
  symlinkSync("/dev", join(dir, "to-dev"));
  symlinkSync("/sys", join(dir, "to-sys"));
  it.each([
    [["--seed", ""], /the seed must be a whole decimal number/],
    [["--seed", "0x10"], /the seed must be a whole decimal number/],
    [["--seed", "1e308"], /the seed must be a whole decimal number/],
    [["--seed", "-1"], /the seed must be a whole decimal number|unknown option/],
    [["--fault", "throttle:fis:0x1"], /decimal number from 0 to 1/],
    [["--fault", "throttle:fis:0.3", "--fault", "throttle:fis:0.5"], /throttle:fis is already given/],
    [["--fault", "lambda-error:0.1", "--fault", "lambda-error:0.2"], /lambda-error is already given/],
    [["--out", ""], /--out: an empty path/],
    [["--out", "/dev/null"], /a device or kernel path/],
    [["--out", "/proc/x"], /a device or kernel path/],
    [["--out", "README.md"], /a file, not a folder/],
    [["--history", "/dev/zero"], /a device or kernel path/],
    [["--history", "README.md/history.json"], /README.md is a file, not a folder/],
    [["--compare", "/dev/zero"], /not a regular file/],
    [["--compare", "plans"], /not a regular file \(a directory\)/],
    [["--out", join(dir, "x".repeat(300))], /a name of 300 bytes; at most 223/],
    [["--out", join(dir, "loop", "reports")], /a loop of symbolic links/],
    [["--out", join(dir, "to-dev", "reports")], /leads to \/dev, a device or kernel path/],
    [["--history", join(dir, "to-sys", "history.json")], /leads to \/sys, a device or kernel path/],
  ])("rehearse %j", async (args, message) => {
    const before = readdirSync(".").length;
    await expectRefused(["rehearse", PLAN, ...(args as string[])], message as RegExp);
    expect(readdirSync(".").length).toBe(before);
  });

  it("refuses a partial --compare report", async () => {
    const partial = file("partial.json", '{"schemaVersion": 1, "plan": {"name": "ecs-checkout-zone');
    await expectRefused(["rehearse", PLAN, "--compare", partial], /not a readable report/);
  });
});

describe("stop-condition alarms of the rehearsal's world", () => {
  it("names a stop-condition alarm the world lacks, listing the alarms it has", async () => {
    const w = JSON.parse(JSON.stringify(loadedWorld()));
    w.alarms = w.alarms.filter((a: { name: string }) => a.name !== "shop-front-door-5xx");
    const { err } = await run([
      "rehearse",
      "plans/ecs-checkout-zone-loss.json",
      "--world",
      file("no-alarm-world.json", JSON.stringify(w)),
      "--out",
      join(dir, "alarm-out"),
    ]);
    expect(err).toMatch(
      /warning .*ecs-stop-checkout-tasks-in-one-zone.json: stopConditions\[0\]: alarm shop-front-door-5xx is not in world web-shop \(its alarms: shop-checkout-5xx\)/,
    );
    const ok = await run(["rehearse", "plans/ecs-checkout-zone-loss.json", "--out", join(dir, "alarm-ok")]);
    expect(ok.err).not.toMatch(/is not in world/);
  });
});

describe("gameday report on files", () => {
  it("says a plan is not a report, and exits 2", async () => {
    await expectRefused(["report", "plans/ec2-web-tier.json"], /a plan, not a report/);
  });
  it("never sends a mistyped report path to AWS as an execution name", async () => {
    await expectRefused(["report", "reports/ec2-web-tier/repot.json"], /no such file/);
  });
  it("refuses a file that is not a report, naming the field", async () => {
    await expectRefused(["report", file("not-report.json", '{"schemaVersion": 1}')], /not a gameday report \(plan:/);
  });
});

describe("probes the world cannot answer", () => {
  it("warns before the rehearsal, naming the metric, its dimensions and what the world has", async () => {
    const path = plan("typo.json", (p) => {
      p.hypothesis.probes[0].metrics.faults.dimensions.LoadBalancer = "app/shop-alb/typo";
      p.hypothesis.probes[1].metric.name = "TargetResponseTimes";
    });
    const { err } = await run(["rehearse", path, "--out", join(dir, "typo-out")]);
    expect(err).toContain(
      "hypothesis.probes[0].metrics.faults: world web-shop publishes no AWS/ApplicationELB HTTPCode_Target_5XX_Count with LoadBalancer=app/shop-alb/typo, so probe frontDoorFaultPercent will read no data: it publishes HTTPCode_Target_5XX_Count with LoadBalancer=app/shop-alb/50dc6c495c0c9188",
    );
    expect(err).toMatch(/TargetResponseTimes .* its AWS\/ApplicationELB metrics are .*TargetResponseTime\b/);
  });
});

describe("special files and leftovers", () => {
  it("watch refuses a device and a FIFO at once, reading neither", async () => {
    const fifo = join(dir, "history.fifo");
    execFileSync("mkfifo", [fifo]);
    for (const path of ["/dev/zero", fifo]) {
      const { code, err } = await run(["watch", path]);
      expect(code, path).toBe(2);
      expect(err).toMatch(/not a regular file/);
    }
  });

  it("init refuses a folder in a kernel path, writing nothing", async () => {
    await expectRefused(["init", "shop", "--dir", "/proc/x"], /--dir \/proc\/x: a device or kernel path/);
  });

  it("removes the temporary files a killed rehearsal left in --out, and only those of dead processes", async () => {
    const out = join(dir, "leftovers");
    mkdirSync(out, { recursive: true });
    // A pid no process has (above Linux's pid_max) and this process's own (alive).
    writeFileSync(join(out, "report.json.4194399.abc123.tmp"), "{");
    writeFileSync(join(out, `report.md.${process.pid}.def456.tmp`), "#");
    const { code } = await run(["rehearse", "plans/ecs-checkout-zone-loss.json", "--out", out]);
    expect([0, 1]).toContain(code);
    const left = readdirSync(out);
    expect(left).not.toContain("report.json.4194399.abc123.tmp");
    expect(left).toContain(`report.md.${process.pid}.def456.tmp`);
    expect(left).toEqual(expect.arrayContaining(["report.json", "report.md", "report.html"]));
  });
});
