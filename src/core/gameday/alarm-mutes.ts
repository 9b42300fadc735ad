import { InvalidPlanError } from "../contract/errors";
import { alarmNameOfArn } from "../probes/alarms";
import type { AlarmMutes, Clock, PermissionCheck } from "../ports";
import type { GameDayState } from "./state";

/** CloudWatch's longest mute (PutAlarmMuteRule's Duration: 1 minute to 15 days). */
const MAX_MUTE_MINUTES = 15 * 24 * 60;

/**
 * The mute rule of one game day: the state machine's name and the execution's (the same execution name in another
 * stack is another rule), within CloudWatch's 255 characters.
 */
export function muteRuleName(run: { stateMachine: string; executionName: string }): string {
  const machine = run.stateMachine.slice(run.stateMachine.lastIndexOf(":") + 1);
  return `gameday-${machine}-${run.executionName}`.slice(0, 255);
}

/**
 * Mutes the actions of the plan's `muteAlarmActions` (the alarms that page people) from now until the game day's
 * deadline, once its system is found steady and before anything is injected: the alarms keep evaluating, so FIS
 * stop conditions and alarm probes still read their states. Said once per game day; the rule ends on its own at
 * the deadline, and cleanup and the orphan guard delete it sooner.
 */
export async function muteAlarmActions(
  state: GameDayState,
  mutes: Pick<AlarmMutes, "mute">,
  clock: Clock,
): Promise<GameDayState> {
  const alarms = state.plan.muteAlarmActions ?? [];
  if (!alarms.length || state.muted || state.decision.next !== "steady") return state;
  const now = clock.now();
  const start = Math.floor(now / 60_000) * 60_000;
  const minutes = Math.min(MAX_MUTE_MINUTES, Math.max(1, Math.ceil((Date.parse(state.run.deadline) - start) / 60_000)));
  const rule = muteRuleName(state.run);
  await mutes.mute(rule, alarms, start, minutes);
  return { ...state, muted: { rule, alarms, from: new Date(start).toISOString(), minutes } };
}

/**
 * Refuses a plan that would mute the actions of one of its templates' stop-condition alarms: when the guardrail
 * fires, the people it pages must hear it.
 */
export async function refuseMutingStopConditions(
  alarms: readonly string[],
  templateIds: readonly string[],
  templates: Pick<PermissionCheck, "templateActions">,
): Promise<void> {
  if (!alarms.length) return;
  for (const templateId of new Set(templateIds)) {
    const stopConditions = (await templates.templateActions(templateId))?.stopConditionAlarms ?? [];
    const muted = stopConditions.map(alarmNameOfArn).filter((name) => alarms.includes(name));
    if (muted.length)
      throw new InvalidPlanError(
        `muteAlarmActions names ${muted.join(", ")}, a stop condition of template ${templateId}: a game day never ` +
          "mutes its own guardrails. Take it out of muteAlarmActions.",
      );
  }
}

/** Ends the game day's mute (cleanup, whichever path led there); a rule already gone is fine. */
export async function unmuteAlarmActions(
  state: GameDayState,
  mutes: Pick<AlarmMutes, "unmute">,
  clock: Clock,
): Promise<GameDayState> {
  if (!state.muted || state.muted.endedAt) return state;
  await mutes.unmute(state.muted.rule);
  return { ...state, muted: { ...state.muted, endedAt: new Date(clock.now()).toISOString() } };
}
