/**
 * The shape of a Step Functions execution history event, as GetExecutionHistory returns it. The rehearsal writes
 * histories in it and the CLI reads them; the SDK's types stay behind this one seam.
 */
export type { HistoryEvent, HistoryEventType } from "@aws-sdk/client-sfn";
