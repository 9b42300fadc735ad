import { allOf, INSTANT, seconds } from "../actions/model";
import { blackholePort, cpuStress, ioStress, killProcess, networkLatency, packetLoss } from "../actions/in-unit-faults";
import { unitResource, type TierKind } from "./kind";
import { TIER_KIND_DESCRIPTIONS } from "./names";

const names = (tier: { name: string; resourceNames: Record<string, string> }) => ({
  cluster: tier.resourceNames.cluster ?? tier.name,
  service: tier.resourceNames.service ?? tier.name,
});

/** Tasks of an ECS service, which the service scheduler replaces when they stop. */
export const ecs: TierKind = {
  description: TIER_KIND_DESCRIPTIONS.ecs,
  placement: "per-zone",
  servesClients: true,
  unitIdPrefix: () => "",
  resources: {
    "aws:ecs:task": (c) =>
      c.units
        .filter((u) => u.state === "running")
        .map((u) => ({
          ...unitResource(
            c,
            "aws:ecs:task",
            `arn:aws:ecs:${c.region}:${c.account}:task/${names(c.tier).cluster}/${u.id}`,
            u,
          ),
          attributes: {
            AvailabilityZone: u.zone,
            ServiceName: names(c.tier).service,
            ClusterName: names(c.tier).cluster,
          },
        })),
    "aws:ecs:cluster": (c) => [
      {
        ...c.base,
        type: "aws:ecs:cluster",
        arn: `arn:aws:ecs:${c.region}:${c.account}:cluster/${names(c.tier).cluster}`,
        attributes: { ClusterName: names(c.tier).cluster },
      },
    ],
  },
  namesInArns: { "aws:ecs:cluster": { pattern: /:cluster\/([^/]+)$/, key: "cluster" } },
  metrics(tier, add, read) {
    const dims = { ClusterName: names(tier).cluster, ServiceName: names(tier).service };
    add("AWS/ECS", "CPUUtilization", dims, { aggregate: "gauge", read: (s) => read(s).cpu });
    add("ECS/ContainerInsights", "RunningTaskCount", dims, { aggregate: "gauge", read: (s) => read(s).healthyUnits });
  },
  actions: {
    "aws:ecs:stop-task": (c) => {
      for (const r of allOf(c)) if (r.unitId) c.world.replaceUnit(r.unitId, c.at);
      return INSTANT;
    },
    "aws:ecs:drain-container-instances": (c) => {
      const share = Number(c.parameters.drainagePercentage ?? 100) / 100;
      for (const tier of new Set(allOf(c).map((r) => r.tier))) {
        const tasks = c.world.units.filter((u) => u.tier === tier && u.state === "running");
        for (const task of tasks.slice(0, Math.round(tasks.length * share))) c.world.replaceUnit(task.id, c.at);
      }
      return seconds(c, "duration", 300);
    },
    "aws:ecs:task-cpu-stress": cpuStress,
    "aws:ecs:task-io-stress": ioStress,
    "aws:ecs:task-kill-process": killProcess,
    "aws:ecs:task-network-blackhole-port": blackholePort,
    "aws:ecs:task-network-latency": networkLatency,
    "aws:ecs:task-network-packet-loss": packetLoss,
  },
};
