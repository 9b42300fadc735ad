import { describe, expect, it } from "vitest";
import { sdkIntegrations } from "../../src/local/sdk-integrations";
import { MAX_PUT_EVENTS_BYTES, SimulatedAccount, putEventsEntrySize } from "../../src/sim/account";
import { FaultInjector, formatFaultSpec, parseFaultSpec } from "../../src/sim/faults";
import { planFrom, rehearsePlan, world } from "../helpers";

const entry = (detail: string) => ({ source: "gameday", detailType: "Game day report", detail, eventBusName: "bus" });

describe("the simulated EventBridge holds to PutEvents' limits", () => {
  it("counts an entry's size as AWS does: Source, DetailType and Detail in UTF-8 bytes, plus 14 for the time", () => {
    expect(putEventsEntrySize(entry("{}"))).toBe(14 + 7 + 15 + 2);
    expect(putEventsEntrySize(entry('{"a":"é"}'))).toBe(14 + 7 + 15 + 10);
  });

  it("refuses a request over 256 KB or over 10 entries, and keeps nothing of it", () => {
    const account = new SimulatedAccount(world(), 1);
    const fits = MAX_PUT_EVENTS_BYTES - putEventsEntrySize(entry(""));
    expect(account.putEvents([entry("x".repeat(fits))])).toHaveLength(1);
    expect(() => account.putEvents([entry("x".repeat(fits + 1))])).toThrow(
      expect.objectContaining({ name: "ValidationException", message: expect.stringMatching(/over the limit/) }),
    );
    expect(() => account.putEvents(Array.from({ length: 11 }, () => entry("{}")))).toThrow(/1 to 10 entries/);
    expect(account.events).toHaveLength(1);
  });

  it("fails the state machine's publish task with EventBridge's error name", async () => {
    const account = new SimulatedAccount(world(), 1);
    const putEvents = sdkIntegrations(account, new FaultInjector([], 1))["arn:aws:states:::events:putEvents"]!;
    const big = {
      Source: "gameday",
      DetailType: "Game day report",
      EventBusName: "bus",
      Detail: { text: "x".repeat(MAX_PUT_EVENTS_BYTES) },
    };
    await expect(putEvents({ Entries: [big] })).rejects.toMatchObject({ name: "EventBridge.ValidationException" });
    await expect(putEvents({ Entries: [{ ...big, Detail: { text: "small" } }] })).resolves.toMatchObject({
      FailedEntryCount: 0,
    });
  });
});

describe("PutEvents entries that fail in a successful call", () => {
  it("fails the publish task with EventBridge.FailedEntry, which the state machine retries until the report is out", async () => {
    const result = await rehearsePlan(planFrom("plans/ecs-checkout-zone-loss.json"), {
      faults: [{ kind: "put-events-failed-entry", fraction: 0.6 }],
      seed: 4,
    });
    expect(result.report?.rehearsal?.faultsInjected["put-events-failed-entry:0.6"]).toBeGreaterThan(0);
    // The state machine itself published the report after retrying; no fallback path was taken.
    expect(result.enteredStates.get("The report could not be published")).toBeUndefined();
    expect(result.status).toBe("SUCCEEDED");
    expect(result.report?.verdict).toBe("PASSED");
    expect(result.report?.rehearsal?.reportsStored).toBe(1);
  });

  it("is parsed and printed back as given", () => {
    expect(parseFaultSpec("put-events-failed-entry:0.25")).toEqual({ kind: "put-events-failed-entry", fraction: 0.25 });
    expect(formatFaultSpec(parseFaultSpec("put-events-failed-entry:0.25"))).toBe("put-events-failed-entry:0.25");
  });
});
