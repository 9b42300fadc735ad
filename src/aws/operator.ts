import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { STACK_OUTPUTS } from "../core/contract/states";
import { CloudFormationClient, DescribeStacksCommand } from "@aws-sdk/client-cloudformation";
import { FisClient } from "@aws-sdk/client-fis";
import { GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  ListExecutionsCommand,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
  type HistoryEvent,
} from "@aws-sdk/client-sfn";
import { planNameFromInput } from "../core/gameday/orphans";
import { executionArnOf, experimentsOf } from "../core/gameday/state";
import { isTerminal, type ExperimentView } from "../core/ports";
import type { Report } from "../core/report/model";
import { reportObjectKeys } from "../core/report/storage";
import { fisGetExperiment, fisResolvedTargets } from "./fis";
import { fisExperiments } from "./fis-control";
import { explainAwsError, Journal, OperatorError, CALL_OF_ERROR } from "./operator-errors";
import { GAME_DAY_ERRORS } from "../core/contract/errors";

export { explainAwsError, OperatorError } from "./operator-errors";

/** GetExecutionHistory page sizes: the whole history at first (at most 1000 per page), then what is new. */
const HISTORY_MAX_PAGE = 1000;
const HISTORY_REFRESH_PAGES = [10, 100, HISTORY_MAX_PAGE];

/** What the CLI needs of a deployed stack, from its CloudFormation outputs. */
export interface DeployedStack {
  name: string;
  stateMachineArn: string;
  reportBucket: string;
}

const OUTPUT = { stateMachine: STACK_OUTPUTS.stateMachineArn, reportBucket: STACK_OUTPUTS.reportBucket } as const;

export async function findDeployedStack(client: CloudFormationClient, stackName: string): Promise<DeployedStack> {
  const region = await client.config.region().catch(() => undefined);
  try {
    const response = await client.send(new DescribeStacksCommand({ StackName: stackName }));
    const outputs = Object.fromEntries(
      (response.Stacks?.[0]?.Outputs ?? []).map((o) => [o.OutputKey ?? "", o.OutputValue ?? ""]),
    );
    const stateMachineArn = outputs[OUTPUT.stateMachine];
    const reportBucket = outputs[OUTPUT.reportBucket];
    if (!stateMachineArn || !reportBucket)
      throw new OperatorError(
        `Stack "${stackName}" in ${region} has no ${OUTPUT.stateMachine} and ${OUTPUT.reportBucket} outputs: ` +
          "is it a gameday stack? Pass the right one with --stack.",
      );
    return { name: stackName, stateMachineArn, reportBucket };
  } catch (error) {
    if ((error as Error).name === "ValidationError" && /does not exist/.test((error as Error).message))
      throw new OperatorError(
        `Stack "${stackName}" is not deployed in ${region}. Deploy it with \`npx cdk deploy\`, set AWS_REGION to ` +
          "the Region it is in, or name another stack with --stack.",
      );
    throw explainAwsError(error, `looking up stack "${stackName}"`);
  }
}

export interface ExecutionSummary {
  name: string;
  status: string;
  startedAt: Date;
  stoppedAt?: Date;
  plan?: string;
  verdict?: string;
}

const verdictOf = (output: string | undefined): string | undefined => {
  try {
    return (JSON.parse(output ?? "{}") as { verdict?: string }).verdict;
  } catch {
    return undefined;
  }
};

/** The game days of one deployed stack, as an operator sees them: start, stop, list, history, reports. */
/** History events that answer a callback task. */
const ANSWERED = new Set(["TaskSucceeded", "TaskFailed", "TaskTimedOut", "TaskSubmitFailed", "TaskStartFailed"]);
/** History events that end an execution. */
const ENDED = new Set(["ExecutionSucceeded", "ExecutionFailed", "ExecutionAborted", "ExecutionTimedOut"]);

export class GameDayOperator {
  constructor(
    readonly stack: DeployedStack,
    private readonly clients: { sfn: SFNClient; s3: S3Client; fis: FisClient; sts: STSClient },
    /** What this operator already changed in AWS, for the message of a later failure. */
    readonly journal = new Journal(),
  ) {
    for (const client of Object.values(clients)) tagErrorsWithCall(client);
  }

  executionArn(nameOrArn: string): string {
    return nameOrArn.startsWith("arn:") ? nameOrArn : executionArnOf(this.stack.stateMachineArn, nameOrArn);
  }

  async start(input: { plan: unknown; actionsMode?: "skip-all" }, name?: string) {
    const response = await this.clients.sfn.send(
      new StartExecutionCommand({
        stateMachineArn: this.stack.stateMachineArn,
        input: JSON.stringify(input),
        ...(name ? { name } : {}),
      }),
    );
    this.journal.done(`started execution ${response.executionArn}`);
    return { executionArn: response.executionArn!, startedAt: response.startDate! };
  }

  async describe(execution: string): Promise<ExecutionSummary & { output?: string; error?: string; cause?: string }> {
    let e;
    try {
      e = await this.clients.sfn.send(new DescribeExecutionCommand({ executionArn: this.executionArn(execution) }));
    } catch (error) {
      if ((error as Error).name === "ExecutionDoesNotExist")
        throw new OperatorError(
          `No game day "${execution}" in stack ${this.stack.name} (${this.executionArn(execution)}). ` +
            "`gameday list` shows the recent ones; --stack names another stack.",
        );
      throw error;
    }
    return {
      name: e.name!,
      status: e.status!,
      startedAt: e.startDate!,
      ...(e.stopDate ? { stoppedAt: e.stopDate } : {}),
      ...(planNameFromInput(e.input) ? { plan: planNameFromInput(e.input) } : {}),
      ...(verdictOf(e.output) ? { verdict: verdictOf(e.output) } : {}),
      ...(e.output ? { output: e.output } : {}),
      ...(e.error ? { error: e.error } : {}),
      ...(e.cause ? { cause: e.cause } : {}),
    };
  }

  /** The names of this stack's executions that are running now (every page). */
  async running(): Promise<string[]> {
    const names: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.clients.sfn.send(
        new ListExecutionsCommand({
          stateMachineArn: this.stack.stateMachineArn,
          statusFilter: "RUNNING",
          maxResults: 100,
          nextToken,
        }),
      );
      names.push(...(page.executions ?? []).map((e) => e.name!));
      nextToken = page.nextToken;
    } while (nextToken);
    return names;
  }

  /** Newest first, described one by one for their plan and verdict, up to `max`. */
  async list(options: { plan?: string; max: number }): Promise<ExecutionSummary[]> {
    const out: ExecutionSummary[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.clients.sfn.send(
        new ListExecutionsCommand({ stateMachineArn: this.stack.stateMachineArn, maxResults: 100, nextToken }),
      );
      for (const item of page.executions ?? []) {
        const described = await this.describe(item.executionArn!);
        if (options.plan && described.plan !== options.plan) continue;
        const { output: _output, error: _error, cause: _cause, ...summary } = described;
        out.push(summary);
        if (out.length >= options.max) return out;
      }
      nextToken = page.nextToken;
    } while (nextToken);
    return out;
  }

  /**
   * The events of the execution's history after event `afterId`, oldest first. Read newest first and only as far
   * back as needed: a refresh starts with a small page and, only when every event on it is new, asks again with a
   * larger one (a page token must be reused with the same page size), so following a long game day costs about one
   * small page per refresh, not its whole history again.
   */
  async historySince(execution: string, afterId = 0): Promise<HistoryEvent[]> {
    const sizes = afterId ? HISTORY_REFRESH_PAGES : [HISTORY_MAX_PAGE];
    for (const [attempt, maxResults] of sizes.entries()) {
      const newestFirst: HistoryEvent[] = [];
      let nextToken: string | undefined;
      do {
        const page = await this.clients.sfn.send(
          new GetExecutionHistoryCommand({
            executionArn: this.executionArn(execution),
            reverseOrder: true,
            maxResults,
            includeExecutionData: true,
            nextToken,
          }),
        );
        const events = page.events ?? [];
        const fresh = events.filter((e) => (e.id ?? 0) > afterId);
        newestFirst.push(...fresh);
        if (fresh.length < events.length) return newestFirst.reverse();
        nextToken = page.nextToken;
        // Everything on a small page was new: ask again with a larger page rather than page through small ones.
      } while (nextToken && attempt === sizes.length - 1);
      if (!nextToken) return newestFirst.reverse();
    }
    throw new Error("unreachable: the largest page size pages through the whole history");
  }

  /**
   * Stops the execution, then stops its experiments itself rather than waiting for the orphan guard, and waits
   * until FIS reports each one ended (or `timeoutMs` passes).
   */
  async stop(
    execution: string,
    options: { timeoutMs: number; pollMs: number; sleep?: (ms: number) => Promise<void> },
  ): Promise<{ experiments: ExperimentView[]; allEnded: boolean }> {
    try {
      return await this.stopSteps(execution, options);
    } catch (error) {
      // Some steps may have taken effect: the message says which, and which call failed after them.
      throw explainAwsError(error, `stopping ${execution}`, this.journal);
    }
  }

  private async stopSteps(
    execution: string,
    options: { timeoutMs: number; pollMs: number; sleep?: (ms: number) => Promise<void> },
  ): Promise<{ experiments: ExperimentView[]; allEnded: boolean }> {
    const sleep = options.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)));
    const name = this.executionArn(execution).split(":").pop()!;
    await this.clients.sfn.send(
      new StopExecutionCommand({
        executionArn: this.executionArn(execution),
        error: GAME_DAY_ERRORS.stoppedByOperator,
        cause: "Stopped with gameday stop",
      }),
    );
    this.journal.done("stopped the execution");
    const fis = fisExperiments(this.clients.fis);
    // Another stack's game day may share the execution name: only this state machine's experiments are stopped.
    const gameDay = { stateMachine: this.stack.stateMachineArn, executionName: name };
    let experiments = await experimentsOf(fis, gameDay);
    for (const e of experiments)
      if (!isTerminal(e.status) && e.status !== "stopping") {
        await fis.stop(e.id);
        this.journal.done(`stopped experiment ${e.id}`);
      }
    const deadline = Date.now() + options.timeoutMs;
    while (experiments.some((e) => !isTerminal(e.status)) && Date.now() < deadline) {
      await sleep(options.pollMs);
      experiments = await experimentsOf(fis, gameDay);
    }
    return { experiments, allEnded: experiments.every((e) => isTerminal(e.status)) };
  }

  /**
   * Answers the game day's open approval request: reads its task token from the history (the request's message
   * attributes), names the caller (STS GetCallerIdentity), then SendTaskSuccess with who approved, or
   * SendTaskFailure with GameDay.Rejected and who rejected and why. Refuses when nothing waits for approval.
   */
  async decide(
    execution: string,
    decision: { approve: true; note?: string } | { approve: false; reason: string },
  ): Promise<{ by: string }> {
    const history = await this.historySince(execution);
    const requests = history.filter(
      (e) => e.type === "TaskScheduled" && e.taskScheduledEventDetails?.resource === "publish.waitForTaskToken",
    );
    const request = requests.at(-1);
    const answered = request && history.some((e) => (e.id ?? 0) > (request.id ?? 0) && ANSWERED.has(e.type ?? ""));
    const ended = history.some((e) => ENDED.has(e.type ?? ""));
    if (!request || answered || ended)
      throw new OperatorError(
        `Game day "${execution}" is not waiting for approval` +
          (ended ? " (it has ended)" : answered ? " (its request was answered or timed out)" : "") +
          ": only a plan with requiresApproval asks, before it injects anything.",
      );
    const parameters = JSON.parse(request.taskScheduledEventDetails?.parameters ?? "{}") as {
      MessageAttributes?: { taskToken?: { StringValue?: string } };
    };
    const taskToken = parameters.MessageAttributes?.taskToken?.StringValue;
    if (!taskToken) throw new OperatorError(`Game day "${execution}": its approval request carries no task token.`);
    const { Arn: by = "unknown caller" } = await this.clients.sts.send(new GetCallerIdentityCommand({}));
    try {
      if (decision.approve)
        await this.clients.sfn.send(
          new SendTaskSuccessCommand({
            taskToken,
            output: JSON.stringify({
              decision: "approved",
              by,
              at: new Date().toISOString(),
              ...(decision.note ? { note: decision.note } : {}),
            }),
          }),
        );
      else
        await this.clients.sfn.send(
          new SendTaskFailureCommand({
            taskToken,
            error: GAME_DAY_ERRORS.rejected,
            // Step Functions keeps at most 32,768 characters of a cause.
            cause: `${by}: ${decision.reason}`.slice(0, 32_768),
          }),
        );
    } catch (error) {
      if ((error as Error).name === "TaskTimedOut" || (error as Error).name === "TaskDoesNotExist")
        throw new OperatorError(`Game day "${execution}" stopped waiting for approval before the answer arrived.`);
      throw error;
    }
    this.journal.done(decision.approve ? `approved ${execution}` : `rejected ${execution}`);
    return { by };
  }

  /** What FIS resolved each target of the experiment to (ListExperimentResolvedTargets), for the live view. */
  async resolvedTargets(experimentId: string): Promise<Record<string, string[]>> {
    return fisResolvedTargets(this.clients.fis)(experimentId);
  }

  /** One of the game day's FIS experiments as FIS sees it now, actions included. */
  async experiment(experimentId: string): Promise<ExperimentView> {
    return fisGetExperiment(this.clients.fis)(experimentId);
  }

  /** The stored report of an execution: reports/<plan>/<execution>.json in the report bucket. */
  async report(execution: string): Promise<Report> {
    const described = await this.describe(execution);
    if (!described.plan) throw new OperatorError(`Execution ${described.name} names no plan in its input.`);
    const key = reportObjectKeys({ plan: { name: described.plan }, execution: { name: described.name } } as never).json;
    try {
      const object = await this.clients.s3.send(new GetObjectCommand({ Bucket: this.stack.reportBucket, Key: key }));
      return JSON.parse(await object.Body!.transformToString()) as Report;
    } catch (error) {
      if ((error as Error).name === "NoSuchKey")
        throw new OperatorError(
          `No report stored for ${described.name} yet (status ${described.status}); it is written when the game ` +
            `day ends, at s3://${this.stack.reportBucket}/${key}.`,
        );
      if ((error as Error).name === "AccessDenied")
        throw new OperatorError(
          `S3 denied reading s3://${this.stack.reportBucket}/${key} (AccessDenied): the report may not be stored yet, ` +
            "and your role cannot tell (it needs s3:ListBucket on the report bucket, as the stack's operator policy grants).",
        );
      throw error;
    }
  }
}

/** The operator of a deployed stack; its clients honour AWS_PROFILE, AWS_REGION and the SDK's usual credential chain. */
export async function operatorOfStack(stackName: string): Promise<GameDayOperator> {
  const stack = await findDeployedStack(new CloudFormationClient({}), stackName);
  return new GameDayOperator(stack, {
    sfn: new SFNClient({}),
    s3: new S3Client({}),
    fis: new FisClient({}),
    sts: new STSClient({}),
  });
}

/**
 * Tags every error a client throws with the call that failed (`SFNClient StopExecutionCommand`): SDK errors name
 * the service's error, never the operation, and a deserialization error names neither.
 */
function tagErrorsWithCall(client: { middlewareStack: { add: (...args: never[]) => void } }): void {
  const middleware =
    (next: (args: unknown) => Promise<unknown>, context: { clientName?: string; commandName?: string }) =>
    async (args: unknown) => {
      try {
        return await next(args);
      } catch (error) {
        if (error && typeof error === "object")
          Object.assign(error, { [CALL_OF_ERROR]: `${context.clientName ?? ""} ${context.commandName ?? ""}`.trim() });
        throw error;
      }
    };
  client.middlewareStack.add(middleware as never, { step: "initialize", name: "gamedayCallOfError" } as never);
}
