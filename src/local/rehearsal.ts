import "./polyfill";
import type { HistoryEvent } from "../aws/history-event";
import { StateMachine } from "aws-local-stepfunctions";
import type { GameDayState } from "../core/gameday/state";
import type { PlanCatalog, TemplateCatalog } from "../core/ports";
import { isTerminal } from "../core/ports";
import type { Report } from "../core/report/model";
import { asTaskError } from "../core/failures";
import { MAX_STATE_BYTES } from "../core/report/reference";
import { POLL_LOOP_STATES } from "../core/contract/states";
import { EXECUTION_TAG, executionArnOf } from "../core/gameday/state";
import { DEFAULT_STATE_MACHINE, SimulatedAccount } from "../sim/account";
import { FaultInjector, type FaultSpec } from "../sim/faults";
import { runAftermath } from "./aftermath";
import { throughSdk } from "./through-sdk";
import { keyedRandom } from "../sim/random";
import type { WorldDefinition } from "../sim/world-schema";
import { allStates, readDefinition, substitute, type AslDefinition, type AslState } from "./definition";
import { GAME_DAY_FUNCTIONS, type FunctionFactory } from "./functions";
import { sdkIntegrations } from "./sdk-integrations";
import { ExecutionHistoryRecorder } from "./execution-history";

export interface RehearsalProgress {
  state: string;
  simulatedTime: number;
  /** The game-day document after the state, when the state produced one. */
  document?: Partial<GameDayState>;
}

/** Changes to handlers for tests and fault injection: wrap a function to make it throw, delay, ... */
export type HandlerWrapper = (
  functionKey: string,
  handler: (event: unknown) => Promise<unknown>,
) => (event: unknown) => Promise<unknown>;

export interface RehearsalOptions {
  /** The execution input, as typed into the Step Functions console: `{"plan": ...}`. */
  input: { plan: unknown; actionsMode?: "run-all" | "skip-all" };
  world: WorldDefinition;
  seed: number;
  templates: (account: SimulatedAccount) => TemplateCatalog;
  plans?: PlanCatalog;
  executionName?: string;
  /** ASL text; the repository's game-day definition by default. */
  definition?: string;
  onProgress?: (progress: RehearsalProgress) => void;
  wrapHandler?: HandlerWrapper;
  /** Failures injected into the simulated account (`gameday rehearse --fault`). */
  faults?: FaultSpec[];
  /** An account another rehearsal already runs in (game days that meet each other); a fresh one by default. */
  account?: SimulatedAccount;
  /** Lambdas besides gameday's, by the key of their `${<Key>FunctionArn}` placeholder (other designs, in benchmarks). */
  functions?: Record<string, FunctionFactory>;
  /** Keep the execution history Step Functions would have kept (`gameday rehearse --history`). */
  recordHistory?: boolean;
  /** The state machine's ARN: another stack's game days run in the same account under another. */
  stateMachineArn?: string;
}

export interface RehearsalResult {
  /** The report the state machine published, with the rehearsal's own facts added. */
  report?: Report;
  /** How the execution ended: SUCCEEDED, FAILED with the error name, or ABORTED from outside. */
  status: "SUCCEEDED" | "FAILED" | "ABORTED";
  error?: { name: string; cause: string };
  account: SimulatedAccount;
  stateTransitions: number;
  enteredStates: Map<string, number>;
  /** GetExecutionHistory's events for this execution, when asked for with `recordHistory`. */
  history?: HistoryEvent[];
}

const REGION_ARN = "arn:aws:lambda:us-east-1:123456789012:function:gameday-";
export const STATE_MACHINE_ARN = DEFAULT_STATE_MACHINE;
const ROLE_ARN = "arn:aws:iam::123456789012:role/gameday-state-machine";
export const REPORT_BUS = "gameday-reports";

/** Each stack's report bus has its own name: the stack's state machine's name after the default's. */
const reportBusOf = (stateMachineArn: string) =>
  stateMachineArn === STATE_MACHINE_ARN ? REPORT_BUS : `${REPORT_BUS}-${stateMachineArn.split(":").pop()}`;

/** The placeholder values a rehearsal substitutes, as the CDK stack does with real ARNs. */
export function rehearsalSubstitutions(
  functionKeys = Object.keys(GAME_DAY_FUNCTIONS),
  stateMachineArn = STATE_MACHINE_ARN,
): Record<string, string> {
  return {
    ...Object.fromEntries(functionKeys.map((key) => [`${key}FunctionArn`, `${REGION_ARN}${key}`])),
    ReportBusName: reportBusOf(stateMachineArn),
  };
}

const POLL_STATES = new Set(["Observe the system during the fault", "Observe the system's recovery"]);

/**
 * Runs the real ASL in aws-local-stepfunctions against a simulated account. Every Task is answered locally:
 * Lambda tasks by the real handlers wired to the simulated account, SDK tasks as Step Functions would answer them.
 * Waits and retry backoffs take no wall time; they move the account's virtual clock instead.
 */
export async function rehearse(options: RehearsalOptions): Promise<RehearsalResult> {
  const account = options.account ?? new SimulatedAccount(options.world, options.seed);
  const stateMachineArn = options.stateMachineArn ?? STATE_MACHINE_ARN;
  const faults = new FaultInjector(options.faults ?? [], options.seed);
  const functions: Record<string, FunctionFactory> = { ...GAME_DAY_FUNCTIONS, ...options.functions };
  const definition = substitute(
    options.definition ?? readDefinition(),
    rehearsalSubstitutions(Object.keys(functions), stateMachineArn),
  );
  const states = allStates(definition);
  const fis = throughSdk(account.fis, ["get", "listTagged", "listLive", "stop"], "fis", faults);
  const ports = {
    clock: account.clock,
    metrics: throughSdk(account.metrics, ["query", "alarmStates", "alarmHistory"], "cloudwatch", faults),
    traces: throughSdk(account.traces, ["serviceGraph", "entityTimeSeries", "filteredStatistics"], "xray", faults),
    experiments: {
      ...fis,
      // The AWS adapter takes a 409 as "already stopping": an injected conflict leaves the experiment running.
      stop: async (id: string) => (faults.stopConflict() ? undefined : fis.stop(id)),
    },
    templates: options.templates(account),
    plans: options.plans ?? { load: async (name: string) => Promise.reject(new Error(`no plan catalog for ${name}`)) },
    locks: throughSdk(account.stackOf(stateMachineArn).locks, ["take", "release", "heldBy"], "dynamodb", faults),
    outbox: throughSdk(account.stackOf(stateMachineArn).reportBucket, ["put"], "s3", faults),
    targets: {
      ...throughSdk(account.targets, ["templateTargets"], "fis", faults),
      ...throughSdk(account.targets, ["taggedResources"], "tagging", faults),
    },
  };
  const integrations = sdkIntegrations(account, faults);
  const startedAt = account.clock.now();
  const abortAt = faults.abortAfterSeconds === undefined ? undefined : startedAt + faults.abortAfterSeconds * 1000;
  let aborted = false;
  let abortExecution = () => {};
  /** Stops the execution from outside once the virtual clock reaches the injected abort time. */
  const abortIfDue = () => {
    if (abortAt === undefined || aborted || account.clock.now() < abortAt) return false;
    aborted = true;
    faults.record({ kind: "abort-at", afterSeconds: faults.abortAfterSeconds! });
    abortExecution();
    return true;
  };
  // Let the event-log consumer catch up (it advances the clock on Waits and retries) before a task reads the time.
  const settle = () => new Promise((resolve) => setImmediate(resolve));
  const history = options.recordHistory
    ? new ExecutionHistoryRecorder(states, stateMachineArn.split(":")[3]!, ROLE_ARN)
    : undefined;
  const handlers: Record<string, (input: unknown) => Promise<unknown>> = {};
  let builtReport: unknown;
  let taskCalls = 0;
  // Step Functions fails an execution whose state input, output or task result passes 256 KiB, whatever its
  // Catch (States.DataLimitExceeded is not matched by States.ALL): the rehearsal does the same.
  let largest = { state: "", bytes: 0 };
  let dataLimitExceeded: { state: string; bytes: number } | undefined;
  const measure = (state: string, value: unknown) => {
    const bytes = Buffer.byteLength(JSON.stringify(value ?? null));
    if (bytes > largest.bytes) largest = { state, bytes };
    if (bytes > MAX_STATE_BYTES && !dataLimitExceeded && !aborted) {
      dataLimitExceeded = { state, bytes };
      aborted = true;
      abortExecution();
    }
  };
  for (const [name, state] of states) {
    if (state.Type !== "Task") continue;
    const resource = state.Resource ?? "";
    let run: (input: unknown) => Promise<unknown>;
    if (resource.startsWith(REGION_ARN)) {
      const key = resource.slice(REGION_ARN.length);
      const factory = functions[key];
      if (!factory) throw new Error(`state "${name}" calls function ${key}, which gameday does not have`);
      const handler = factory(ports) as (event: unknown) => Promise<unknown>;
      const timeoutSeconds = typeof state.TimeoutSeconds === "number" ? state.TimeoutSeconds : 60;
      // As deployed: injected crashes and timeouts, and transient failures renamed as lambdaEntry does.
      const deployed = async (event: unknown) => {
        const failure = faults.lambdaFailure();
        if (failure === "timeout") {
          account.clock.advance(timeoutSeconds * 1000);
          throw Object.assign(new Error(`Task timed out after ${timeoutSeconds} seconds`), { name: "States.Timeout" });
        }
        if (failure === "error") throw Object.assign(new Error("injected Lambda crash"), { name: "Error" });
        try {
          return await handler(event);
        } catch (error) {
          throw asTaskError(error);
        }
      };
      run = options.wrapHandler ? options.wrapHandler(key, deployed) : deployed;
    } else if (integrations[resource]) {
      run = integrations[resource] as (input: unknown) => Promise<unknown>;
    } else {
      throw new Error(`state "${name}" uses ${resource}, which the local runner cannot answer`);
    }
    const publishesReport = resource === "arn:aws:states:::events:putEvents";
    handlers[name] = async (input) => {
      taskCalls += 1;
      await settle();
      // Once stopped, no task runs: the interpreter unwinds through its Catch paths without touching the account.
      if (aborted || abortIfDue())
        throw Object.assign(new Error("the execution was stopped"), { name: "ExecutionAborted" });
      history?.taskScheduled(name, input, account.clock.now());
      // What Step Functions keeps in the history: the report the publish step was given, for the orphan guard.
      if (publishesReport) builtReport = (input as { Entries?: { Detail?: unknown }[] }).Entries?.[0]?.Detail;
      try {
        const result = JSON.parse(JSON.stringify((await run(input)) ?? null));
        measure(name, result);
        if (dataLimitExceeded) throw Object.assign(new Error("state too large"), { name: "States.DataLimitExceeded" });
        return result;
      } catch (error) {
        history?.taskFailed(name, (error as Error).name, (error as Error).message, account.clock.now());
        throw error;
      }
    };
  }
  const zeroWaits = Object.fromEntries([...states].filter(([, s]) => s.Type === "Wait").map(([n]) => [n, 0]));
  const zeroRetries = Object.fromEntries(
    [...states].filter(([, s]) => s.Retry).map(([n, s]) => [n, s.Retry!.map(() => 0)]),
  );

  const machine = new StateMachine(definition as never, { validationOptions: { checkArn: true, checkPaths: true } });
  const executionName = options.executionName ?? `rehearsal-${options.seed}`;
  const executionArn = executionArnOf(stateMachineArn, executionName);
  const execution = machine.run(options.input as never, {
    overrides: {
      taskResourceLocalHandlers: handlers as never,
      waitTimeOverrides: zeroWaits,
      retryIntervalOverrides: zeroRetries,
    },
    context: {
      Execution: {
        Name: executionName,
        Id: executionArn,
        StartTime: new Date(startedAt).toISOString(),
      },
      StateMachine: { Id: stateMachineArn, Name: stateMachineArn.split(":").pop() },
    } as never,
  });
  abortExecution = () => execution.abort();

  const entered = new Map<string, number>();
  let transitions = 0;
  let recordingStopped = false;
  const consume = (async () => {
    for await (const event of execution.eventLogs) {
      if (recordingStopped) continue;
      history?.record(event, account.clock.now());
      if (event.type === "StateEntered") {
        measure(event.state.name, event.state.input);
        transitions += 1;
        entered.set(event.state.name, (entered.get(event.state.name) ?? 0) + 1);
        const state = states.get(event.state.name);
        if (state?.Type === "Wait") {
          const until = account.clock.now() + waitSeconds(state, event.state.input) * 1000;
          account.clock.advance(Math.min(until, abortAt ?? until) - account.clock.now());
          if (abortIfDue()) continue;
          account.clock.advance(until - account.clock.now());
        }
        options.onProgress?.({ state: event.state.name, simulatedTime: account.clock.now() });
      } else if (event.type === "StateRetried") {
        account.clock.advance(
          retryDelaySeconds(event.retry.retrier as never, event.retry.attempt, options.seed, transitions) * 1000,
        );
      } else if (event.type === "StateExited" && event.state.output && typeof event.state.output === "object") {
        options.onProgress?.({
          state: event.state.name,
          simulatedTime: account.clock.now(),
          document: event.state.output as Partial<GameDayState>,
        });
      }
    }
  })();

  let status: RehearsalResult["status"] = "SUCCEEDED";
  let error: RehearsalResult["error"];
  try {
    await execution.result;
  } catch (e) {
    status = aborted && !dataLimitExceeded ? "ABORTED" : "FAILED";
    const cause = (e as { cause?: { name?: string; message?: string } }).cause;
    error = dataLimitExceeded
      ? {
          name: "States.DataLimitExceeded",
          cause: `The state/task '${dataLimitExceeded.state}' returned a result with a size of ${dataLimitExceeded.bytes} bytes, exceeding the maximum of ${MAX_STATE_BYTES} bytes.`,
        }
      : { name: cause?.name ?? (e as Error).name, cause: cause?.message ?? (e as Error).message };
  }
  if (aborted) {
    const at = account.clock.now();
    if (dataLimitExceeded && error)
      history?.record({ type: "ExecutionFailed", timestamp: at, Error: error.name, Cause: error.cause } as never, at);
    else history?.record({ type: "ExecutionAborted", timestamp: at }, at);
    // What the interpreter does after the stop is not history: Step Functions ends an aborted execution at once.
    recordingStopped = true;
  }
  await consume;
  // The interpreter unwinds a stopped execution through its Catch paths, each task failing at once; it clears its
  // timers (task and execution timeouts) when it reaches the end. Wait until no task has been called for a while.
  for (let quiet = 0, seen = taskCalls, turns = 0; aborted && quiet < 5 && turns < 10_000; turns++) {
    await settle();
    quiet = taskCalls === seen ? quiet + 1 : 0;
    seen = taskCalls;
  }
  const stoppedAt = account.clock.now();

  const reportBus = reportBusOf(stateMachineArn);
  const published = account.events.filter((e) => e.eventBusName === reportBus);
  const last = published[published.length - 1];
  const aftermath = await runAftermath(
    account,
    faults,
    {
      name: executionName,
      arn: executionArn,
      stateMachineArn,
      status,
      ...(status === "FAILED" && error ? { error: error.name, cause: error.cause } : {}),
      startedAt,
      stoppedAt,
      input: JSON.stringify(options.input),
      builtReport,
    },
    reportBus,
  );
  const report: Report | undefined = aftermath.storedReport ?? (last ? (JSON.parse(last.detail) as Report) : undefined);
  if (report) {
    const started = [...account.fis.experiments.values()].filter((e) => e.tags[EXECUTION_TAG] === executionName);
    const polls = [...POLL_STATES].reduce((n, s) => n + (entered.get(s) ?? 0), 0);
    const pollLoopTransitions = [...entered].filter(([name]) => isPollLoopState(name)).reduce((n, [, c]) => n + c, 0);
    report.rehearsal = {
      seed: options.seed,
      world: options.world.name,
      stateTransitions: transitions,
      transitionsPerPoll: polls ? pollLoopTransitions / polls : 0,
      polls,
      orphanedExperiments: started.filter((e) => !isTerminal(e.status)).length,
      reportsStored: aftermath.reportsStored,
      faultsInjected: faults.fired(),
      unmodeledActions: account.fis.unmodeledActions.filter((a) => started.some((e) => e.id === a.experimentId)),
      simulatedSeconds: (stoppedAt - Date.parse(options.world.start)) / 1000,
      wallSeconds: 0,
      largestStateBytes: largest,
    };
  }
  return {
    report,
    status,
    ...(error ? { error } : {}),
    account,
    stateTransitions: transitions,
    enteredStates: entered,
    ...(history ? { history: history.events } : {}),
  };
}

export const isPollLoopState = (name: string) => POLL_LOOP_STATES.has(name);

function waitSeconds(state: AslState, input: unknown): number {
  if (state.Seconds !== undefined) return state.Seconds;
  if (state.SecondsPath) {
    let value: unknown = input;
    for (const key of state.SecondsPath.replace(/^\$\.?/, "")
      .split(".")
      .filter(Boolean)) {
      value = (value as Record<string, unknown> | undefined)?.[key];
    }
    if (typeof value !== "number") throw new Error(`Wait SecondsPath ${state.SecondsPath} is not a number`);
    return value;
  }
  throw new Error("the local runner supports Wait states with Seconds or SecondsPath");
}

/** The backoff Step Functions would wait before this retry, with full jitter drawn from the seed. */
export function retryDelaySeconds(
  retrier: { IntervalSeconds?: number; BackoffRate?: number; MaxDelaySeconds?: number; JitterStrategy?: string },
  attempt: number,
  seed: number,
  salt: number,
): number {
  const base = (retrier.IntervalSeconds ?? 1) * (retrier.BackoffRate ?? 2) ** Math.max(0, attempt - 1);
  const capped = retrier.MaxDelaySeconds ? Math.min(base, retrier.MaxDelaySeconds) : base;
  return retrier.JitterStrategy === "FULL" ? capped * keyedRandom(seed, "retry", salt, attempt) : capped;
}

export type { AslDefinition };
