import { chartLibrary } from "../assets/chart-library";
import { createGuardOrphans, type ExecutionStatusEvent } from "../../lambdas/guard-orphans";
import { createStoreReport, type ReportEvent } from "../../lambdas/store-report";
import { endedWithoutCleanup } from "../core/gameday/orphans";
import { EXECUTION_TAG } from "../core/gameday/state";
import type { ExecutionDescription, ReportPublisher } from "../core/ports";
import type { Report } from "../core/report/model";
import { REPORT_EVENT } from "../core/report/storage";
import type { SimulatedAccount } from "../sim/account";
import type { FaultInjector } from "../sim/faults";
import { throughSdk } from "./through-sdk";

/** Lambda retries a failed asynchronous invocation twice; then the event goes to the on-failure destination. */
const ASYNC_INVOKE_ATTEMPTS = 3;
/** The stack's schedule sweeps for orphaned experiments this often. */
export const SWEEP_INTERVAL_SECONDS = 300;

export interface Aftermath {
  /** Report objects stored for this execution: exactly one is the invariant. */
  reportsStored: number;
  /** The stored report (the one users read), if any. */
  storedReport?: Report;
  /** Asynchronous invocations that failed every attempt and went to the dead-letter queue. */
  deadLettered: number;
}

/**
 * What happens in the account after an execution ends, as the deployed stack wires it: the status-change event
 * reaches the orphan guard (for FAILED, TIMED_OUT and ABORTED executions), the next scheduled sweep runs, and
 * every report event on the bus reaches the store function, once or more (EventBridge delivers at least once).
 */
export async function runAftermath(
  account: SimulatedAccount,
  faults: FaultInjector,
  execution: ExecutionDescription & { arn: string; stateMachineArn: string },
  reportBus: string,
): Promise<Aftermath> {
  const clock = account.clock;
  let deadLettered = 0;
  const invokeAsync = async <E>(handler: (event: E) => Promise<unknown>, event: E) => {
    for (let attempt = 1; attempt <= ASYNC_INVOKE_ATTEMPTS; attempt++) {
      try {
        return await handler(event);
      } catch {
        clock.advance(60_000 * attempt);
      }
    }
    deadLettered += 1;
    return undefined;
  };

  const ended = endedWithoutCleanup(execution.status);
  const bus = throughSdk(
    {
      publish: async (report: Report) => {
        account.putEvent({
          source: REPORT_EVENT.source,
          detailType: REPORT_EVENT.detailType,
          detail: JSON.stringify(report),
          eventBusName: reportBus,
        });
      },
    } satisfies ReportPublisher,
    ["publish"],
    "events",
    faults,
  );
  const guard = createGuardOrphans({
    experiments: throughSdk(account.fis, ["listTagged", "listLive", "stop"], "fis", faults),
    locks: throughSdk(account.locks, ["heldBy", "release"], "dynamodb", faults),
    executions: {
      describe: async (name) => (name === execution.name ? execution : undefined),
      listEndedWithoutCleanup: async (since) => (ended && (execution.stoppedAt ?? 0) >= since ? [execution] : []),
    },
    publisher: bus,
    clock,
  });

  if (ended && !faults.losesStatusEvent()) {
    clock.advance(1_000);
    await invokeAsync(guard, statusChangeEvent(execution));
  }
  // The next scheduled sweep, whether or not the event arrived.
  clock.advance(SWEEP_INTERVAL_SECONDS * 1000);
  await invokeAsync(guard, { sweep: true as const });
  // FIS takes a few seconds to finish stopping; reading the experiments brings FIS up to the clock.
  clock.advance(60_000);
  await account.fis.listLive(EXECUTION_TAG);

  const store = createStoreReport({
    store: throughSdk(account.reportBucket, ["putIfAbsent", "put", "get"], "s3", faults),
    metrics: { record: () => undefined },
    chart: chartLibrary(),
  });
  const reportEvents = account.events.filter(
    (e) => e.eventBusName === reportBus && e.source === REPORT_EVENT.source && e.detailType === REPORT_EVENT.detailType,
  );
  for (const [index, published] of reportEvents.entries()) {
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
      await invokeAsync(store, event);
    }
  }

  const stored = account.reportBucket.reportsOf(execution.name);
  const body = stored[0] ? account.reportBucket.objects.get(stored[0])?.body : undefined;
  return {
    reportsStored: stored.length,
    ...(body ? { storedReport: JSON.parse(body) as Report } : {}),
    deadLettered,
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
