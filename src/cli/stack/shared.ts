import { STATE_PHASES } from "../../core/contract/states";
import { GAME_DAY_ERRORS } from "../../core/contract/errors";
import { DEFAULT_STACK_NAME } from "../../core/contract/stack-names";
import { InvalidArgumentError } from "commander";
import pc from "picocolors";
import type { GameDayOperator } from "../../aws/operator";
import { explainAwsError, OperatorError } from "../../aws/operator-errors";
import { EXIT, EXIT_CODES } from "../../core/contract/exit-codes";
import { isTerminal } from "../../core/ports";
import type { Verdict } from "../../core/verdict/verdict";
import type { Io, SetExit } from "../io";
import { ProgressView, replayHistory } from "../progress";

/** The AWS SDK loads only for the commands that call AWS: `--help` and `validate` answer at once. */
export const operatorOfStack = async (stack: string) => (await import("../../aws/operator")).operatorOfStack(stack);

export const EXIT_INVALID = EXIT.invalid;
export const EXIT_ERROR = EXIT.abortedOrError;
const DEFAULT_STACK = process.env.GAMEDAY_STACK ?? DEFAULT_STACK_NAME;

export const stackOption = [
  "--stack <name>",
  "the deployed stack's name ($GAMEDAY_STACK sets the default)",
  DEFAULT_STACK,
] as const;

export const seconds = (value: string) => {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError("expected a number of seconds");
  return n;
};
export const positive = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("expected a whole number from 1");
  return n;
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The state the game day reaches once its plan and input were accepted: nothing is injected before it. */
const ACCEPTED_STATE: keyof typeof STATE_PHASES = "Check the steady state before injecting";
/** Errors with which the state machine refuses a game day before anything starts: the input was at fault. */
const REFUSED_INPUT = new Set<string>([
  GAME_DAY_ERRORS.invalidPlan,
  GAME_DAY_ERRORS.invalidInput,
  GAME_DAY_ERRORS.notStarted,
]);

/**
 * Follows a just-started execution until its plan was accepted (or refused): `gameday start` exits 0 only for a
 * game day that will run, and names the refusal otherwise (exit 2 for a bad plan or input, 3 for anything else).
 */
export async function awaitAcceptance(
  operator: GameDayOperator,
  execution: string,
  io: Io,
  options: { timeoutMs: number; pollMs: number },
): Promise<number> {
  const deadline = Date.now() + options.timeoutMs;
  let lastId = 0;
  for (;;) {
    const events = await operator.historySince(execution, lastId);
    lastId = events.at(-1)?.id ?? lastId;
    if (events.some((e) => e.stateEnteredEventDetails?.name === ACCEPTED_STATE)) {
      io.out("the plan was accepted; the steady state is checked before anything is injected\n");
      return 0;
    }
    const described = await operator.describe(execution);
    if (described.status !== "RUNNING") {
      io.err(
        pc.red(`refused: ${described.error ?? described.status}: ${described.cause ?? ""}; nothing was injected\n`),
      );
      return described.error && REFUSED_INPUT.has(described.error) ? EXIT_INVALID : EXIT_ERROR;
    }
    if (Date.now() >= deadline) {
      io.err(pc.yellow(`still validating the plan; follow it with gameday watch ${described.name}\n`));
      return 0;
    }
    await sleep(options.pollMs);
  }
}

/** Watches an execution until it ends; answers the exit code of its verdict. */
export async function watch(operator: GameDayOperator, execution: string, intervalSeconds: number, io: Io) {
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
function experimentFollower(operator: GameDayOperator, view: ProgressView, io: Io) {
  const ended = new Set<string>();
  // Read once per experiment, once it runs: FIS resolves targets when the experiment begins.
  const resolved = new Map<string, Record<string, string[]>>();
  let unreadable = false;
  return async (at: number) => {
    for (const id of view.experimentIds()) {
      if (ended.has(id) || unreadable) continue;
      try {
        const experiment = await operator.experiment(id);
        if (!resolved.has(id) && experiment.status !== "pending" && experiment.status !== "initiating")
          // Naming the resources is a bonus of the view: without it the actions still show.
          resolved.set(id, await operator.resolvedTargets(id).catch(() => ({})));
        view.experimentState(experiment, at, resolved.get(id));
        if (isTerminal(experiment.status)) ended.add(id);
      } catch (error) {
        const explained = explainAwsError(error, `reading experiment ${id}`);
        io.err(pc.yellow(`${explained.message}; following the execution history without FIS actions\n`));
        unreadable = true;
      }
    }
  };
}

/** Padded before colouring, so columns line up whether or not the terminal shows colour. */
export const verdictColour = (verdict: string, width = 0) => {
  const text = verdict.padEnd(width);
  return verdict === "PASSED" ? pc.green(text) : verdict === "FAILED" ? pc.red(text) : pc.yellow(text);
};

/** Runs an AWS command, turning known failures into one clear line and exit code 3. */
export const guarded = (io: Io, setExit: SetExit, doing: string, run: () => Promise<number>) => async () => {
  try {
    setExit(await run());
  } catch (error) {
    const explained = explainAwsError(error, doing);
    io.err(`${pc.red("error")} ${explained instanceof OperatorError ? explained.message : String(explained)}\n`);
    setExit(EXIT_ERROR);
  }
};
