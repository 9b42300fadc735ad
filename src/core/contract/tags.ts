/**
 * Tag keys every experiment a game day starts carries (the state machine sets them in StartExperiment's Tags), so
 * cleanup, the orphan guard, IAM conditions and `gameday stop` find them without the state. A test holds the ASL's
 * StartExperiment tags to this list.
 */
export const GAME_DAY_TAGS = {
  execution: "gameday:execution",
  stateMachine: "gameday:state-machine",
  plan: "gameday:plan",
  stage: "gameday:stage",
  deadline: "gameday:deadline",
} as const;
