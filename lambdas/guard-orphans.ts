import type { EventBridgeEvent } from "aws-lambda";
import { fisExperiments } from "../src/aws/fis-control";
import { lambdaEntry } from "../src/aws/lambda-entry";
import { eventBridgeReports } from "../src/aws/report-publisher";
import { ENDED_WITHOUT_CLEANUP, guardOrphans, type EndedExecution } from "../src/core/gameday/orphans";
import type { CleanupPorts } from "../src/core/gameday/steps";
import type { ReportPublisher } from "../src/core/ports";

/** The "Step Functions Execution Status Change" detail, as documented by Step Functions. */
export interface ExecutionStatusChange {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: string;
  startDate: number;
  stopDate: number | null;
  input?: string | null;
}

export type ExecutionStatusEvent = EventBridgeEvent<"Step Functions Execution Status Change", ExecutionStatusChange>;

export const createGuardOrphans =
  (ports: CleanupPorts & { publisher: ReportPublisher }) => async (event: ExecutionStatusEvent) => {
    const detail = event.detail;
    // The rule already filters statuses; this keeps a misrouted event from publishing a false ABORTED report.
    if (!(ENDED_WITHOUT_CLEANUP as readonly string[]).includes(detail.status)) return { ignored: detail.status };
    const ended: EndedExecution = {
      executionName: detail.name,
      status: detail.status as EndedExecution["status"],
      startedAt: detail.startDate,
      stoppedAt: detail.stopDate ?? Date.parse(event.time),
      ...(detail.input ? { input: detail.input } : {}),
    };
    const result = await guardOrphans(ended, ports);
    return { stopped: result.stopped, verdict: result.report.verdict };
  };

export const handler = lambdaEntry("guard-orphans", () =>
  createGuardOrphans({ experiments: fisExperiments(), publisher: eventBridgeReports(process.env.REPORT_BUS ?? "") }),
);
