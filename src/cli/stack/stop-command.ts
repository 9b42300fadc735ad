import type { Command } from "commander";
import pc from "picocolors";
import { examplesFor } from "../examples";
import type { Io, SetExit } from "../io";
import { EXIT_ERROR, guarded, operatorOfStack, seconds, stackOption } from "./shared";

export function addStopCommand(program: Command, io: Io, setExit: SetExit): void {
  program
    .command("stop")
    .addHelpText("after", examplesFor("stop"))
    .description(
      "Stop a game day: stop its execution, stop its FIS experiments, and wait until FIS says they ended.\n" +
        "Exit 0 when every experiment ended, 3 otherwise.",
    )
    .argument("<execution>", "the execution's name or ARN")
    .option(...stackOption)
    .option("--timeout <seconds>", "how long to wait for the experiments to end", seconds, 300)
    .option("--interval <seconds>", "seconds between checks", seconds, 5)
    .action(async (execution: string, options: { stack: string; timeout: number; interval: number }) =>
      guarded(io, setExit, `stopping ${execution}`, async () => {
        const operator = await operatorOfStack(options.stack);
        const { experiments, allEnded } = await operator.stop(execution, {
          timeoutMs: options.timeout * 1000,
          pollMs: options.interval * 1000,
        });
        io.out(`stopped execution ${operator.executionArn(execution)}\n`);
        for (const e of experiments) io.out(`  experiment ${e.id}: ${e.status}\n`);
        if (!experiments.length) io.out("  it had started no experiment\n");
        if (!allEnded) io.err(pc.yellow("some experiments have not ended yet; the orphan guard keeps stopping them\n"));
        return allEnded ? 0 : EXIT_ERROR;
      })(),
    );
}
