import { documentName } from "./actions/ssm-documents";
import type { FisTarget, FisTemplate } from "../core/template/schema";
import { kindOf, TIER_KIND_NAMES, TIER_KINDS, type TierKindName } from "./kinds";
import { declaredSubnets } from "./kinds/network";
import { ACCOUNT_RESOURCES } from "./resources";
import { tierSchema, type TierDefinition, type WorldDefinition } from "./world-schema";

/** The tier kinds whose resources a target of each FIS resource type can select, in the registry's order. */
const kindsOf = (resourceType: string): TierKindName[] =>
  TIER_KIND_NAMES.filter((name) => resourceType in TIER_KINDS[name].resources);

/** Resource types the account itself holds (subnets, roles, transit gateways...): there is always one to fit. */
const ACCOUNT_TYPES = new Set(ACCOUNT_RESOURCES.flatMap((m) => Object.keys(m.resources)));

/**
 * A tier of a kind the world lacks, for a target that selects that kind: one primary and a replica per zone, or
 * one unit per zone, sized like the front tier, and called by it on every request (the harshest reading).
 */
function addTier(
  world: WorldDefinition,
  kindName: TierKindName,
  changes: string[],
  target: string,
  also: { name: string; region?: string; onPremises?: boolean; what: string } = {
    name: kindName,
    what: `${kindName}: ${TIER_KINDS[kindName].description}`,
  },
): TierDefinition {
  const kind = TIER_KINDS[kindName];
  const front = world.tiers[0]!;
  const names = new Set(world.tiers.map((t) => t.name));
  let name = also.name;
  for (let i = 2; names.has(name); i++) name = `${also.name}-${i}`;
  const units =
    kind.placement === "per-zone"
      ? world.zones.length
      : kind.placement === "regional"
        ? 1
        : Math.max(2, world.zones.length);
  const tier = tierSchema.parse({
    name,
    kind: kindName,
    service: name,
    unitsPerZone: kind.placement === "per-zone" ? 1 : units,
    capacityPerUnit: Math.ceil((world.traffic.requestsPerSecond * 2.5) / units),
    baseLatencyMilliseconds: kind.baseLatencyMilliseconds ?? 40,
    share: front.share,
    replaceSeconds: 60,
    tags: {},
    ...(also.region ? { region: also.region } : {}),
    ...(also.onPremises ? { onPremises: true } : {}),
  });
  world.tiers.push(tier);
  front.calls = [...front.calls, name];
  changes.push(`tier ${name} (${also.what}) added, called by ${front.name} on every request (${target})`);
  return tier;
}

export interface FittedWorld {
  world: WorldDefinition;
  /** The template, its zone placeholders (`<YOUR TARGET AZ>`) filled with one of the world's zones. */
  template: FisTemplate;
  /** What was changed, in words, one line per change: the rehearsal prints them. */
  changes: string[];
  /** Targets the world could not be fitted to, and why: they resolve to nothing, as FIS would say. */
  unfit: string[];
}

/**
 * The world fitted to a bare template's targets, so a real template rehearses against the default workload instead
 * of ending "target resolution returned empty set" for want of a world: each target's tags are added to a tier of
 * the kind it selects, and the names its ARNs and parameters give (cluster, service, namespace, function, table) are
 * given to that tier. Instance and task ARNs name ids the simulated world makes itself: those targets are reported
 * unfit (target them by tags instead). Nothing is changed for a target that already resolves by tags alone.
 */
export function fitWorldToTemplate(definition: WorldDefinition, original: FisTemplate): FittedWorld {
  const world: WorldDefinition = structuredClone(definition);
  const changes: string[] = [];
  const unfit: string[] = [];
  const template = fillZonePlaceholders(original, world.zones[0]!, changes);
  for (const [name, target] of Object.entries(template.targets ?? {})) {
    if (ACCOUNT_TYPES.has(target.resourceType)) {
      const why = fitAccountResource(world, target, changes, name);
      if (why) unfit.push(`${name}: ${why}`);
      continue;
    }
    const kinds = kindsOf(target.resourceType);
    if (!kinds.length) {
      unfit.push(`${name}: the simulated world has no ${target.resourceType} resources`);
      continue;
    }
    const tier =
      kinds.map((kind) => world.tiers.find((t) => t.kind === kind)).find(Boolean) ??
      addTier(world, kinds[0]!, changes, `target ${name}`);
    const why = fitTier(tier, target, changes, name);
    if (why) unfit.push(`${name}: ${why}`);
  }
  fitWorldToActions(world, template, changes);
  return { world, template, changes, unfit };
}

const CROSS_REGION = /^aws:network:(route-table|transit-gateway)-disrupt-cross-region-connectivity$/;

/**
 * Actions that cut what the world may not have: a Direct Connect disconnect needs a tier on premises, a
 * cross-Region cut a tier in the Region it cuts off. Without one the action would change nothing, and a game day
 * would pass for want of a dependency: the world gets one, called by the front tier.
 */
function fitWorldToActions(world: WorldDefinition, template: FisTemplate, changes: string[]): void {
  for (const [name, action] of Object.entries(template.actions ?? {})) {
    if (action.actionId === "aws:directconnect:virtual-interface-disconnect" && !world.tiers.some((t) => t.onPremises))
      addTier(world, "ec2", changes, `action ${name}`, {
        name: "on-premises",
        onPremises: true,
        what: "servers on premises, reached over Direct Connect",
      });
    if (CROSS_REGION.test(action.actionId)) {
      const given = action.parameters?.region ?? "";
      const region = /^[a-z]{2}(-[a-z]+)+-\d$/.test(given) ? given : "us-west-2";
      if (!world.tiers.some((t) => t.region === region))
        addTier(world, "ec2", changes, `action ${name}`, {
          name: `in-${region}`,
          region,
          what: `a service in ${region}, reached across Regions`,
        });
    }
  }
}

const PLACEHOLDER = /^<[^>]*>$/;

/**
 * AWS's library templates leave the zone to the user (`<YOUR TARGET AZ>`): a rehearsal fills each such value with
 * the world's first zone, and says so; FIS would resolve nothing there.
 */
function fillZonePlaceholders(template: FisTemplate, zone: string, changes: string[]): FisTemplate {
  const filled: FisTemplate = structuredClone(template);
  const fill = (value: string, where: string) => {
    if (!PLACEHOLDER.test(value.trim())) return value;
    changes.push(`${where}: placeholder ${value} filled with ${zone} for the rehearsal (fill it in before deploying)`);
    return zone;
  };
  for (const [name, target] of Object.entries(filled.targets ?? {})) {
    for (const filter of target.filters ?? [])
      if (/AvailabilityZone/i.test(filter.path))
        filter.values = filter.values.map((v) => fill(v, `target ${name} filter ${filter.path}`));
    if (target.parameters?.availabilityZoneIdentifier)
      target.parameters.availabilityZoneIdentifier = fill(
        target.parameters.availabilityZoneIdentifier,
        `target ${name} availabilityZoneIdentifier`,
      );
  }
  for (const [name, action] of Object.entries(filled.actions ?? {}))
    for (const key of ["availabilityZoneIdentifier", "availabilityZoneIdentifiers"])
      if (action.parameters?.[key]) action.parameters[key] = fill(action.parameters[key], `action ${name} ${key}`);
  return filled;
}

/** Fits one tier to one target; returns why it cannot be, or nothing. */
function fitTier(tier: TierDefinition, target: FisTarget, changes: string[], name: string): string | undefined {
  const setName = (key: string, value: string) => {
    if (tier.resourceNames[key] === value) return;
    tier.resourceNames = { ...tier.resourceNames, [key]: value };
    changes.push(`tier ${tier.name}: ${key} named ${value} (target ${name})`);
  };
  const missingTags = Object.entries(target.resourceTags ?? {}).filter(([k, v]) => tier.tags[k] !== v);
  if (missingTags.length) {
    tier.tags = { ...tier.tags, ...Object.fromEntries(missingTags) };
    changes.push(`tier ${tier.name}: tagged ${missingTags.map(([k, v]) => `${k}=${v}`).join(", ")} (target ${name})`);
  }
  if (target.resourceArns?.length) {
    const naming = kindOf(tier).namesInArns?.[target.resourceType];
    const names = naming ? target.resourceArns.map((arn) => naming.pattern.exec(arn)?.[1]) : [];
    if (!naming || names.some((n) => !n))
      return `${target.resourceType} ARNs name ids the simulated world makes itself; target these resources by tags`;
    if (new Set(names).size > 1) return `its ARNs name ${names.length} resources; the simulated tier is one`;
    setName(naming.key, names[0]!);
  }
  const p = target.parameters ?? {};
  if (target.resourceType === "aws:ecs:task") {
    if (p.cluster) setName("cluster", p.cluster);
    if (p.service) setName("service", p.service);
  }
  if (target.resourceType === "aws:eks:pod") {
    if (p.clusterIdentifier) setName("cluster", p.clusterIdentifier.split("/").pop()!);
    if (p.namespace) setName("namespace", p.namespace);
    if (p.selectorValue) {
      // The simulated pods carry the one label app=<service>.
      const app = /^app=([^,]+)$/.exec(p.selectorValue)?.[1];
      if (!app) return `pods selected by ${p.selectorValue}; simulated pods carry only the label app=<service>`;
      setName("service", app);
    }
  }
  return undefined;
}

/**
 * Fits the account's resources to a target: subnets get the target's tags (in the zone it names, or all); an IAM
 * role named by ARN becomes the front tier's role. Others (transit gateways, endpoints, Direct Connect, the load
 * balancer) resolve by type and tags as the world lists them.
 */
function fitAccountResource(
  world: WorldDefinition,
  target: FisTarget,
  changes: string[],
  name: string,
): string | undefined {
  const tags = target.resourceTags ?? {};
  if (target.resourceType === "aws:ec2:subnet" && Object.keys(tags).length) {
    const subnets = structuredClone(declaredSubnets(world));
    const zoneFilter = target.filters?.find((f) => f.path === "AvailabilityZone")?.values;
    const matching = subnets.filter((s) => Object.entries(tags).every(([k, v]) => s.tags[k] === v));
    if (!matching.length) {
      for (const subnet of subnets)
        if (!zoneFilter || zoneFilter.includes(subnet.zone)) subnet.tags = { ...subnet.tags, ...tags };
      changes.push(
        `subnets ${zoneFilter ? `in ${zoneFilter.join(", ")} ` : ""}tagged ${Object.entries(tags)
          .map(([k, v]) => `${k}=${v}`)
          .join(", ")} (target ${name})`,
      );
    }
    world.subnets = subnets;
    return undefined;
  }
  if (target.resourceType === "aws:iam:role" && target.resourceArns?.length) {
    const roles = target.resourceArns.map((arn) => /:role\/(?:.*\/)?([^/]+)$/.exec(arn)?.[1]);
    if (roles.some((r) => !r)) return "an ARN that names no IAM role";
    const front = world.tiers.find((t) => kindOf(t).servesClients) ?? world.tiers[0]!;
    if (roles.length > 1) return `its ARNs name ${roles.length} roles; fit one per tier by hand (resourceNames.role)`;
    if (front.resourceNames.role !== roles[0] && roles[0] !== "AWSServiceRoleForAutoScaling") {
      front.resourceNames = { ...front.resourceNames, role: roles[0]! };
      changes.push(`tier ${front.name}: runs as role ${roles[0]} (target ${name})`);
    }
    return undefined;
  }
  if (target.resourceArns?.length)
    return `${target.resourceType} ARNs name resources the simulated account makes itself; target them by tags`;
  return undefined;
}

/**
 * The change calendars a plan names, added to a world that lacks them: OPEN, or CLOSED all day with `freeze`
 * (`gameday rehearse --change-freeze`), which also closes those the world has. Says what it changed.
 */
export function fitWorldToCalendars(
  world: WorldDefinition,
  calendars: readonly string[],
  freeze: boolean,
): { world: WorldDefinition; changes: string[] } {
  const changes: string[] = [];
  const day = { from: new Date(Date.parse(world.start) - 12 * 3600_000).toISOString(), until: "" };
  day.until = new Date(Date.parse(day.from) + 36 * 3600_000).toISOString();
  const fitted = [...world.changeCalendars];
  for (const calendar of calendars) {
    const name = documentName(calendar);
    const index = fitted.findIndex((c) => c.name === name);
    if (freeze) {
      fitted.splice(index < 0 ? fitted.length : index, index < 0 ? 0 : 1, { name, closed: [day] });
      changes.push(`change calendar ${name} CLOSED for the rehearsal (--change-freeze)`);
    } else if (index < 0) {
      fitted.push({ name, closed: [] });
      changes.push(`change calendar ${name} added, OPEN (give --change-freeze to rehearse it CLOSED)`);
    }
  }
  return { world: { ...world, changeCalendars: fitted }, changes };
}
