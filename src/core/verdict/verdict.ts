import type { GameDayState } from "../gameday/state";
import { isTerminal, type ExperimentView } from "../ports";

export type Verdict = "PASSED" | "FAILED" | "ABORTED" | "ERROR";

export interface VerdictWithReason {
  verdict: Verdict;
  reason: string;
}

/**
 * The verdict rules, in order of precedence:
 * an experiment that may still be live, or a failed cleanup, ends in ERROR; so does an error; a system that was not steady is ABORTED before anything was injected;
 * a broken guardrail or a missed recovery is FAILED (the hypothesis did not hold);
 * an experiment FIS failed is ERROR (nothing was proven); one cancelled or stopped by someone else is ABORTED.
 */
export function decideVerdict(state: GameDayState, experiments: readonly ExperimentView[]): VerdictWithReason {
  // Safety first: a fault that may still be live makes every other finding moot.
  const live = experiments.filter((e) => !isTerminal(e.status));
  if (state.cleanupFailure || live.length) {
    const which = live.map((e) => `${e.id} (${e.status})`).join(", ");
    return {
      verdict: "ERROR",
      reason: state.cleanupFailure
        ? `Stopping the experiments failed: ${state.cleanupFailure.Error ?? "unknown"}: ${state.cleanupFailure.Cause ?? ""}`.trim()
        : `Experiments were still live when the game day ended: ${which}.`,
    };
  }
  if (state.failure) {
    return {
      verdict: "ERROR",
      reason: `The game day hit an error: ${state.failure.Error ?? "unknown"}: ${state.failure.Cause ?? ""}`.trim(),
    };
  }
  const baseline = state.journal.baseline;
  if (!baseline) return { verdict: "ERROR", reason: "The steady state was never checked." };
  if (!baseline.steady) {
    const off = baseline.readings.filter((r) => r.breached).map((r) => `${r.probeId} (${r.breaches.join(", ")})`);
    return {
      verdict: "ABORTED",
      reason: `The system was not steady before injection: ${off.join("; ")}. Nothing was started.`,
    };
  }
  for (const stage of state.journal.stages) {
    if (stage.stopRequested?.reason === "guardrail") {
      return {
        verdict: "FAILED",
        reason: `Stage "${stage.name}": ${stage.stopRequested.probeIds.join(", ")} breached for ${state.plan.guardrails.consecutiveBreachingPolls} consecutive polls; the experiments were stopped.`,
      };
    }
    if (stage.recovery?.gaveUpAt !== undefined) {
      return {
        verdict: "FAILED",
        reason: `Stage "${stage.name}": the system did not return to its steady state within the recovery window.`,
      };
    }
  }
  const stoppedByGameDay = new Set(
    state.journal.stages.filter((s) => s.stopRequested).flatMap((s) => s.experiments.map((e) => e.experimentId)),
  );
  const failed = experiments.find((e) => e.status === "failed");
  if (failed)
    return { verdict: "ERROR", reason: `FIS experiment ${failed.id} failed: ${failed.reason ?? "no reason given"}.` };
  const interrupted = experiments.find(
    (e) => e.status === "cancelled" || (e.status === "stopped" && !stoppedByGameDay.has(e.id)),
  );
  if (interrupted) {
    return {
      verdict: "ABORTED",
      reason: `FIS experiment ${interrupted.id} was ${interrupted.status}: ${interrupted.reason ?? "no reason given"}.`,
    };
  }
  if (state.journal.stages.length < state.stages.length) {
    return { verdict: "ERROR", reason: "Not every stage ran." };
  }
  return {
    verdict: "PASSED",
    reason: "Every probe stayed within its bounds during the faults and the system recovered.",
  };
}

export const EXIT_CODES: Record<Verdict, number> = { PASSED: 0, FAILED: 1, ABORTED: 3, ERROR: 3 };
