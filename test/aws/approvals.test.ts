import { FisClient } from "@aws-sdk/client-fis";
import { S3Client } from "@aws-sdk/client-s3";
import {
  GetExecutionHistoryCommand,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  SFNClient,
  type HistoryEvent,
} from "@aws-sdk/client-sfn";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { GameDayOperator } from "../../src/aws/operator";

const MACHINE = "arn:aws:states:eu-west-1:111122223333:stateMachine:GameDay-Orchestrator";
const sfn = mockClient(SFNClient);
const sts = mockClient(STSClient);
const APPROVER = "arn:aws:sts::111122223333:assumed-role/sre/alex";

const event = (id: number, type: HistoryEvent["type"]): HistoryEvent => ({ id, type, timestamp: new Date() });
const request: HistoryEvent = {
  id: 5,
  type: "TaskScheduled",
  timestamp: new Date("2026-11-24T10:00:01Z"),
  taskScheduledEventDetails: {
    resourceType: "sns",
    resource: "publish.waitForTaskToken",
    region: "eu-west-1",
    parameters: JSON.stringify({
      TopicArn: "arn:aws:sns:eu-west-1:111122223333:GameDay-notifications",
      MessageAttributes: { taskToken: { DataType: "String", StringValue: "AAAAKgAAAAIAAAAA-token" } },
    }),
  },
};
const operator = () =>
  new GameDayOperator(
    { name: "GameDay", stateMachineArn: MACHINE, reportBucket: "b" },
    { sfn: new SFNClient({}), s3: new S3Client({}), fis: new FisClient({}), sts: new STSClient({}) },
  );

beforeEach(() => {
  sfn.reset();
  sts.reset();
  sts.on(GetCallerIdentityCommand).resolves({ Arn: APPROVER });
  process.env.AWS_REGION = "eu-west-1";
});

describe("answering an approval request", () => {
  it("approves with the request's task token, naming the caller", async () => {
    sfn.on(GetExecutionHistoryCommand).resolves({ events: [request, event(1, "ExecutionStarted")] });
    sfn.on(SendTaskSuccessCommand).resolves({});
    expect(await operator().decide("checkout-1", { approve: true, note: "CHG-1234" })).toEqual({ by: APPROVER });
    const [call] = sfn.commandCalls(SendTaskSuccessCommand);
    expect(call!.args[0].input.taskToken).toBe("AAAAKgAAAAIAAAAA-token");
    expect(JSON.parse(call!.args[0].input.output!)).toEqual({
      decision: "approved",
      by: APPROVER,
      at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      note: "CHG-1234",
    });
  });

  it("rejects with GameDay.Rejected, who and why", async () => {
    sfn.on(GetExecutionHistoryCommand).resolves({ events: [request] });
    sfn.on(SendTaskFailureCommand).resolves({});
    await operator().decide("checkout-1", { approve: false, reason: "incident INC-42 open" });
    expect(sfn.commandCalls(SendTaskFailureCommand)[0]!.args[0].input).toEqual({
      taskToken: "AAAAKgAAAAIAAAAA-token",
      error: "GameDay.Rejected",
      cause: `${APPROVER}: incident INC-42 open`,
    });
  });

  it("refuses when the game day is not waiting: answered, timed out, ended, or never asked", async () => {
    const cases: HistoryEvent[][] = [
      [event(6, "TaskSucceeded"), request],
      [event(6, "TaskTimedOut"), request],
      [event(9, "ExecutionAborted"), request],
      [event(1, "ExecutionStarted")],
    ];
    for (const events of cases) {
      sfn.on(GetExecutionHistoryCommand).resolves({ events });
      await expect(operator().decide("checkout-1", { approve: true })).rejects.toThrow(/is not waiting for approval/);
    }
    expect(sfn.commandCalls(SendTaskSuccessCommand)).toEqual([]);
  });
});
