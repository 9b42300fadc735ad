import { allOf, seconds, type ActionContext } from "../actions/model";
import type { SimResource } from "../world-types";
import { REGIONAL, type WorldControls as World } from "../world-types";
import { zonesNamed } from "../zones";
import type { WorldDefinition } from "../world-schema";
import { kindOf } from "./index";
import type { AccountResources } from "./account-resource";

/** The world's subnets: those it declares, else one private subnet per zone tagged as FIS's templates expect. */
export function declaredSubnets(definition: Pick<WorldDefinition, "subnets" | "zones">): WorldDefinition["subnets"] {
  return definition.subnets.length
    ? definition.subnets
    : definition.zones.map((zone, i) => ({
        id: `subnet-0${i + 1}${zone.slice(-1)}`,
        zone,
        tags: { "FIS-Ready": "True", Name: `private-${zone}` },
      }));
}

export function subnetsOf(world: World): SimResource[] {
  const { accountId: account, region } = world.definition;
  return declaredSubnets(world.definition).map((s) => ({
    arn: `arn:aws:ec2:${region}:${account}:subnet/${s.id}`,
    type: "aws:ec2:subnet",
    tier: "",
    zone: s.zone,
    tags: s.tags,
    attributes: { AvailabilityZone: s.zone, SubnetId: s.id },
  }));
}

const one = (world: World, type: string, arn: string, extra: Partial<SimResource> = {}): SimResource => ({
  arn: arn.replace("REGION", world.definition.region).replace("ACCOUNT", world.definition.accountId),
  type,
  tier: "",
  tags: { "FIS-Ready": "True" },
  attributes: {},
  ...extra,
});

/** Calls from the zones' units to tiers in `region` (all other Regions when unset) fail while the effect lasts. */
function cutCrossRegion(c: ActionContext, zones: Set<string>) {
  const duration = seconds(c, "duration", 300);
  c.world.addEffect({
    key: c.key,
    kind: "cross-region-cut",
    zones,
    ...(c.parameters.region ? { region: c.parameters.region } : {}),
    from: c.at,
    until: c.at + duration * 1000,
    amount: 1,
  });
  return duration;
}

/** Cuts whole zones, or some units, off the network for the action's duration. */
function isolate(c: ActionContext, cut: { zones: Set<string> } | { units: Set<string> }) {
  const duration = seconds(c, "duration", 300);
  c.world.addEffect({ key: c.key, kind: "isolation", ...cut, from: c.at, until: c.at + duration * 1000, amount: 1 });
  return duration;
}

/** Takes the targeted tiers' resources out of reach (a VPC endpoint, a Direct Connect link) for the duration. */
const unreachable = (c: ActionContext, tiers: Set<string>) =>
  isolate(c, { units: new Set(c.world.units.filter((u) => tiers.has(u.tier)).map((u) => u.id)) });

/**
 * The network: subnets per zone, a transit gateway, a VPC endpoint per regional service tier, a Direct Connect
 * virtual interface for the tiers on premises, and the load balancer as ARC's zonal-shift resource. A tier whose
 * `region` is another Region is reached across Regions; one `onPremises` is reached over Direct Connect.
 */
export const network: AccountResources = {
  resources: {
    "aws:ec2:subnet": subnetsOf,
    "aws:ec2:transit-gateway": (world) => [
      one(world, "aws:ec2:transit-gateway", "arn:aws:ec2:REGION:ACCOUNT:transit-gateway/tgw-0a1b2c3d4e5f60718"),
    ],
    "aws:ec2:vpc-endpoint": (world) =>
      world.definition.tiers
        .filter((t) => kindOf(t).placement === "regional")
        .map((t, i) =>
          one(world, "aws:ec2:vpc-endpoint", `arn:aws:ec2:REGION:ACCOUNT:vpc-endpoint/vpce-0${i + 1}${t.name}`, {
            tier: t.name,
            tags: { "FIS-Ready": "True", ...t.tags },
            attributes: { ServiceName: `com.amazonaws.${world.definition.region}.${t.kind}` },
          }),
        ),
    "aws:directconnect:virtual-interface": (world) => [
      one(world, "aws:directconnect:virtual-interface", "arn:aws:directconnect:REGION:ACCOUNT:dxvif/dxvif-fgabc123"),
    ],
    "aws:arc:zonal-shift-managed-resource": (world) => [
      one(
        world,
        "aws:arc:zonal-shift-managed-resource",
        `arn:aws:elasticloadbalancing:REGION:ACCOUNT:loadbalancer/${world.definition.loadBalancer}`,
        { tier: world.definition.tiers[0]!.name },
      ),
    ],
  },
  actions: {
    "aws:network:disrupt-connectivity": (c) =>
      isolate(c, { zones: new Set(allOf(c).flatMap((r) => (r.zone ? [r.zone] : []))) }),
    "aws:network:route-table-disrupt-cross-region-connectivity": (c) =>
      cutCrossRegion(c, new Set(allOf(c).flatMap((r) => (r.zone && r.zone !== REGIONAL ? [r.zone] : [])))),
    "aws:network:transit-gateway-disrupt-cross-region-connectivity": (c) =>
      cutCrossRegion(c, new Set(c.world.definition.zones)),
    "aws:network:disrupt-vpc-endpoint": (c) => unreachable(c, new Set(allOf(c).map((r) => r.tier))),
    "aws:directconnect:virtual-interface-disconnect": (c) =>
      unreachable(c, new Set(c.world.definition.tiers.filter((t) => t.onPremises).map((t) => t.name))),
    // Traffic shifts away from the zone: the load balancer's targets there serve nothing until the shift ends.
    "aws:arc:start-zonal-autoshift": (c) => {
      const zones = zonesNamed(c.world.definition, c.parameters.availabilityZoneIdentifier ?? "");
      const front = new Set(allOf(c).map((r) => r.tier));
      return isolate(c, {
        units: new Set(c.world.units.filter((u) => front.has(u.tier) && zones.has(u.zone)).map((u) => u.id)),
      });
    },
  },
};
