import { durationSeconds } from "../../core/time/duration";
import type { AlarmState } from "../../core/plan/schema";
import type { SimResource } from "../world-types";
import type { Effect, WorldControls } from "../world-types";

export interface ActionContext {
  world: WorldControls;
  /** Resolved resources per target key (`Instances`, `Tasks`, ...). */
  targets: Record<string, SimResource[]>;
  parameters: Record<string, string>;
  at: number;
  /** Identifies this action's effects so a stop can end them. */
  key: string;
  actionId: string;
  /** A CloudWatch alarm's state now, as FIS reads it (for aws:cloudwatch:assert-alarm-state). */
  alarmState?: (alarmName: string) => AlarmState | undefined;
}

/**
 * How long the action runs, in seconds; null when gameday does not model the action; why not (what to declare)
 * when the rehearsal could model it with the user's help; or why the action failed, as FIS would fail it.
 */
export type ActionModel = (context: ActionContext) => number | null | { notModeled: string } | { failed: string };

export const allOf = (c: ActionContext) => Object.values(c.targets).flat();
export const unitsOf = (c: ActionContext) => new Set(allOf(c).flatMap((r) => (r.unitId ? [r.unitId] : [])));
export const tiersOf = (c: ActionContext) => new Set(allOf(c).map((r) => r.tier));
export const seconds = (c: ActionContext, name: string, fallback: number) =>
  c.parameters[name] ? durationSeconds(c.parameters[name]) : fallback;
/** A percentage parameter as a share (`percentage: "50"` is 0.5). */
export const share = (c: ActionContext, name: string, fallback: number) => {
  const value = Number(c.parameters[name] ?? fallback);
  return Number.isFinite(value) ? Math.min(1, Math.max(0, value / 100)) : fallback / 100;
};

/** An action that acts at once (a termination, a reboot): FIS marks it completed within seconds. */
export const INSTANT = 5;

/** Applies an effect on the targeted units for the action's `duration`. */
export const timedEffect =
  (kind: Effect["kind"], amount: (c: ActionContext) => number, durationParameter = "duration"): ActionModel =>
  (c) => {
    const duration = seconds(c, durationParameter, 300);
    c.world.addEffect({
      key: c.key,
      kind,
      units: unitsOf(c),
      from: c.at,
      until: c.at + duration * 1000,
      amount: amount(c),
    });
    return duration;
  };

/** Takes the targeted units out of service for the action's `duration` (a paused disk, a powerless zone). */
export const downForDuration =
  (durationParameter = "duration"): ActionModel =>
  (c) => {
    const duration = seconds(c, durationParameter, 300);
    for (const unit of unitsOf(c)) c.world.rebootUnit(unit, c.at, duration);
    return duration;
  };
