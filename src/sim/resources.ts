import type { FisTarget } from "../core/template/schema";
import { keyedSample } from "./random";
import { kindOf } from "./kinds";
import type { AccountResources } from "./kinds/account-resource";
import { iam } from "./kinds/iam";
import { network } from "./kinds/network";
import type { World } from "./world";
import type { SimResource } from "./world-types";
import { zonesNamed } from "./zones";

export type { SimResource } from "./world-types";

/** The account-level resources: the network, and IAM roles. */
export const ACCOUNT_RESOURCES: readonly AccountResources[] = [network, iam];

/** What FIS lists for a resource type: each tier's resources of that type (by its kind), and the account's. */
export function listResources(world: World, type: string): SimResource[] {
  const { accountId: account, region } = world.definition;
  const out: SimResource[] = [];
  for (const tier of world.definition.tiers) {
    const list = kindOf(tier).resources[type];
    if (!list) continue;
    const units = world.units.filter((u) => u.tier === tier.name && u.state !== "terminated");
    out.push(...list({ world, tier, units, account, region, base: { tier: tier.name, tags: { ...tier.tags } } }));
  }
  for (const module of ACCOUNT_RESOURCES) out.push(...(module.resources[type]?.(world) ?? []));
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
  // A zone the target names (the AZ power interruption scenario's EBS volumes and ElastiCache groups): resources
  // with a zone must be in it; a regional resource (a replication group) carries it to the action.
  if (p.availabilityZoneIdentifier) {
    const zones = zonesNamed(world.definition, p.availabilityZoneIdentifier);
    const zone = [...zones][0];
    candidates = candidates.flatMap((r) => (r.zone ? (zones.has(r.zone) ? [r] : []) : zone ? [{ ...r, zone }] : []));
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
