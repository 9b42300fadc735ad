import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  SFNClient,
  type ExecutionStatus as SfnStatus,
} from "@aws-sdk/client-sfn";
import { executionArnOf } from "../core/gameday/state";
import { EXECUTION_TIMEOUT_SECONDS } from "../core/plan/check";
import type { ExecutionDescription, ExecutionLookup, ExecutionStatus } from "../core/ports";
import { SDK_CLIENT_CONFIG, tracer } from "./powertools";

/** The game-day state machine's TimeoutSeconds (two days), set in infra/orchestrator.ts. */
export const EXECUTION_TIMEOUT_MS = EXECUTION_TIMEOUT_SECONDS * 1000;

/** A game day's history holds a few thousand events at most; the report is near its end. */
const MAX_HISTORY_PAGES = 5;

function parseJson(text: string | undefined): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Step Functions behind the ExecutionLookup port: the game-day state machine's executions by name. */
export const sfnExecutions = (
  stateMachineArn: string,
  client: SFNClient = tracer.captureAWSv3Client(new SFNClient(SDK_CLIENT_CONFIG)),
): ExecutionLookup => ({
  async listEnded(since) {
    const ended: ExecutionDescription[] = [];
    for (const statusFilter of ["SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"] as SfnStatus[]) {
      let nextToken: string | undefined;
      // Newest start first: once executions started more than the state machine's timeout before `since`,
      // none further down the list can have ended after it.
      page: do {
        const response = await client.send(
          new ListExecutionsCommand({ stateMachineArn, statusFilter, maxResults: 100, nextToken }),
        );
        for (const item of response.executions ?? []) {
          if ((item.startDate?.getTime() ?? 0) < since - EXECUTION_TIMEOUT_MS) break page;
          if ((item.stopDate?.getTime() ?? 0) < since) continue;
          const described = await this.describe(item.name!);
          if (described) ended.push(described);
        }
        nextToken = response.nextToken;
      } while (nextToken);
    }
    return ended;
  },

  async builtReport(executionName) {
    const executionArn = executionArnOf(stateMachineArn, executionName);
    const described = await client.send(new DescribeExecutionCommand({ executionArn }));
    if (described.status === "SUCCEEDED") return parseJson(described.output);
    if (described.status === "RUNNING") return undefined;
    // Newest first: the last report the execution tried to publish is the one the publish step was given.
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const page = await client.send(
        new GetExecutionHistoryCommand({
          executionArn,
          reverseOrder: true,
          includeExecutionData: true,
          maxResults: 1000,
          nextToken,
        }),
      );
      for (const event of page.events ?? []) {
        const scheduled = event.taskScheduledEventDetails;
        if (scheduled?.resourceType !== "events" || !scheduled.resource?.startsWith("putEvents")) continue;
        const parameters = parseJson(scheduled.parameters) as { Entries?: { Detail?: unknown }[] } | undefined;
        const detail = parameters?.Entries?.[0]?.Detail;
        return typeof detail === "string" ? parseJson(detail) : detail;
      }
      nextToken = page.nextToken;
      pages += 1;
    } while (nextToken && pages < MAX_HISTORY_PAGES);
    return undefined;
  },

  async describe(executionName): Promise<ExecutionDescription | undefined> {
    try {
      const e = await client.send(
        new DescribeExecutionCommand({ executionArn: executionArnOf(stateMachineArn, executionName) }),
      );
      return {
        name: e.name ?? executionName,
        status: e.status as ExecutionStatus,
        ...(e.error ? { error: e.error } : {}),
        ...(e.cause ? { cause: e.cause } : {}),
        startedAt: e.startDate?.getTime() ?? 0,
        ...(e.stopDate ? { stoppedAt: e.stopDate.getTime() } : {}),
        ...(e.input ? { input: e.input } : {}),
      };
    } catch (error) {
      // Experiments tagged by another state machine's execution (another stack) are not this one's to judge.
      if ((error as Error).name === "ExecutionDoesNotExist") return undefined;
      throw error;
    }
  },
});
