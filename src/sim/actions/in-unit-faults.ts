import { AWSFIS_DOCUMENTS } from "./ssm-documents";
import { seconds, timedEffect, unitsOf, type ActionContext, type ActionModel } from "./model";

/**
 * The faults FIS injects inside ECS tasks and EKS pods (through the SSM agent sidecar or a FIS pod). They are the
 * AWSFIS-Run-* documents' faults run in a container, so each has the effect its document has (ssm-documents.ts).
 */
const percent = (c: ActionContext, name: string, fallback: number) => String(c.parameters[name] ?? fallback);

const documentEffect = (
  document: keyof typeof AWSFIS_DOCUMENTS,
  parameters: (c: ActionContext) => Record<string, string>,
): ActionModel => {
  const effectOf = AWSFIS_DOCUMENTS[document]!;
  return (c) => {
    const { effect } = effectOf(parameters(c));
    return timedEffect(effect!.kind, () => effect!.amount)(c);
  };
};

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
export const killProcess: ActionModel = (c) => {
  const down = AWSFIS_DOCUMENTS["AWSFIS-Run-Kill-Process"]!({}).downSeconds ?? 30;
  for (const unit of unitsOf(c)) c.world.rebootUnit(unit, c.at, down);
  return Math.max(down, seconds(c, "duration", down));
};
