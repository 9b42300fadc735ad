import {
  DEFAULT_STACK_NAME,
  notificationTopicNameOf,
  reportBusNameOf,
  stackNameOfStateMachine,
} from "../core/contract/stack-names";
import "./polyfill";
import type { HistoryEvent } from "../aws/history-event";
import { StateMachine } from "aws-local-stepfunctions";
import type { GameDayState } from "../core/gameday/state";
import type { PlanCatalog, TemplateCatalog } from "../core/ports";
import { UnknownPlanError } from "../core/contract/errors";
import { rememberValidated, validatedBefore } from "./validated-definitions";
import { isTerminal } from "../core/ports";
import type { Report } from "../core/report/model";
import { asTaskError } from "../core/failures";
import { MAX_STATE_BYTES } from "../core/report/reference";
import { MAX_HISTORY_EVENTS } from "../core/plan/limits";
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
import { sdkIntegrations, type ApprovalChoice } from "./sdk-integrations";
import { ExecutionHistoryRecorder } from "./execution-history";
import { asPrincipal, IamEnforcement } from "./iam/enforcement";
import type { SimulatedNames } from "./iam/resolve";
import type { IamRequest } from "./iam/authorizer";
import type { PrincipalName, StackPolicies } from "./iam/stack-policies";

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
  /** What the person asked for approval does (`gameday rehearse --approval`); approve by default. */
  approval?: ApprovalChoice;
  /** An account another rehearsal already runs in (game days that meet each other); a fresh one by default. */
  account?: SimulatedAccount;
  /** Lambdas besides gameday's, by the key of their `${<Key>FunctionArn}` placeholder (other designs, in benchmarks). */
  functions?: Record<string, FunctionFactory>;
  /** Keep the execution history Step Functions would have kept (`gameday rehearse --history`). */
  recordHistory?: boolean;
  /** The state machine's ARN: another stack's game days run in the same account under another. */
  stateMachineArn?: string;
  /**
   * The synthesized stack's policies: every call the account receives is authorized against the policies of the
   * principal that makes it, as IAM would. The state machine runs under the stack's name unless told otherwise.
   */
  iam?: StackPolicies;
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
  /** Deliveries that failed every attempt (the stack's dead-letter queue), each with its last error. */
  deadLetters: string[];
  /** When IAM was enforced: the calls it denied, and the templates granted as if the stack deployed them. */
  iam?: {
    denied: IamRequest[];
    undeployedTemplates: string[];
    /** Every call authorized or refused, by whom: what a test replays against changed policies. */
    asked: { principal: PrincipalName; request: IamRequest; denied?: string }[];
    names: SimulatedNames;
  };
}

const REGION_ARN = "arn:aws:lambda:us-east-1:123456789012:function:gameday-";
export const STATE_MACHINE_ARN = DEFAULT_STATE_MACHINE;
const ROLE_ARN = "arn:aws:iam::123456789012:role/gameday-state-machine";
export const REPORT_BUS = reportBusNameOf(DEFAULT_STACK_NAME);

/** Each stack's report bus has its own name, the stack's, read back from its state machine's name. */
export const reportBusOf = (stateMachineArn: string) =>
  reportBusNameOf(stackNameOfStateMachine(stateMachineArn.split(":").pop()!));

/** The placeholder values a rehearsal substitutes, as the CDK stack does with real ARNs. */
export function rehearsalSubstitutions(
  functionKeys = Object.keys(GAME_DAY_FUNCTIONS),
  stateMachineArn = STATE_MACHINE_ARN,
): Record<string, string> {
  return {
    ...Object.fromEntries(functionKeys.map((key) => [`${key}FunctionArn`, `${REGION_ARN}${key}`])),
    ReportBusName: reportBusOf(stateMachineArn),
    NotificationTopicArn: notificationTopicOf(stateMachineArn),
  };
}

/** Each stack's notification topic, in the state machine's Region and account. */
export const notificationTopicOf = (stateMachineArn: string) => {
  const [, partition, , region, account, , machine] = stateMachineArn.split(":");
  return `arn:${partition}:sns:${region}:${account}:${notificationTopicNameOf(stackNameOfStateMachine(machine!))}`;
};

const POLL_STATES = new Set(["Observe the system during the fault", "Observe the system's recovery"]);

type TaskHandler = (input: unknown) => Promise<unknown>;

/** Everything a rehearsal runs with, made once before the execution starts. */
interface RehearsalSetup {
  options: RehearsalOptions;
  account: SimulatedAccount;
  stateMachineArn: string;
  executionName: string;
  executionArn: string;
  faults: FaultInjector;
  functions: Record<string, FunctionFactory>;
  definition: AslDefinition;
  states: Map<string, AslState>;
  startedAt: number;
  /** When the injected `abort-at` stops the execution from outside, in virtual time. */
  abortAt?: number;
  history: ExecutionHistoryRecorder;
  /** IAM as the synthesized stack has it, when the rehearsal enforces it. */
  enforcement?: IamEnforcement;
}

/**
 * What happens to one execution while it runs: whether it was stopped, the largest state it carried, the report the
 * publish step was given, and the states it entered. Step Functions fails an execution past every Catch when a
 * state passes 256 KiB (States.DataLimitExceeded is not matched by States.ALL) or its history reaches 25,000
 * events: `limitFailure` holds which.
 */
class ExecutionWatch {
  aborted = false;
  abortExecution = () => {};
  largest = { state: "", bytes: 0 };
  limitFailure?: { name: string; cause: string };
  builtReport: unknown;
  taskCalls = 0;
  transitions = 0;
  readonly entered = new Map<string, number>();
  recordingStopped = false;

  constructor(private readonly setup: RehearsalSetup) {}

  /** Stops the execution from outside once the virtual clock reaches the injected abort time. */
  abortIfDue(): boolean {
    const { abortAt, account, faults } = this.setup;
    if (abortAt === undefined || this.aborted || account.clock.now() < abortAt) return false;
    this.aborted = true;
    faults.record({ kind: "abort-at", afterSeconds: faults.abortAfterSeconds! });
    this.abortExecution();
    return true;
  }

  measure(state: string, value: unknown): void {
    const bytes = Buffer.byteLength(JSON.stringify(value ?? null));
    if (bytes > this.largest.bytes) this.largest = { state, bytes };
    if (bytes > MAX_STATE_BYTES)
      this.failOnLimit(
        "States.DataLimitExceeded",
        `The state/task '${state}' returned a result with a size of ${bytes} bytes, exceeding the maximum of ${MAX_STATE_BYTES} bytes.`,
      );
  }

  /**
   * Step Functions fails an execution whose history reaches 25,000 events (service quotas, "Maximum execution
   * history size"). The error it reports is not documented; States.Runtime is the interpreter's own class of failure.
   */
  countHistory(events: number): void {
    if (events >= MAX_HISTORY_EVENTS)
      this.failOnLimit(
        "States.Runtime",
        `The execution history reached ${MAX_HISTORY_EVENTS} events, the Step Functions limit for one execution.`,
      );
  }

  private failOnLimit(name: string, cause: string): void {
    if (this.limitFailure || this.aborted) return;
    this.limitFailure = { name, cause };
    this.aborted = true;
    this.abortExecution();
  }
}

// Let the event-log consumer catch up (it advances the clock on Waits and retries) before a task reads the time.
const settle = () => new Promise((resolve) => setImmediate(resolve));

/**
 * Runs the real ASL in aws-local-stepfunctions against a simulated account. Every Task is answered locally:
 * Lambda tasks by the real handlers wired to the simulated account, SDK tasks as Step Functions would answer them.
 * Waits and retry backoffs take no wall time; they move the account's virtual clock instead.
 */
export async function rehearse(given: RehearsalOptions): Promise<RehearsalResult> {
  const options = asShippedPlan(given);
  const setup = setUpRehearsal(options);
  const watch = new ExecutionWatch(setup);
  const execution = startExecution(setup, taskHandlers(setup, watch));
  watch.abortExecution = () => execution.abort();
  const following = followEvents(setup, watch, execution.eventLogs);
  let outcome = await awaitOutcome(setup, watch, execution.result);
  await following;
  // States that take no simulated time (Pass, Choice) can run ahead of the event follower that counts the history;
  // an execution whose history passed the limit failed there, whatever ran after.
  if (watch.limitFailure && outcome.status !== "FAILED") outcome = { status: "FAILED", error: watch.limitFailure };
  await untilUnwound(watch);
  return assembleResult(setup, watch, outcome);
}

/**
 * A plan rehearses as the deployed stack runs it: shipped in the stack's catalog and started by name
 * (`{"plan": "<name>"}`), so its reports set the plan's baseline as a console start would. An input that names its
 * plan already, comes with a catalog (a test of inline plans), or holds a plan without a name goes as given.
 */
function asShippedPlan(options: RehearsalOptions): RehearsalOptions {
  const plan = options.input.plan;
  if (options.plans || !plan || typeof plan !== "object") return options;
  const name = (plan as { name?: unknown }).name;
  if (typeof name !== "string") return options;
  const plans: PlanCatalog = {
    load: async (asked) => {
      if (asked === name) return plan;
      throw new UnknownPlanError(`No plan named "${asked}" ships with this stack. Known plans: ${name}.`);
    },
  };
  return { ...options, input: { ...options.input, plan: name }, plans };
}

function setUpRehearsal(options: RehearsalOptions): RehearsalSetup {
  const account = options.account ?? new SimulatedAccount(options.world, options.seed);
  const stateMachineArn =
    options.stateMachineArn ??
    (options.iam ? STATE_MACHINE_ARN.replace(/[^:]+$/, options.iam.stateMachineName) : STATE_MACHINE_ARN);
  const faults = new FaultInjector(options.faults ?? [], options.seed);
  const functions: Record<string, FunctionFactory> = { ...GAME_DAY_FUNCTIONS, ...options.functions };
  const definition = substitute(
    options.definition ?? readDefinition(),
    rehearsalSubstitutions(Object.keys(functions), stateMachineArn),
  );
  const states = allStates(definition);
  const startedAt = account.clock.now();
  // FIS's safety lever, pulled by someone in the account while the game day runs.
  if (faults.leverAfterSeconds !== undefined)
    account.world.schedule(startedAt + faults.leverAfterSeconds * 1000, () => {
      faults.record({ kind: "safety-lever-at", afterSeconds: faults.leverAfterSeconds! });
      account.fis.engageLever(
        "engaged during the rehearsal (--fault safety-lever-at)",
        startedAt + faults.leverAfterSeconds! * 1000,
      );
    });
  const executionName = options.executionName ?? `rehearsal-${options.seed}`;
  return {
    options,
    account,
    stateMachineArn,
    executionName,
    executionArn: executionArnOf(stateMachineArn, executionName),
    faults,
    functions,
    definition,
    states,
    startedAt,
    ...(faults.abortAfterSeconds === undefined ? {} : { abortAt: startedAt + faults.abortAfterSeconds * 1000 }),
    // Always counted (the 25,000-event limit); kept only when asked for.
    history: new ExecutionHistoryRecorder(
      states,
      stateMachineArn.split(":")[3]!,
      ROLE_ARN,
      Boolean(options.recordHistory),
    ),
    ...(options.iam
      ? { enforcement: new IamEnforcement(options.iam, simulatedNames(options.iam, account, stateMachineArn), account) }
      : {}),
  };
}

/** The names the rehearsal gives the stack's resources: its state machine, bus, bucket, table, functions, templates. */
function simulatedNames(stack: StackPolicies, account: SimulatedAccount, stateMachineArn: string): SimulatedNames {
  const [, partition, , region, accountId] = stateMachineArn.split(":") as [string, string, string, string, string];
  return {
    partition,
    region,
    account: accountId,
    stateMachineArn,
    reportBucket: `${stack.stackName.toLowerCase()}-reports-${accountId}`,
    lockTable: `${stack.stackName}-RunLocks`,
    reportBus: reportBusOf(stateMachineArn),
    functionArn: (key) => `${REGION_ARN}${key}`,
    templateId: (name) => account.fis.templateIdOfFile(name),
    undeployedTemplateIds: () => {
      const deployed = new Set(stack.deployedTemplates.map((name) => account.fis.templateIdOfFile(name)));
      return [...account.fis.templates.keys()].filter((id) => !deployed.has(id));
    },
  };
}

/**
 * The ports a handler gets: the simulated account's services, through the SDK's failure behaviour and, when the
 * rehearsal enforces IAM, authorized as the function's own role.
 */
function handlerPorts(
  { account, faults, stateMachineArn, options, enforcement }: RehearsalSetup,
  principal: PrincipalName,
  templates: TemplateCatalog,
) {
  const { port: as, reportBucket } = asPrincipal(enforcement, principal);
  const fis = throughSdk(
    as(account.fis, "experiments"),
    ["get", "listTagged", "listLive", "stop", "resolvedTargets", "liveSummaries"],
    "fis",
    faults,
  );
  const stack = account.stackOf(stateMachineArn);
  const targets = as(account.targets, "targets");
  return {
    clock: account.clock,
    metrics: throughSdk(as(account.metrics, "metrics"), ["query", "alarmStates", "alarmHistory"], "cloudwatch", faults),
    traces: throughSdk(
      as(account.traces, "traces"),
      ["serviceGraph", "entityTimeSeries", "filteredStatistics"],
      "xray",
      faults,
    ),
    experiments: {
      ...fis,
      // The AWS adapter takes a 409 as "already stopping": an injected conflict leaves the experiment running.
      stop: async (id: string) => (faults.stopConflict() ? undefined : fis.stop(id)),
    },
    templates,
    plans: options.plans ?? { load: async (name: string) => Promise.reject(new Error(`no plan catalog for ${name}`)) },
    locks: throughSdk(as(stack.locks, "locks"), ["take", "release", "heldBy"], "dynamodb", faults),
    outbox: throughSdk(reportBucket(stack.reportBucket), ["put"], "s3", faults),
    targets: {
      ...throughSdk(targets, ["templateTargets"], "fis", faults),
      ...throughSdk(targets, ["taggedResources", "taggedResourcesWithTags"], "tagging", faults),
    },
    calendars: throughSdk(as(account.calendars, "calendars"), ["state"], "ssm", faults),
    mutes: throughSdk(as(account.metrics, "mutes"), ["mute", "unmute"], "cloudwatch", faults),
    traceDestination: throughSdk(
      as(
        {
          current: async () => ({
            ...account.world.definition.traceDestination,
            status: "ACTIVE",
          }),
        },
        "traceDestination",
      ),
      ["current"],
      "xray",
      faults,
    ),
    permissions: as(
      {
        // Templates the stack does not deploy are granted as a synth with them would grant them: nothing to ask.
        templateActions: async (templateId: string) =>
          enforcement && !enforcement.names.undeployedTemplateIds().includes(templateId)
            ? account.fis.templateActions(templateId)
            : undefined,
        denied: async (_roleArn: string, requests: readonly IamRequest[]) =>
          enforcement ? enforcement.experimentRoleDenials(requests) : [],
      },
      "permissions",
    ),
  };
}

/** A Lambda as deployed: injected crashes and timeouts, and transient failures renamed as lambdaEntry does. */
function deployedLambda(setup: RehearsalSetup, handler: TaskHandler, timeoutSeconds: number): TaskHandler {
  return async (event) => {
    const failure = setup.faults.lambdaFailure();
    if (failure === "timeout") {
      setup.account.clock.advance(timeoutSeconds * 1000);
      throw Object.assign(new Error(`Task timed out after ${timeoutSeconds} seconds`), { name: "States.Timeout" });
    }
    if (failure === "error") throw Object.assign(new Error("injected Lambda crash"), { name: "Error" });
    try {
      return await handler(event);
    } catch (error) {
      throw asTaskError(error);
    }
  };
}

/** A local answer for every Task state: the Lambda handlers, and the SDK integrations Step Functions would call. */
function taskHandlers(setup: RehearsalSetup, watch: ExecutionWatch): Record<string, TaskHandler> {
  const { account, history, options } = setup;
  const templates = options.templates(account);
  const integrations = sdkIntegrations(account, setup.faults, options.approval ?? "approve");
  const handlers: Record<string, TaskHandler> = {};
  for (const [name, state] of setup.states) {
    if (state.Type !== "Task") continue;
    const resource = state.Resource ?? "";
    let run: TaskHandler;
    if (resource.startsWith(REGION_ARN)) {
      const key = resource.slice(REGION_ARN.length);
      const factory = setup.functions[key];
      if (!factory) throw new Error(`state "${name}" calls function ${key}, which gameday does not have`);
      const timeoutSeconds = typeof state.TimeoutSeconds === "number" ? state.TimeoutSeconds : 60;
      const ports = handlerPorts(setup, key as PrincipalName, templates);
      const deployed = deployedLambda(setup, factory(ports) as TaskHandler, timeoutSeconds);
      const invoked = options.wrapHandler ? options.wrapHandler(key, deployed) : deployed;
      const { enforcement } = setup;
      run = enforcement ? async (event) => (await enforcement.invokeFunction(resource), invoked(event)) : invoked;
    } else if (integrations[resource]) {
      const integration = integrations[resource]!;
      run = (setup.enforcement?.integration(resource, integration) ?? integration) as TaskHandler;
    } else {
      throw new Error(`state "${name}" uses ${resource}, which the local runner cannot answer`);
    }
    const publishesReport = resource === "arn:aws:states:::events:putEvents";
    handlers[name] = async (input) => {
      watch.taskCalls += 1;
      await settle();
      // Once stopped, no task runs: the interpreter unwinds through its Catch paths without touching the account.
      if (watch.aborted || watch.abortIfDue())
        throw Object.assign(new Error("the execution was stopped"), { name: "ExecutionAborted" });
      history.taskScheduled(name, input, account.clock.now());
      // What Step Functions keeps in the history: the report the publish step was given, for the orphan guard.
      if (publishesReport) watch.builtReport = (input as { Entries?: { Detail?: unknown }[] }).Entries?.[0]?.Detail;
      try {
        const result = JSON.parse(JSON.stringify((await run(input)) ?? null));
        watch.measure(name, result);
        if (watch.limitFailure)
          throw Object.assign(new Error(watch.limitFailure.cause), { name: watch.limitFailure.name });
        return result;
      } catch (error) {
        history.taskFailed(name, (error as Error).name, (error as Error).message, account.clock.now());
        throw error;
      }
    };
  }
  return handlers;
}

/** Starts the execution in the interpreter, Waits and retry intervals taken out (the virtual clock takes them). */
function startExecution(setup: RehearsalSetup, handlers: Record<string, TaskHandler>) {
  const { states, stateMachineArn } = setup;
  const zeroWaits = Object.fromEntries([...states].filter(([, s]) => s.Type === "Wait").map(([n]) => [n, 0]));
  const zeroRetries = Object.fromEntries(
    [...states].filter(([, s]) => s.Retry).map(([n, s]) => [n, s.Retry!.map(() => 0)]),
  );
  // Validated once per content (and interpreter version): the same ASL is not checked again on every run.
  const validated = validatedBefore(setup.definition);
  const machine = new StateMachine(setup.definition as never, {
    validationOptions: validated ? { noValidate: true } : { checkArn: true, checkPaths: true },
  });
  if (!validated) rememberValidated(setup.definition);
  const clock = setup.account.clock;
  return atSimulatedStart(setup.startedAt, () =>
    machine.run(setup.options.input as never, {
      overrides: {
        taskResourceLocalHandlers: handlers as never,
        waitTimeOverrides: zeroWaits,
        retryIntervalOverrides: zeroRetries,
      },
      context: {
        Execution: {
          Name: setup.executionName,
          Id: setup.executionArn,
          RoleArn: ROLE_ARN,
          RedriveCount: 0,
        },
        StateMachine: { Id: stateMachineArn, Name: stateMachineArn.split(":").pop() },
        // Read when a path asks for it: a state is entered at the simulated time it is evaluated (Pass, Choice and a
        // Task's Parameters take no simulated time).
        State: {
          get EnteredTime() {
            return new Date(clock.now()).toISOString();
          },
        },
        // A callback task's token, as opaque as Step Functions' and different at each entry.
        Task: {
          get Token() {
            return Buffer.from(`${setup.executionName}:${clock.now()}`).toString("base64url");
          },
        },
      } as never,
    }),
  );
}

/**
 * The interpreter stamps $$.Execution.StartTime with the wall clock when the execution starts, in the synchronous
 * part of run(); the rehearsal's execution starts at the simulated time, so that one reading of the clock is it.
 */
function atSimulatedStart<T>(startedAt: number, start: () => T): T {
  const RealDate = globalThis.Date;
  class SimulatedStartDate extends RealDate {
    constructor(...args: ConstructorParameters<DateConstructor> | []) {
      if (args.length === 0) super(startedAt);
      else super(...(args as ConstructorParameters<DateConstructor>));
    }
  }
  globalThis.Date = SimulatedStartDate as DateConstructor;
  try {
    return start();
  } finally {
    globalThis.Date = RealDate;
  }
}

/** Follows the interpreter's event log: counts states, moves the clock on Waits and retries, reports progress. */
async function followEvents(setup: RehearsalSetup, watch: ExecutionWatch, events: AsyncIterable<unknown>) {
  const { account, history, options, states } = setup;
  for await (const raw of events) {
    const event = raw as {
      type: string;
      state: { name: string; input?: unknown; output?: unknown };
      retry: { retrier: unknown; attempt: number };
    };
    if (watch.recordingStopped) continue;
    history.record(event as never, account.clock.now());
    watch.countHistory(history.count);
    if (event.type === "StateEntered") {
      watch.measure(event.state.name, event.state.input);
      watch.transitions += 1;
      watch.entered.set(event.state.name, (watch.entered.get(event.state.name) ?? 0) + 1);
      const state = states.get(event.state.name);
      if (state?.Type === "Wait") {
        const until = account.clock.now() + waitSeconds(state, event.state.input) * 1000;
        account.clock.advance(Math.min(until, setup.abortAt ?? until) - account.clock.now());
        if (watch.abortIfDue()) continue;
        account.clock.advance(until - account.clock.now());
      }
      options.onProgress?.({ state: event.state.name, simulatedTime: account.clock.now() });
    } else if (event.type === "StateRetried") {
      account.clock.advance(
        retryDelaySeconds(event.retry.retrier as never, event.retry.attempt, options.seed, watch.transitions) * 1000,
      );
    } else if (event.type === "StateExited" && event.state.output && typeof event.state.output === "object") {
      options.onProgress?.({
        state: event.state.name,
        simulatedTime: account.clock.now(),
        document: event.state.output as Partial<GameDayState>,
      });
    }
  }
}

/** How the execution ended, as DescribeExecution would say it; a stopped one ends its history at once. */
async function awaitOutcome(
  setup: RehearsalSetup,
  watch: ExecutionWatch,
  result: Promise<unknown>,
): Promise<Pick<RehearsalResult, "status" | "error">> {
  let outcome: Pick<RehearsalResult, "status" | "error"> = { status: "SUCCEEDED" };
  try {
    await result;
  } catch (e) {
    const limit = watch.limitFailure;
    const cause = (e as { cause?: { name?: string; message?: string } }).cause;
    outcome = {
      status: watch.aborted && !limit ? "ABORTED" : "FAILED",
      error: limit ?? { name: cause?.name ?? (e as Error).name, cause: cause?.message ?? (e as Error).message },
    };
  }
  if (watch.aborted) {
    const at = setup.account.clock.now();
    const { error } = outcome;
    if (watch.limitFailure && error)
      setup.history.record(
        { type: "ExecutionFailed", timestamp: at, Error: error.name, Cause: error.cause } as never,
        at,
      );
    else setup.history.record({ type: "ExecutionAborted", timestamp: at }, at);
    // What the interpreter does after the stop is not history: Step Functions ends an aborted execution at once.
    watch.recordingStopped = true;
  }
  return outcome;
}

/**
 * The interpreter unwinds a stopped execution through its Catch paths, each task failing at once; it clears its
 * timers (task and execution timeouts) when it reaches the end. Waits until no task has been called for a while.
 */
async function untilUnwound(watch: ExecutionWatch) {
  for (let quiet = 0, seen = watch.taskCalls, turns = 0; watch.aborted && quiet < 5 && turns < 10_000; turns++) {
    await settle();
    quiet = watch.taskCalls === seen ? quiet + 1 : 0;
    seen = watch.taskCalls;
  }
}

/** After the execution: the orphan guard and the report store, then the report with the rehearsal's own facts. */
async function assembleResult(
  setup: RehearsalSetup,
  watch: ExecutionWatch,
  { status, error }: Pick<RehearsalResult, "status" | "error">,
): Promise<RehearsalResult> {
  const { account, faults, options, executionName, stateMachineArn } = setup;
  const stoppedAt = account.clock.now();
  const reportBus = reportBusOf(stateMachineArn);
  const published = account.events.filter((e) => e.eventBusName === reportBus);
  const last = published[published.length - 1];
  const aftermath = await runAftermath(
    account,
    faults,
    {
      name: executionName,
      arn: setup.executionArn,
      stateMachineArn,
      status,
      ...(status === "FAILED" && error ? { error: error.name, cause: error.cause } : {}),
      startedAt: setup.startedAt,
      stoppedAt,
      input: JSON.stringify(options.input),
      builtReport: watch.builtReport,
    },
    reportBus,
    setup.enforcement,
  );
  const report: Report | undefined = aftermath.storedReport ?? (last ? (JSON.parse(last.detail) as Report) : undefined);
  if (report) {
    const started = [...account.fis.experiments.values()].filter((e) => e.tags[EXECUTION_TAG] === executionName);
    const entered = watch.entered;
    const polls = [...POLL_STATES].reduce((n, s) => n + (entered.get(s) ?? 0), 0);
    const pollLoopTransitions = [...entered]
      .filter(([name]) => POLL_LOOP_STATES.has(name))
      .reduce((n, [, c]) => n + c, 0);
    report.rehearsal = {
      seed: options.seed,
      world: options.world.name,
      stateTransitions: watch.transitions,
      transitionsPerPoll: polls ? pollLoopTransitions / polls : 0,
      polls,
      orphanedExperiments: started.filter((e) => !isTerminal(e.status)).length,
      reportsStored: aftermath.reportsStored,
      faultsInjected: faults.fired(),
      unmodeledActions: account.fis.unmodeledActions.filter((a) => started.some((e) => e.id === a.experimentId)),
      simulatedSeconds: (stoppedAt - Date.parse(options.world.start)) / 1000,
      wallSeconds: 0,
      largestStateBytes: watch.largest,
    };
  }
  return {
    report,
    status,
    ...(error ? { error } : {}),
    account,
    stateTransitions: watch.transitions,
    enteredStates: watch.entered,
    ...(options.recordHistory ? { history: setup.history.events } : {}),
    deadLetters: aftermath.deadLetters,
    ...(setup.enforcement
      ? {
          iam: {
            denied: setup.enforcement.iam.asked.filter((a) => a.denied).map((a) => a.request),
            undeployedTemplates: setup.enforcement.names.undeployedTemplateIds(),
            asked: setup.enforcement.iam.asked,
            names: setup.enforcement.names,
          },
        }
      : {}),
  };
}

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
