import { describe, expect, it } from "vitest";
import { buildProgram } from "../../src/cli/main";
import { run } from "../helpers";

const program = buildProgram({ out: () => {}, err: () => {}, interactive: false }, () => {});
const commands = program.commands.filter((c) => c.name() !== "help");

describe("gameday --help", () => {
  it("lists every command with its description", async () => {
    const { code, out } = await run(["--help"]);
    expect(code).toBe(0);
    for (const name of ["validate", "rehearse", "start", "watch", "stop", "list", "report", "schema"])
      expect(out).toMatch(new RegExp(`^  ${name}\\b.*\\S`, "m"));
  });

  it.each(commands.map((c) => [c.name(), c] as const))(
    "%s --help ends with examples that use only its own options",
    async (name, command) => {
      const { code, out } = await run([name, "--help"]);
      expect(code).toBe(0);
      const examples = out
        .slice(out.indexOf("Examples:"))
        .split("\n")
        .filter((l) => l.startsWith("  $ gameday "));
      expect(examples.length).toBeGreaterThan(0);
      const known = new Set(command.options.map((o) => o.long));
      for (const example of examples) {
        const own = example.split("&&")[0]!;
        expect(own).toContain(`gameday ${name} `);
        for (const flag of own.match(/--[a-z-]+/g) ?? []) expect(known, `${example}: ${flag}`).toContain(flag);
      }
      // Every option is described.
      for (const option of command.options) expect(option.description.length).toBeGreaterThan(5);
    },
  );
});

describe("a refused argument", () => {
  it.each([
    [
      ["rehearse", "plans/ec2-web-tier.json", "--seed", "1", "--seed", "2"],
      /option '--seed <n>' is given more than once/,
    ],
    [
      ["rehearse", "plans/ec2-web-tier.json", "--fault", "throttle:fis:0.5:x"],
      /unexpected ":x" after the fault's value/,
    ],
    [["rehearse", "plans/ec2-web-tier.json", "--fault", "lambda-error:0.2:0.3"], /unexpected ":0.3"/],
    [["rehearse", "plans/ec2-web-tier.json", "--bogus"], /unknown option '--bogus'/],
    [["validate"], /missing required argument/],
  ])("gameday %j prints one error line and a pointer to --help, and starts nothing", async (args, reason) => {
    const { code, out, err } = await run(args);
    expect(code).toBe(2);
    expect(out).toBe("");
    const lines = err.trim().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(reason);
    expect(lines[1]).toBe("(add --help for usage)");
  });

  it("lets options that collect repeat", async () => {
    const { err } = await run([
      "rehearse",
      "does-not-exist.json",
      "--fault",
      "lambda-error:0.1",
      "--fault",
      "throttle:fis:0.2",
    ]);
    expect(err).not.toContain("more than once");
  });
});
