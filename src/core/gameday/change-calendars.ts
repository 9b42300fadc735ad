import { ChangeFreezeError, InvalidPlanError } from "../contract/errors";
import type { ChangeCalendars } from "../ports";

/** What a calendar adapter throws for a calendar SSM does not know (InvalidDocument, or not a change calendar). */
export class UnknownCalendarError extends Error {
  override name = "UnknownCalendarError";
}

/**
 * Refuses the game day while any change calendar the plan names is CLOSED (a change freeze): nothing has been
 * injected yet, and the refusal names the calendar and when it opens again. A calendar SSM does not know makes the
 * plan invalid rather than open: a typo must not let a game day run through a freeze.
 */
export async function refuseDuringChangeFreeze(calendars: readonly string[], port: ChangeCalendars): Promise<void> {
  for (const calendar of calendars) {
    const answer = await port.state(calendar).catch((error: Error) => {
      if (error instanceof UnknownCalendarError)
        throw new InvalidPlanError(
          `The plan names change calendar "${calendar}", which SSM does not know: ${error.message}`,
        );
      throw error;
    });
    if (answer.state === "CLOSED")
      throw new ChangeFreezeError(
        `Change calendar "${calendar}" is CLOSED (a change freeze)` +
          (answer.nextTransitionTime ? `; it opens at ${answer.nextTransitionTime}` : "") +
          ": nothing was injected. Start the game day when the calendar is OPEN.",
      );
  }
}
