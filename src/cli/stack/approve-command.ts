import type { Command } from "commander";
import { EXIT } from "../../core/contract/exit-codes";
import pc from "picocolors";
import { examplesFor } from "../examples";
import type { Io, SetExit } from "../io";
import { guarded, operatorOfStack, stackOption } from "./shared";

/** `gameday approve` and `gameday reject`: the answer to a game day that waits for approval before injecting. */
export function addApprovalCommands(program: Command, io: Io, setExit: SetExit): void {
  program
    .command("approve")
    .addHelpText("after", examplesFor("approve"))
    .description(
      "Let a game day that waits for approval go on to inject its faults (its plan has requiresApproval).\n" +
        "The report names you (your AWS identity) as the approver.",
    )
    .argument("<execution>", "the execution's name or ARN")
    .option("--note <text>", "a note kept with the approval in the report")
    .option(...stackOption)
    .action(async (execution: string, options: { stack: string; note?: string }) =>
      guarded(io, setExit, `approving ${execution}`, async () => {
        const operator = await operatorOfStack(options.stack);
        const { by } = await operator.decide(execution, {
          approve: true,
          ...(options.note ? { note: options.note } : {}),
        });
        io.out(`approved ${execution} as ${by}: it checks the steady state, then injects\n`);
        return EXIT.passed;
      })(),
    );
  program
    .command("reject")
    .addHelpText("after", examplesFor("reject"))
    .description(
      "Refuse a game day that waits for approval: it ends ABORTED with nothing injected, and its report names you and your reason.",
    )
    .argument("<execution>", "the execution's name or ARN")
    .requiredOption("--reason <text>", "why, for the report")
    .option(...stackOption)
    .action(async (execution: string, options: { stack: string; reason: string }) => {
      if (!options.reason.trim()) {
        io.err(`${pc.red("error")} reject: --reason must say why\n(add --help for usage)\n`);
        return setExit(EXIT.invalid);
      }
      return guarded(io, setExit, `rejecting ${execution}`, async () => {
        const operator = await operatorOfStack(options.stack);
        const { by } = await operator.decide(execution, { approve: false, reason: options.reason });
        io.out(`rejected ${execution} as ${by}: it ends ABORTED, nothing injected\n`);
        return EXIT.passed;
      })();
    });
}
