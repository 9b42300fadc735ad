import { existsSync, readFileSync } from "node:fs";
import type { Command } from "commander";
import pc from "picocolors";
import { errorsIn, formatProblem } from "../../core/problems";
import { RESERVED_EXECUTION_NAMES, SAFE_EXECUTION_NAME } from "../../core/report/schema";
import { loadInput, withTemplateNames } from "../../inputs/documents";
import type { PlanInput } from "../../core/plan/schema";
import { examplesFor } from "../examples";
import type { Io, SetExit } from "../io";
import { awaitAcceptance, EXIT_INVALID, guarded, operatorOfStack, seconds, stackOption, watch } from "./shared";

export function addStartCommand(program: Command, io: Io, setExit: SetExit): void {
  program
    .command("start")
    .addHelpText("after", examplesFor("start"))
    .description(
      "Start a game day in AWS: an execution of the deployed state machine.\n" +
        "PLAN is the name of a plan deployed with the stack, or a plan file (templates named by name or id).\n" +
        "Exit 0 once the state machine accepted the plan (with --watch: 0 PASSED, 1 FAILED, 3 ABORTED or ERROR, 4 INCONCLUSIVE), 2 invalid or refused plan, input or name, 3 AWS error or another refusal.",
    )
    .argument("<plan>", "a deployed plan's name, or a plan JSON file")
    .option(...stackOption)
    .option("--preview", "run every step with FIS actionsMode skip-all: targets resolve, no fault is injected")
    .option("--name <name>", "the execution name (it tags the experiments and names the report)")
    .option("--watch", "watch the game day until it ends")
    .option("--interval <seconds>", "seconds between refreshes with --watch", seconds, 5)
    .action(
      async (
        plan: string,
        options: { stack: string; preview?: boolean; name?: string; watch?: boolean; interval: number },
      ) => {
        // The name becomes an S3 key and is shown in reports: the store function refuses any other.
        if (
          options.name !== undefined &&
          (!SAFE_EXECUTION_NAME.test(options.name) || RESERVED_EXECUTION_NAMES.has(options.name))
        ) {
          io.err(
            pc.red(
              `--name "${options.name}": use 1–80 letters, digits, - or _, not "latest" (it names the report); nothing was started.\n`,
            ),
          );
          return setExit(EXIT_INVALID);
        }
        let document: unknown = plan;
        if (existsSync(plan)) {
          const loaded = loadInput(plan);
          const errors = errorsIn(loaded.problems);
          for (const p of errors) io.err(`${pc.red("error")} ${formatProblem(p)}\n`);
          if (errors.length || loaded.kind !== "plan") {
            io.err(pc.red(`${plan} is ${loaded.kind !== "plan" ? "not a plan" : "invalid"}; nothing was started.\n`));
            return setExit(EXIT_INVALID);
          }
          // The deployed state machine cannot read files on this machine: a template file goes by the name the
          // stack deployed it under (its file name), as synth does with the same plan (-c plans, -c templates).
          document = withTemplateNames(JSON.parse(readFileSync(plan, "utf8")) as PlanInput);
        }
        await guarded(io, setExit, "starting the game day", async () => {
          const operator = await operatorOfStack(options.stack);
          const started = await operator.start(
            { plan: document, ...(options.preview ? { actionsMode: "skip-all" as const } : {}) },
            options.name,
          );
          io.out(`started ${started.executionArn}${options.preview ? " (preview: no fault is injected)" : ""}\n`);
          if (options.watch) return watch(operator, started.executionArn, options.interval, io);
          // The plan and the input are checked in AWS: wait for that answer, so a refused game day exits non-zero.
          return awaitAcceptance(operator, started.executionArn, io, {
            timeoutMs: 120_000,
            pollMs: options.interval * 1000,
          });
        })();
      },
    );
}
