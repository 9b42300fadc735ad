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
