import type { Command } from "commander";
import pc from "picocolors";
import { z } from "zod";
import { EXIT } from "../core/contract/exit-codes";
import { planSchema } from "../core/plan/schema";
import { worldSchema } from "../sim/world-schema";
import { examplesFor } from "./examples";
import type { Io, SetExit } from "./io";

export function addSchemaCommand(program: Command, io: Io, setExit: SetExit): void {
  program
    .command("schema")
    .addHelpText("after", examplesFor("schema"))
    .description(
      "Print the JSON Schema of the plan format, or of the world format with `schema world` (for editors: point a file's $schema at it).",
    )
    .argument("[format]", "plan (default) or world", "plan")
    .action((format: string) => {
      if (format !== "plan" && format !== "world") {
        io.err(`${pc.red("error")} schema: expected plan or world, not ${JSON.stringify(format)}\n`);
        return setExit(EXIT.invalid);
      }
      const schema = z.toJSONSchema(format === "plan" ? planSchema : worldSchema, {
        io: "input",
        unrepresentable: "any",
      });
      io.out(JSON.stringify({ ...schema, title: `gameday ${format}` }, null, 2) + "\n");
      setExit(0);
    });
}
