import type { Command } from "commander";
import pc from "picocolors";
import { z } from "zod";
import { EXIT } from "../core/contract/exit-codes";
import { planSchema } from "../core/plan/schema";
import { worldSchema } from "../sim/world-schema";
import { reportSchema } from "../core/report/schema";
import { examplesFor } from "./examples";
import type { Io, SetExit } from "./io";

export function addSchemaCommand(program: Command, io: Io, setExit: SetExit): void {
  program
    .command("schema")
    .addHelpText("after", examplesFor("schema"))
    .description(
      "Print the JSON Schema of the plan format, of the world format (`schema world`), or of what the report store accepts (`schema report`; for editors and for tools that read reports).",
    )
    .argument("[format]", "plan (default), world or report", "plan")
    .action((format: string) => {
      const schemas = { plan: planSchema, world: worldSchema, report: reportSchema } as const;
      if (!Object.hasOwn(schemas, format)) {
        io.err(`${pc.red("error")} schema: expected plan, world or report, not ${JSON.stringify(format)}\n`);
        return setExit(EXIT.invalid);
      }
      const schema = z.toJSONSchema(schemas[format as keyof typeof schemas], {
        io: "input",
        unrepresentable: "any",
      });
      io.out(JSON.stringify({ ...schema, title: `gameday ${format}` }, null, 2) + "\n");
      setExit(0);
    });
}
