import { resolve } from "node:path";
import { metricsOfProbe, type Metric } from "../core/plan/schema";
import type { Problem } from "../core/problems";
import { zodProblems } from "../core/validation/zod-problems";
import { PROJECT_ROOT, readJson, withFile } from "../inputs/documents";
import { publishedMetrics } from "../sim/cloudwatch";
import { worldSchema, type WorldDefinition } from "../sim/world-schema";

export const DEFAULT_WORLD = resolve(PROJECT_ROOT, "worlds/web-shop.json");

export function loadWorld(file = DEFAULT_WORLD): { world?: WorldDefinition; problems: Problem[] } {
  const { value, problems } = readJson(file);
  if (problems.length) return { problems };
  const parsed = worldSchema.safeParse(value, { reportInput: true });
  if (!parsed.success) return { problems: withFile(file, zodProblems(parsed.error)) };
  const world = parsed.data;
  // The world's own alarms and default probes must watch metrics it publishes, or they never see anything.
  const alarms = world.alarms.map((alarm, i) =>
    unpublished(world, alarm.metric, `alarms[${i}].metric`, file, `alarm ${alarm.name} will have no data`),
  );
  return {
    world,
    problems: [
      ...alarms.flatMap((p) => (p ? [p] : [])),
      ...unpublishedProbeMetrics(world.defaultHypothesis?.probes ?? [], world, file, "defaultHypothesis.probes"),
    ],
  };
}

/** A warning when the world publishes no such metric, naming its dimensions and what the world has instead. */
function unpublished(
  world: WorldDefinition,
  metric: Pick<Metric, "namespace" | "name"> & { dimensions?: Record<string, string> },
  path: string,
  file: string,
  consequence: string,
): Problem | undefined {
  const published = publishedMetrics(world);
  if (published.publishes(metric)) return undefined;
  const dims =
    Object.entries(metric.dimensions ?? {})
      .map(([k, v]) => `${k}=${v}`)
      .join(",") || "no dimensions";
  const near = published.nearest(metric);
  const has = near.sameName.length
    ? `it publishes ${metric.name} with ${near.sameName.join("; ")}`
    : near.names.length
      ? `its ${metric.namespace} metrics are ${near.names.join(", ")}`
      : `it publishes nothing in ${metric.namespace}`;
  return {
    severity: "warning",
    file,
    path,
    message: `world ${world.name} publishes no ${metric.namespace} ${metric.name} with ${dims}, so ${consequence}: ${has}`,
  };
}

/**
 * Probe metrics the world does not publish: they would read "no data" for the whole game day. Each warning names
 * the metric, its dimensions, and what the world has instead, so a typo or a forgotten --world shows at once.
 */
export function unpublishedProbeMetrics(
  probes: readonly unknown[],
  world: WorldDefinition,
  file: string,
  at = "hypothesis.probes",
): Problem[] {
  return (probes as { id: string; type: string; metric?: Metric; metrics?: Record<string, Metric> }[]).flatMap(
    (probe, i) =>
      metricsOfProbe(probe).flatMap(([where, metric]) => {
        const problem = unpublished(
          world,
          metric,
          `${at}[${i}].${where.join(".")}`,
          file,
          `probe ${probe.id} will read no data`,
        );
        return problem ? [problem] : [];
      }),
  );
}
