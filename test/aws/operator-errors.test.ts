import { FisClient } from "@aws-sdk/client-fis";
import { S3Client } from "@aws-sdk/client-s3";
import { SFNClient } from "@aws-sdk/client-sfn";
import { STSClient } from "@aws-sdk/client-sts";
import { HttpResponse, type HttpRequest } from "@smithy/protocol-http";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { GameDayOperator } from "../../src/aws/operator";

const MACHINE = "arn:aws:states:eu-west-1:111122223333:stateMachine:GameDay-Orchestrator";

/** A request handler that answers each operation as told: JSON, or the HTML page a proxy returns instead. */
function fakeAws(answers: Record<string, { status: number; body: string }>) {
  return {
    async handle(request: HttpRequest) {
      const target = String(request.headers["x-amz-target"] ?? `${request.method} ${request.path}`);
      const key = Object.keys(answers).find((k) => target.includes(k)) ?? "";
      const answer = answers[key] ?? { status: 200, body: "{}" };
      return {
        response: new HttpResponse({
          statusCode: answer.status,
          headers: { "content-type": answer.body.startsWith("<") ? "text/html" : "application/json" },
          body: Readable.from([Buffer.from(answer.body)]),
        }),
      };
    },
  };
}

const clientsFor = (handler: ReturnType<typeof fakeAws>) => {
  const config = {
    region: "eu-west-1",
    credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" },
    requestHandler: handler,
    maxAttempts: 1,
  };
  return {
    sfn: new SFNClient(config),
    s3: new S3Client(config),
    fis: new FisClient(config),
    sts: new STSClient(config),
  };
};

describe("AWS errors in one line", () => {
  it("names the call that failed when AWS's answer cannot even be read", async () => {
    const operator = new GameDayOperator(
      { name: "GameDay", stateMachineArn: MACHINE, reportBucket: "b" },
      clientsFor(fakeAws({ StopExecution: { status: 200, body: "<html>proxy</html>" } })),
    );
    const error = await operator.stop("tuesday", { timeoutMs: 0, pollMs: 0 }).catch((e: Error) => e);
    expect((error as Error).message.split("\n")).toHaveLength(1);
    expect((error as Error).message).toMatch(/^Stopping tuesday: SFNClient StopExecutionCommand failed: /);
  });

  it("says what already happened before the call that failed", async () => {
    const operator = new GameDayOperator(
      { name: "GameDay", stateMachineArn: MACHINE, reportBucket: "b" },
      clientsFor(
        fakeAws({
          StopExecution: { status: 200, body: JSON.stringify({ stopDate: 1 }) },
          "GET /experiments": { status: 200, body: "<html>Service Unavailable</html>" },
        }),
      ),
    );
    const error = (await operator.stop("tuesday", { timeoutMs: 0, pollMs: 0 }).catch((e: Error) => e)) as Error;
    expect(error.message).toMatch(
      /^Stopping tuesday: stopped the execution; then FisClient ListExperimentsCommand failed: \w+/,
    );
    expect(error.message).not.toContain("\n");
  });
});
