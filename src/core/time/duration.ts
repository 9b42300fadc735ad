import { parse } from "tinyduration";

/** Thrown for a duration that is not ISO-8601 or uses calendar units (months, years) whose length varies. */
export class DurationError extends Error {
  override name = "DurationError";
}

const ISO_8601_DURATION =
  /^P(?!$)(\d+(\.\d+)?W)?(\d+(\.\d+)?D)?(T(?=\d)(\d+(\.\d+)?H)?(\d+(\.\d+)?M)?(\d+(\.\d+)?S)?)?$/;

export function isIsoDuration(text: string): boolean {
  return ISO_8601_DURATION.test(text);
}

/** Seconds in an ISO-8601 duration such as `PT5M` or `PT1H30M`. */
export function durationSeconds(text: string): number {
  if (!isIsoDuration(text)) {
    throw new DurationError(`"${text}" is not an ISO-8601 duration like PT30S, PT5M or PT1H`);
  }
  const d = parse(text);
  return (
    (d.weeks ?? 0) * 604_800 +
    (d.days ?? 0) * 86_400 +
    (d.hours ?? 0) * 3_600 +
    (d.minutes ?? 0) * 60 +
    (d.seconds ?? 0)
  );
}

/** `PT5M30S` style text for a number of seconds, used in reports and messages. */
export function formatSeconds(seconds: number): string {
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  return [h ? `${h}h` : "", m ? `${m}m` : "", rest || (!h && !m) ? `${rest}s` : ""].join("");
}
