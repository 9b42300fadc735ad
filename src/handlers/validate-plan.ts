import { prepareGameDay } from "../core/gameday/prepare";
import { reserveGameDay, type ReservationPorts } from "../core/locks/reservation";
import type { ChangeCalendars, PermissionCheck, PlanCatalog, TemplateCatalog, TraceDestination } from "../core/ports";
import { refuseSampledTraceProbes } from "../core/gameday/trace-destination";
import { refuseMutingStopConditions } from "../core/gameday/alarm-mutes";
import { arnNamesOf, refuseWithoutPermissions } from "../core/permissions/check";
import { refuseDuringChangeFreeze } from "../core/gameday/change-calendars";
import { InvalidPlanError, UnknownPlanError } from "../core/contract/errors";
import { checkExecutionInput, checkExecutionName } from "../core/gameday/execution-input";

export interface ValidatePlanEvent {
  /** The execution input: `{"plan": "<name>"}` or `{"plan": {...inline plan...}}`, optionally `actionsMode`. */
  input: unknown;
  executionName: string;
  /** $$.StateMachine.Id: experiments are tagged with it, so another stack's guard never takes them for its own. */
  stateMachine: string;
}

/**
 * Nothing starts before this returns: the plan is checked, its templates resolved, its change calendars read
 * (GameDay.ChangeFreeze names a CLOSED one), its experiment roles' permissions simulated, and the run locks of its plan and targets taken (GameDay.Overlap names
 * the game day that holds them).
 */
export const createValidatePlan =
  (
    ports: {
      plans: PlanCatalog;
      templates: TemplateCatalog;
      calendars: ChangeCalendars;
      permissions: PermissionCheck;
      traceDestination: TraceDestination;
    } & ReservationPorts,
  ) =>
  async (event: ValidatePlanEvent) => {
    const { plan, actionsMode } = checkExecutionInput(event.input);
    checkExecutionName(event.executionName);
    const inline = typeof plan !== "string";
    if (inline) await refuseCatalogName(plan, ports.plans);
    const document = inline ? plan : await ports.plans.load(plan);
    const prepared = await prepareGameDay(
      document,
      {
        executionName: event.executionName,
        stateMachine: event.stateMachine,
        actionsMode: actionsMode ?? "run-all",
        ...(inline ? { inlinePlan: true as const } : {}),
      },
      ports.templates,
      ports.clock,
    );
    // A change freeze refuses the game day before it takes any lock.
    await refuseDuringChangeFreeze(prepared.plan.changeCalendars ?? [], ports.calendars);
    // So does a plan that would mute its own guardrails' pagers.
    await refuseMutingStopConditions(
      prepared.plan.muteAlarmActions ?? [],
      prepared.stages.flatMap((s) => s.experiments.map((e) => e.templateId)),
      ports.permissions,
    );
    // So does a trace probe that would read a sample of the traffic as if it were all of it.
    await refuseSampledTraceProbes(prepared.plan, ports.traceDestination);
    // So does an experiment role that may not do what an action needs (the preview too: FIS's does not check it).
    await refuseWithoutPermissions(
      prepared.stages.flatMap((s) => s.experiments.map((e) => e.templateId)),
      ports.targets,
      ports.permissions,
      arnNamesOf(event.stateMachine),
    );
    return reserveGameDay(prepared, ports);
  };

/**
 * An inline plan may not carry the name of a plan the stack ships: its report would be stored among that plan's, and
 * anyone allowed to start an execution could set that plan's baseline and dashboard with bounds nobody can break.
 */
async function refuseCatalogName(plan: unknown, plans: PlanCatalog): Promise<void> {
  const name = (plan as { name?: unknown } | null)?.name;
  if (typeof name !== "string") return; // the plan check names what is missing
  const shipped = await plans.load(name).then(
    () => true,
    (error: Error) => {
      if (error instanceof UnknownPlanError) return false;
      throw error;
    },
  );
  if (shipped)
    throw new InvalidPlanError(
      `The inline plan is named "${name}", the name of a plan this stack ships: start that plan by name ` +
        `({"plan": "${name}"}), or give the inline plan a name of its own.`,
    );
}
