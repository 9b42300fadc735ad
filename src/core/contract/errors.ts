/**
 * Every error name gameday raises or matches, in one place. The state machine's Retry and Catch name them too
 * (state-machines/game-day.asl.json); a test checks that the two agree.
 */
export const GAME_DAY_ERRORS = {
  /** The execution input or a plan file is not valid (problems name the JSON path). */
  invalidInput: "GameDay.InvalidInput",
  /** The plan cannot run as it is (a template from elsewhere without a stop condition, ...). */
  invalidPlan: "GameDay.InvalidPlan",
  unknownPlan: "GameDay.UnknownPlan",
  unknownTemplate: "GameDay.UnknownTemplate",
  /** Another game day holds the plan or its targets. */
  overlap: "GameDay.Overlap",
  /** Someone rejected the game day when it asked for approval (gameday reject). */
  rejected: "GameDay.Rejected",
  /** A change calendar the plan names is CLOSED: a change freeze. */
  changeFreeze: "GameDay.ChangeFreeze",
  /** The state machine's name for a refusal before anything started. */
  notStarted: "GameDay.NotStarted",
  /** Throttling and 5xx from AWS, after the SDK's own retries: the state machine retries these. */
  transient: "GameDay.TransientError",
  reportNotPublished: "GameDay.ReportNotPublished",
  /** The state machine fails with this after publishing an ERROR report. */
  error: "GameDay.Error",
  invalidReport: "GameDay.InvalidReport",
  invalidTemplate: "GameDay.InvalidTemplate",
  invalidFault: "GameDay.InvalidFault",
  stoppedByOperator: "GameDay.StoppedByOperator",
} as const;

export type GameDayErrorName = (typeof GAME_DAY_ERRORS)[keyof typeof GAME_DAY_ERRORS];

/** A class per error the handlers throw: `name` is the error name the state machine's Retry and Catch match. */
const errorClass = <N extends GameDayErrorName>(name: N) =>
  class extends Error {
    override readonly name: N = name;
  };

export const InvalidPlanError = errorClass(GAME_DAY_ERRORS.invalidPlan);
export const UnknownPlanError = errorClass(GAME_DAY_ERRORS.unknownPlan);
export const UnknownTemplateError = errorClass(GAME_DAY_ERRORS.unknownTemplate);
export const ReportNotPublishedError = errorClass(GAME_DAY_ERRORS.reportNotPublished);
export const InvalidReportError = errorClass(GAME_DAY_ERRORS.invalidReport);
export const InvalidExecutionInputError = errorClass(GAME_DAY_ERRORS.invalidInput);
export const ChangeFreezeError = errorClass(GAME_DAY_ERRORS.changeFreeze);
