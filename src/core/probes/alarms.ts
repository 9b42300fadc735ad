import type { AlarmState } from "../plan/schema";
import type { AlarmStateChange, TimeWindow } from "../ports";

/** Alarm probes are charted as 1 (in a breaching state) or 0, sampled once a minute like a metric. */
export const ALARM_SAMPLE_SECONDS = 60;

/**
 * An alarm's state history as a series: at each sample time, 1 when the state then was one of the breaching
 * states, else 0. Samples start where the history does; an alarm without history gives no samples.
 */
export function sampleAlarmStates(
  changes: readonly AlarmStateChange[],
  breachingStates: readonly AlarmState[],
  window: TimeWindow,
  stepSeconds = ALARM_SAMPLE_SECONDS,
): { timestamps: number[]; values: number[] } {
  const timestamps: number[] = [];
  const values: number[] = [];
  if (!changes.length) return { timestamps, values };
  let next = 0;
  let state = changes[0]!.state;
  for (let t = Math.max(window.start, changes[0]!.at); t <= window.end; t += stepSeconds * 1000) {
    while (next < changes.length && changes[next]!.at <= t) state = changes[next++]!.state;
    timestamps.push(t);
    values.push(breachingStates.includes(state) ? 1 : 0);
  }
  return { timestamps, values };
}

/** The alarm name in a CloudWatch alarm ARN (arn:aws:cloudwatch:region:account:alarm:name). */
export const alarmNameOfArn = (arn: string) => arn.replace(/^arn:[^:]+:cloudwatch:[^:]*:[^:]*:alarm:/, "");

/** The alarm ARNs among an FIS template's or experiment's stop conditions. */
export const stopConditionAlarmArns = (conditions: readonly { source?: string; value?: string }[] = []) =>
  conditions.filter((c) => c.source === "aws:cloudwatch:alarm" && c.value).map((c) => c.value!);
