/**
 * How the stack names what the state machine, the CLI and the rehearsal must agree on. The stack's IAM conditions
 * and its report bus's policy carry these names as literals, so a rehearsal that enforces IAM must run under them.
 */
export const DEFAULT_STACK_NAME = "GameDay";

/** State machine names are at most 80 characters; the stack's name makes two stacks' machines distinct. */
export const stateMachineNameOf = (stackName: string) => `${stackName}-Orchestrator`;

/** The stack a state machine belongs to, read back from its name (`GameDay-Orchestrator` → `GameDay`). */
export const stackNameOfStateMachine = (stateMachineName: string) =>
  stateMachineName.endsWith("-Orchestrator") ? stateMachineName.slice(0, -"-Orchestrator".length) : stateMachineName;

/** Each stack's report bus. */
export const reportBusNameOf = (stackName: string) => `${stackName}-reports`;

/** Each stack's SNS topic for approval requests and other notices. */
export const notificationTopicNameOf = (stackName: string) => `${stackName}-notifications`;
