import { CloudWatchClient, DeleteAlarmMuteRuleCommand, PutAlarmMuteRuleCommand } from "@aws-sdk/client-cloudwatch";
import type { AlarmMutes } from "../core/ports";
import { SDK_CLIENT_CONFIG, tracer } from "./powertools";

const cloudWatch = () => tracer.captureAWSv3Client(new CloudWatchClient(SDK_CLIENT_CONFIG));

/**
 * Puts a one-time CloudWatch alarm mute rule (`at(yyyy-MM-ddThh:mm)`, UTC) of `minutes`. Separate from the delete
 * so each function's bundle holds, and its role is granted, only the call it makes.
 */
export const putAlarmMute =
  (client: CloudWatchClient = cloudWatch()): AlarmMutes["mute"] =>
  async (rule, alarms, start, minutes) => {
    await client.send(
      new PutAlarmMuteRuleCommand({
        Name: rule,
        Description: "gameday: alarm actions muted for a game day",
        Rule: {
          Schedule: { Expression: `at(${new Date(start).toISOString().slice(0, 16)})`, Duration: `PT${minutes}M` },
        },
        MuteTargets: { AlarmNames: [...alarms] },
      }),
    );
  };

/** Deletes a mute rule; idempotent, as DeleteAlarmMuteRule is (CloudWatch API reference). */
export const deleteAlarmMute =
  (client: CloudWatchClient = cloudWatch()): AlarmMutes["unmute"] =>
  async (rule) => {
    await client.send(new DeleteAlarmMuteRuleCommand({ AlarmMuteRuleName: rule }));
  };
