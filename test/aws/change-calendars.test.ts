import { GetCalendarStateCommand, InvalidDocument, SSMClient } from "@aws-sdk/client-ssm";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { ssmChangeCalendars } from "../../src/aws/change-calendars";
import { refuseDuringChangeFreeze, UnknownCalendarError } from "../../src/core/gameday/change-calendars";

const ssm = mockClient(SSMClient);
beforeEach(() => ssm.reset());

describe("SSM change calendars", () => {
  it("asks GetCalendarState for one calendar at a time and reads OPEN, CLOSED and the next transition", async () => {
    ssm
      .on(GetCalendarStateCommand)
      .resolvesOnce({ State: "OPEN", AtTime: "2026-11-24T10:00:00Z" })
      .resolvesOnce({ State: "CLOSED", AtTime: "2026-11-24T10:00:00Z", NextTransitionTime: "2026-11-24T18:00:00Z" });
    const calendars = ssmChangeCalendars(new SSMClient({ region: "eu-west-1" }));
    expect(await calendars.state("team-calendar")).toEqual({ state: "OPEN" });
    expect(await calendars.state("arn:aws:ssm:eu-west-1:123456789012:document/prod-change-freeze")).toEqual({
      state: "CLOSED",
      nextTransitionTime: "2026-11-24T18:00:00Z",
    });
    expect(ssm.commandCalls(GetCalendarStateCommand).map((c) => c.args[0].input)).toEqual([
      { CalendarNames: ["team-calendar"] },
      { CalendarNames: ["arn:aws:ssm:eu-west-1:123456789012:document/prod-change-freeze"] },
    ]);
  });

  it("takes an unknown state as CLOSED, and a missing calendar as unknown, not as open", async () => {
    ssm
      .on(GetCalendarStateCommand)
      .resolvesOnce({ State: "SOMETHING_NEW" as never })
      .rejectsOnce(new InvalidDocument({ message: "Document not found", $metadata: {} }));
    const calendars = ssmChangeCalendars(new SSMClient({ region: "eu-west-1" }));
    expect(await calendars.state("a-calendar")).toEqual({ state: "CLOSED" });
    await expect(calendars.state("typo-calendar")).rejects.toBeInstanceOf(UnknownCalendarError);
  });

  it("refuses a game day during a freeze, naming the calendar, and a plan naming an unknown calendar as invalid", async () => {
    const port = {
      state: async (name: string) => {
        if (name === "missing") throw new UnknownCalendarError("InvalidDocument: not found");
        return name === "frozen" ? { state: "CLOSED" as const } : { state: "OPEN" as const };
      },
    };
    await expect(refuseDuringChangeFreeze(["open"], port)).resolves.toBeUndefined();
    await expect(refuseDuringChangeFreeze(["open", "frozen"], port)).rejects.toMatchObject({
      name: "GameDay.ChangeFreeze",
      message: expect.stringContaining('Change calendar "frozen" is CLOSED'),
    });
    await expect(refuseDuringChangeFreeze(["missing"], port)).rejects.toMatchObject({ name: "GameDay.InvalidPlan" });
  });
});
