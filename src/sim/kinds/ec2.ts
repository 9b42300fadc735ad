import { durationSeconds } from "../../core/time/duration";
import {
  allOf,
  downForDuration,
  INSTANT,
  seconds,
  share,
  tiersOf,
  timedEffect,
  type ActionContext,
} from "../actions/model";
import { zonesNamed } from "../zones";
import type { TierKind } from "./kind";
import { TIER_KIND_DESCRIPTIONS } from "./names";

const groupName = (tier: { name: string; resourceNames: Record<string, string> }) =>
  tier.resourceNames.autoScalingGroup ?? tier.name;

/** The Auto Scaling group can launch no instance in these zones for the action's duration (insufficient capacity). */
export function blockLaunches(c: ActionContext, tiers: Set<string>): number {
  const duration = seconds(c, "duration", 300);
  const zones = zonesNamed(c.world.definition, c.parameters.availabilityZoneIdentifiers ?? "");
  // A share of launches failing is modelled as all of them: Auto Scaling's retries are not simulated (harsher).
  if (share(c, "percentage", 100) > 0)
    c.world.addEffect({
      key: c.key,
      kind: "launch-blocked",
      tiers,
      zones,
      from: c.at,
      until: c.at + duration * 1000,
      amount: 1,
    });
  return duration;
}

/** Instances in an Auto Scaling group, which replaces the ones it loses. Spot instances are some of them. */
export const ec2: TierKind = {
  description: TIER_KIND_DESCRIPTIONS.ec2,
  placement: "per-zone",
  servesClients: true,
  unitIdPrefix: () => "i-",
  resources: {
    "aws:ec2:instance": (c) => instances(c, false),
    "aws:ec2:spot-instance": (c) => instances(c, true),
    "aws:ec2:autoscaling-group": (c) => [
      {
        ...c.base,
        type: "aws:ec2:autoscaling-group",
        arn: `arn:aws:autoscaling:${c.region}:${c.account}:autoScalingGroup:0:autoScalingGroupName/${groupName(c.tier)}`,
        attributes: { AutoScalingGroupName: groupName(c.tier) },
      },
    ],
    // Each instance's root volume, in its zone.
    "aws:ec2:ebs-volume": (c) =>
      c.units.map((u) => ({
        ...c.base,
        type: "aws:ec2:ebs-volume",
        arn: `arn:aws:ec2:${c.region}:${c.account}:volume/vol-${u.id.replace(/^i-/, "")}`,
        unitId: u.id,
        zone: u.zone,
        attributes: { AvailabilityZone: u.zone, "Attachments.InstanceId": u.id, State: "in-use" },
      })),
  },
  namesInArns: {
    "aws:ec2:autoscaling-group": { pattern: /autoScalingGroupName\/(.+)$/, key: "autoScalingGroup" },
  },
  metrics(tier, add, read) {
    const group = { AutoScalingGroupName: groupName(tier) };
    add("AWS/EC2", "CPUUtilization", group, { aggregate: "gauge", read: (s) => read(s).cpu });
    add("AWS/AutoScaling", "GroupInServiceInstances", group, {
      aggregate: "gauge",
      read: (s) => read(s).healthyUnits,
    });
  },
  actions: {
    "aws:ec2:terminate-instances": (c) => {
      for (const r of allOf(c)) {
        if (r.unitId) c.world.replaceUnit(r.unitId, c.at);
        if (r.nodeId) c.world.terminateNode(r.nodeId, c.at);
      }
      return INSTANT;
    },
    "aws:ec2:stop-instances": (c) => {
      const restart = c.parameters.startInstancesAfterDuration
        ? durationSeconds(c.parameters.startInstancesAfterDuration)
        : undefined;
      for (const r of allOf(c)) if (r.unitId) c.world.stopUnit(r.unitId, c.at, restart);
      return restart ?? INSTANT;
    },
    "aws:ec2:reboot-instances": (c) => {
      for (const r of allOf(c)) if (r.unitId) c.world.rebootUnit(r.unitId, c.at);
      return INSTANT;
    },
    "aws:ec2:send-spot-instance-interruptions": (c) => {
      const notice = seconds(c, "durationBeforeInterruption", 120);
      for (const r of allOf(c)) {
        const at = c.at + notice * 1000;
        if (r.unitId) c.world.schedule(at, () => c.world.replaceUnit(r.unitId!, at));
      }
      return notice;
    },
    "aws:ec2:asg-insufficient-instance-capacity-error": (c) => blockLaunches(c, tiersOf(c)),
    // I/O to the volume stops: the instance answers no request that touches its disk until it resumes.
    "aws:ebs:pause-volume-io": downForDuration(),
    // The share of reads (or writes, when larger) delayed, times the delay: what an average request waits.
    "aws:ebs:volume-io-latency": timedEffect("latency", (c) =>
      Math.max(
        share(c, "readIOPercentage", 100) * Number(c.parameters.readIOLatencyMilliseconds ?? 0),
        share(c, "writeIOPercentage", 100) * Number(c.parameters.writeIOLatencyMilliseconds ?? 0),
      ),
    ),
  },
};

function instances(c: Parameters<TierKind["resources"][string]>[0], spotOnly: boolean) {
  const type = spotOnly ? "aws:ec2:spot-instance" : "aws:ec2:instance";
  return c.units
    .filter((u) => !spotOnly || u.spot)
    .map((u) => ({
      ...c.base,
      tags: { ...c.base.tags, "aws:autoscaling:groupName": groupName(c.tier) },
      arn: `arn:aws:ec2:${c.region}:${c.account}:instance/${u.id}`,
      type,
      unitId: u.id,
      zone: u.zone,
      attributes: {
        "State.Name": u.state,
        "Placement.AvailabilityZone": u.zone,
        InstanceLifecycle: u.spot ? "spot" : "normal",
      },
    }));
}
