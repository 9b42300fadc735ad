import { Command, CommanderError } from "commander";
import pc from "picocolors";
import { EXIT } from "../core/contract/exit-codes";
import { addStackCommands } from "./stack-commands";
import { addInitCommand } from "./init";
import { defaultIo, type Io } from "./io";
import { addRehearseCommand } from "./rehearse-command";
import { addSchemaCommand } from "./schema-command";
import { addValidateCommand } from "./validate-command";

export { EXIT };

export function buildProgram(io: Io, setExit: (code: number) => void): Command {
  const program = new Command("gameday")
    .description(
      "Chaos-engineering game days on AWS: FIS faults, CloudWatch and X-Ray probes, verdict reports.\nRehearse any plan locally against a simulated AWS account before you run it.",
    )
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .exitOverride()
    .showHelpAfterError();
  addValidateCommand(program, io, setExit);
  addRehearseCommand(program, io, setExit);
  addStackCommands(program, io, setExit);
  addInitCommand(program, io, setExit);
  addSchemaCommand(program, io, setExit);
  return program;
}

/** Runs the CLI and returns its exit code. */
export async function main(argv: string[], io: Io = defaultIo): Promise<number> {
  let code = 0;
  const program = buildProgram(io, (c) => (code = c));
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : EXIT.invalid;
    // A failure gameday did not foresee: one line, and the stack only when asked for.
    const { name, message, stack } = error as Error;
    io.err(`${pc.red("error")} ${name}: ${message}\n`);
    io.err(process.env.GAMEDAY_DEBUG ? `${stack}\n` : pc.dim("(set GAMEDAY_DEBUG=1 to see where)\n"));
    return EXIT.abortedOrError;
  }
  return code;
}
