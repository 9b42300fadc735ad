import { executionArnOf } from "../src/core/gameday/state";

/** AWS service events shaped as the AWS documentation shows them, for rule patterns and handlers. */

// FIS user guide, "Monitor experiments with EventBridge".
export const fisStateChange = {
  version: "0",
  id: "12345678-1234-1234-1234-123456789012",
  "detail-type": "FIS Experiment State Change",
  source: "aws.fis",
  account: "111122223333",
  time: "2026-11-24T10:00:00Z",
  region: "eu-west-1",
  resources: ["arn:aws:fis:eu-west-1:111122223333:experiment/EXPaBCD1efg2HIJkL3"],
  detail: {
    "experiment-id": "EXPaBCD1efg2HIJkL3",
    "experiment-template-id": "EXTa1b2c3de5f6g7h",
    "new-state": { status: "running", reason: "Experiment is running." },
    "old-state": { status: "initiating", reason: "Experiment is initiating." },
  },
};

export const GAME_DAY_MACHINE_ARN = "arn:aws:states:eu-west-1:111122223333:stateMachine:GameDay-Orchestrator";

// Step Functions developer guide, "Automating Step Functions event delivery with EventBridge".
export function executionStatusChange(
  status: string,
  options: { stateMachineArn?: string; name?: string; input?: string | null } = {},
) {
  const stateMachineArn = options.stateMachineArn ?? GAME_DAY_MACHINE_ARN;
  const name = options.name ?? "checkout-gameday-1";
  const executionArn = executionArnOf(stateMachineArn, name);
  return {
    version: "0",
    id: "315c1398-40ff-a850-213b-158f73e60175",
    "detail-type": "Step Functions Execution Status Change" as const,
    source: "aws.states",
    account: "111122223333",
    time: "2026-11-24T10:42:21Z",
    region: "eu-west-1",
    resources: [executionArn],
    detail: {
      executionArn,
      stateMachineArn,
      name,
      status,
      startDate: 1764000000000,
      stopDate: 1764000900000,
      input: options.input === undefined ? '{"plan":"ecs-checkout-zone-loss"}' : options.input,
      inputDetails: { included: true },
      output: null,
      outputDetails: null,
    },
  };
}
