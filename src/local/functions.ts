import { createBuildReport } from "../handlers/build-report";
import { createCheckSteadyState } from "../handlers/check-steady-state";
import { createObserveFault } from "../handlers/observe-fault";
import { createObserveRecovery } from "../handlers/observe-recovery";
import { createStopEverything } from "../handlers/stop-everything";
import { createValidatePlan } from "../handlers/validate-plan";
import type { GameDayFunctionKey } from "../core/contract/functions";
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
