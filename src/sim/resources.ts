import type { FisTarget } from "../core/template/schema";
import { keyedSample } from "./random";
import { resourceName, type World } from "./world";

/** A resource FIS can target, with the attributes its `filters` paths read. */
export interface SimResource {
  arn: string;
  type: string;
  tier: string;
  tags: Record<string, string>;
  attributes: Record<string, string>;
  unitId?: string;
  nodeId?: string;
  zone?: string;
}

export function listResources(world: World, type: string): SimResource[] {
  const { accountId: account, region } = world.definition;
  const out: SimResource[] = [];
  for (const tier of world.definition.tiers) {
    const names = tier.resourceNames;
    const units = world.units.filter((u) => u.tier === tier.name && u.state !== "terminated");
    const base = { tier: tier.name, tags: { ...tier.tags } };
    switch (`${tier.kind} ${type}`) {
      case "ec2 aws:ec2:instance":
      case "ec2 aws:ec2:spot-instance":
        for (const u of units.filter((x) => type === "aws:ec2:instance" || x.spot)) {
          out.push({
            ...base,
            tags: { ...base.tags, "aws:autoscaling:groupName": names.autoScalingGroup ?? tier.name },
            arn: `arn:aws:ec2:${region}:${account}:instance/${u.id}`,
            type,
            unitId: u.id,
            zone: u.zone,
            attributes: {
              "State.Name": u.state,
              "Placement.AvailabilityZone": u.zone,
              InstanceLifecycle: u.spot ? "spot" : "normal",
            },
          });
        }
        break;
      case "ec2 aws:ec2:autoscaling-group":
        out.push({
          ...base,
          type,
          arn: `arn:aws:autoscaling:${region}:${account}:autoScalingGroup:0:autoScalingGroupName/${names.autoScalingGroup ?? tier.name}`,
          attributes: {},
        });
        break;
      case "eks aws:ec2:instance":
        for (const n of world.nodes.filter((x) => x.tier === tier.name && x.state === "running")) {
          out.push({
            ...base,
            type,
            arn: `arn:aws:ec2:${region}:${account}:instance/${n.id}`,
            nodeId: n.id,
            zone: n.zone,
            attributes: { "State.Name": "running", "Placement.AvailabilityZone": n.zone },
          });
        }
        break;
      case "ecs aws:ecs:task":
        for (const u of units.filter((x) => x.state === "running")) {
          out.push({
            ...base,
            type,
            arn: `arn:aws:ecs:${region}:${account}:task/${names.cluster ?? tier.name}/${u.id}`,
            unitId: u.id,
            zone: u.zone,
            attributes: {
              AvailabilityZone: u.zone,
              ServiceName: names.service ?? tier.name,
              ClusterName: names.cluster ?? tier.name,
            },
          });
        }
        break;
      case "ecs aws:ecs:cluster":
        out.push({
          ...base,
          type,
          arn: `arn:aws:ecs:${region}:${account}:cluster/${names.cluster ?? tier.name}`,
          attributes: {},
        });
        break;
      case "eks aws:eks:cluster":
        out.push({
          ...base,
          type,
          arn: `arn:aws:eks:${region}:${account}:cluster/${names.cluster ?? tier.name}`,
          attributes: {},
        });
        break;
      case "eks aws:eks:nodegroup":
        out.push({
          ...base,
          type,
          arn: `arn:aws:eks:${region}:${account}:nodegroup/${names.cluster ?? tier.name}/${names.nodegroup ?? tier.name}/0`,
          attributes: {},
        });
        break;
      case "eks aws:eks:pod":
        for (const u of units.filter((x) => x.state === "running")) {
          out.push({
            ...base,
            type,
            arn: `arn:aws:eks:${region}:${account}:pod/${names.cluster ?? tier.name}/${names.namespace ?? "default"}/${u.id}`,
            unitId: u.id,
            zone: u.zone,
            attributes: {
              clusterIdentifier: names.cluster ?? tier.name,
              namespace: names.namespace ?? "default",
              labels: `app=${names.service ?? tier.name}`,
            },
          });
        }
        break;
      case "aurora aws:rds:db":
        for (const u of units) {
          out.push({
            ...base,
            type,
            arn: `arn:aws:rds:${region}:${account}:db:${u.id}`,
            unitId: u.id,
            zone: u.zone,
            attributes: { DBInstanceIdentifier: u.id, AvailabilityZone: u.zone, Role: u.role ?? "writer" },
          });
        }
        break;
      case "dynamodb aws:dynamodb:global-table":
        out.push({
          ...base,
          type,
          arn: `arn:aws:dynamodb:${region}:${account}:table/${resourceName(tier)}`,
          unitId: resourceName(tier),
          attributes: { TableName: resourceName(tier) },
        });
        break;
      case "lambda aws:lambda:function":
        out.push({
          ...base,
          type,
          arn: `arn:aws:lambda:${region}:${account}:function:${resourceName(tier)}`,
          unitId: resourceName(tier),
          attributes: { FunctionName: resourceName(tier) },
        });
        break;
      case "aurora aws:rds:cluster":
        out.push({
          ...base,
          type,
          arn: `arn:aws:rds:${region}:${account}:cluster:${names.cluster ?? tier.name}`,
          attributes: { DBClusterIdentifier: names.cluster ?? tier.name },
        });
        break;
    }
  }
  if (type === "aws:ec2:subnet") {
    world.definition.zones.forEach((zone, i) => {
      out.push({
        arn: `arn:aws:ec2:${region}:${account}:subnet/subnet-0${i + 1}${zone.slice(-1)}`,
        type,
        tier: "",
        zone,
        tags: { "FIS-Ready": "True", Name: `private-${zone}` },
        attributes: { AvailabilityZone: zone },
      });
    });
  }
  return out;
}

/** FIS target resolution: ARNs or tags, then filters, then parameters (EKS pods), then the selection mode. */
export function resolveTarget(world: World, target: FisTarget, purpose: string): SimResource[] {
  let candidates = listResources(world, target.resourceType);
  if (target.resourceArns) candidates = candidates.filter((r) => target.resourceArns!.includes(r.arn));
  if (target.resourceTags) {
    candidates = candidates.filter((r) => Object.entries(target.resourceTags!).every(([k, v]) => r.tags[k] === v));
  }
  for (const filter of target.filters ?? []) {
    candidates = candidates.filter((r) => filter.values.includes(r.attributes[filter.path] ?? ""));
  }
  const p = target.parameters ?? {};
  if (target.resourceType === "aws:eks:pod") {
    candidates = candidates.filter(
      (r) =>
        (!p.clusterIdentifier ||
          p.clusterIdentifier === r.attributes.clusterIdentifier ||
          p.clusterIdentifier.endsWith(`/${r.attributes.clusterIdentifier}`)) &&
        (!p.namespace || p.namespace === r.attributes.namespace) &&
        (!p.selectorValue || p.selectorValue === r.attributes.labels),
    );
  }
  if (target.resourceType === "aws:ecs:task") {
    candidates = candidates.filter(
      (r) =>
        (!p.cluster || p.cluster === r.attributes.ClusterName) &&
        (!p.service || p.service === r.attributes.ServiceName),
    );
  }
  const mode = target.selectionMode;
  const count = /^COUNT\((\d+)\)$/.exec(mode);
  const percent = /^PERCENT\((\d+(?:\.\d+)?)\)$/.exec(mode);
  if (count) return keyedSample(candidates, Number(count[1]), world.seed, purpose);
  if (percent && candidates.length) {
    const n = Math.max(1, Math.round((candidates.length * Number(percent[1])) / 100));
    return keyedSample(candidates, n, world.seed, purpose);
  }
  return candidates;
}
