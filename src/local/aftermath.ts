import type { ReportPublisher } from "../core/report/model";
import { chartLibrary } from "../assets/chart-library";
import { createGuardOrphans, DEFAULT_LOOKBACK_SECONDS, type ExecutionStatusEvent } from "../handlers/guard-orphans";
import { createStoreReport, type ReportEvent } from "../handlers/store-report";
import { endedWithoutCleanup } from "../core/gameday/orphans";
import { EXECUTION_TAG, startedBy } from "../core/gameday/state";
import { isTerminal, type ExecutionDescription } from "../core/ports";
import type { Report } from "../core/report/model";
import { REPORT_EVENT } from "../core/report/storage";
import type { SimulatedAccount } from "../sim/account";
import type { FaultInjector } from "../sim/faults";
import { throughSdk } from "./through-sdk";
import { ReportNotPublishedError } from "../core/contract/errors";
import { asPrincipal, type IamEnforcement } from "./iam/enforcement";
import type { PrincipalName } from "./iam/stack-policies";

/** Lambda retries a failed asynchronous invocation twice; then the event goes to the on-failure destination. */
const ASYNC_INVOKE_ATTEMPTS = 3;
/** The stack's schedule sweeps for orphaned experiments this often. */
export const SWEEP_INTERVAL_SECONDS = 300;
/** The sweeps that see an ended execution within their lookback (infra/orphan-guard.ts). */
export const SWEEPS_PER_LOOKBACK = DEFAULT_LOOKBACK_SECONDS / SWEEP_INTERVAL_SECONDS;

export interface Aftermath {
  /** Report objects stored for this execution: exactly one is the invariant. */
  reportsStored: number;
  /** The stored report (the one users read), if any. */
  storedReport?: Report;
  /** Asynchronous invocations that failed every attempt and went to the dead-letter queue. */
  deadLettered: number;
  /** Why each dead-lettered invocation failed, its last error in one line: what a person reads in the queue. */
  deadLetters: string[];
}

/**
 * What happens in the account after an execution ends, as the deployed stack wires it: the status-change event
 * reaches the orphan guard (for FAILED, TIMED_OUT and ABORTED executions), the next scheduled sweep runs, and
 * every report event on the bus reaches the store function, once or more (EventBridge delivers at least once).
 */
export async function runAftermath(
  account: SimulatedAccount,
  faults: FaultInjector,
  execution: ExecutionDescription & { arn: string; stateMachineArn: string; builtReport?: unknown },
  reportBus: string,
  enforcement?: IamEnforcement,
): Promise<Aftermath> {
  const clock = account.clock;
  const stack = account.stackOf(execution.stateMachineArn);
  let deadLettered = 0;
  const deadLetters: string[] = [];
  const invokeAsync = async <E>(name: string, handler: (event: E) => Promise<unknown>, event: E) => {
    let last: unknown;
    for (let attempt = 1; attempt <= ASYNC_INVOKE_ATTEMPTS; attempt++) {
      try {
        return await handler(event);
      } catch (error) {
        last = error;
        clock.advance(60_000 * attempt);
      }
    }
    deadLettered += 1;
    deadLetters.push(`${name}: ${(last as Error)?.name ?? "Error"}: ${(last as Error)?.message ?? String(last)}`);
    return undefined;
  };

  const as = asPrincipal(enforcement, "OrphanGuard").port;
  const bus = throughSdk(
    as(
      {
        publish: async (report: Report) => {
          const [answer] = account.putEvents(
            [
              {
                source: REPORT_EVENT.source,
                detailType: REPORT_EVENT.detailType,
                detail: JSON.stringify(report),
                eventBusName: reportBus,
              },
            ],
            () => faults.entryFails(),
          );
          // As the EventBridge adapter does: a failed entry of a successful call is a report not published.
          if (answer && "errorCode" in answer)
            throw new ReportNotPublishedError(
              `EventBridge refused the report: ${answer.errorCode} ${answer.errorMessage}`,
            );
        },
      } satisfies ReportPublisher,
      "publisher",
    ),
    ["publish"],
    "events",
    faults,
  );
  const reportStoreOf = (principal: PrincipalName) =>
    throughSdk(
      asPrincipal(enforcement, principal).reportBucket(stack.reportBucket),
      ["putIfAbsent", "put", "get"],
      "s3",
      faults,
    );
  const guard = createGuardOrphans({
    mutes: throughSdk(as(account.metrics, "mutes"), ["unmute"], "cloudwatch", faults),
    experiments: throughSdk(as(account.fis, "experiments"), ["listTagged", "listLive", "stop"], "fis", faults),
    locks: throughSdk(as(stack.locks, "locks"), ["heldBy", "release"], "dynamodb", faults),
    executions: as(
      {
        describe: async (name: string) => (name === execution.name ? execution : undefined),
        listEnded: async (since: number) => ((execution.stoppedAt ?? 0) >= since ? [execution] : []),
        builtReport: async (name: string) => (name === execution.name ? execution.builtReport : undefined),
      },
      "executions",
    ),
    publisher: bus,
    reports: reportStoreOf("OrphanGuard"),
    stateMachine: execution.stateMachineArn,
    clock,
  });
  const store = createStoreReport({
    store: reportStoreOf("StoreReports"),
    metrics: { record: () => undefined },
    chart: chartLibrary(),
  });
  // Every report event on the bus reaches the store function, at least once, in the order they were put.
  let delivered = 0;
  const deliverReports = async () => {
    const reportEvents = account.events.filter(
      (e) =>
        e.eventBusName === reportBus && e.source === REPORT_EVENT.source && e.detailType === REPORT_EVENT.detailType,
    );
    for (const [index, published] of reportEvents.entries()) {
      if (index < delivered) continue;
      delivered = index + 1;
      const event = {
        version: "0",
        id: `report-${index}`,
        "detail-type": REPORT_EVENT.detailType,
        source: REPORT_EVENT.source,
        account: "123456789012",
        time: new Date(published.time).toISOString(),
        region: "us-east-1",
        resources: [],
        detail: JSON.parse(published.detail) as Report,
      } satisfies ReportEvent;
      for (let copy = 0; copy < faults.deliveries; copy++) {
        if (copy > 0) faults.record({ kind: "duplicate-events", copies: faults.deliveries });
        await invokeAsync("the report store", store, event);
      }
    }
  };
  const reconciled = () =>
    stack.reportBucket.reportsOf(execution.name).length > 0 &&
    stack.locks.heldByNow(execution.name).length === 0 &&
    [...account.fis.experiments.values()].every(
      (e) =>
        e.tags[EXECUTION_TAG] !== execution.name || !startedBy(execution.stateMachineArn)(e) || isTerminal(e.status),
    );

  await deliverReports();
  if (endedWithoutCleanup(execution.status) && !faults.losesStatusEvent()) {
    clock.advance(1_000);
    await invokeAsync("the orphan guard", guard, statusChangeEvent(execution));
    await deliverReports();
  }
  // The scheduled sweeps, whether or not the event arrived, until the execution is reconciled or drops out of the
  // sweep's lookback. Each sweep after the first also lets FIS finish stopping what an earlier one stopped.
  for (let sweep = 0; sweep < SWEEPS_PER_LOOKBACK; sweep++) {
    if (sweep > 0 && reconciled()) break;
    clock.advance(SWEEP_INTERVAL_SECONDS * 1000);
    await invokeAsync("the orphan guard's sweep", guard, { sweep: true as const });
    await deliverReports();
  }
  // FIS takes a few seconds to finish stopping; reading the experiments brings FIS up to the clock.
  clock.advance(60_000);
  await account.fis.listLive(EXECUTION_TAG);

  const stored = stack.reportBucket.reportsOf(execution.name);
  const body = stored[0] ? stack.reportBucket.objects.get(stored[0])?.body : undefined;
  return {
    reportsStored: stored.length,
    ...(body ? { storedReport: JSON.parse(body) as Report } : {}),
    deadLettered,
    deadLetters,
  };
}

/** The event Step Functions sends when an execution ends, as its developer guide shows it. */
function statusChangeEvent(
  execution: ExecutionDescription & { arn: string; stateMachineArn: string },
): ExecutionStatusEvent {
  return {
    version: "0",
    id: `status-${execution.name}`,
    "detail-type": "Step Functions Execution Status Change",
    source: "aws.states",
    account: "123456789012",
    time: new Date(execution.stoppedAt ?? execution.startedAt).toISOString(),
    region: "us-east-1",
    resources: [execution.arn],
    detail: {
      executionArn: execution.arn,
      stateMachineArn: execution.stateMachineArn,
      name: execution.name,
      status: execution.status,
      startDate: execution.startedAt,
      stopDate: execution.stoppedAt ?? null,
      input: execution.input ?? null,
    },
  };
}
