import { GetCalendarStateCommand, SSMClient } from "@aws-sdk/client-ssm";
import { UnknownCalendarError } from "../core/gameday/change-calendars";
import type { ChangeCalendars } from "../core/ports";
import { SDK_CLIENT_CONFIG, tracer } from "./powertools";

export const ssmClient = () => tracer.captureAWSv3Client(new SSMClient(SDK_CLIENT_CONFIG));

/** The errors GetCalendarState lists for a calendar that does not exist or is not a change calendar. */
const NOT_A_CALENDAR = new Set(["InvalidDocument", "InvalidDocumentType", "UnsupportedCalendarException"]);

/** One calendar at a time, so a CLOSED answer names the calendar that closed it. */
export const ssmChangeCalendars = (client: SSMClient = ssmClient()): ChangeCalendars => ({
  async state(calendar) {
    const answer = await client
      .send(new GetCalendarStateCommand({ CalendarNames: [calendar] }))
      .catch((error: Error) => {
        if (NOT_A_CALENDAR.has(error.name)) throw new UnknownCalendarError(`${error.name}: ${error.message}`);
        throw error;
      });
    // SSM answers OPEN or CLOSED; anything else is treated as closed, never as leave to inject.
    return {
      state: answer.State === "OPEN" ? "OPEN" : "CLOSED",
      ...(answer.NextTransitionTime ? { nextTransitionTime: answer.NextTransitionTime } : {}),
    };
  },
});
