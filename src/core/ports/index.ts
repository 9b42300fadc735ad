/**
 * The small interfaces the core needs from the outside world. AWS adapters (src/aws) and the simulated
 * account (src/sim) both implement them; the core never knows which one it talks to.
 */
import type { AlarmState, Metric } from "../plan/schema";
import type { PermissionRequest } from "../permissions/experiment-role";
import type { Plan } from "../plan/schema";
import type { FisTarget } from "../template/schema";

/** Epoch milliseconds, half-open: [start, end). */
export interface TimeWindow {
  start: number;
  end: number;
}

export interface Clock {
  now(): number;
}

/** One entry of a GetMetricData request: a metric, or an expression over other entries' ids. */
export type MetricQuery =
  | { id: string; metric: Metric; returnData: boolean }
  | { id: string; expression: string; periodSeconds: number; returnData: boolean };

export interface MetricSeries {
  id: string;
  /** Ascending epoch milliseconds, one per period. */
  timestamps: number[];
  values: number[];
}

export interface MetricSource {
  /** All queries in as few calls as the service allows (GetMetricData takes 500 per call). */
  query(queries: MetricQuery[], window: TimeWindow): Promise<Map<string, MetricSeries>>;
  /** The current state of each named alarm; alarms that do not exist are left out. */
  alarmStates(alarmNames: string[]): Promise<Map<string, AlarmState>>;
  /**
   * An alarm's states over a window: its state when the window began (`at` = the window's start), then each change,
   * ascending. Empty when the alarm does not exist.
   */
  alarmHistory(alarmName: string, window: TimeWindow): Promise<AlarmStateChange[]>;
}

export interface AlarmStateChange {
  at: number;
  state: AlarmState;
}

export interface LatencyBucket {
  /** Upper edge of the bucket in milliseconds. */
  milliseconds: number;
  count: number;
}

export interface RequestStatistics {
  requests: number;
  /** 4xx responses. */
  errors: number;
  /** 5xx responses. */
  faults: number;
  throttles: number;
  latency: LatencyBucket[];
}

/** Requests between two services, as the X-Ray service graph draws an edge. */
export interface ServiceEdge {
  from: string;
  to: string;
  statistics: RequestStatistics;
}

export interface ServiceGraph {
  services: Map<string, RequestStatistics>;
  edges: ServiceEdge[];
}

/** A node or an edge of the service graph. */
export type TraceEntity = { service: string } | { from: string; to: string };

export interface TimedStatistics {
  /** Epoch milliseconds: the start of the period. */
  timestamp: number;
  statistics: RequestStatistics;
}

/** Statistics of a capped sample of trace summaries, with the services X-Ray names as the faults' root causes. */
export interface TraceSample extends RequestStatistics {
  /** Root-cause service name to the number of sampled traces it caused a fault in. */
  faultRootCauses: Record<string, number>;
  /** True when the page cap cut the sample short: rates are estimates from the traces read. */
  capped: boolean;
}

export interface TraceSource {
  /** Services and edges from the X-Ray service graph: cheap aggregates, one call (per page) per window. */
  serviceGraph(window: TimeWindow): Promise<ServiceGraph>;
  /** One service's or edge's statistics per period (X-Ray time-series service statistics). */
  entityTimeSeries(entity: TraceEntity, window: TimeWindow, periodSeconds: number): Promise<TimedStatistics[]>;
  /** Statistics of the traces matching a filter expression, from a capped sample of trace summaries. */
  filteredStatistics(filterExpression: string, window: TimeWindow): Promise<TraceSample>;
}

export const TERMINAL_EXPERIMENT_STATES = ["completed", "stopped", "failed", "cancelled"] as const;
export type ExperimentState =
  "pending" | "initiating" | "running" | "stopping" | (typeof TERMINAL_EXPERIMENT_STATES)[number];

export const isTerminal = (status: string) => (TERMINAL_EXPERIMENT_STATES as readonly string[]).includes(status);

export interface ExperimentActionView {
  name: string;
  actionId: string;
  status: string;
  /** The action's target keys → the template's target names (GetExperiment's `actions.<name>.targets`). */
  targets?: Record<string, string>;
  reason?: string;
  startTime?: string;
  endTime?: string;
}

export interface ExperimentView {
  id: string;
  templateId: string;
  status: ExperimentState;
  reason?: string;
  startTime?: string;
  endTime?: string;
  tags: Record<string, string>;
  actions: ExperimentActionView[];
  /** The ARNs of the CloudWatch alarms the experiment has as stop conditions. */
  stopConditionAlarms?: string[];
}

/** What a Lambda needs of FIS; starting experiments is the state machine's job. */
export interface ExperimentControl {
  get(experimentId: string): Promise<ExperimentView>;
  stop(experimentId: string): Promise<void>;
  /**
   * Experiments carrying this tag, across all templates (FIS lists cannot filter by tag, so this pages through).
   * `alsoTagged` narrows the list by the summaries' tags before any experiment is read: IAM denies reading another
   * stack's experiments, so they must never be asked for.
   */
  listTagged(tagKey: string, tagValue: string, alsoTagged?: Record<string, string>): Promise<ExperimentView[]>;
  /** Experiments not yet ended that carry `tagKey`, whatever its value (and `alsoTagged`, as above). */
  listLive(tagKey: string, alsoTagged?: Record<string, string>): Promise<ExperimentView[]>;
  /**
   * What FIS resolved each target of the experiment to, by target name (ListExperimentResolvedTargets): the
   * resources the experiment acted on, read once for the report.
   */
  resolvedTargets(experimentId: string): Promise<Record<string, string[]>>;
  /**
   * Every experiment of the account and Region that has not ended, whoever started it (another stack, a person), as
   * ListExperiments summarizes it: no experiment is read in full, so none this stack may not read is asked for.
   */
  liveSummaries(): Promise<LiveExperimentSummary[]>;
}

export interface LiveExperimentSummary {
  id: string;
  tags: Record<string, string>;
  /** Epoch milliseconds, when FIS says. */
  createdAt?: number;
}

export type ExecutionStatus = "RUNNING" | "SUCCEEDED" | "FAILED" | "TIMED_OUT" | "ABORTED" | "PENDING_REDRIVE";

/** One execution of the game-day state machine, as DescribeExecution tells it. */
export interface ExecutionDescription {
  name: string;
  status: ExecutionStatus;
  /** The error the execution failed with (`GameDay.Error`, `States.Timeout`, ...), and its cause. */
  error?: string;
  cause?: string;
  startedAt: number;
  stoppedAt?: number;
  input?: string;
}

/** Step Functions executions of the game-day state machine, by name. */
export interface ExecutionLookup {
  describe(executionName: string): Promise<ExecutionDescription | undefined>;
  /** Executions that ended (SUCCEEDED, FAILED, TIMED_OUT or ABORTED) at or after `since` (epoch ms), described. */
  listEnded(since: number): Promise<ExecutionDescription[]>;
  /**
   * The report the execution built, as Step Functions keeps it: a SUCCEEDED execution's output, else the report
   * its "Publish the report" step was given (execution history). Undefined when it built none.
   */
  builtReport(executionName: string): Promise<unknown>;
}

/** Plans that ship with the deployment (or sit in the working directory when rehearsing). */
export interface PlanCatalog {
  load(name: string): Promise<unknown>;
}

/** Turns a plan's template reference into the id of an FIS experiment template. */
export interface TemplateCatalog {
  resolve(reference: { id: string } | { name: string } | { file: string }): Promise<string>;
}

export type { Plan };

/** Who holds a lock: the game day that took it, and until when the hold is good without release. */
export interface LockHolder {
  executionName: string;
  planName: string;
  /** Epoch milliseconds. */
  startedAt: number;
  /** Epoch milliseconds: the game day's deadline. A lock past it is free, however its holder ended. */
  expiresAt: number;
}

/** Run locks (DynamoDB in AWS): one item per key, taken with a conditional write. */
export interface RunLocks {
  /** Takes `key` for `holder` unless another game day holds it unexpired at `now`; answers that game day then. */
  take(key: string, holder: LockHolder, now: number): Promise<LockHolder | undefined>;
  /** Gives `key` back if `executionName` holds it; a key held by anyone else is left alone. */
  release(key: string, executionName: string): Promise<void>;
  /** The keys `executionName` holds. */
  heldBy(executionName: string): Promise<string[]>;
}

/** What an experiment template targets, as far as the account can tell before FIS resolves the targets. */
export interface TargetDirectory {
  /** The template's targets, or undefined when its body cannot be read. */
  templateTargets(templateId: string): Promise<Record<string, FisTarget> | undefined>;
  /**
   * ARNs of the resources of an FIS resource type carrying every one of `tags` (the Resource Groups Tagging API in
   * AWS). Called only for the types in TAG_LISTABLE_RESOURCE_TYPES.
   */
  taggedResources(resourceType: string, tags: Record<string, string>): Promise<string[]>;
  /**
   * The same resources with all their tags (what IAM's tag conditions read). Without it, a resource is known to
   * carry only the tags it was selected by.
   */
  taggedResourcesWithTags?(
    resourceType: string,
    tags: Record<string, string>,
  ): Promise<{ arn: string; tags: Record<string, string> }[]>;
}

export interface TemplateActions {
  roleArn: string;
  /** The ARNs of the CloudWatch alarms among its stop conditions. */
  stopConditionAlarms?: string[];
  actions: { name: string; actionId: string; targets: Record<string, string> }[];
}

/** CloudWatch alarm mute rules: alarm actions silenced for a window while the alarms keep evaluating. */
export interface AlarmMutes {
  /** Puts (or replaces) a one-time rule muting these alarms' actions from `start` for `minutes`. */
  mute(rule: string, alarms: readonly string[], start: number, minutes: number): Promise<void>;
  /** Deletes the rule; one already gone is not an error. */
  unmute(rule: string): Promise<void>;
}

/**
 * Where the account sends its spans (X-Ray's trace segment destination) and, under CloudWatch Logs (Transaction
 * Search), what share of them X-Ray indexes as trace summaries.
 */
export interface TraceDestination {
  current(): Promise<{ destination: "XRay" | "CloudWatchLogs"; status: string; indexedPercent?: number }>;
}

/**
 * What a template's experiment role may do: the template's role and actions (FIS), and IAM's policy simulator's
 * answer for the calls they need, asked read-only before anything is injected.
 */
export interface PermissionCheck {
  /** The template's experiment role and actions (each with its targets by key), or undefined when unreadable. */
  templateActions(templateId: string): Promise<TemplateActions | undefined>;
  /** The requests the role may not make, each with IAM's decision (implicitDeny, explicitDeny). */
  denied(
    roleArn: string,
    requests: readonly PermissionRequest[],
  ): Promise<{ request: PermissionRequest; decision: string }[]>;
}

/** Everything a game-day Lambda may need; each handler uses a subset. */
/** AWS Systems Manager Change Calendars: whether changes may be made now. */
export interface ChangeCalendars {
  /**
   * The calendar's state now, and when it next changes if it will. A calendar SSM does not know fails with
   * UnknownCalendarError.
   */
  state(calendar: string): Promise<{ state: "OPEN" | "CLOSED"; nextTransitionTime?: string }>;
}

export interface HandlerPorts {
  clock: Clock;
  metrics: MetricSource;
  traces: TraceSource;
  experiments: ExperimentControl;
  plans: PlanCatalog;
  templates: TemplateCatalog;
  locks: RunLocks;
  targets: TargetDirectory;
  calendars: ChangeCalendars;
  permissions: PermissionCheck;
  traceDestination: TraceDestination;
  mutes: AlarmMutes;
  /** Where the report step stores the whole report (the report bucket's pending/ prefix). */
  outbox: Pick<ReportStore, "put">;
}

/** Where stored reports live (S3 in AWS). */
export interface ReportStore {
  /** Writes the object unless one already exists under the key; says which happened. */
  putIfAbsent(key: string, body: string, contentType: string): Promise<"stored" | "already-stored">;
  /** Writes the object, replacing any under the key. */
  put(key: string, body: string, contentType: string): Promise<void>;
  /** The object's body, or undefined when there is none. */
  get(key: string): Promise<string | undefined>;
}

/** The per-plan CloudWatch dashboards the stack deploys (dashboard bodies are JSON strings). */
export interface DashboardStore {
  /** The dashboard's body, or undefined when the stack has no dashboard of that name. */
  get(name: string): Promise<string | undefined>;
  put(name: string, body: string): Promise<void>;
}
