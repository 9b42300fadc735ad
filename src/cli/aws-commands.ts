import { existsSync, readFileSync } from "node:fs";
import { type Command, InvalidArgumentError } from "commander";
import pc from "picocolors";
import type { GameDayOperator } from "../aws/operator";
import { explainAwsError, OperatorError } from "../aws/operator-errors";

/** The AWS SDK loads only for the commands that call AWS: `--help` and `validate` answer at once. */
const operatorOfStack = async (stack: string) => (await import("../aws/operator")).operatorOfStack(stack);
import { errorsIn, formatProblem } from "../core/problems";
import { renderJUnit } from "../core/report/junit";
import { renderMarkdown } from "../core/report/markdown";
import { renderHtml } from "../core/report/html";
import { chartLibrary } from "../assets/chart-library";
import { isTerminal } from "../core/ports";
import type { Report } from "../core/report/model";
import type { Verdict } from "../core/verdict/verdict";
import { EXIT, EXIT_CODES } from "../core/contract/exit-codes";
import { SAFE_EXECUTION_NAME } from "../core/report/schema";
import { loadInput } from "../inputs/documents";
import { outcomeOf, readHistoryFile } from "./history-file";
import { examplesFor } from "./examples";
import { ProgressView, replayHistory } from "./progress";
import { readReportFile } from "./report-file";

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  interactive: boolean;
}

const EXIT_INVALID = EXIT.invalid;
const EXIT_ERROR = EXIT.abortedOrError;
const DEFAULT_STACK = process.env.GAMEDAY_STACK ?? "GameDay";

const seconds = (value: string) => {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError("expected a number of seconds");
  return n;
};
const positive = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("expected a whole number from 1");
  return n;
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Watches an execution until it ends; answers the exit code of its verdict. */
async function watch(operator: GameDayOperator, execution: string, intervalSeconds: number, io: CliIo) {
  const first = await operator.describe(execution);
  const view = new ProgressView({
    start: first.startedAt.getTime(),
    live: io.interactive,
    write: (l) => io.err(`${l}\n`),
    title: `gameday ${first.name}`,
    footer: `Ctrl-C stops watching; the game day goes on (gameday stop ${first.name} stops it).`,
  });
  const followExperiments = experimentFollower(operator, view, io);
  let lastId = 0;
  let lastAt = first.startedAt.getTime();
  for (;;) {
    const described = await operator.describe(execution);
    const events = await operator.historySince(execution, lastId);
    replayHistory(events, view);
    lastId = events.at(-1)?.id ?? lastId;
    lastAt = events.at(-1)?.timestamp?.getTime() ?? lastAt;
    await followExperiments(lastAt);
    if (described.status !== "RUNNING") {
      view.done();
      const verdict = described.verdict as Verdict | undefined;
      if (verdict) {
        io.out(`${described.name}: ${verdictColour(verdict)} (${described.status})\n`);
        return EXIT_CODES[verdict];
      }
      io.out(`${described.name}: ${described.status} ${described.error ?? ""} ${described.cause ?? ""}`.trim() + "\n");
      return EXIT_ERROR;
    }
    await sleep(intervalSeconds * 1000);
  }
}

/**
 * Reads each experiment the history names from FIS (GetExperiment) until it ends, so the view shows its actions.
 * The history alone still tells the game day if FIS cannot be read: that is said once, not fatal.
 */
function experimentFollower(operator: GameDayOperator, view: ProgressView, io: CliIo) {
  const ended = new Set<string>();
  let unreadable = false;
  return async (at: number) => {
    for (const id of view.experimentIds()) {
      if (ended.has(id) || unreadable) continue;
      try {
        const experiment = await operator.experiment(id);
        view.experimentState(experiment, at);
        if (isTerminal(experiment.status)) ended.add(id);
      } catch (error) {
        const explained = explainAwsError(error, `reading experiment ${id}`);
        io.err(pc.yellow(`${explained.message}; following the execution history without FIS actions\n`));
        unreadable = true;
      }
    }
  };
}

/** Replays a saved execution history; answers the exit code of its verdict. */
function replayHistoryFile(file: string, io: CliIo): number {
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

/** Padded before colouring, so columns line up whether or not the terminal shows colour. */
const verdictColour = (verdict: string, width = 0) => {
  const text = verdict.padEnd(width);
  return verdict === "PASSED" ? pc.green(text) : verdict === "FAILED" ? pc.red(text) : pc.yellow(text);
};

/** Runs an AWS command, turning known failures into one clear line and exit code 3. */
const guarded = (io: CliIo, setExit: (code: number) => void, doing: string, run: () => Promise<number>) => async () => {
  try {
    setExit(await run());
  } catch (error) {
    const explained = explainAwsError(error, doing);
    io.err(`${pc.red("error")} ${explained instanceof OperatorError ? explained.message : String(explained)}\n`);
    setExit(EXIT_ERROR);
  }
};

export function addAwsCommands(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const stackOption = [
    "--stack <name>",
    "the deployed stack's name ($GAMEDAY_STACK sets the default)",
    DEFAULT_STACK,
  ] as const;

  program
    .command("start")
    .addHelpText("after", examplesFor("start"))
    .description(
      "Start a game day in AWS: an execution of the deployed state machine.\n" +
        "PLAN is the name of a plan deployed with the stack, or a plan file (templates named by name or id).\n" +
        "Exit 0 once started (with --watch: 0 PASSED, 1 FAILED, 3 ABORTED or ERROR, 4 INCONCLUSIVE), 2 invalid plan or name, 3 AWS error.",
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
        if (options.name !== undefined && !SAFE_EXECUTION_NAME.test(options.name)) {
          io.err(
            pc.red(
              `--name "${options.name}": use 1–80 letters, digits, - or _ (it names the report); nothing was started.\n`,
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
          document = JSON.parse(readFileSync(plan, "utf8"));
          // The deployed state machine cannot read files on this machine: templates go by name (deployed with the
          // stack) or by id. Refused here, before anything starts, rather than as an unknown template in AWS.
          const byFile = fileReferences(document);
          if (byFile.length) {
            for (const where of byFile)
              io.err(
                `${pc.red("error")} ${plan}: ${where}: a template file cannot be started in AWS; deploy it with the stack (templates/) and name it by "name", or give its FIS "id"\n`,
              );
            io.err(pc.red(`${plan} names template files; nothing was started.\n`));
            return setExit(EXIT_INVALID);
          }
        }
        await guarded(io, setExit, "starting the game day", async () => {
          const operator = await operatorOfStack(options.stack);
          const started = await operator.start(
            { plan: document, ...(options.preview ? { actionsMode: "skip-all" as const } : {}) },
            options.name,
          );
          io.out(`started ${started.executionArn}${options.preview ? " (preview: no fault is injected)" : ""}\n`);
          return options.watch ? watch(operator, started.executionArn, options.interval, io) : 0;
        })();
      },
    );

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

  program
    .command("report")
    .addHelpText("after", examplesFor("report"))
    .description("Print a game day's stored report, from the report bucket or a report.json file.")
    .argument("<source>", "an execution name or ARN, or a report JSON file")
    .option(...stackOption)
    .option(
      "--format <format>",
      "md, html (self-contained, charts included), json or junit (JUnit XML, for CI systems)",
      "md",
    )
    .action(async (source: string, options: { stack: string; format: string }) => {
      if (!["md", "html", "json", "junit"].includes(options.format)) {
        io.err(`${pc.red("error")} --format must be md, html, json or junit\n`);
        return setExit(EXIT_INVALID);
      }
      // A path is never taken for an execution name: execution names hold no "/" and no ".json".
      const looksLikeFile = existsSync(source) || source.includes("/") || source.endsWith(".json");
      let fromFile: Report | undefined;
      if (looksLikeFile) {
        const problem = reportFileProblem(source);
        if (typeof problem === "string") {
          io.err(`${pc.red("error")} ${source}: ${problem}\n`);
          return setExit(EXIT_INVALID);
        }
        fromFile = problem.report;
      }
      await guarded(io, setExit, `reading the report of ${source}`, async () => {
        const report: Report = fromFile ?? (await (await operatorOfStack(options.stack)).report(source));
        io.out(
          options.format === "json"
            ? JSON.stringify(report, null, 2) + "\n"
            : options.format === "junit"
              ? renderJUnit(report)
              : options.format === "html"
                ? renderHtml(report, chartLibrary())
                : renderMarkdown(report),
        );
        return 0;
      })();
    });
}

/** A report file the user named: a whole gameday report, or why not (a plan is told apart). */
function reportFileProblem(file: string): string | { report: Report } {
  const read = readReportFile(file);
  if ("report" in read) return read;
  if (read.problem === "no such file") return "no such file (an execution name holds no / and no .json)";
  const { value } = read;
  const isPlan = typeof value === "object" && value !== null && "stages" in value && "hypothesis" in value;
  return isPlan
    ? "a plan, not a report: rehearse it (gameday rehearse) or start it (gameday start) to get one"
    : read.problem;
}

/** The JSON paths of template references by `file` in a plan document. */
function fileReferences(document: unknown): string[] {
  const stages = (document as { stages?: { experiments?: { template?: object }[] }[] }).stages ?? [];
  return stages.flatMap((stage, s) =>
    (stage.experiments ?? []).flatMap((experiment, e) =>
      experiment.template && "file" in experiment.template ? [`stages[${s}].experiments[${e}].template.file`] : [],
    ),
  );
}
