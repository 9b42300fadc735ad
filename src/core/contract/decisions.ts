/**
 * What a game-day step tells the state machine to do next (`$.decision.next`), which its Choice states compare.
 * A test holds every Choice value in the ASL to this list, and the state's Decision type to it.
 */
export const DECISIONS = [
  "validated",
  "steady",
  "not-steady",
  "keep-watching",
  "stop-experiments",
  "watch-recovery",
  "keep-recovering",
  "next-stage",
  "report",
] as const;
export type DecisionName = (typeof DECISIONS)[number];
