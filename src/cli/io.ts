import pc from "picocolors";
import { formatProblem, type Problem } from "../core/problems";
import { terminalSafe } from "../core/report/text";

/** Where a command writes: its output (stdout), its messages (stderr), and whether stderr is a terminal. */
export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  interactive: boolean;
}

/** Everything gameday prints goes through terminalSafe: no text from data can drive the terminal. */
export const defaultIo: Io = {
  out: (text) => process.stdout.write(terminalSafe(text)),
  err: (text) => process.stderr.write(terminalSafe(text)),
  interactive: Boolean(process.stderr.isTTY),
};

export function printProblems(problems: Problem[], io: Io): void {
  for (const problem of problems) {
    const line = formatProblem(problem);
    io.err(`${problem.severity === "error" ? pc.red("error") : pc.yellow("warning")} ${line}\n`);
  }
}

/** Each command adds itself to the program and reports its exit code through `setExit`. */
export type SetExit = (code: number) => void;
