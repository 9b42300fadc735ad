import type { Command } from "commander";
import { examplesFor } from "../examples";
import type { Io, SetExit } from "../io";
import { guarded, operatorOfStack, positive, stackOption, verdictColour } from "./shared";

export function addListCommand(program: Command, io: Io, setExit: SetExit): void {
  program
    .command("list")
    .addHelpText("after", examplesFor("list"))
    .description("Recent game days of the deployed stack, newest first, with their verdicts.")
    .option(...stackOption)
    .option("--plan <name>", "only this plan's game days")
    .option("--max <n>", "how many", positive, 20)
    .action(async (options: { stack: string; plan?: string; max: number }) =>
      guarded(io, setExit, "listing game days", async () => {
        const operator = await operatorOfStack(options.stack);
        const rows = await operator.list({ max: options.max, ...(options.plan ? { plan: options.plan } : {}) });
        for (const r of rows)
          io.out(
            `${r.startedAt.toISOString()}  ${r.verdict ? verdictColour(r.verdict, 9) : r.status.padEnd(9)}  ` +
              `${r.plan ?? "?"}  ${r.name}\n`,
          );
        if (!rows.length) io.out("no game days yet\n");
        return 0;
      })(),
    );
}
