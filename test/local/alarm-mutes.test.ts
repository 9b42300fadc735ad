import { CloudWatchClient, DeleteAlarmMuteRuleCommand, PutAlarmMuteRuleCommand } from "@aws-sdk/client-cloudwatch";
import { mockClient } from "aws-sdk-client-mock";
import { describe, expect, it } from "vitest";
import { deleteAlarmMute, putAlarmMute } from "../../src/aws/alarm-mutes";
import { renderMarkdown } from "../../src/core/report/markdown";
import { renderHtml } from "../../src/core/report/html";
import { chartLibrary } from "../../src/assets/chart-library";
import { reportSchema } from "../../src/core/report/schema";
import { planFrom, rehearsePlan } from "../helpers";

const ECS = "plans/ecs-checkout-zone-loss.json";
const RULE = "gameday-GameDay-Orchestrator-quiet-pagers";
const muting = (alarms: string[]) => planFrom(ECS, (plan) => (plan.muteAlarmActions = alarms));

describe("quiet pagers: alarm actions muted for the game day", () => {
  it("mutes the plan's alarms once the system is steady, and unmutes them at cleanup", async () => {
    const result = await rehearsePlan(muting(["shop-checkout-5xx"]), { executionName: "quiet-pagers" });
    const cloudwatch = result.account.metrics;
    expect(cloudwatch.mutesPut).toEqual([RULE]);
    expect([...cloudwatch.muteRules.keys()]).toEqual([]);
    const mute = result.report!.alarmMute!;
    expect(mute).toMatchObject({ rule: RULE, alarms: ["shop-checkout-5xx"], endedAt: expect.any(String) });
    // From the steady-state check (before the fault) to cleanup (after recovery).
    expect(Date.parse(mute.from)).toBeLessThanOrEqual(Date.parse(result.report!.stages[0]!.faultStartedAt));
    expect(Date.parse(mute.endedAt!)).toBeGreaterThanOrEqual(Date.parse(result.report!.stages[0]!.faultEndedAt!));
    expect(renderMarkdown(result.report!)).toContain(`Alarm actions muted (${RULE}): shop-checkout-5xx, from`);
    expect(renderHtml(result.report!, chartLibrary())).toContain(`<p>Alarm actions muted (${RULE}): shop-checkout-5xx`);
    // The report store accepts it, the mute included.
    expect(reportSchema.parse(result.report).alarmMute).toEqual(mute);
  });

  it("ends the mute through the orphan guard when the game day is stopped from outside", async () => {
    const result = await rehearsePlan(muting(["shop-checkout-5xx"]), {
      executionName: "quiet-pagers",
      faults: [{ kind: "abort-at", afterSeconds: 90 }],
    });
    expect(result.status).toBe("ABORTED");
    expect(result.account.metrics.mutesPut).toEqual([RULE]);
    expect([...result.account.metrics.muteRules.keys()]).toEqual([]);
  });

  it("never mutes a stop-condition alarm: the plan is refused before anything starts", async () => {
    const result = await rehearsePlan(muting(["shop-checkout-5xx", "shop-front-door-5xx"]));
    expect(result.report?.verdict).toBe("ABORTED");
    expect(result.report?.reason).toContain("muteAlarmActions names shop-front-door-5xx, a stop condition of template");
    expect(result.account.metrics.mutesPut).toEqual([]);
    expect([...result.account.fis.experiments.values()]).toEqual([]);
  });

  it("puts a one-time rule with CloudWatch's at() expression and deletes it by name", async () => {
    const cloudwatch = mockClient(CloudWatchClient);
    cloudwatch.on(PutAlarmMuteRuleCommand).resolves({});
    cloudwatch.on(DeleteAlarmMuteRuleCommand).resolves({});
    const client = new CloudWatchClient({ region: "eu-west-1" });
    await putAlarmMute(client)(RULE, ["checkout-pager"], Date.parse("2026-11-24T10:03:00Z"), 95);
    await deleteAlarmMute(client)(RULE);
    expect(cloudwatch.commandCalls(PutAlarmMuteRuleCommand)[0]!.args[0].input).toEqual({
      Name: RULE,
      Description: "gameday: alarm actions muted for a game day",
      Rule: { Schedule: { Expression: "at(2026-11-24T10:03)", Duration: "PT95M" } },
      MuteTargets: { AlarmNames: ["checkout-pager"] },
    });
    expect(cloudwatch.commandCalls(DeleteAlarmMuteRuleCommand)[0]!.args[0].input).toEqual({
      AlarmMuteRuleName: RULE,
    });
    cloudwatch.restore();
  });
});
