import { endedWithoutCleanup } from "../src/core/gameday/orphans";
import {
  isTerminal,
  type ExecutionDescription,
  type ExecutionLookup,
  type ExperimentControl,
  type ExperimentView,
  type ReportPublisher,
  type ReportStore,
} from "../src/core/ports";
import type { Report } from "../src/core/report/model";

/** An in-memory bucket with S3's conditional-write semantics, failing the first write of a key if asked. */
export class MemoryStore implements ReportStore {
  readonly objects = new Map<string, { body: string; contentType: string }>();
  writes = 0;
  constructor(private failOnce = new Set<string>()) {}
  async putIfAbsent(key: string, body: string, contentType: string) {
    this.writes += 1;
    if (this.failOnce.delete(key)) throw Object.assign(new Error("InternalError"), { name: "InternalError" });
    if (this.objects.has(key)) return "already-stored" as const;
    this.objects.set(key, { body, contentType });
    return "stored" as const;
  }
}

/** FIS as the orphan guard sees it: experiments by id, stop requests recorded. */
export class FakeExperiments implements Pick<ExperimentControl, "listTagged" | "listLive" | "stop"> {
  readonly stopRequests: string[] = [];
  constructor(readonly experiments: ExperimentView[]) {}
  async listTagged(key: string, value: string) {
    return this.experiments.filter((e) => e.tags[key] === value);
  }
  async listLive(key: string) {
    return this.experiments.filter((e) => e.tags[key] !== undefined && !isTerminal(e.status));
  }
  async stop(id: string) {
    this.stopRequests.push(id);
  }
}

/** Step Functions executions by name, as DescribeExecution would describe them. */
export class FakeExecutions implements ExecutionLookup {
  constructor(readonly executions: ExecutionDescription[] = []) {}
  async describe(name: string) {
    return this.executions.find((e) => e.name === name);
  }
  async listEndedWithoutCleanup(since: number) {
    return this.executions.filter((e) => endedWithoutCleanup(e.status) && (e.stoppedAt ?? 0) >= since);
  }
}

export class RecordingPublisher implements ReportPublisher {
  readonly published: Report[] = [];
  async publish(report: Report) {
    this.published.push(report);
  }
}
