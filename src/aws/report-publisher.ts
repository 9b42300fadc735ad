import type { ReportPublisher } from "../core/report/model";
import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import type { Report } from "../core/report/model";
import { REPORT_EVENT } from "../core/report/storage";
import { SDK_CLIENT_CONFIG, tracer } from "./powertools";
import { ReportNotPublishedError } from "../core/contract/errors";

/** EventBridge behind the ReportPublisher port: the same event the state machine's "Publish the report" puts. */
export class EventBridgeReportPublisher implements ReportPublisher {
  constructor(
    private readonly client: EventBridgeClient,
    private readonly busName: string,
  ) {}

  async publish(report: Report): Promise<void> {
    const response = await this.client.send(
      new PutEventsCommand({
        Entries: [
          {
            Source: REPORT_EVENT.source,
            DetailType: REPORT_EVENT.detailType,
            Detail: JSON.stringify(report),
            EventBusName: this.busName,
          },
        ],
      }),
    );
    // PutEvents answers 200 even when an entry was refused; the refusal is per entry.
    const refused = response.Entries?.find((e) => e.ErrorCode);
    if (response.FailedEntryCount || refused) {
      throw new ReportNotPublishedError(
        `EventBridge refused the report: ${refused?.ErrorCode} ${refused?.ErrorMessage}`,
      );
    }
  }
}

export const eventBridgeReports = (busName: string) =>
  new EventBridgeReportPublisher(tracer.captureAWSv3Client(new EventBridgeClient(SDK_CLIENT_CONFIG)), busName);
