import { existsSync } from "node:fs";
import type { Command } from "commander";
import pc from "picocolors";
import { EXIT_CODES } from "../../core/contract/exit-codes";
import { outcomeOf, readHistoryFile } from "../history-file";
import { examplesFor } from "../examples";
import type { Io, SetExit } from "../io";
import { ProgressView, replayHistory } from "../progress";
import {
  EXIT_ERROR,
  EXIT_INVALID,
  guarded,
  operatorOfStack,
  seconds,
  stackOption,
  verdictColour,
  watch,
} from "./shared";

export function addWatchCommand(program: Command, io: Io, setExit: SetExit): void {
  program
    .command("watch")
    .addHelpText("after", examplesFor("watch"))
    .description(
      "Follow a game day: phase, experiments and their FIS actions, guardrail stops, probes, recovery, elapsed time.\n" +
        "Given an execution history file (gameday rehearse --history, or aws stepfunctions get-execution-history " +
        "--include-execution-data), replay it instead.\n" +
        "Exit with its verdict: 0 PASSED, 1 FAILED, 3 ABORTED or ERROR, 4 INCONCLUSIVE.",
    )
    .argument("<execution>", "the execution's name or ARN, or an execution history JSON file")
    .option(...stackOption)
    .option("--interval <seconds>", "seconds between refreshes", seconds, 5)
    .action(async (execution: string, options: { stack: string; interval: number }) => {
      if (existsSync(execution)) return setExit(replayHistoryFile(execution, io));
      await guarded(io, setExit, `watching ${execution}`, async () =>
        watch(await operatorOfStack(options.stack), execution, options.interval, io),
      )();
    });
}

/** Replays a saved execution history; answers the exit code of its verdict. */
function replayHistoryFile(file: string, io: Io): number {
  let events;
  try {
    events = readHistoryFile(file);
  } catch (error) {
    io.err(`${pc.red("error")} ${(error as Error).message}\n`);
    return EXIT_INVALID;
  }
  const start = events[0]?.timestamp?.getTime() ?? 0;
  const view = new ProgressView({ start, live: false, write: (l) => io.err(`${l}\n`), title: `gameday ${file}` });
  replayHistory(events, view);
  const outcome = outcomeOf(events);
  if (outcome.verdict) {
    io.out(`${file}: ${verdictColour(outcome.verdict)} (${outcome.status})\n`);
    return EXIT_CODES[outcome.verdict];
  }
  io.out(`${file}: ${outcome.status}${outcome.detail ? ` ${outcome.detail}` : ""}\n`);
  return EXIT_ERROR;
}
