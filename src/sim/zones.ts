import type { WorldDefinition } from "./world-schema";

/**
 * The simulated account's zone ID of each zone: `<region prefix>-az<n>` in the world's order (use1-az1 for the
 * first zone of us-east-1). In AWS the name-to-ID mapping differs per account; here it is fixed so that templates
 * written with zone IDs (the AZ power interruption scenario uses them) resolve.
 */
export function zoneId(world: Pick<WorldDefinition, "region" | "zones">, zone: string): string {
  const [area = "", direction = "", number = ""] = world.region.split("-");
  const compass = direction.replace(/north|south|east|west|central/g, (word) => word[0]!);
  return `${area}${compass}${number}-az${world.zones.indexOf(zone) + 1}`;
}

/** The zones a comma-separated list of zone names or IDs names; an empty list names them all. */
export function zonesNamed(world: Pick<WorldDefinition, "region" | "zones">, identifiers: string): Set<string> {
  const wanted = identifiers
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (!wanted.length) return new Set(world.zones);
  return new Set(world.zones.filter((z) => wanted.includes(z) || wanted.includes(zoneId(world, z))));
}
