/**
 * Every state of the game-day state machine (state-machines/game-day.asl.json) by name, with the phase of the game
 * day it belongs to. The progress view and the rehearsal read phases from here, never from patterns over names; a
 * test holds this table and the ASL to each other.
 */
export const STATE_PHASES = {
  "Validate the plan": "validating the plan",
  "Nothing was started: the plan is invalid": "reporting",
  "Nothing was started: another game day holds the plan or its targets": "reporting",
  "Nothing was started: a change calendar is closed": "reporting",
  "Nothing was started: the plan could not be checked": "reporting",
  "Does the game day need approval?": "waiting for approval",
  "Ask for approval before injecting": "waiting for approval",
  "Check the steady state before injecting": "checking the steady state",
  "Is the system steady?": "checking the steady state",
  "Start the stage's experiments": "starting experiments",
  "Start an FIS experiment": "starting experiments",
  "The experiment started": "starting experiments",
  "Has FIS's quota stayed full for 30 minutes?": "waiting for room under FIS's quota",
  "Wait for room under FIS's quota": "waiting for room under FIS's quota",
  "Count a minute waited for room": "waiting for room under FIS's quota",
  "FIS's quota of active experiments stayed full": "starting experiments",
  "Wait for the next fault poll": "fault live",
  "Observe the system during the fault": "fault live",
  "What does the fault watch say?": "fault live",
  "Stop the experiments: a guardrail broke or time ran out": "fault live",
  "Stop an FIS experiment": "fault live",
  "The experiment had already ended": "fault live",
  "Wait for the next recovery poll": "watching recovery",
  "Observe the system's recovery": "watching recovery",
  "Has the system recovered?": "watching recovery",
  "Stop every experiment this game day started": "cleaning up",
  "Are all experiments stopped?": "cleaning up",
  "Wait for the experiments to stop": "cleaning up",
  "Wait for the record to be published": "reporting",
  "Build the report": "reporting",
  "Build a minimal report": "reporting",
  "Publish the report": "reporting",
  "Was the report delivered?": "reporting",
  "The report could not be published": "reporting",
  "What is the verdict?": "reporting",
  "Game day passed": "reporting",
  "Game day failed: the hypothesis did not hold": "reporting",
  "Game day aborted": "reporting",
  "Game day inconclusive: nothing could be judged": "reporting",
  "Game day ended in an error": "reporting",
} as const;

export type StateName = keyof typeof STATE_PHASES;
export type GameDayPhase = (typeof STATE_PHASES)[StateName];

export const phaseOfState = (name: string): GameDayPhase | undefined => STATE_PHASES[name as StateName];

/** The states one poll passes through, whatever the phase: what "state transitions per poll" counts. */
export const POLL_LOOP_STATES: ReadonlySet<string> = new Set<StateName>([
  "Wait for the next fault poll",
  "Observe the system during the fault",
  "What does the fault watch say?",
  "Stop the experiments: a guardrail broke or time ran out",
  "Stop an FIS experiment",
  "The experiment had already ended",
  "Wait for the next recovery poll",
  "Observe the system's recovery",
  "Has the system recovered?",
]);

/** The outputs a deployed gameday stack declares, which the CLI finds it by. */
export const STACK_OUTPUTS = {
  stateMachineArn: "StateMachineArn",
  stateMachineConsole: "StateMachineConsole",
  reportBucket: "ReportBucket",
  reportBus: "ReportBus",
  reportLogGroup: "ReportLogGroup",
  overviewDashboard: "OverviewDashboard",
  operatorPolicyArn: "OperatorPolicyArn",
  lambdaFaultConfiguration: "LambdaFaultConfiguration",
  notificationTopicArn: "NotificationTopicArn",
} as const;
