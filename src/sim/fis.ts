import { carriesTags } from "../core/gameday/state";
import { NOT_SIMULATED_REASON } from "../core/contract/rehearsal";
import type {
  ExperimentControl,
  ExperimentView,
  ExperimentState,
  LiveExperimentSummary,
  TemplateActions,
} from "../core/ports";
import { alreadyStopping } from "../core/gameday/stop-refusal";
import { isTerminal } from "../core/ports";
import { alarmNameOfArn, stopConditionAlarmArns } from "../core/probes/alarms";
import type { AlarmState } from "../core/plan/schema";
import type { FisTemplate } from "../core/template/schema";
import { ACTION_MODELS } from "./fis-actions";
import { resolveTarget, type SimResource } from "./resources";
import type { World } from "./world";

/** An AWS error as the service would return it: the name is the exception type. */
export class ServiceError extends Error {
  constructor(
    readonly service: string,
    name: string,
    message: string,
    readonly statusCode = 400,
  ) {
    super(message);
    this.name = name;
  }
}

/**
 * How the simulated FIS words an experiment the safety lever ended. FIS's own wording is not documented; the
 * verdict recognises any reason that names the safety lever.
 */
export const LEVER_STOPPED = "Stopped by the safety lever";
export const LEVER_CANCELLED = "Cancelled: the safety lever is engaged";

interface SimAction {
  name: string;
  actionId: string;
  parameters: Record<string, string>;
  targets: Record<string, string>;
  startAfter: string[];
  status: string;
  reason?: string;
  startTime?: number;
  endTime?: number;
}

export interface SimExperiment {
  id: string;
  templateId: string;
  clientToken: string;
  status: ExperimentState;
  reason?: string;
  creationTime: number;
  startTime?: number;
  endTime?: number;
  tags: Record<string, string>;
  actionsMode: string;
  actions: SimAction[];
  resolved: Record<string, SimResource[]>;
  /** The ARNs of the CloudWatch alarms among the template's stop conditions. */
  stopConditionAlarms: string[];
  /** Actions the experiment role may not run, with IAM's answer: each fails when it would start. */
  deniedActions?: Record<string, string>;
}

export interface UnmodeledAction {
  experimentId: string;
  action: string;
  actionId: string;
}

const SECOND = 1000;
/** How often the simulated FIS looks at stop-condition alarms while an experiment runs. */
const STOP_CONDITION_CHECK_SECONDS = 10;

/** AWS's default quota of active experiments per account and Region. */
const ACTIVE_EXPERIMENT_QUOTA = 5;

/** FIS in the simulated account: templates, experiments and their actions, on the world's clock. */
export class SimulatedFis implements ExperimentControl {
  readonly templates = new Map<string, FisTemplate>();
  /** Which file each template was loaded from (its name without .json), where the rehearsal knows it. */
  private readonly templateFiles = new Map<string, string>();
  readonly experiments = new Map<string, SimExperiment>();
  /** StartExperiment calls refused because the account's quota of active experiments was full. */
  quotaRefusals = 0;
  readonly unmodeledActions: UnmodeledAction[] = [];
  private readonly byToken = new Map<string, string>();
  private sequence = 0;
  private alarmState: (alarmName: string, at: number) => string | undefined = () => undefined;

  constructor(
    private readonly world: World,
    private readonly now: () => number,
  ) {}

  /** Where the simulated FIS reads the state of a stop-condition alarm. */
  watchStopConditions(alarmState: (alarmName: string, at: number) => string | undefined): void {
    this.alarmState = alarmState;
  }

  registerTemplate(id: string, template: FisTemplate, fileName?: string): void {
    this.templates.set(id, template);
    if (fileName) this.templateFiles.set(id, fileName);
  }

  /** The id of the template loaded from `<fileName>.json`: the stack deploys it as `Template-<fileName>`. */
  templateIdOfFile(fileName: string): string | undefined {
    for (const [id, file] of this.templateFiles) if (file === fileName) return id;
    return undefined;
  }

  private sync(): number {
    const now = this.now();
    this.world.advanceTo(now);
    return now;
  }

  startExperiment(request: {
    clientToken: string;
    experimentTemplateId: string;
    actionsMode?: string;
    tags?: Record<string, string>;
  }): SimExperiment {
    const now = this.sync();
    const known = this.byToken.get(request.clientToken);
    // Idempotency: a retried StartExperiment with the same token returns the same experiment.
    if (known) return this.experiments.get(known)!;
    const template = this.templates.get(request.experimentTemplateId);
    if (!template) {
      throw new ServiceError(
        "fis",
        "ResourceNotFoundException",
        `Experiment template ${request.experimentTemplateId} not found`,
        404,
      );
    }
    const active = [...this.experiments.values()].filter((e) => !isTerminal(e.status)).length;
    if (active >= ACTIVE_EXPERIMENT_QUOTA) {
      this.quotaRefusals += 1;
      throw new ServiceError(
        "fis",
        "ServiceQuotaExceededException",
        "Maximum number of active experiments reached",
        402,
      );
    }
    this.sequence += 1;
    const id = `EXP${this.world.seed.toString(36)}${this.sequence.toString().padStart(4, "0")}gD`;
    const experiment: SimExperiment = {
      id,
      templateId: request.experimentTemplateId,
      clientToken: request.clientToken,
      status: "initiating",
      creationTime: now,
      tags: { ...(template.tags ?? {}), ...(request.tags ?? {}) },
      actionsMode: request.actionsMode ?? "run-all",
      actions: Object.entries(template.actions).map(([name, a]) => ({
        name,
        actionId: a.actionId,
        parameters: a.parameters ?? {},
        targets: a.targets ?? {},
        startAfter: a.startAfter ?? [],
        status: "pending",
      })),
      resolved: {},
      stopConditionAlarms: stopConditionAlarmArns(template.stopConditions),
    };
    this.experiments.set(id, experiment);
    this.byToken.set(request.clientToken, id);
    if (this.lever.status === "engaged") {
      // Started while the lever is engaged: FIS takes the request and cancels the experiment.
      for (const action of experiment.actions) action.status = "cancelled";
      this.finish(experiment, "cancelled", now, `${LEVER_CANCELLED}: ${this.lever.reason ?? ""}`.trim());
      return experiment;
    }
    this.world.schedule(now + 5 * SECOND, () => this.begin(experiment, template, now + 5 * SECOND));
    return experiment;
  }

  private begin(experiment: SimExperiment, template: FisTemplate, at: number): void {
    if (experiment.status !== "initiating") return;
    const skipEmpty = template.experimentOptions?.emptyTargetResolutionMode === "skip";
    for (const [name, target] of Object.entries(template.targets)) {
      const resources = resolveTarget(this.world, target, `${experiment.id}/${name}`);
      experiment.resolved[name] = resources;
      if (resources.length === 0 && !skipEmpty) {
        this.finish(experiment, "failed", at, `Target resolution returned empty set for target ${name}.`);
        for (const action of experiment.actions) action.status = "cancelled";
        return;
      }
    }
    experiment.status = "running";
    experiment.startTime = at;
    this.checkStopConditions(experiment, at);
    if (experiment.status !== "running") return;
    for (const action of experiment.actions) {
      const names = Object.values(action.targets);
      const empty = names.some((n) => (experiment.resolved[n] ?? []).length === 0);
      if (experiment.actionsMode === "skip-all" || empty) {
        action.status = "skipped";
        action.reason =
          experiment.actionsMode === "skip-all" ? "Actions mode is skip-all." : "Target resolution returned empty set.";
      }
    }
    this.startReadyActions(experiment, at);
  }

  private startReadyActions(experiment: SimExperiment, at: number): void {
    if (experiment.status !== "running") return;
    const done = (name: string) =>
      ["completed", "skipped"].includes(experiment.actions.find((a) => a.name === name)?.status ?? "");
    let skippedAny = false;
    for (const action of experiment.actions) {
      if (action.status !== "pending" || !action.startAfter.every(done)) continue;
      const denied = experiment.deniedActions?.[action.name];
      if (denied) return this.failOnAction(experiment, action, at, denied);
      action.status = "running";
      action.startTime = at;
      const targets = Object.fromEntries(
        Object.entries(action.targets).map(([key, name]) => [key, experiment.resolved[name] ?? []]),
      );
      const model = ACTION_MODELS[action.actionId];
      const seconds =
        model?.({
          world: this.world,
          targets,
          parameters: action.parameters,
          at,
          key: `${experiment.id}/${action.name}`,
          actionId: action.actionId,
          alarmState: (name) => this.alarmState(name, at) as AlarmState | undefined,
        }) ?? null;
      if (seconds && typeof seconds === "object" && "failed" in seconds)
        return this.failOnAction(experiment, action, at, seconds.failed);
      if (typeof seconds !== "number") {
        // Nothing in the simulated workload changes, so nothing was injected: the action is skipped, and says why.
        this.unmodeledActions.push({ experimentId: experiment.id, action: action.name, actionId: action.actionId });
        action.status = "skipped";
        action.reason = `${NOT_SIMULATED_REASON}: nothing was injected in the rehearsal.${seconds ? ` ${seconds.notModeled}` : ""}`;
        action.endTime = at;
        skippedAny = true;
        continue;
      }
      const endAt = at + Math.max(1, seconds) * SECOND;
      this.world.schedule(endAt, () => this.completeAction(experiment, action, endAt));
    }
    // A skipped action may be what a later action starts after.
    if (skippedAny) return this.startReadyActions(experiment, at);
    const settled = experiment.actions.every((a) =>
      ["completed", "skipped", "cancelled", "stopped", "failed"].includes(a.status),
    );
    if (settled) this.finish(experiment, "completed", at, "Experiment completed.");
  }

  /**
   * FIS stops a running experiment when one of its stop-condition alarms is in ALARM (fis/latest/userguide/
   * stop-conditions.html); checked at the start and every STOP_CONDITION_CHECK_SECONDS while it runs.
   */
  private checkStopConditions(experiment: SimExperiment, at: number): void {
    if (experiment.status !== "running" || !experiment.stopConditionAlarms.length) return;
    const firing = experiment.stopConditionAlarms.find((arn) => this.alarmState(alarmNameOfArn(arn), at) === "ALARM");
    if (firing) {
      this.stopNow(experiment, at, `Experiment stopped by stop condition: alarm ${firing} is in ALARM state.`);
      return;
    }
    const next = at + STOP_CONDITION_CHECK_SECONDS * SECOND;
    this.world.schedule(next, () => this.checkStopConditions(experiment, next));
  }

  private completeAction(experiment: SimExperiment, action: SimAction, at: number): void {
    if (action.status !== "running") return;
    action.status = "completed";
    action.endTime = at;
    this.startReadyActions(experiment, at);
  }

  /**
   * The account and Region's safety lever (FIS user guide, "Safety levers"): engaged, it stops every running
   * experiment (they end stopped) and every experiment started while it stays engaged ends cancelled.
   */
  lever: { status: "disengaged" | "engaged"; reason?: string } = { status: "disengaged" };

  /** `at` is given when the world engages it itself (a scheduled event), which must not move the world again. */
  engageLever(reason: string, at?: number): void {
    const now = at ?? this.sync();
    this.lever = { status: "engaged", reason };
    for (const experiment of this.experiments.values())
      if (!isTerminal(experiment.status) && experiment.status !== "stopping")
        this.stopNow(experiment, now, `${LEVER_STOPPED}: ${reason}`);
  }

  disengageLever(reason: string): void {
    this.lever = { status: "disengaged", reason };
  }

  private finish(experiment: SimExperiment, status: ExperimentState, at: number, reason: string): void {
    experiment.status = status;
    experiment.reason = reason;
    experiment.endTime = at;
  }

  stopExperiment(id: string): SimExperiment {
    const now = this.sync();
    const experiment = this.experiments.get(id);
    if (!experiment) throw new ServiceError("fis", "ResourceNotFoundException", `Experiment ${id} not found`, 404);
    // FIS's API model lists ValidationException and ResourceNotFoundException for StopExperiment, nothing else.
    if (isTerminal(experiment.status) || experiment.status === "stopping") {
      throw new ServiceError(
        "fis",
        "ValidationException",
        `Experiment ${id} is ${experiment.status} and cannot be stopped`,
        400,
      );
    }
    this.stopNow(experiment, now, "Experiment stopped.");
    return experiment;
  }

  /** Stopping takes FIS a few seconds: actions stop, their effects end, then the experiment is stopped. */
  private stopNow(experiment: SimExperiment, now: number, reason: string): void {
    experiment.status = "stopping";
    for (const action of experiment.actions) {
      if (action.status === "running") action.status = "stopping";
      if (action.status === "pending") action.status = "cancelled";
    }
    const at = now + 5 * SECOND;
    this.world.schedule(at, () => {
      for (const action of experiment.actions) {
        if (action.status !== "stopping") continue;
        action.status = "stopped";
        action.endTime = at;
        this.world.endEffects(`${experiment.id}/${action.name}`, at);
      }
      this.finish(experiment, "stopped", at, reason);
    });
  }

  /**
   * An action the experiment role may not run fails as it starts, and FIS fails the experiment: its other actions
   * are cancelled or stopped, their effects end.
   */
  private failOnAction(experiment: SimExperiment, failed: SimAction, at: number, reason: string): void {
    failed.status = "failed";
    failed.reason = reason;
    failed.startTime = at;
    failed.endTime = at;
    for (const action of experiment.actions) {
      if (action.status === "running") {
        action.status = "stopped";
        action.endTime = at;
      } else if (action.status === "pending") action.status = "cancelled";
      this.world.endEffects(`${experiment.id}/${action.name}`, at);
    }
    this.finish(experiment, "failed", at, `Action ${failed.name} failed: ${reason}`);
  }

  /**
   * What an experiment's actions will act on, resolved now as FIS resolves them when it begins (the same keyed
   * selection): the rehearsal authorizes the experiment role on them before the experiment begins.
   */
  /** A template's experiment role and actions, as GetExperimentTemplate describes them. */
  templateActions(templateId: string): TemplateActions | undefined {
    const template = this.templates.get(templateId);
    if (!template) return undefined;
    return {
      roleArn: template.roleArn,
      stopConditionAlarms: stopConditionAlarmArns(template.stopConditions),
      actions: Object.entries(template.actions).map(([name, a]) => ({
        name,
        actionId: a.actionId,
        targets: a.targets ?? {},
      })),
    };
  }

  plannedTargets(id: string): { action: string; actionId: string; resources: SimResource[] }[] {
    const experiment = this.experiments.get(id);
    const template = experiment ? this.templates.get(experiment.templateId) : undefined;
    if (!experiment || !template) return [];
    return experiment.actions.map((action) => ({
      action: action.name,
      actionId: action.actionId,
      resources: Object.values(action.targets).flatMap((name) =>
        template.targets[name] ? resolveTarget(this.world, template.targets[name]!, `${experiment.id}/${name}`) : [],
      ),
    }));
  }

  /** ListExperimentResolvedTargets: what each target resolved to when the experiment began. */
  async resolvedTargets(id: string): Promise<Record<string, string[]>> {
    this.sync();
    const experiment = this.experiments.get(id);
    if (!experiment) throw new ServiceError("fis", "ResourceNotFoundException", `Experiment ${id} not found`, 404);
    return this.peekResolved(id);
  }

  /** Marks an action the experiment role may not run (see failOnAction). */
  denyAction(id: string, action: string, reason: string): void {
    const experiment = this.experiments.get(id);
    if (experiment) experiment.deniedActions = { ...experiment.deniedActions, [action]: reason };
  }

  /** Someone cancels the experiment outside the game day (a person, another tool). */
  cancelExperiment(id: string, reason = "Experiment cancelled."): void {
    const now = this.sync();
    const experiment = this.experiments.get(id);
    if (!experiment || isTerminal(experiment.status)) return;
    for (const action of experiment.actions) {
      if (action.status === "running" || action.status === "pending") action.status = "cancelled";
      this.world.endEffects(`${experiment.id}/${action.name}`, now);
    }
    this.finish(experiment, "cancelled", now, reason);
  }

  /** GetExperiment as the raw record, for Step Functions' SDK integration. */
  describeExperiment(id: string): SimExperiment {
    this.sync();
    const experiment = this.experiments.get(id);
    if (!experiment) throw new ServiceError("fis", "ResourceNotFoundException", `Experiment ${id} not found`, 404);
    return experiment;
  }

  /** An experiment as the game day last left it, read without moving the world (for progress displays). */
  peek(id: string): ExperimentView | undefined {
    const experiment = this.experiments.get(id);
    return experiment && toView(experiment);
  }

  /** What each target resolved to, without moving the simulation (the live view reads it as FIS would answer). */
  peekResolved(id: string): Record<string, string[]> {
    const experiment = this.experiments.get(id);
    if (!experiment) return {};
    return Object.fromEntries(Object.entries(experiment.resolved).map(([name, rs]) => [name, rs.map((r) => r.arn)]));
  }

  // ---- the ExperimentControl port ------------------------------------------------------------------------

  async get(id: string): Promise<ExperimentView> {
    return toView(this.describeExperiment(id));
  }

  async stop(id: string): Promise<void> {
    try {
      this.stopExperiment(id);
    } catch (error) {
      if (!(await alreadyStopping(error, () => this.get(id)))) throw error;
    }
  }

  async listTagged(
    tagKey: string,
    tagValue: string,
    alsoTagged: Record<string, string> = {},
  ): Promise<ExperimentView[]> {
    this.sync();
    return this.matching(tagKey, alsoTagged, (e) => e.tags[tagKey] === tagValue).map(toView);
  }

  async listLive(tagKey: string, alsoTagged: Record<string, string> = {}): Promise<ExperimentView[]> {
    this.sync();
    return this.matching(tagKey, alsoTagged, (e) => !isTerminal(e.status)).map(toView);
  }

  async liveSummaries(): Promise<LiveExperimentSummary[]> {
    this.sync();
    return [...this.experiments.values()]
      .filter((e) => !isTerminal(e.status))
      .map((e) => ({
        id: e.id,
        tags: { ...e.tags },
        ...(e.startTime !== undefined ? { createdAt: e.startTime } : {}),
      }));
  }

  /** The experiments a list call reads in full: those whose summary carries the tags asked for. */
  matching(tagKey: string, alsoTagged: Record<string, string>, also: (e: SimExperiment) => boolean): SimExperiment[] {
    return [...this.experiments.values()].filter(
      (e) => e.tags[tagKey] !== undefined && carriesTags(e.tags, alsoTagged) && also(e),
    );
  }
}

const isoTime = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

export function toView(e: SimExperiment): ExperimentView {
  return {
    id: e.id,
    templateId: e.templateId,
    status: e.status,
    ...(e.reason ? { reason: e.reason } : {}),
    ...(e.startTime ? { startTime: isoTime(e.startTime) } : {}),
    ...(e.endTime ? { endTime: isoTime(e.endTime) } : {}),
    tags: { ...e.tags },
    actions: e.actions.map((a) => ({
      name: a.name,
      actionId: a.actionId,
      status: a.status,
      targets: { ...a.targets },
      ...(a.reason ? { reason: a.reason } : {}),
      ...(a.startTime ? { startTime: isoTime(a.startTime) } : {}),
      ...(a.endTime ? { endTime: isoTime(a.endTime) } : {}),
    })),
    ...(e.stopConditionAlarms.length ? { stopConditionAlarms: [...e.stopConditionAlarms] } : {}),
  };
}
