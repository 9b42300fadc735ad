import type { TimingSeconds } from "./timing";

/** Step Functions ends a Standard execution that reaches this many history events (quotas page). */
export const MAX_HISTORY_EVENTS = 25_000;

/**
 * History events the game-day state machine writes, counted from recorded executions (gameday rehearse --history):
 * a Lambda Task is 5 events (entered, scheduled, started, succeeded, exited), a Wait or Choice 2, a Map 4 plus 7
 * per iteration (iteration started and succeeded, and the 5 of its SDK Task).
 */
const EVENTS = {
  /** Start, validation, steady state, the report and its publication, the end. */
  fixed: 40,
  perPoll: 9,
  map: 4,
  perExperiment: 7,
  /**
   * Waiting for room under FIS's quota of active experiments: up to 30 one-minute rounds of a refused
   * StartExperiment (5 events), a Choice and a Wait (2 each) and a Pass (2), for the first experiment of a stage
   * (the others find the room it found).
   */
  quotaWait: 30 * 11,
  /** A cleanup round trip (stop, check, wait), at most a few per game day. */
  cleanupRounds: 5,
  perCleanupRound: 9,
};
/** Retries add a failed and a rescheduled event or two each; a fifth more covers sustained throttling. */
const RETRY_MARGIN = 1.2;

/** How many history events a plan can write at most, and from what. */
export function estimateHistoryEvents(
  timing: TimingSeconds,
  stages: readonly { experiments: readonly unknown[] }[],
): { events: number; polls: number } {
  const pollsPerStage = Math.ceil((timing.maxFaultSeconds + timing.recoverySeconds) / timing.pollSeconds) + 2;
  let events = EVENTS.fixed + EVENTS.cleanupRounds * EVENTS.perCleanupRound;
  for (const stage of stages) {
    // Each stage starts its experiments in a Map, may stop them in another, and polls.
    events +=
      2 * (EVENTS.map + EVENTS.perExperiment * stage.experiments.length) +
      EVENTS.quotaWait +
      EVENTS.perPoll * pollsPerStage;
  }
  return { events: Math.ceil(events * RETRY_MARGIN), polls: pollsPerStage * stages.length };
}

/** Step Functions' limit on a state's input and output, and on the execution's input. */
export const MAX_STATE_BYTES = 262_144;

/**
 * The largest state a plan's game day can carry, over-estimated: the plan twice (as given, and checked), each
 * probe's journal in each stage (tallies, streaks, last readings: about 600 bytes, measured at under 400), and the
 * report summary (at most 25 findings, the experiments and stages), with 20 KB to spare. Measured for 50 probes and
 * a 12-hour fault: 34,872 bytes, estimated here at about 100,000.
 */
export function estimateLargestState(plan: { stages: readonly { experiments: readonly unknown[] }[] }, probes: number) {
  const planBytes = new TextEncoder().encode(JSON.stringify(plan)).length;
  const experiments = plan.stages.reduce((n, s) => n + s.experiments.length, 0);
  return (
    2 * planBytes +
    600 * probes * plan.stages.length +
    25 * 700 +
    2500 * experiments +
    400 * plan.stages.length +
    20_000
  );
}
