import { isTerminal, type ExperimentView } from "../ports";

/**
 * Whether StopExperiment's refusal means the goal is reached: FIS refuses to stop an experiment that is stopping or
 * has ended (ValidationException in its API model; ConflictException has been seen too). The same errors can mean
 * a malformed request, so the experiment itself is read to tell which.
 */
export async function alreadyStopping(error: unknown, read: () => Promise<ExperimentView>): Promise<boolean> {
  const name = (error as Error).name;
  if (name !== "ValidationException" && name !== "ConflictException") return false;
  const experiment = await read();
  return isTerminal(experiment.status) || experiment.status === "stopping";
}
