import type { Command } from "commander";
import { EXIT } from "../../core/contract/exit-codes";
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
    .argument("[execution]", "the execution's name or ARN")
    .option("--all", "stop every running game day of the stack (a kill switch for this stack)")
    .option(...stackOption)
    .option("--timeout <seconds>", "how long to wait for the experiments to end", seconds, 300)
    .option("--interval <seconds>", "seconds between checks", seconds, 5)
    .action(
      async (
        execution: string | undefined,
        options: { stack: string; timeout: number; interval: number; all?: boolean },
      ) => {
        if (Boolean(execution) === Boolean(options.all)) {
          io.err(`${pc.red("error")} stop: name one execution, or give --all (not both)\n(add --help for usage)\n`);
          return setExit(EXIT.invalid);
        }
        return guarded(io, setExit, options.all ? "stopping every game day" : `stopping ${execution}`, async () => {
          const operator = await operatorOfStack(options.stack);
          const names = options.all ? await operator.running() : [execution!];
          if (!names.length) io.out(`no game day of stack ${options.stack} is running\n`);
          let allEnded = true;
          for (const name of names) {
            const stopped = await operator.stop(name, {
              timeoutMs: options.timeout * 1000,
              pollMs: options.interval * 1000,
            });
            io.out(`stopped execution ${operator.executionArn(name)}\n`);
            for (const e of stopped.experiments) io.out(`  experiment ${e.id}: ${e.status}\n`);
            if (!stopped.experiments.length) io.out("  it had started no experiment\n");
            allEnded &&= stopped.allEnded;
          }
          if (!allEnded)
            io.err(pc.yellow("some experiments have not ended yet; the orphan guard keeps stopping them\n"));
          return allEnded ? 0 : EXIT_ERROR;
        })();
      },
    );
}
