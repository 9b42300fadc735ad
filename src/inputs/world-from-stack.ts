import type { WorldDefinition } from "../sim/world-schema";
import { IntrinsicResolver, type CfnResource, type CfnTemplateFile } from "./cloudformation";

type TierKind = WorldDefinition["tiers"][number]["kind"];
import { kindOf } from "../sim/kinds";

/** A tier found in the templates, before sizing: what the stack fixes, and the logical ids it is made of. */
interface FoundTier {
  name: string;
  kind: TierKind;
  /** Instances, tasks, pods or database instances in all; regional kinds have one resource. */
  units: number;
  tags: Record<string, string>;
  resourceNames: Record<string, string>;
  /** The logical ids whose references count as this tier's (its resource, task definition, launch template, ...). */
  ids: Set<string>;
  rdsInstance?: boolean;
  nodes?: number;
}

export interface StackWorld {
  world: Omit<
    WorldDefinition,
    "start" | "publication" | "alarms" | "declaredEffects" | "changeCalendars" | "traceDestination"
  > & {
    alarms: unknown[];
  };
  /** The tier behind the load balancer: the first fault's target. */
  front: FoundTier;
  /** What was guessed, one line each, as printed and written into the world's description. */
  guessed: string[];
  /** Values the templates do not fix (unresolvable intrinsics, parameters without defaults). */
  unresolved: string[];
  /** Resources read but not simulated, and why. */
  leftOut: string[];
}

/** Functions CDK adds for its own machinery: not part of the service. */
const CDK_MACHINERY = /CustomResource|LogRetention|Provider|BucketNotificationsHandler|AWS679f53fac002430cb0da5b/;

const slug = (text: string) =>
  text
    // CDK's logical ids end in an eight-digit hash of the construct path: not part of the name.
    .replace(/([a-z])[0-9A-F]{8}$/, "$1")
    .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .replace(/^(\d)/, "t-$1")
    .slice(0, 40) || "tier";

function tagsOf(resource: CfnResource, resolver: IntrinsicResolver): Record<string, string> {
  const tags = resource.properties.Tags;
  const out: Record<string, string> = {};
  if (Array.isArray(tags))
    for (const tag of tags as { Key?: unknown; Value?: unknown }[]) {
      const key = resolver.string(tag.Key, `${resource.logicalId}.Tags`);
      const value = resolver.string(tag.Value, `${resource.logicalId}.Tags.${String(tag.Key)}`);
      if (key && value !== undefined && !key.startsWith("aws:")) out[key] = value;
    }
  else if (tags && typeof tags === "object")
    for (const [key, value] of Object.entries(tags as Record<string, unknown>)) {
      const v = resolver.string(value, `${resource.logicalId}.Tags.${key}`);
      if (v !== undefined) out[key] = v;
    }
  return out;
}

/**
 * A world from CloudFormation templates (or `cdk synth` output): the tiers they define, their names, zones and tags
 * as far as the templates fix them, the calls between them guessed from references (environment variables, event
 * sources, security group rules), and the load balancer's target groups deciding the front tier. Everything the
 * templates do not say is guessed, sized to run at about 40% of capacity, and listed.
 */
export function worldFromStack(
  templates: CfnTemplateFile[],
  o: { name: string; region: string; accountId: string; requestsPerSecond: number; zones?: string[] },
): StackWorld {
  const guessed: string[] = [];
  const unresolved = new Set<string>();
  const leftOut: string[] = [];
  const tiers: FoundTier[] = [];
  const zones = new Set<string>();
  const subnets: WorldDefinition["subnets"] = [];
  let loadBalancer: string | undefined;
  /** Target group logical ids, by the tiers registered with them. */
  const behindTargetGroups = new Map<FoundTier, Set<string>>();
  const edges: [string, string, string][] = [];

  const resolvers: IntrinsicResolver[] = [];
  for (const template of templates) {
    const resolver = new IntrinsicResolver(template, o);
    resolvers.push(resolver);
    const byId = new Map(template.resources.map((r) => [r.logicalId, r]));
    const nameOf = (r: CfnResource, property: string) =>
      resolver.string(r.properties[property], `${r.logicalId}.${property}`) ?? r.logicalId;
    const refsOf = (value: unknown) => [...resolver.references(value)];
    const add = (tier: Omit<FoundTier, "name"> & { name: string }) => {
      let name = slug(tier.name);
      while (tiers.some((t) => t.name === name)) name = `${name}-2`;
      tiers.push({ ...tier, name });
      return tiers.at(-1)!;
    };
    /** A regional resource (table, function, queue): one unit, named by its name property. */
    const addRegional = (r: CfnResource, kind: TierKind, key: string, nameProperty: string) => {
      const name = nameOf(r, nameProperty);
      add({
        name,
        kind,
        units: 1,
        tags: tagsOf(r, resolver),
        resourceNames: { [key]: name },
        ids: new Set([r.logicalId]),
      });
    };
    /** A resource and the resources it is built from (task definition, launch template) count as one tier. */
    const withParts = (r: CfnResource) =>
      new Set([r.logicalId, ...refsOf(r.properties).filter((id) => PARTS.has(byId.get(id)?.type ?? ""))]);

    for (const r of template.resources) {
      const p = r.properties;
      switch (r.type) {
        case "AWS::EC2::Subnet": {
          const zone = resolver.string(p.AvailabilityZone, `${r.logicalId}.AvailabilityZone`);
          if (zone) {
            zones.add(zone);
            subnets.push({
              id: `subnet-${r.logicalId.toLowerCase().replace(/[^0-9a-z]/g, "")}`,
              zone,
              tags: tagsOf(r, resolver),
            });
          }
          break;
        }
        case "AWS::ElasticLoadBalancingV2::LoadBalancer":
          if (p.Type === undefined || p.Type === "application")
            loadBalancer ??= `app/${nameOf(r, "Name")}/0123456789abcdef`;
          break;
        case "AWS::AutoScaling::AutoScalingGroup": {
          const name = nameOf(r, "AutoScalingGroupName");
          const tier = add({
            name,
            kind: "ec2",
            units: resolver.number(p.DesiredCapacity ?? p.MinSize, `${r.logicalId}.DesiredCapacity`) ?? 2,
            tags: tagsOf(r, resolver),
            resourceNames: { autoScalingGroup: name },
            ids: withParts(r),
          });
          behindTargetGroups.set(tier, new Set(refsOf(p.TargetGroupARNs)));
          break;
        }
        case "AWS::ECS::Service": {
          const clusterRef = refsOf(p.Cluster)[0];
          const cluster = clusterRef
            ? nameOf(byId.get(clusterRef)!, "ClusterName")
            : (resolver.string(p.Cluster, `${r.logicalId}.Cluster`) ?? "default");
          const service = nameOf(r, "ServiceName");
          const tier = add({
            name: service,
            kind: "ecs",
            units: resolver.number(p.DesiredCount, `${r.logicalId}.DesiredCount`) ?? 1,
            tags: tagsOf(r, resolver),
            resourceNames: { cluster, service },
            ids: withParts(r),
          });
          const balancers = Array.isArray(p.LoadBalancers) ? p.LoadBalancers : [];
          behindTargetGroups.set(
            tier,
            new Set(refsOf(balancers.map((b) => (b as { TargetGroupArn?: unknown }).TargetGroupArn))),
          );
          break;
        }
        case "AWS::EKS::Nodegroup": {
          const cluster = resolver.string(p.ClusterName, `${r.logicalId}.ClusterName`) ?? r.logicalId;
          const scaling = (p.ScalingConfig ?? {}) as Record<string, unknown>;
          const nodes = resolver.number(scaling.DesiredSize ?? scaling.MinSize, `${r.logicalId}.ScalingConfig`) ?? 3;
          add({
            name: nameOf(r, "NodegroupName"),
            kind: "eks",
            units: nodes,
            nodes,
            tags: tagsOf(r, resolver),
            resourceNames: { cluster, nodegroup: nameOf(r, "NodegroupName"), namespace: "default" },
            ids: withParts(r),
          });
          guessed.push(
            `EKS node group ${r.logicalId}: one pod per node in namespace "default" (pods live in Kubernetes, not in the template)`,
          );
          break;
        }
        case "AWS::RDS::DBCluster": {
          const cluster = nameOf(r, "DBClusterIdentifier");
          const members = template.resources.filter(
            (i) => i.type === "AWS::RDS::DBInstance" && refsOf(i.properties.DBClusterIdentifier).includes(r.logicalId),
          );
          add({
            name: cluster,
            kind: "aurora",
            units: Math.max(1, members.length),
            tags: tagsOf(r, resolver),
            resourceNames: { cluster },
            ids: new Set([r.logicalId, ...members.map((m) => m.logicalId)]),
          });
          break;
        }
        case "AWS::RDS::DBInstance": {
          // Cluster members belong to their cluster; replicas to their source.
          if (p.DBClusterIdentifier !== undefined || p.SourceDBInstanceIdentifier !== undefined) break;
          const replicas = template.resources.filter(
            (i) =>
              i.type === "AWS::RDS::DBInstance" &&
              refsOf(i.properties.SourceDBInstanceIdentifier).includes(r.logicalId),
          );
          const name = nameOf(r, "DBInstanceIdentifier");
          add({
            name,
            kind: "aurora",
            units: 1 + replicas.length,
            tags: tagsOf(r, resolver),
            resourceNames: { cluster: name },
            ids: new Set([r.logicalId, ...replicas.map((m) => m.logicalId)]),
            rdsInstance: true,
          });
          guessed.push(
            `RDS instance ${r.logicalId}${replicas.length ? ` and its ${replicas.length} read replica(s)` : ""}: simulated as a database tier of ${1 + replicas.length} instance(s), the first the primary`,
          );
          break;
        }
        case "AWS::DynamoDB::Table":
        case "AWS::DynamoDB::GlobalTable": {
          addRegional(r, "dynamodb", "table", "TableName");
          break;
        }
        case "AWS::Lambda::Function": {
          if (CDK_MACHINERY.test(r.logicalId)) {
            leftOut.push(`${r.logicalId} (AWS::Lambda::Function): CDK's own machinery, not the service`);
            break;
          }
          addRegional(r, "lambda", "function", "FunctionName");
          break;
        }
        case "AWS::SQS::Queue": {
          const isDeadLetter = template.resources.some((q) =>
            refsOf(
              (q.properties.RedrivePolicy as { deadLetterTargetArn?: unknown } | undefined)?.deadLetterTargetArn,
            ).includes(r.logicalId),
          );
          if (isDeadLetter) {
            leftOut.push(`${r.logicalId} (AWS::SQS::Queue): a dead-letter queue`);
            break;
          }
          addRegional(r, "sqs", "queue", "QueueName");
          break;
        }
        case "AWS::ElastiCache::ReplicationGroup": {
          const name = nameOf(r, "ReplicationGroupId");
          const nodes =
            resolver.number(p.NumCacheClusters, `${r.logicalId}.NumCacheClusters`) ??
            1 + (resolver.number(p.ReplicasPerNodeGroup, `${r.logicalId}.ReplicasPerNodeGroup`) ?? 1);
          add({
            name,
            kind: "elasticache",
            units: Math.max(1, nodes),
            tags: tagsOf(r, resolver),
            resourceNames: { replicationGroup: name },
            ids: new Set([r.logicalId]),
          });
          break;
        }
        case "AWS::Kinesis::Stream": {
          addRegional(r, "kinesis", "stream", "Name");
          break;
        }
        case "AWS::Lambda::EventSourceMapping": {
          const [source] = refsOf(p.EventSourceArn);
          const [fn] = refsOf(p.FunctionName);
          if (source && fn) edges.push([source, fn, `event source ${r.logicalId}`]);
          break;
        }
        case "AWS::EC2::SecurityGroupIngress": {
          const [to] = refsOf(p.GroupId);
          const [from] = refsOf(p.SourceSecurityGroupId);
          if (to && from) edges.push([`sg:${from}`, `sg:${to}`, `security group rule ${r.logicalId}`]);
          break;
        }
        default:
          if (
            /^AWS::(ElastiCache::CacheCluster|ElastiCache::ServerlessCache|MemoryDB|MSK|OpenSearchService|Elasticsearch|DocDB|Neptune)::/.test(
              r.type,
            ) &&
            !/SubnetGroup|ParameterGroup|SecurityGroup/.test(r.type)
          )
            leftOut.push(`${r.logicalId} (${r.type}): no simulated kind yet`);
      }
    }

    // Calls: a tier whose properties (or task definition, launch template) refer to another tier's resource calls it.
    for (const tier of tiers.filter((t) => [...t.ids].some((id) => byId.has(id)))) {
      for (const id of tier.ids) {
        const resource = byId.get(id);
        if (!resource) continue;
        for (const ref of refsOf(resource.properties)) {
          const callee = tiers.find((t) => t !== tier && t.ids.has(ref));
          if (callee) edges.push([id, ref, `${id} refers to ${ref}`]);
        }
      }
    }
    // Security groups: a tier that uses group A, allowed into group B of another tier, calls it.
    const groupsOf = (tier: FoundTier) =>
      new Set(
        [...tier.ids].flatMap((id) =>
          refsOf(byId.get(id)?.properties).filter((ref) => byId.get(ref)?.type === "AWS::EC2::SecurityGroup"),
        ),
      );
    for (const tier of tiers) for (const group of groupsOf(tier)) tier.ids.add(`sg:${group}`);
  }

  if (!tiers.length)
    throw new Error(
      "found no resource gameday can simulate (Auto Scaling groups, ECS services, EKS node groups, RDS, DynamoDB, Lambda, SQS)",
    );

  const tierOf = (id: string) => tiers.find((t) => t.ids.has(id));
  const calls = new Map<FoundTier, Set<FoundTier>>(tiers.map((t) => [t, new Set()]));
  const reaches = (from: FoundTier, to: FoundTier, seen = new Set<FoundTier>()): boolean =>
    from === to || [...calls.get(from)!].some((n) => !seen.has(n) && (seen.add(n), reaches(n, to, seen)));
  for (const [fromId, toId, why] of edges) {
    const from = tierOf(fromId);
    const to = tierOf(toId);
    if (!from || !to || from === to || calls.get(from)!.has(to)) continue;
    // Requests flow down the calls; a reference back up (a callback, a shared table) is left out.
    if (reaches(to, from)) {
      guessed.push(`left out the call ${from.name} → ${to.name} (${why}): it would close a cycle`);
      continue;
    }
    calls.get(from)!.add(to);
    guessed.push(`${from.name} calls ${to.name} (${why})`);
  }

  const called = new Set([...calls.values()].flatMap((s) => [...s]));
  const front =
    tiers.find((t) => (behindTargetGroups.get(t)?.size ?? 0) > 0) ??
    tiers.find((t) => !called.has(t) && kindOf(t).servesClients) ??
    tiers[0]!;
  if (!loadBalancer) {
    loadBalancer = `app/${o.name}-alb/0123456789abcdef`;
    guessed.push(
      `no application load balancer in the templates: requests enter at ${front.name} through ${loadBalancer}`,
    );
  }
  const zoneList = o.zones ?? (zones.size ? [...zones].sort() : ["a", "b", "c"].map((l) => `${o.region}${l}`));
  if (!o.zones && !zones.size) guessed.push(`zones ${zoneList.join(", ")}: the templates fix none`);

  // Every request reaches the front tier and each tier it calls (guessed: the templates say nothing of traffic).
  const reached = new Set<FoundTier>();
  const visit = (t: FoundTier) => {
    if (reached.has(t)) return;
    reached.add(t);
    for (const n of calls.get(t)!) visit(n);
  };
  visit(front);
  const sized = tiers.map((t) => {
    const share = reached.has(t) ? 1 : 0.1;
    const perZone = kindOf(t).placement === "per-zone";
    const unitsPerZone = perZone ? Math.max(1, Math.ceil(t.units / zoneList.length)) : Math.max(1, t.units);
    const unitsInAll = perZone ? unitsPerZone * zoneList.length : unitsPerZone;
    const tags = { ...t.tags };
    if (!tags["FIS-Ready"]) tags["FIS-Ready"] = "True";
    return {
      name: t.name,
      kind: t.kind,
      description: `From ${[...t.ids].filter((id) => !id.startsWith("sg:")).join(", ")}${share < 1 ? "; no call to it was found: it gets a tenth of the requests (guessed)" : ""}`,
      service: t.name,
      unitsPerZone,
      capacityPerUnit: Math.ceil((o.requestsPerSecond * share * 2.5) / unitsInAll),
      baseLatencyMilliseconds: kindOf(t).baseLatencyMilliseconds ?? 40,
      share,
      calls: [...calls.get(t)!].map((c) => c.name),
      replaceSeconds: t.kind === "ec2" ? 240 : 60,
      tags,
      resourceNames: t.resourceNames,
      ...(t.nodes ? { nodes: t.nodes } : {}),
    };
  });
  guessed.push(
    `traffic: ${o.requestsPerSecond} requests per second (--rps); each tier sized to run at about 40% of its capacity, 40 ms per request (5 ms for databases, 8 for tables)`,
  );
  if (sized.some((t) => t.tags["FIS-Ready"] === "True" && !tiers.find((x) => x.name === t.name)?.tags["FIS-Ready"]))
    guessed.push("tag FIS-Ready=True added to every tier: tag the real resources so, or change the template's targets");
  for (const resolver of resolvers) for (const what of resolver.unresolved) unresolved.add(what);
  return {
    world: {
      name: `${o.name}-world`,
      description: `Read from ${templates.map((t) => t.file).join(", ")} by gameday init --from. Guessed: ${guessed.join("; ")}.`,
      accountId: o.accountId,
      region: o.region,
      zones: zoneList,
      subnets: subnets.filter((s) => zoneList.includes(s.zone)),
      traffic: { requestsPerSecond: o.requestsPerSecond, dailyVariation: 0.1, noise: 0.03, clientErrorRate: 0.004 },
      loadBalancer,
      applicationNamespace: o.name,
      tiers: sized as never,
      alarms: [],
    },
    front: { ...front, tags: sized.find((t) => t.name === front.name)!.tags },
    guessed,
    unresolved: [...unresolved],
    leftOut,
  };
}

/** Resources that are part of the tier that uses them: their references are the tier's. */
const PARTS = new Set([
  "AWS::ECS::TaskDefinition",
  "AWS::EC2::LaunchTemplate",
  "AWS::AutoScaling::LaunchConfiguration",
  "AWS::IAM::Role",
  "AWS::IAM::Policy",
]);
