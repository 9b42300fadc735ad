import { createBuildReport } from "../../lambdas/build-report";
import { createCheckSteadyState } from "../../lambdas/check-steady-state";
import { createObserveFault } from "../../lambdas/observe-fault";
import { createObserveRecovery } from "../../lambdas/observe-recovery";
import { createStopEverything } from "../../lambdas/stop-everything";
import { createValidatePlan } from "../../lambdas/validate-plan";
import type { GameDayFunctionKey } from "../../lambdas/catalog";
import type { HandlerPorts } from "../core/ports";

export type FunctionFactory = (ports: HandlerPorts) => (event: never) => Promise<unknown>;

/** The game-day Lambdas by the key their ARN placeholder uses in the ASL (`${ObserveFaultFunctionArn}`). */
export const GAME_DAY_FUNCTIONS: Record<GameDayFunctionKey, FunctionFactory> = {
  ValidatePlan: createValidatePlan,
  CheckSteadyState: createCheckSteadyState,
  ObserveFault: createObserveFault,
  ObserveRecovery: createObserveRecovery,
  StopEverything: createStopEverything,
  BuildReport: createBuildReport,
};
