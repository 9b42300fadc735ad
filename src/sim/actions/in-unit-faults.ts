import { applyDocument, AWSFIS_DOCUMENTS } from "./ssm-documents";
import { seconds, type ActionContext, type ActionModel } from "./model";

/**
 * The faults FIS injects inside ECS tasks and EKS pods (through the SSM agent sidecar or a FIS pod). They are the
 * AWSFIS-Run-* documents' faults run in a container, so each has the effect its document has (ssm-documents.ts),
 * for the action's `duration`.
 */
const percent = (c: ActionContext, name: string, fallback: number) => String(c.parameters[name] ?? fallback);

const documentEffect =
  (
    document: keyof typeof AWSFIS_DOCUMENTS,
    parameters: (c: ActionContext) => Record<string, string>,
    defaultSeconds = 300,
  ): ActionModel =>
  (c) =>
    applyDocument(c, AWSFIS_DOCUMENTS[document]!(parameters(c)), seconds(c, "duration", defaultSeconds));

export const cpuStress = documentEffect("AWSFIS-Run-CPU-Stress", (c) => ({ LoadPercent: percent(c, "percent", 100) }));
export const memoryStress = documentEffect("AWSFIS-Run-Memory-Stress", (c) => ({
  Percent: percent(c, "percent", 80),
}));
export const ioStress = documentEffect("AWSFIS-Run-IO-Stress", (c) => ({ Percent: percent(c, "percent", 80) }));
export const networkLatency = documentEffect("AWSFIS-Run-Network-Latency", (c) => ({
  DelayMilliseconds: String(c.parameters.delayMilliseconds ?? 200),
}));
export const packetLoss = documentEffect("AWSFIS-Run-Network-Packet-Loss", (c) => ({
  LossPercent: percent(c, "lossPercent", 7),
}));
export const blackholePort = documentEffect("AWSFIS-Run-Network-Blackhole-Port", () => ({}));
/** The process is killed and its container restarts it: the unit is down while it does. */
export const killProcess = documentEffect("AWSFIS-Run-Kill-Process", () => ({}), 30);
