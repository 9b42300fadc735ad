import { STSClient } from "@aws-sdk/client-sts";
import { FisClient } from "@aws-sdk/client-fis";
import { S3Client } from "@aws-sdk/client-s3";
import { GetExecutionHistoryCommand, SFNClient, type HistoryEvent } from "@aws-sdk/client-sfn";
import { mockClient } from "aws-sdk-client-mock";
import { GameDayOperator } from "../src/aws/operator";

export interface RefreshCost {
  refreshes: number;
  calls: number;
  eventsRead: number;
  megabytesRead: number;
}

const MACHINE = "arn:aws:states:eu-west-1:111122223333:stateMachine:GameDay-StateMachine";
const EXECUTION = "bench";
const FULL_PAGE = 1000;

/**
 * What `gameday watch` reads from GetExecutionHistory while a recorded game day runs, refreshing every
 * `refreshSeconds` of its timeline: through the real operator (newest first, back to the last event seen), and,
 * for comparison, what re-reading the whole history at each refresh would cost.
 */
export async function watchRefreshCost(
  history: HistoryEvent[],
  refreshSeconds: number,
): Promise<{ incremental: RefreshCost; fullReread: RefreshCost }> {
  const sizes = history.map((e) => JSON.stringify(e).length);
  let visible = 0;
  const incremental: RefreshCost = { refreshes: 0, calls: 0, eventsRead: 0, megabytesRead: 0 };
  const fullReread: RefreshCost = { refreshes: 0, calls: 0, eventsRead: 0, megabytesRead: 0 };
  const sfn = mockClient(SFNClient);
  sfn.on(GetExecutionHistoryCommand).callsFake((input: { nextToken?: string; maxResults: number }) => {
    const newestFirst = history.slice(0, visible).reverse();
    const from = Number(input.nextToken ?? 0);
    const page = newestFirst.slice(from, from + input.maxResults);
    incremental.calls += 1;
    incremental.eventsRead += page.length;
    incremental.megabytesRead += page.reduce((n, e) => n + sizes[e.id! - 1]!, 0) / 1e6;
    const next = from + page.length;
    return { events: page, ...(next < newestFirst.length ? { nextToken: String(next) } : {}) };
  });
  try {
    const operator = new GameDayOperator(
      { name: "GameDay", stateMachineArn: MACHINE, reportBucket: "reports" },
      {
        sfn: new SFNClient({ region: "eu-west-1" }),
        s3: new S3Client({}),
        fis: new FisClient({}),
        sts: new STSClient({}),
      },
    );
    const start = history[0]!.timestamp!.getTime();
    const end = history[history.length - 1]!.timestamp!.getTime();
    let lastId = 0;
    for (let t = start; t <= end + refreshSeconds * 1000; t += refreshSeconds * 1000) {
      while (visible < history.length && history[visible]!.timestamp!.getTime() <= t) visible += 1;
      incremental.refreshes += 1;
      fullReread.refreshes += 1;
      const events = await operator.historySince(EXECUTION, lastId);
      lastId = events.at(-1)?.id ?? lastId;
      fullReread.calls += Math.max(1, Math.ceil(visible / FULL_PAGE));
      fullReread.eventsRead += visible;
      fullReread.megabytesRead += sizes.slice(0, visible).reduce((a, b) => a + b, 0) / 1e6;
    }
    if (lastId !== history.length) throw new Error(`the watch saw ${lastId} of ${history.length} events`);
  } finally {
    sfn.restore();
  }
  return { incremental, fullReread };
}
