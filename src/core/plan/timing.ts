import { durationSeconds } from "../time/duration";
import type { Plan } from "./schema";

export interface TimingSeconds {
  baselineSeconds: number;
  pollSeconds: number;
  maxFaultSeconds: number;
  recoverySeconds: number;
  recoveredAfterPolls: number;
}

export function timingSeconds(plan: Plan): TimingSeconds {
  return {
    baselineSeconds: durationSeconds(plan.timing.baseline),
    pollSeconds: durationSeconds(plan.timing.pollInterval),
    maxFaultSeconds: durationSeconds(plan.timing.maxFaultDuration),
    recoverySeconds: durationSeconds(plan.timing.recovery),
    recoveredAfterPolls: plan.timing.recoveredAfterPolls,
  };
}
