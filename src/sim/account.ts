import { DEFAULT_STACK_NAME, stateMachineNameOf } from "../core/contract/stack-names";
import type { Clock } from "../core/ports";
import { ServiceError, SimulatedFis } from "./fis";
import { SimulatedReportBucket } from "./report-bucket";
import { SimulatedLockTable, simulatedTargetDirectory } from "./locks";
import type { ChangeCalendars, TargetDirectory } from "../core/ports";
import { simulatedChangeCalendars } from "./change-calendars";
import { SimulatedMetrics } from "./cloudwatch";
import { SimulatedTraces } from "./xray";
import { World } from "./world";
import type { WorldDefinition } from "./world-schema";

/** Time in a rehearsal: moves only when the runner says so (a Wait state, a retry backoff). */
export class VirtualClock implements Clock {
  constructor(private current: number) {}
  now(): number {
    return this.current;
  }
  advance(milliseconds: number): void {
    if (milliseconds > 0) this.current += milliseconds;
  }
}

export const MAX_PUT_EVENTS_ENTRIES = 10;
export const MAX_PUT_EVENTS_BYTES = 256 * 1024;

/** A PutEvents entry's size as EventBridge's user guide counts it ("Calculating PutEvents event entry size"). */
export const putEventsEntrySize = (entry: { source: string; detailType: string; detail: string }) =>
  14 + Buffer.byteLength(entry.source) + Buffer.byteLength(entry.detailType) + Buffer.byteLength(entry.detail);

/** One entry's answer: its event id, or the error EventBridge failed it with. */
export type PutEventsEntryResult = { eventId: string } | { errorCode: string; errorMessage: string };

export interface PublishedEvent {
  source: string;
  detailType: string;
  detail: string;
  eventBusName: string;
  time: number;
}

/**
 * One simulated AWS account: the workload, FIS, CloudWatch, X-Ray, an EventBridge bus, the report bucket and the
 * run-lock table, on one clock.
 */
/** The state machine a rehearsal runs unless told otherwise: the default stack's. */
export const DEFAULT_STATE_MACHINE = `arn:aws:states:us-east-1:123456789012:stateMachine:${stateMachineNameOf(DEFAULT_STACK_NAME)}`;

export class SimulatedAccount {
  readonly clock: VirtualClock;
  readonly world: World;
  readonly fis: SimulatedFis;
  readonly metrics: SimulatedMetrics;
  readonly traces: SimulatedTraces;
  readonly events: PublishedEvent[] = [];
  /** What the stack's notification topic was sent (approval requests). */
  readonly notifications: {
    topicArn: string;
    subject: string;
    message: string;
    attributes: Record<string, string>;
    at: number;
  }[] = [];
  readonly reportBucket = new SimulatedReportBucket();
  /** The default stack's run-lock table and report bucket; every stack deploys its own (see stackOf). */
  readonly locks = new SimulatedLockTable();
  private readonly otherStacks = new Map<string, { locks: SimulatedLockTable; reportBucket: SimulatedReportBucket }>();

  /** The run-lock table and report bucket of the stack whose state machine this is: never shared between stacks. */
  stackOf(stateMachine: string): { locks: SimulatedLockTable; reportBucket: SimulatedReportBucket } {
    if (stateMachine === DEFAULT_STATE_MACHINE) return { locks: this.locks, reportBucket: this.reportBucket };
    let stack = this.otherStacks.get(stateMachine);
    if (!stack)
      this.otherStacks.set(
        stateMachine,
        (stack = { locks: new SimulatedLockTable(), reportBucket: new SimulatedReportBucket() }),
      );
    return stack;
  }
  readonly targets: TargetDirectory;
  readonly calendars: ChangeCalendars;

  constructor(
    definition: WorldDefinition,
    readonly seed: number,
  ) {
    const start = Date.parse(definition.start);
    this.clock = new VirtualClock(start);
    this.world = new World(definition, seed, start);
    const now = () => this.clock.now();
    this.fis = new SimulatedFis(this.world, now);
    this.metrics = new SimulatedMetrics(this.world, now);
    this.fis.watchStopConditions((name, at) => this.metrics.alarmStateByName(name, at));
    this.traces = new SimulatedTraces(this.world, now);
    this.targets = simulatedTargetDirectory(this.world, this.fis);
    this.calendars = simulatedChangeCalendars(definition, now);
  }

  /** Puts an event on a bus, stamped with the account's time; answers its event id. */
  /**
   * EventBridge PutEvents: at most 10 entries whose total size, counted as AWS counts it (Source, DetailType and
   * Detail in UTF-8 bytes, 14 for a Time), is under 256 KB, or the whole request is refused. AWS raised the limit
   * for event buses to 1 MB in January 2026; the API reference (botocore's PutEvents) still says 256 KB, and the
   * rehearsal holds to the stricter figure.
   */
  putEvents(entries: Omit<PublishedEvent, "time">[], entryFails: () => boolean = () => false): PutEventsEntryResult[] {
    if (entries.length < 1 || entries.length > MAX_PUT_EVENTS_ENTRIES)
      throw new ServiceError("events", "ValidationException", `PutEvents takes 1 to ${MAX_PUT_EVENTS_ENTRIES} entries`);
    const size = entries.reduce((n, e) => n + putEventsEntrySize(e), 0);
    if (size > MAX_PUT_EVENTS_BYTES)
      throw new ServiceError(
        "events",
        "ValidationException",
        `Total size of the entries in the request is over the limit (${size} bytes; at most ${MAX_PUT_EVENTS_BYTES}).`,
      );
    return entries.map((event) => {
      if (entryFails()) return { errorCode: "InternalFailure", errorMessage: "The entry could not be put." };
      this.events.push({ ...event, time: this.clock.now() });
      return { eventId: `${this.events.length.toString(16).padStart(8, "0")}-gameday` };
    });
  }
}
