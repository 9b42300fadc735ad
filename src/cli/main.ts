import { Command, CommanderError } from "commander";
import pc from "picocolors";
import { EXIT } from "../core/contract/exit-codes";
import { addStackCommands } from "./stack-commands";
import { addInitCommand } from "./init";
import { defaultIo, type Io } from "./io";
import { addRehearseCommand } from "./rehearse-command";
import { addSchemaCommand } from "./schema-command";
import { addActionsCommand } from "./actions-command";
import { addValidateCommand } from "./validate-command";

export { EXIT };

export function buildProgram(io: Io, setExit: (code: number) => void): Command {
  const program = new Command("gameday")
    .description(
      "Chaos-engineering game days on AWS: FIS faults, CloudWatch and X-Ray probes, verdict reports.\nRehearse any plan locally against a simulated AWS account before you run it.",
    )
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .exitOverride()
    // One line for the error and one pointer, not the whole help under it.
    .showHelpAfterError("(add --help for usage)");
  addValidateCommand(program, io, setExit);
  addRehearseCommand(program, io, setExit);
  addStackCommands(program, io, setExit);
  addInitCommand(program, io, setExit);
  addSchemaCommand(program, io, setExit);
  addActionsCommand(program, io, setExit);
  refuseRepeatedOptions(program);
  return program;
}

/**
 * Refuses a single-value option given twice (`--seed 1 --seed 2`): taking the last silently would rehearse or start
 * something other than what one of them asked for. Options that collect (default value a list) may repeat.
 */
function refuseRepeatedOptions(command: Command): void {
  for (const option of command.options) {
    if (!(option.required || option.optional) || option.variadic || Array.isArray(option.defaultValue)) continue;
    let given = 0;
    command.on(`option:${option.name()}`, () => {
      if (++given > 1) command.error(`error: option '${option.flags}' is given more than once; give it once`);
    });
  }
  for (const sub of command.commands) refuseRepeatedOptions(sub);
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
