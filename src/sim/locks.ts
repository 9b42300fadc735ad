import type { LockHolder, RunLocks, TargetDirectory } from "../core/ports";
import type { FisTarget } from "../core/template/schema";
import type { SimulatedFis } from "./fis";
import { listResources } from "./resources";
import type { World } from "./world";

/** The run-lock table: DynamoDB's conditional writes on one item per key, with expiry checked at each take. */
export class SimulatedLockTable implements RunLocks {
  readonly items = new Map<string, LockHolder>();

  async take(key: string, holder: LockHolder, now: number): Promise<LockHolder | undefined> {
    const current = this.items.get(key);
    if (current && current.executionName !== holder.executionName && current.expiresAt >= now) return { ...current };
    this.items.set(key, { ...holder });
    return undefined;
  }

  async release(key: string, executionName: string): Promise<void> {
    if (this.items.get(key)?.executionName === executionName) this.items.delete(key);
  }

  async heldBy(executionName: string): Promise<string[]> {
    return this.heldByNow(executionName);
  }

  /** The keys an execution holds, read directly (no API call). */
  heldByNow(executionName: string): string[] {
    return [...this.items].filter(([, holder]) => holder.executionName === executionName).map(([key]) => key);
  }
}

/** Template targets from the simulated FIS, tagged resources from the world, as the Tagging API lists them. */
export function simulatedTargetDirectory(world: World, fis: SimulatedFis): TargetDirectory {
  return {
    async templateTargets(templateId: string): Promise<Record<string, FisTarget> | undefined> {
      return fis.templates.get(templateId)?.targets;
    },
    async taggedResourcesWithTags(resourceType: string, tags: Record<string, string>) {
      return listResources(world, resourceType)
        .filter((r) => Object.entries(tags).every(([k, v]) => r.tags[k] === v))
        .map((r) => ({ arn: r.arn, tags: r.tags }));
    },
    async taggedResources(resourceType: string, tags: Record<string, string>): Promise<string[]> {
      return listResources(world, resourceType)
        .filter((r) => Object.entries(tags).every(([k, v]) => r.tags[k] === v))
        .map((r) => r.arn);
    },
  };
}
