import { checkPlan, timingSeconds } from "../plan/check";
import type { Plan } from "../plan/schema";
import { InvalidInputError, errorsIn } from "../problems";
import type { Clock, TemplateCatalog } from "../ports";
import { gameDayDeadline, startExperimentClientToken, type GameDayState, type PreparedStage } from "./state";

/** Validates the plan and resolves every template reference before anything can start. */
export async function prepareGameDay(
  document: unknown,
  run: { executionName: string; stateMachine: string; actionsMode?: "run-all" | "skip-all"; inlinePlan?: true },
  templates: TemplateCatalog,
  clock: Clock,
): Promise<GameDayState> {
  const { plan, problems } = checkPlan(document);
  if (!plan || errorsIn(problems).length) throw new InvalidInputError(problems);
  const stages: PreparedStage[] = [];
  for (const [stageIndex, stage] of plan.stages.entries()) {
    const experiments = [];
    for (const [index, experiment] of stage.experiments.entries()) {
      experiments.push({
        stageIndex,
        index,
        name: experiment.name ?? describeReference(experiment.template),
        templateId: await templates.resolve(experiment.template),
        clientToken: startExperimentClientToken(run, stageIndex, index),
      });
    }
    stages.push({ index: stageIndex, name: stage.name, experiments });
  }
  const timing = timingSeconds(plan);
  const startedAt = clock.now();
  return {
    plan,
    timing,
    run: {
      executionName: run.executionName,
      stateMachine: run.stateMachine,
      startedAt,
      actionsMode: run.actionsMode ?? "run-all",
      ...(run.inlinePlan ? { inlinePlan: true as const } : {}),
      deadline: new Date(gameDayDeadline(startedAt, timing, stages.length)).toISOString(),
    },
    stages,
    stage: stages[0]!,
    journal: { stages: [], polls: 0, lastReadings: [], skippedStages: [] },
    decision: { next: "validated" },
  };
}

const describeReference = (ref: Plan["stages"][number]["experiments"][number]["template"]) =>
  "id" in ref ? ref.id : "name" in ref ? ref.name : ref.file;
