import { durationSeconds } from "../core/time/duration";
import type { SimResource } from "./resources";
import type { World } from "./world";
import { declaredEffectOf, declarationHint } from "./actions/declared-effects";
import { AWSFIS_DOCUMENTS, documentName, type DocumentEffect } from "./actions/ssm-documents";

export interface ActionContext {
  world: World;
  /** Resolved resources per target key (`Instances`, `Tasks`, ...). */
  targets: Record<string, SimResource[]>;
  parameters: Record<string, string>;
  at: number;
  /** Identifies this action's effects so a stop can end them. */
  key: string;
  actionId: string;
}

/**
 * How long the action runs, in seconds; null when gameday does not model the action, or why not (what to declare)
 * when the rehearsal could model it with the user's help.
 */
export type ActionModel = (context: ActionContext) => number | null | { notModeled: string };

const allOf = (c: ActionContext) => Object.values(c.targets).flat();
const units = (c: ActionContext) => new Set(allOf(c).flatMap((r) => (r.unitId ? [r.unitId] : [])));
const seconds = (c: ActionContext, name: string, fallback: number) =>
  c.parameters[name] ? durationSeconds(c.parameters[name]) : fallback;

/** Applies an effect on the targeted units for the action's `duration`. */
const timedEffect =
  (
    kind: "cpu-stress" | "latency" | "packet-loss" | "invocation-error" | "replication-paused",
    amount: (c: ActionContext) => number,
  ): ActionModel =>
  (c) => {
    const duration = seconds(c, "duration", 300);
    c.world.addEffect({
      key: c.key,
      kind,
      units: units(c),
      from: c.at,
      until: c.at + duration * 1000,
      amount: amount(c),
    });
    return duration;
  };

const INSTANT = 5;

/** An AWSFIS-Run-* document on the targeted units, for the action's duration. */
function applyDocument(c: ActionContext, document: DocumentEffect, duration: number): number {
  const until = c.at + duration * 1000;
  if (document.effect) c.world.addEffect({ key: c.key, ...document.effect, units: units(c), from: c.at, until });
  if (document.downSeconds !== undefined)
    for (const unit of units(c)) c.world.rebootUnit(unit, c.at, document.downSeconds);
  return duration;
}

const DECLARED_DEFAULT_AMOUNT = { errors: 1, latency: 500, "cpu-stress": 0.6, stop: 0 } as const;

/** A custom document's declared effect on the targeted units, or on the declaration's tier when none is targeted. */
function applyDeclared(c: ActionContext, document: string, duration: number): number | { notModeled: string } {
  const targeted = units(c);
  const declared = declaredEffectOf(c.world.definition, document);
  if (!declared || (!targeted.size && !declared.tier))
    return { notModeled: declarationHint(c.actionId, document, targeted.size > 0) };
  const acted = targeted.size
    ? targeted
    : new Set(c.world.units.filter((u) => u.tier === declared.tier && u.state === "running").map((u) => u.id));
  const seconds = declared.durationSeconds ?? duration;
  const until = c.at + seconds * 1000;
  const amount = declared.amount ?? DECLARED_DEFAULT_AMOUNT[declared.effect];
  if (declared.effect === "stop") for (const unit of acted) c.world.stopUnit(unit, c.at, seconds);
  else {
    const kind = declared.effect === "errors" ? "invocation-error" : declared.effect;
    c.world.addEffect({ key: c.key, kind, units: acted, from: c.at, until, amount });
  }
  return seconds;
}

/** `invocationPercentage` of a Lambda fault as a share (FIS's default: every invocation). */
const invocationShare = (c: ActionContext) => Number(c.parameters.invocationPercentage ?? 100) / 100;

function documentParameters(c: ActionContext): Record<string, string> {
  try {
    return JSON.parse(c.parameters.documentParameters ?? "{}") as Record<string, string>;
  } catch {
    return {};
  }
}

/**
 * What each modeled FIS action does to the simulated workload. The world's controllers (Auto Scaling, ECS,
 * Kubernetes, Aurora) then recover on their own clocks, as they would in AWS.
 */
export const ACTION_MODELS: Record<string, ActionModel> = {
  "aws:fis:wait": (c) => seconds(c, "duration", 60),
  "aws:ec2:terminate-instances": (c) => {
    for (const r of allOf(c)) {
      if (r.unitId) c.world.replaceUnit(r.unitId, c.at);
      if (r.nodeId) c.world.terminateNode(r.nodeId, c.at);
    }
    return INSTANT;
  },
  "aws:ec2:stop-instances": (c) => {
    const restart = c.parameters.startInstancesAfterDuration
      ? durationSeconds(c.parameters.startInstancesAfterDuration)
      : undefined;
    for (const r of allOf(c)) if (r.unitId) c.world.stopUnit(r.unitId, c.at, restart);
    return restart ?? INSTANT;
  },
  "aws:ec2:reboot-instances": (c) => {
    for (const r of allOf(c)) if (r.unitId) c.world.rebootUnit(r.unitId, c.at);
    return INSTANT;
  },
  "aws:ec2:send-spot-instance-interruptions": (c) => {
    const notice = seconds(c, "durationBeforeInterruption", 120);
    for (const r of allOf(c)) {
      const at = c.at + notice * 1000;
      if (r.unitId) c.world.schedule(at, () => c.world.replaceUnit(r.unitId!, at));
    }
    return notice;
  },
  "aws:ssm:send-command": (c) => {
    const document = documentName(c.parameters.documentArn ?? "");
    const params = documentParameters(c);
    const duration = Number(params.DurationSeconds ?? 0) || seconds(c, "duration", 120);
    const builtIn = AWSFIS_DOCUMENTS[document];
    return builtIn ? applyDocument(c, builtIn(params), duration) : applyDeclared(c, document, duration);
  },
  // An automation targets nothing: its document's declaration names the tier it acts on.
  "aws:ssm:start-automation-execution": (c) =>
    applyDeclared(c, documentName(c.parameters.documentArn ?? ""), seconds(c, "maxDuration", 300)),
  "aws:ecs:stop-task": (c) => {
    for (const r of allOf(c)) if (r.unitId) c.world.replaceUnit(r.unitId, c.at);
    return INSTANT;
  },
  "aws:ecs:drain-container-instances": (c) => {
    const share = Number(c.parameters.drainagePercentage ?? 100) / 100;
    const tiers = new Set(allOf(c).map((r) => r.tier));
    for (const tier of tiers) {
      const tasks = c.world.units.filter((u) => u.tier === tier && u.state === "running");
      for (const task of tasks.slice(0, Math.round(tasks.length * share))) c.world.replaceUnit(task.id, c.at);
    }
    return seconds(c, "duration", 300);
  },
  "aws:ecs:task-cpu-stress": timedEffect("cpu-stress", (c) => 0.6 * (Number(c.parameters.percent ?? 100) / 100)),
  "aws:eks:pod-cpu-stress": timedEffect("cpu-stress", (c) => 0.6 * (Number(c.parameters.percent ?? 100) / 100)),
  "aws:ecs:task-network-latency": timedEffect("latency", (c) => Number(c.parameters.delayMilliseconds ?? 200)),
  "aws:eks:pod-network-latency": timedEffect("latency", (c) => Number(c.parameters.delayMilliseconds ?? 200)),
  "aws:ecs:task-network-packet-loss": timedEffect("packet-loss", (c) => Number(c.parameters.lossPercent ?? 7) / 100),
  "aws:eks:pod-network-packet-loss": timedEffect("packet-loss", (c) => Number(c.parameters.lossPercent ?? 7) / 100),
  "aws:eks:pod-delete": (c) => {
    for (const r of allOf(c)) {
      if (r.unitId) c.world.replaceUnit(r.unitId, c.at, c.world.tier(r.tier).rescheduleSeconds / 2);
    }
    return INSTANT;
  },
  "aws:eks:terminate-nodegroup-instances": (c) => {
    const share = Number(c.parameters.instanceTerminationPercentage ?? 100) / 100;
    for (const tier of new Set(allOf(c).map((r) => r.tier))) {
      const nodes = c.world.nodes.filter((n) => n.tier === tier && n.state === "running");
      const count = Math.max(1, Math.round(nodes.length * share));
      for (const node of nodes.slice(0, count)) c.world.terminateNode(node.id, c.at);
    }
    return INSTANT;
  },
  "aws:network:disrupt-connectivity": (c) => {
    const duration = seconds(c, "duration", 300);
    const zones = new Set(allOf(c).flatMap((r) => (r.zone ? [r.zone] : [])));
    c.world.addEffect({ key: c.key, kind: "isolation", zones, from: c.at, until: c.at + duration * 1000, amount: 1 });
    return duration;
  },
  // Lambda's fault-injection extension: a share of invocations fails, is delayed, or answers with a status code.
  "aws:lambda:invocation-error": timedEffect("invocation-error", (c) => invocationShare(c)),
  "aws:lambda:invocation-add-delay": timedEffect(
    "latency",
    (c) => Number(c.parameters.startupDelayMilliseconds ?? 1000) * invocationShare(c),
  ),
  "aws:lambda:invocation-http-integration-response": (c) =>
    Number(c.parameters.statusCode ?? 500) >= 500
      ? timedEffect("invocation-error", invocationShare)(c)
      : timedEffect("latency", () => 0)(c),
  "aws:dynamodb:global-table-pause-replication": timedEffect("replication-paused", () => 1),
  "aws:rds:reboot-db-instances": (c) => {
    const force = c.parameters.forceFailover === "true";
    for (const r of allOf(c)) if (r.unitId) c.world.rebootDatabase(r.unitId, c.at, force);
    return INSTANT;
  },
  "aws:rds:failover-db-cluster": (c) => {
    for (const r of allOf(c)) c.world.failover(r.tier, c.at);
    return INSTANT;
  },
};

/**
 * Where an action's model lives when not in this file's table alone, and what it needs from the user: the SSM
 * actions run documents, simulated from AWS's own documents' parameters or from the world's declarations.
 */
export const ACTION_MODEL_NOTES: Readonly<Record<string, { module: string; needs: string }>> = {
  "aws:ssm:send-command": {
    module: "src/sim/actions/ssm-documents.ts",
    needs: "AWSFIS-Run-* documents; others when declared",
  },
  "aws:ssm:start-automation-execution": {
    module: "src/sim/actions/declared-effects.ts",
    needs: "when declared",
  },
};
