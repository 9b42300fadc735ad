import { documentName } from "./actions/ssm-documents";
import { UnknownCalendarError } from "../core/gameday/change-calendars";
import type { ChangeCalendars } from "../core/ports";
import type { WorldDefinition } from "./world-schema";

/**
 * The account's change calendars as SSM's GetCalendarState answers for them: OPEN unless a closed window covers
 * now, with the next transition; a name (or ARN) the account has no calendar of fails as InvalidDocument does.
 */
export function simulatedChangeCalendars(world: WorldDefinition, now: () => number): ChangeCalendars {
  return {
    async state(calendar) {
      const name = documentName(calendar);
      const found = world.changeCalendars.find((c) => c.name === name);
      if (!found) throw new UnknownCalendarError(`InvalidDocument: no change calendar named ${name} in this account`);
      const at = now();
      const windows = found.closed.map((w) => ({ from: Date.parse(w.from), until: Date.parse(w.until) }));
      const closing = windows.find((w) => w.from <= at && at < w.until);
      const next = closing
        ? closing.until
        : Math.min(...windows.filter((w) => w.from > at).map((w) => w.from), Infinity);
      return {
        state: closing ? "CLOSED" : "OPEN",
        ...(Number.isFinite(next) ? { nextTransitionTime: new Date(next).toISOString() } : {}),
      };
    },
  };
}
