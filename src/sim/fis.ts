import type { ExperimentControl, ExperimentView, ExperimentState } from "../core/ports";
import { isTerminal } from "../core/ports";
import { durationSeconds, isIsoDuration } from "../core/time/duration";
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
}

export interface UnmodeledAction {
  experimentId: string;
  action: string;
  actionId: string;
}

const SECOND = 1000;
/** AWS's default quota of active experiments per account and Region. */
const ACTIVE_EXPERIMENT_QUOTA = 5;

/** FIS in the simulated account: templates, experiments and their actions, on the world's clock. */
export class SimulatedFis implements ExperimentControl {
  readonly templates = new Map<string, FisTemplate>();
  readonly experiments = new Map<string, SimExperiment>();
  readonly unmodeledActions: UnmodeledAction[] = [];
  private readonly byToken = new Map<string, string>();
  private sequence = 0;

  constructor(
    private readonly world: World,
    private readonly now: () => number,
  ) {}

  registerTemplate(id: string, template: FisTemplate): void {
    this.templates.set(id, template);
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
    };
    this.experiments.set(id, experiment);
    this.byToken.set(request.clientToken, id);
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
    for (const action of experiment.actions) {
      if (action.status !== "pending" || !action.startAfter.every(done)) continue;
      action.status = "running";
      action.startTime = at;
      const targets = Object.fromEntries(
        Object.entries(action.targets).map(([key, name]) => [key, experiment.resolved[name] ?? []]),
      );
      const model = ACTION_MODELS[action.actionId];
      let seconds =
        model?.({
          world: this.world,
          targets,
          parameters: action.parameters,
          at,
          key: `${experiment.id}/${action.name}`,
        }) ?? null;
      if (seconds === null) {
        this.unmodeledActions.push({ experimentId: experiment.id, action: action.name, actionId: action.actionId });
        action.reason = "Not modeled by the gameday simulator: no effect on the simulated workload.";
        const d = action.parameters.duration;
        seconds = d && isIsoDuration(d) ? Math.min(600, durationSeconds(d)) : 5;
      }
      const endAt = at + Math.max(1, seconds) * SECOND;
      this.world.schedule(endAt, () => this.completeAction(experiment, action, endAt));
    }
    const settled = experiment.actions.every((a) =>
      ["completed", "skipped", "cancelled", "stopped", "failed"].includes(a.status),
    );
    if (settled) this.finish(experiment, "completed", at, "Experiment completed.");
  }

  private completeAction(experiment: SimExperiment, action: SimAction, at: number): void {
    if (action.status !== "running") return;
    action.status = "completed";
    action.endTime = at;
    this.startReadyActions(experiment, at);
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
    if (isTerminal(experiment.status) || experiment.status === "stopping") {
      throw new ServiceError(
        "fis",
        "ConflictException",
        `Experiment ${id} is ${experiment.status} and cannot be stopped`,
        409,
      );
    }
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
      this.finish(experiment, "stopped", at, "Experiment stopped.");
    });
    return experiment;
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

  // ---- the ExperimentControl port ------------------------------------------------------------------------

  async get(id: string): Promise<ExperimentView> {
    return toView(this.describeExperiment(id));
  }

  async stop(id: string): Promise<void> {
    try {
      this.stopExperiment(id);
    } catch (error) {
      if ((error as Error).name !== "ConflictException") throw error;
    }
  }

  async listTagged(tagKey: string, tagValue: string): Promise<ExperimentView[]> {
    this.sync();
    return [...this.experiments.values()].filter((e) => e.tags[tagKey] === tagValue).map(toView);
  }

  async listLive(tagKey: string): Promise<ExperimentView[]> {
    this.sync();
    return [...this.experiments.values()]
      .filter((e) => e.tags[tagKey] !== undefined && !isTerminal(e.status))
      .map(toView);
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
      ...(a.reason ? { reason: a.reason } : {}),
      ...(a.startTime ? { startTime: isoTime(a.startTime) } : {}),
      ...(a.endTime ? { endTime: isoTime(a.endTime) } : {}),
    })),
  };
}
