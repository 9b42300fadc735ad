import { carriesTags } from "../src/core/gameday/state";
import type { ReportPublisher } from "../src/core/report/model";
import { SimulatedReportBucket } from "../src/sim/report-bucket";
import {
  isTerminal,
  type ExecutionDescription,
  type ExecutionLookup,
  type ExperimentControl,
  type ExperimentView,
} from "../src/core/ports";
import type { Report } from "../src/core/report/model";

/** The simulated report bucket, with a write that fails once per listed key (a lost S3 request). */
export class MemoryStore extends SimulatedReportBucket {
  writes = 0;
  constructor(private failOnce = new Set<string>()) {
    super();
  }
  override async putIfAbsent(key: string, body: string, contentType: string) {
    this.writes += 1;
    if (this.failOnce.delete(key)) throw Object.assign(new Error("InternalError"), { name: "InternalError" });
    return super.putIfAbsent(key, body, contentType);
  }
}

/** FIS as the orphan guard sees it: experiments by id, stop requests recorded. */
export class FakeExperiments implements Pick<ExperimentControl, "listTagged" | "listLive" | "stop"> {
  readonly stopRequests: string[] = [];
  constructor(readonly experiments: ExperimentView[]) {}
  async listTagged(key: string, value: string, alsoTagged: Record<string, string> = {}) {
    return this.experiments.filter((e) => e.tags[key] === value && carriesTags(e.tags, alsoTagged));
  }
  async listLive(key: string, alsoTagged: Record<string, string> = {}) {
    return this.experiments.filter(
      (e) => e.tags[key] !== undefined && !isTerminal(e.status) && carriesTags(e.tags, alsoTagged),
    );
  }
  async stop(id: string) {
    this.stopRequests.push(id);
  }
}

/** Step Functions executions by name, as DescribeExecution would describe them. */
export class FakeExecutions implements ExecutionLookup {
  constructor(
    readonly executions: ExecutionDescription[] = [],
    /** The report each execution built, by name, as its output or history holds it. */
    readonly built: Record<string, unknown> = {},
  ) {}
  async describe(name: string) {
    return this.executions.find((e) => e.name === name);
  }
  async listEnded(since: number) {
    return this.executions.filter((e) => e.status !== "RUNNING" && (e.stoppedAt ?? 0) >= since);
  }
  async builtReport(name: string) {
    return this.built[name];
  }
}

export class RecordingPublisher implements ReportPublisher {
  readonly published: Report[] = [];
  async publish(report: Report) {
    this.published.push(report);
  }
}
