import { documentName } from "./actions/ssm-documents";
import type { FisTarget, FisTemplate } from "../core/template/schema";
import type { TierDefinition, WorldDefinition } from "./world-schema";

/** The tier kinds whose resources a target of each FIS resource type can select, in the order they are tried. */
const KINDS_OF: Record<string, TierDefinition["kind"][]> = {
  "aws:ec2:instance": ["ec2", "eks"],
  "aws:ec2:spot-instance": ["ec2"],
  "aws:ec2:autoscaling-group": ["ec2"],
  "aws:ecs:task": ["ecs"],
  "aws:ecs:cluster": ["ecs"],
  "aws:eks:pod": ["eks"],
  "aws:eks:cluster": ["eks"],
  "aws:eks:nodegroup": ["eks"],
  "aws:rds:db": ["aurora"],
  "aws:rds:cluster": ["aurora"],
  "aws:dynamodb:global-table": ["dynamodb"],
  "aws:lambda:function": ["lambda"],
};

/** The name an ARN gives a resource, by where the resource keeps it in a tier's `resourceNames`. */
const NAME_IN_ARN: Record<string, { pattern: RegExp; key: string }> = {
  "aws:rds:cluster": { pattern: /:cluster:([^:/]+)$/, key: "cluster" },
  "aws:ecs:cluster": { pattern: /:cluster\/([^/]+)$/, key: "cluster" },
  "aws:eks:cluster": { pattern: /:cluster\/([^/]+)$/, key: "cluster" },
  "aws:lambda:function": { pattern: /:function:([^:]+)(?::[^:]+)?$/, key: "function" },
  "aws:dynamodb:global-table": { pattern: /:table\/([^/]+)$/, key: "table" },
  "aws:ec2:autoscaling-group": { pattern: /autoScalingGroupName\/(.+)$/, key: "autoScalingGroup" },
};

export interface FittedWorld {
  world: WorldDefinition;
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
export function fitWorldToTemplate(definition: WorldDefinition, template: FisTemplate): FittedWorld {
  const world: WorldDefinition = structuredClone(definition);
  const changes: string[] = [];
  const unfit: string[] = [];
  for (const [name, target] of Object.entries(template.targets ?? {})) {
    const kinds = KINDS_OF[target.resourceType];
    if (!kinds) {
      unfit.push(`${name}: the simulated world has no ${target.resourceType} resources`);
      continue;
    }
    const tier = kinds.map((kind) => world.tiers.find((t) => t.kind === kind)).find(Boolean);
    if (!tier) {
      unfit.push(`${name}: world ${world.name} has no ${kinds.join(" or ")} tier for ${target.resourceType}`);
      continue;
    }
    const why = fitTier(tier, target, changes, name);
    if (why) unfit.push(`${name}: ${why}`);
  }
  return { world, changes, unfit };
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
    const naming = NAME_IN_ARN[target.resourceType];
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
