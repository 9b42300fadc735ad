import { durationSeconds } from "../time/duration";
import type { Plan } from "./schema";

/**
 * How long a game day waits for approval: the approval task's TimeoutSeconds in the ASL (a test holds the two
 * equal). Fixed, not per plan: Step Functions reads TimeoutSecondsPath from the state's input, the local
 * interpreter from the task's parameters, and no path reads the same in both.
 */
export const APPROVAL_TIMEOUT_SECONDS = 3600;

export interface TimingSeconds {
  baselineSeconds: number;
  pollSeconds: number;
  maxFaultSeconds: number;
  recoverySeconds: number;
  recoveredAfterPolls: number;
  /** How long the game day may wait for approval before it injects; absent when the plan needs none. */
  approvalSeconds?: number;
}

export function timingSeconds(plan: Plan): TimingSeconds {
  return {
    baselineSeconds: durationSeconds(plan.timing.baseline),
    pollSeconds: durationSeconds(plan.timing.pollInterval),
    maxFaultSeconds: durationSeconds(plan.timing.maxFaultDuration),
    recoverySeconds: durationSeconds(plan.timing.recovery),
    recoveredAfterPolls: plan.timing.recoveredAfterPolls,
    ...(plan.requiresApproval ? { approvalSeconds: APPROVAL_TIMEOUT_SECONDS } : {}),
  };
}
