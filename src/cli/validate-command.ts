import { resolve } from "node:path";
import type { Command } from "commander";
import pc from "picocolors";
import { EXIT } from "../core/contract/exit-codes";
import { errorsIn } from "../core/problems";
import { loadInput, looksLikeWorld } from "../inputs/documents";
import { usd } from "../core/report/text";
import { readInputText } from "../inputs/files";
import { loadWorld } from "../local/inputs";
import { examplesFor } from "./examples";
import { printProblems, type Io, type SetExit } from "./io";

/** A world file (tiers and traffic) rather than a plan or template: `validate` checks it as one. */
function isWorldFile(file: string): boolean {
  const read = readInputText(file);
  if ("problem" in read) return false;
  try {
    return looksLikeWorld(JSON.parse(read.text));
  } catch {
    return false;
  }
}

export function addValidateCommand(program: Command, io: Io, setExit: SetExit): void {
  program
    .command("validate")
    .addHelpText("after", examplesFor("validate"))
    .description(
      "Check game-day plans, FIS experiment template files and world files. Exit 0 when valid (warnings printed), 2 when invalid.",
    )
    .argument("<files...>", "plan, FIS template or world JSON files")
    .action((files: string[]) => setExit(validateFiles(files, io)));
}

/** Checks each file as what it is (world, plan or template) and prints one line per file. */
export function validateFiles(files: string[], io: Io): number {
  let invalid = false;
  for (const file of files) {
    if (isWorldFile(file)) {
      const { problems } = loadWorld(resolve(file));
      printProblems(problems, io);
      const errors = errorsIn(problems).length;
      invalid ||= errors > 0;
      const warnings = problems.length - errors;
      io.out(
        `${errors ? pc.red("✗") : pc.green("✓")} ${file} (world): ${errors ? `${errors} error(s)` : "valid"}${warnings ? `, ${warnings} warning(s)` : ""}\n`,
      );
      continue;
    }
    const loaded = loadInput(file);
    printProblems(loaded.problems, io);
    const errors = errorsIn(loaded.problems).length;
    invalid ||= errors > 0;
    const warnings = loaded.problems.length - errors;
    io.out(
      `${errors ? pc.red("✗") : pc.green("✓")} ${file} (${loaded.kind}): ${errors ? `${errors} error(s)` : "valid"}${warnings ? `, ${warnings} warning(s)` : ""}\n`,
    );
    if (loaded.costEstimate) {
      const fis = loaded.costEstimate.items.find((i) => i.service === "FIS");
      io.out(
        pc.dim(
          `  cost: up to $${usd(loaded.costEstimate.totalUsd)} a game day at list prices` +
            (fis ? ` (FIS up to ${fis.quantity} action-minutes, $${usd(fis.usd)})` : "") +
            "; set maxCostUsd in the plan to refuse more\n",
        ),
      );
    }
  }
  return invalid ? EXIT.invalid : EXIT.passed;
}
