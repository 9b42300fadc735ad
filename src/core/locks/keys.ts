import type { TargetDirectory } from "../ports";
import type { FisTarget } from "../template/schema";

/**
 * FIS resource types whose resources the Resource Groups Tagging API lists by tag, with its `ResourceTypeFilters`
 * value (service:resourceType). Other types are locked by their selector alone.
 */
export const TAG_LISTABLE_RESOURCE_TYPES: Readonly<Record<string, string>> = {
  "aws:ec2:instance": "ec2:instance",
  "aws:ec2:spot-instance": "ec2:instance",
  "aws:ec2:subnet": "ec2:subnet",
  "aws:ecs:task": "ecs:task",
  "aws:ecs:cluster": "ecs:cluster",
  "aws:eks:cluster": "eks:cluster",
  "aws:eks:nodegroup": "eks:nodegroup",
  "aws:rds:db": "rds:db",
  "aws:rds:cluster": "rds:cluster",
};

/** One game day's run locks: its plan, and everything its templates may touch. */
export const planLockKey = (planName: string) => `plan:${planName}`;
export const resourceKey = (arn: string) => `resource:${arn}`;
/** The ARN a resource key locks, or undefined for a key of another kind. */
export const resourceOfKey = (key: string) => (key.startsWith("resource:") ? key.slice("resource:".length) : undefined);
const templateKey = (templateId: string) => `template:${templateId}`;
const pairs = (record: Record<string, string>) =>
  Object.entries(record)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${v}`)
    .join(",");
const selectorKey = (target: FisTarget, what: Record<string, string>) =>
  `selector:${target.resourceType}/${pairs(what)}`;

/**
 * The keys one target locks. Deliberately a superset of what FIS will pick: filters and selection modes
 * (COUNT, PERCENT) are not applied, because two game days that could pick the same resource must not overlap.
 */
async function targetKeys(target: FisTarget, directory: TargetDirectory): Promise<string[]> {
  const keys = (target.resourceArns ?? []).map(resourceKey);
  if (target.resourceTags && Object.keys(target.resourceTags).length) {
    // The selector itself is a key too: two identical selectors conflict even when nothing resolves yet.
    keys.push(selectorKey(target, target.resourceTags));
    if (TAG_LISTABLE_RESOURCE_TYPES[target.resourceType])
      keys.push(...(await directory.taggedResources(target.resourceType, target.resourceTags)).map(resourceKey));
  }
  const p = target.parameters ?? {};
  if (target.resourceType === "aws:eks:pod") {
    // Pods are not taggable resources; two pod faults in one namespace may select the same pods by labels.
    const cluster = (p.clusterIdentifier ?? "").split("/").pop() ?? "";
    keys.push(`eks-namespace:${cluster}/${p.namespace ?? "default"}`);
  } else if (Object.keys(p).length) {
    keys.push(selectorKey(target, p));
  }
  return keys;
}

/**
 * Every key a game day must hold while it runs, sorted so that concurrent starts take shared keys in the same
 * order: of two overlapping game days started together, one always gets through.
 */
export async function lockKeys(
  planName: string,
  templateIds: readonly string[],
  directory: TargetDirectory,
): Promise<string[]> {
  const keys = new Set([planLockKey(planName)]);
  for (const templateId of new Set(templateIds)) {
    const targets = await directory.templateTargets(templateId);
    // A template whose targets cannot be read still cannot run twice at once.
    if (!targets) {
      keys.add(templateKey(templateId));
      continue;
    }
    for (const target of Object.values(targets)) for (const key of await targetKeys(target, directory)) keys.add(key);
  }
  return [...keys].sort();
}

/** What a key stands for, in words for the refusal message. */
export function describeLockKey(key: string): string {
  const [kind, ...rest] = key.split(":");
  const value = rest.join(":");
  switch (kind) {
    case "plan":
      return `the plan "${value}"`;
    case "resource":
      return value;
    case "template":
      return `the FIS template ${value}`;
    case "eks-namespace":
      return `pods of the EKS namespace ${value}`;
    default: {
      const slash = value.indexOf("/");
      return `${value.slice(0, slash)} targets selected by ${value.slice(slash + 1)}`;
    }
  }
}
