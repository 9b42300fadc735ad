/**
 * The game-day Lambdas by the key their ARN placeholder uses in the ASL (`${ObserveFaultFunctionArn}`), with the
 * file under lambdas/ (AWS wiring) and src/handlers/ (the handler) that holds each. The stack deploys these; the rehearsal overrides the same states.
 */
export const GAME_DAY_FUNCTION_ENTRIES = {
  ValidatePlan: {
    file: "validate-plan",
    description: "Validates the plan and resolves its templates before anything starts",
  },
  CheckSteadyState: { file: "check-steady-state", description: "Checks the steady state over the baseline window" },
  ObserveFault: {
    file: "observe-fault",
    description: "One poll while the fault is live: probes, experiments, guardrails",
  },
  ObserveRecovery: { file: "observe-recovery", description: "One poll after the fault: has the system recovered?" },
  StopEverything: { file: "stop-everything", description: "Stops every experiment tagged with the execution" },
  BuildReport: { file: "build-report", description: "Builds the game-day report and its verdict" },
} as const;

export type GameDayFunctionKey = keyof typeof GAME_DAY_FUNCTION_ENTRIES;
