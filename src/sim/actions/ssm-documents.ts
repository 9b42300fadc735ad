import type { Effect } from "../world-types";
import { unitsOf, type ActionContext } from "./model";

/** What one AWSFIS-Run-* document does to the units it runs on, from its document parameters. */
export interface DocumentEffect {
  /** A time-bounded effect for the document's duration; or, for a process kill, how long the unit is down. */
  effect?: { kind: Effect["kind"]; amount: number };
  downSeconds?: number;
}

const number = (params: Record<string, string>, name: string, fallback: number) => {
  const value = Number(params[name]);
  return params[name] !== undefined && Number.isFinite(value) ? value : fallback;
};

/**
 * AWS's pre-configured FIS documents (FIS User Guide, "Pre-configured AWS FIS SSM documents"), each with the effect
 * the rehearsal gives it on the instances it runs on. The stress documents cost the units capacity, as the stress-ng
 * workers compete with the service; the network documents act on the units' traffic as tc/iptables do. Where a
 * document's effect on a service is a matter of degree (memory, IO, a full disk), the figures lean harsh.
 */
export const AWSFIS_DOCUMENTS: Readonly<Record<string, (params: Record<string, string>) => DocumentEffect>> = {
  // LoadPercent of each CPU (default 100).
  "AWSFIS-Run-CPU-Stress": (p) => ({
    effect: { kind: "cpu-stress", amount: 0.6 * (number(p, "LoadPercent", 100) / 100) },
  }),
  // Percent of the instance's memory held: the service pages and collects garbage, losing up to 70% of capacity.
  "AWSFIS-Run-Memory-Stress": (p) => ({
    effect: { kind: "cpu-stress", amount: Math.min(0.7, 0.7 * (number(p, "Percent", 80) / 100)) },
  }),
  // Percent of free disk written and read: every request that touches the disk waits.
  "AWSFIS-Run-IO-Stress": (p) => ({ effect: { kind: "latency", amount: 50 * (number(p, "Percent", 80) / 100) } }),
  // A disk filled to Percent (default 95): writes start failing near full (logs, temporary files, caches).
  "AWSFIS-Run-Disk-Fill": (p) => {
    const percent = number(p, "Percent", 95);
    return { effect: { kind: "invocation-error", amount: percent >= 100 ? 0.5 : percent >= 95 ? 0.1 : 0 } };
  },
  // The process is killed; its supervisor restarts it: down for about half a minute.
  "AWSFIS-Run-Kill-Process": () => ({ downSeconds: 30 }),
  // Traffic on the port dropped: the unit answers nothing on it.
  "AWSFIS-Run-Network-Blackhole-Port": () => ({ effect: { kind: "packet-loss", amount: 1 } }),
  "AWSFIS-Run-Network-Latency": (p) => ({ effect: { kind: "latency", amount: number(p, "DelayMilliseconds", 200) } }),
  "AWSFIS-Run-Network-Latency-Sources": (p) => ({
    effect: { kind: "latency", amount: number(p, "DelayMilliseconds", 200) },
  }),
  "AWSFIS-Run-Network-Packet-Loss": (p) => ({
    effect: { kind: "packet-loss", amount: number(p, "LossPercent", 7) / 100 },
  }),
  "AWSFIS-Run-Network-Packet-Loss-Sources": (p) => ({
    effect: { kind: "packet-loss", amount: number(p, "LossPercent", 7) / 100 },
  }),
};

/**
 * An SSM document's name from its ARN (`arn:aws:ssm:REGION::document/AWSFIS-Run-CPU-Stress`) or the name itself:
 * FIS's documents and automations, and change calendars, are all SSM documents.
 */
export const documentName = (arn: string) => arn.slice(arn.lastIndexOf("/") + 1);

/** A document's effect on the targeted units for `duration` seconds (a killed process: down while it restarts). */
export function applyDocument(c: ActionContext, document: DocumentEffect, duration: number): number {
  const until = c.at + duration * 1000;
  if (document.effect) c.world.addEffect({ key: c.key, ...document.effect, units: unitsOf(c), from: c.at, until });
  if (document.downSeconds !== undefined)
    for (const unit of unitsOf(c)) c.world.rebootUnit(unit, c.at, document.downSeconds);
  return duration;
}
