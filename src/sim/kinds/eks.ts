import { applyDeclared } from "../actions/declared-effects";
import { allOf, INSTANT, seconds } from "../actions/model";
import {
  blackholePort,
  cpuStress,
  ioStress,
  memoryStress,
  networkLatency,
  packetLoss,
} from "../actions/in-unit-faults";
import { unitResource, type TierKind } from "./kind";
import { TIER_KIND_DESCRIPTIONS } from "./names";

const names = (tier: { name: string; resourceNames: Record<string, string> }) => ({
  cluster: tier.resourceNames.cluster ?? tier.name,
  service: tier.resourceNames.service ?? tier.name,
  namespace: tier.resourceNames.namespace ?? "default",
  nodegroup: tier.resourceNames.nodegroup ?? tier.name,
});

/** Pods of a Kubernetes deployment on an EKS managed node group; Kubernetes reschedules pods from lost nodes. */
export const eks: TierKind = {
  description: TIER_KIND_DESCRIPTIONS.eks,
  placement: "per-zone",
  servesClients: true,
  runsOnNodes: true,
  unitIdPrefix: (tier) => `${tier.resourceNames.service ?? tier.name}-`,
  resources: {
    "aws:ec2:instance": (c) =>
      c.world.nodes
        .filter((n) => n.tier === c.tier.name && n.state === "running")
        .map((n) => ({
          ...c.base,
          type: "aws:ec2:instance",
          arn: `arn:aws:ec2:${c.region}:${c.account}:instance/${n.id}`,
          nodeId: n.id,
          zone: n.zone,
          attributes: { "State.Name": "running", "Placement.AvailabilityZone": n.zone },
        })),
    "aws:eks:cluster": (c) => [
      {
        ...c.base,
        type: "aws:eks:cluster",
        arn: `arn:aws:eks:${c.region}:${c.account}:cluster/${names(c.tier).cluster}`,
        attributes: {},
      },
    ],
    "aws:eks:nodegroup": (c) => [
      {
        ...c.base,
        type: "aws:eks:nodegroup",
        arn: `arn:aws:eks:${c.region}:${c.account}:nodegroup/${names(c.tier).cluster}/${names(c.tier).nodegroup}/0`,
        attributes: {},
      },
    ],
    "aws:eks:pod": (c) =>
      c.units
        .filter((u) => u.state === "running")
        .map((u) => ({
          ...unitResource(
            c,
            "aws:eks:pod",
            `arn:aws:eks:${c.region}:${c.account}:pod/${names(c.tier).cluster}/${names(c.tier).namespace}/${u.id}`,
            u,
          ),
          attributes: {
            clusterIdentifier: names(c.tier).cluster,
            namespace: names(c.tier).namespace,
            labels: `app=${names(c.tier).service}`,
          },
        })),
  },
  namesInArns: { "aws:eks:cluster": { pattern: /:cluster\/([^/]+)$/, key: "cluster" } },
  metrics(tier, add, read) {
    const dims = { ClusterName: names(tier).cluster, Namespace: names(tier).namespace, Service: names(tier).service };
    add("ContainerInsights", "service_number_of_running_pods", dims, {
      aggregate: "gauge",
      read: (s) => read(s).healthyUnits,
    });
    add("ContainerInsights", "pod_cpu_utilization", dims, { aggregate: "gauge", read: (s) => read(s).cpu });
  },
  actions: {
    "aws:eks:pod-cpu-stress": cpuStress,
    "aws:eks:pod-io-stress": ioStress,
    "aws:eks:pod-memory-stress": memoryStress,
    "aws:eks:pod-network-blackhole-port": blackholePort,
    "aws:eks:pod-network-latency": networkLatency,
    "aws:eks:pod-network-packet-loss": packetLoss,
    "aws:eks:pod-delete": (c) => {
      for (const r of allOf(c))
        if (r.unitId) c.world.replaceUnit(r.unitId, c.at, c.world.tier(r.tier).rescheduleSeconds / 2);
      return INSTANT;
    },
    "aws:eks:terminate-nodegroup-instances": (c) => {
      const share = Number(c.parameters.instanceTerminationPercentage ?? 100) / 100;
      for (const tier of new Set(allOf(c).map((r) => r.tier))) {
        const nodes = c.world.nodes.filter((n) => n.tier === tier && n.state === "running");
        const count = Math.max(1, Math.round(nodes.length * share));
        for (const node of nodes.slice(0, count)) c.world.terminateNode(node.id, c.at);
      }
      return INSTANT;
    },
    // A custom resource (Chaos Mesh, Litmus) does what its controller makes of it: the world declares the effect
    // under the resource's kind, on the cluster's pods.
    "aws:eks:inject-kubernetes-custom-resource": (c) =>
      applyDeclared(c, c.parameters.kubernetesKind ?? "", seconds(c, "maxDuration", 300), "kubernetesKind"),
  },
};
