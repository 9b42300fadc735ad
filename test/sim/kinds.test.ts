import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { FIS_ACTIONS } from "../../src/core/catalog/fis-actions";
import type { FisTarget } from "../../src/core/template/schema";
import { ACTION_MODELS, ACTION_MODULES } from "../../src/sim/fis-actions";
import { TIER_KINDS, TIER_KIND_NAMES } from "../../src/sim/kinds";
import { listResources, resolveTarget } from "../../src/sim/resources";
import { World, type TierSnapshot } from "../../src/sim/world";
import { worldSchema, type WorldDefinition } from "../../src/sim/world-schema";
import { zoneId, zonesNamed } from "../../src/sim/zones";

const START = Date.parse("2026-01-05T10:00:00Z");

const tier = (name: string, kind: string, extra: Record<string, unknown> = {}) => ({
  name,
  kind,
  service: name,
  unitsPerZone: 1,
  capacityPerUnit: 2000,
  baseLatencyMilliseconds: 10,
  share: 0.5,
  replaceSeconds: 60,
  tags: { "FIS-Ready": "True" },
  ...extra,
});

/**
 * The web shop with a tier of every kind, each reached by some caller: one world in which every FIS action has
 * something to act on and something to show.
 */
function everyKind(extra: Partial<WorldDefinition> = {}): WorldDefinition {
  const shop = JSON.parse(readFileSync("worlds/web-shop.json", "utf8")) as WorldDefinition;
  const [web, checkout, ...rest] = shop.tiers;
  return worldSchema.parse({
    ...shop,
    tiers: [
      { ...web, calls: [...web!.calls, "sessions", "assets", "ledger", "carts", "fx-rates", "mainframe", "rates"] },
      { ...checkout, calls: [...checkout!.calls, "events"] },
      ...rest,
      tier("sessions", "elasticache", { unitsPerZone: 3, resourceNames: { replicationGroup: "sessions" } }),
      tier("assets", "s3", { pausedReplicationErrorRate: 0.3, resourceNames: { bucket: "shop-assets" } }),
      tier("ledger", "dsql"),
      tier("carts", "dynamodb", { pausedReplicationErrorRate: 0.2, resourceNames: { table: "carts" } }),
      tier("events", "kinesis", { calls: ["analytics"], share: 0.3, resourceNames: { stream: "order-events" } }),
      tier("analytics", "lambda", { share: 0.3, capacityPerUnit: 5000 }),
      tier("fx-rates", "ecs", { region: "eu-west-1", resourceNames: { cluster: "fx", service: "fx-rates" } }),
      tier("mainframe", "ec2", { onPremises: true, resourceNames: { autoScalingGroup: "mainframe" } }),
      tier("rates", "memorydb", { pausedReplicationErrorRate: 0.25, resourceNames: { cluster: "rates" } }),
      tier("jobs", "sqs", { calls: [], share: 0.1 }),
    ],
    ...extra,
  });
}

type Field = keyof TierSnapshot;
interface Row {
  action: string;
  /** Target key → the target, resolved in the world as FIS resolves it. */
  targets?: Record<string, Omit<FisTarget, "selectionMode"> & { selectionMode?: string }>;
  parameters?: Record<string, string>;
  world?: Partial<WorldDefinition>;
  /** What the action shows while live: a tier's figure rises or falls against the same world left alone. */
  shows: { tier: string; field: Field; change: "rises" | "falls" };
  /** Read this long after the action started (default 20 s: effects live, instant actions not yet recovered). */
  readAfterSeconds?: number;
  /** What else happens, in the world acted on and in the one left alone alike (an instance lost meanwhile). */
  meanwhile?: (world: World) => void;
}

/** An instance of the web tier is lost in its first zone ten seconds in: Auto Scaling must launch another. */
const loseAWebInstance = (world: World) => {
  const unit = world.units.find((u) => u.tier === "web" && u.zone === "us-east-1a" && u.state === "running")!;
  world.schedule(START + 10_000, () => world.replaceUnit(unit.id, START + 10_000));
};

const tagged = (resourceType: string, extra: Partial<FisTarget> = {}) => ({
  resourceType,
  resourceTags: { "FIS-Ready": "True" },
  ...extra,
});

const ROWS: Row[] = [
  {
    action: "aws:fis:wait",
    parameters: { duration: "PT1M" },
    shows: { tier: "web", field: "requests", change: "rises" },
  },
  {
    action: "aws:cloudwatch:assert-alarm-state",
    parameters: { alarmArns: "arn:aws:cloudwatch:us-east-1:123456789012:alarm:x", alarmStates: "OK" },
    shows: { tier: "web", field: "requests", change: "rises" },
  },
  {
    action: "aws:ec2:terminate-instances",
    targets: { Instances: tagged("aws:ec2:instance", { filters: [{ path: "State.Name", values: ["running"] }] }) },
    shows: { tier: "web", field: "healthyUnits", change: "falls" },
  },
  {
    action: "aws:ec2:stop-instances",
    targets: { Instances: { resourceType: "aws:ec2:instance", resourceTags: { App: "shop" } } },
    shows: { tier: "web", field: "healthyUnits", change: "falls" },
  },
  {
    action: "aws:ec2:reboot-instances",
    targets: { Instances: tagged("aws:ec2:instance") },
    shows: { tier: "web", field: "healthyUnits", change: "falls" },
  },
  {
    action: "aws:ec2:send-spot-instance-interruptions",
    targets: { SpotInstances: tagged("aws:ec2:spot-instance") },
    parameters: { durationBeforeInterruption: "PT2M" },
    readAfterSeconds: 150,
    shows: { tier: "web", field: "healthyUnits", change: "falls" },
  },
  {
    // Instances lost during the block cannot be replaced in the blocked zones until it ends.
    action: "aws:ec2:asg-insufficient-instance-capacity-error",
    targets: { AutoScalingGroups: tagged("aws:ec2:autoscaling-group") },
    parameters: { duration: "PT10M", availabilityZoneIdentifiers: "use1-az1,us-east-1b", percentage: "100" },
    meanwhile: loseAWebInstance,
    shows: { tier: "web", field: "healthyUnits", change: "falls" },
    readAfterSeconds: 300,
  },
  {
    action: "aws:ec2:api-insufficient-instance-capacity-error",
    targets: { Roles: { resourceType: "aws:iam:role", resourceArns: ["arn:aws:iam::123456789012:role/web-role"] } },
    parameters: { duration: "PT10M", availabilityZoneIdentifiers: "us-east-1a", percentage: "100" },
    meanwhile: loseAWebInstance,
    shows: { tier: "web", field: "healthyUnits", change: "falls" },
    readAfterSeconds: 300,
  },
  {
    action: "aws:ebs:pause-volume-io",
    targets: { Volumes: tagged("aws:ec2:ebs-volume", { parameters: { availabilityZoneIdentifier: "us-east-1a" } }) },
    parameters: { duration: "PT5M" },
    shows: { tier: "web", field: "healthyUnits", change: "falls" },
  },
  {
    action: "aws:ebs:volume-io-latency",
    targets: { Volumes: tagged("aws:ec2:ebs-volume") },
    parameters: { duration: "PT5M", readIOLatencyMilliseconds: "400", readIOPercentage: "100" },
    shows: { tier: "web", field: "p50", change: "rises" },
  },
  {
    action: "aws:ecs:stop-task",
    targets: { Tasks: tagged("aws:ecs:task", { parameters: { cluster: "shop", service: "checkout" } }) },
    shows: { tier: "checkout", field: "healthyUnits", change: "falls" },
  },
  {
    action: "aws:ecs:drain-container-instances",
    targets: {
      Clusters: { resourceType: "aws:ecs:cluster", resourceArns: ["arn:aws:ecs:us-east-1:123456789012:cluster/shop"] },
    },
    parameters: { drainagePercentage: "100", duration: "PT5M" },
    shows: { tier: "checkout", field: "healthyUnits", change: "falls" },
  },
  ...(
    [
      ["aws:ecs:task-cpu-stress", { percent: "100" }, "cpu", "rises"],
      ["aws:ecs:task-io-stress", { percent: "80" }, "p50", "rises"],
      ["aws:ecs:task-kill-process", { processName: "node" }, "healthyUnits", "falls"],
      ["aws:ecs:task-network-blackhole-port", { port: "443", trafficType: "ingress" }, "faults", "rises"],
      ["aws:ecs:task-network-latency", { delayMilliseconds: "300" }, "p50", "rises"],
      ["aws:ecs:task-network-packet-loss", { lossPercent: "40" }, "faults", "rises"],
    ] as const
  ).map(([action, parameters, field, change]): Row => ({
    action,
    targets: { Tasks: tagged("aws:ecs:task", { parameters: { cluster: "shop", service: "checkout" } }) },
    parameters: { duration: "PT5M", ...parameters },
    shows: { tier: "checkout", field, change },
  })),
  ...(
    [
      ["aws:eks:pod-cpu-stress", { percent: "100" }, "cpu", "rises"],
      ["aws:eks:pod-io-stress", { percent: "80" }, "p50", "rises"],
      ["aws:eks:pod-memory-stress", { percent: "95" }, "cpu", "rises"],
      ["aws:eks:pod-network-blackhole-port", { port: "443", trafficType: "ingress" }, "faults", "rises"],
      ["aws:eks:pod-network-latency", { delayMilliseconds: "300" }, "p50", "rises"],
      ["aws:eks:pod-network-packet-loss", { lossPercent: "40" }, "faults", "rises"],
      ["aws:eks:pod-delete", {}, "healthyUnits", "falls"],
    ] as const
  ).map(([action, parameters, field, change]): Row => ({
    action,
    // A deleted pod is rescheduled within rescheduleSeconds / 2 (20 s here): read before.
    ...(action === "aws:eks:pod-delete" ? { readAfterSeconds: 10 } : {}),
    targets: {
      Pods: {
        resourceType: "aws:eks:pod",
        parameters: {
          clusterIdentifier: "shop-eks",
          namespace: "shop",
          selectorType: "labelSelector",
          selectorValue: "app=catalog",
        },
      },
    },
    parameters: { duration: "PT5M", kubernetesServiceAccount: "fis", ...parameters },
    shows: { tier: "catalog", field, change },
  })),
  {
    action: "aws:eks:terminate-nodegroup-instances",
    targets: { Nodegroups: tagged("aws:eks:nodegroup") },
    parameters: { instanceTerminationPercentage: "50" },
    shows: { tier: "catalog", field: "healthyUnits", change: "falls" },
  },
  {
    action: "aws:eks:inject-kubernetes-custom-resource",
    targets: { Cluster: tagged("aws:eks:cluster") },
    parameters: {
      kubernetesApiVersion: "chaos-mesh.org/v1alpha1",
      kubernetesKind: "NetworkChaos",
      maxDuration: "PT5M",
    },
    world: { declaredEffects: [{ document: "NetworkChaos", effect: "latency", amount: 300 }] },
    shows: { tier: "catalog", field: "p50", change: "rises" },
  },
  {
    action: "aws:rds:failover-db-cluster",
    targets: { Clusters: tagged("aws:rds:cluster") },
    shows: { tier: "orders-db", field: "faults", change: "rises" },
  },
  {
    action: "aws:rds:reboot-db-instances",
    targets: { DBInstances: tagged("aws:rds:db", { filters: [{ path: "Role", values: ["writer"] }] }) },
    shows: { tier: "orders-db", field: "faults", change: "rises" },
  },
  ...["aws:elasticache:replicationgroup-interrupt-az-power", "aws:elasticache:interrupt-cluster-az-power"].map(
    (action): Row => ({
      action,
      targets: {
        ReplicationGroups: tagged(
          action.includes("interrupt-cluster")
            ? "aws:elasticache:redis-replicationgroup"
            : "aws:elasticache:replicationgroup",
          { parameters: { availabilityZoneIdentifier: "us-east-1a" } },
        ),
      },
      parameters: { duration: "PT5M" },
      // The primary was in the powerless zone: the group fails over, and its callers fail meanwhile.
      shows: { tier: "sessions", field: "healthyUnits", change: "falls" },
    }),
  ),
  {
    action: "aws:dynamodb:global-table-pause-replication",
    targets: { Tables: tagged("aws:dynamodb:global-table") },
    parameters: { duration: "PT5M" },
    readAfterSeconds: 120,
    shows: { tier: "carts", field: "replicationLatency", change: "rises" },
  },
  {
    action: "aws:s3:bucket-pause-replication",
    targets: { Buckets: tagged("aws:s3:bucket") },
    parameters: { duration: "PT5M", region: "us-west-2" },
    readAfterSeconds: 120,
    shows: { tier: "assets", field: "replicationLatency", change: "rises" },
  },
  {
    action: "aws:memorydb:multi-region-cluster-pause-replication",
    targets: { MemoryDBMultiRegionCluster: tagged("aws:memorydb:multi-region-cluster") },
    parameters: { duration: "PT5M", region: "us-west-2" },
    readAfterSeconds: 120,
    shows: { tier: "web", field: "faults", change: "rises" },
  },
  {
    action: "aws:dsql:cluster-connection-failure",
    targets: { Clusters: tagged("aws:dsql:cluster") },
    parameters: { duration: "PT5M", percentage: "50" },
    shows: { tier: "web", field: "faults", change: "rises" },
  },
  {
    action: "aws:kinesis:stream-provisioned-throughput-exception",
    targets: { KinesisStreams: tagged("aws:kinesis:stream") },
    parameters: { duration: "PT5M", percentage: "50" },
    shows: { tier: "checkout", field: "faults", change: "rises" },
  },
  {
    action: "aws:kinesis:stream-expired-iterator-exception",
    targets: { KinesisStreams: tagged("aws:kinesis:stream") },
    parameters: { duration: "PT5M", percentage: "100" },
    readAfterSeconds: 120,
    shows: { tier: "events", field: "backlog", change: "rises" },
  },
  ...["aws:lambda:invocation-error", "aws:lambda:invocation-http-integration-response"].map((action): Row => ({
    action,
    targets: { Functions: tagged("aws:lambda:function") },
    parameters: { duration: "PT5M", invocationPercentage: "50", statusCode: "503", contentTypeHeader: "text/plain" },
    shows: { tier: "analytics", field: "faults", change: "rises" },
  })),
  {
    action: "aws:lambda:invocation-add-delay",
    targets: { Functions: tagged("aws:lambda:function") },
    parameters: { duration: "PT5M", startupDelayMilliseconds: "800" },
    shows: { tier: "analytics", field: "p50", change: "rises" },
  },
  ...[
    "aws:fis:inject-api-internal-error",
    "aws:fis:inject-api-throttle-error",
    "aws:fis:inject-api-unavailable-error",
  ].map((action): Row => ({
    action,
    targets: {
      Roles: { resourceType: "aws:iam:role", resourceArns: ["arn:aws:iam::123456789012:role/checkout-role"] },
    },
    parameters: { duration: "PT5M", service: "ec2", operations: "DescribeInstances", percentage: "40" },
    shows: { tier: "checkout", field: "faults", change: "rises" },
  })),
  {
    action: "aws:network:disrupt-connectivity",
    targets: { Subnets: tagged("aws:ec2:subnet", { filters: [{ path: "AvailabilityZone", values: ["us-east-1a"] }] }) },
    parameters: { duration: "PT5M", scope: "all" },
    shows: { tier: "web", field: "healthyUnits", change: "falls" },
  },
  {
    action: "aws:network:route-table-disrupt-cross-region-connectivity",
    targets: { Subnets: tagged("aws:ec2:subnet") },
    parameters: { duration: "PT5M", region: "eu-west-1" },
    shows: { tier: "web", field: "faults", change: "rises" },
  },
  {
    action: "aws:network:transit-gateway-disrupt-cross-region-connectivity",
    targets: { TransitGateways: tagged("aws:ec2:transit-gateway") },
    parameters: { duration: "PT5M", region: "eu-west-1" },
    shows: { tier: "web", field: "faults", change: "rises" },
  },
  {
    action: "aws:network:disrupt-vpc-endpoint",
    targets: {
      Endpoints: {
        resourceType: "aws:ec2:vpc-endpoint",
        filters: [{ path: "ServiceName", values: ["com.amazonaws.us-east-1.dynamodb"] }],
      },
    },
    parameters: { duration: "PT5M" },
    shows: { tier: "web", field: "faults", change: "rises" },
  },
  {
    action: "aws:directconnect:virtual-interface-disconnect",
    targets: { DXVirtualInterfaces: tagged("aws:directconnect:virtual-interface") },
    parameters: { duration: "PT10M" },
    shows: { tier: "web", field: "faults", change: "rises" },
  },
  {
    action: "aws:arc:start-zonal-autoshift",
    targets: { ManagedResources: tagged("aws:arc:zonal-shift-managed-resource") },
    parameters: { duration: "PT5M", availabilityZoneIdentifier: "us-east-1b" },
    shows: { tier: "web", field: "healthyUnits", change: "falls" },
  },
  {
    action: "aws:ssm:send-command",
    targets: { Instances: tagged("aws:ec2:instance") },
    parameters: {
      documentArn: "arn:aws:ssm:us-east-1::document/AWSFIS-Run-CPU-Stress",
      documentParameters: JSON.stringify({ DurationSeconds: "300", LoadPercent: "100" }),
      duration: "PT5M",
    },
    shows: { tier: "web", field: "cpu", change: "rises" },
  },
  {
    action: "aws:ssm:start-automation-execution",
    parameters: { documentArn: "arn:aws:ssm:us-east-1:123456789012:document/Drain-Checkout", maxDuration: "PT5M" },
    world: { declaredEffects: [{ document: "Drain-Checkout", effect: "stop", tier: "checkout" }] },
    shows: { tier: "checkout", field: "healthyUnits", change: "falls" },
  },
];

/** Resolves the row's targets, runs its action at START, and reads the tier then and in the same world left alone. */
function rehearseRow(row: Row) {
  const definition = everyKind(row.world);
  const read = (world: World) => {
    world.advanceTo(START + ((row.readAfterSeconds ?? 20) + 10) * 1000);
    return world.snapshots.find((s) => s.t >= START + (row.readAfterSeconds ?? 20) * 1000)!.tiers[row.shows.tier]!;
  };
  const alone = new World(definition, 7, START, 600);
  row.meanwhile?.(alone);
  const untouched = read(alone);
  const world = new World(definition, 7, START, 600);
  row.meanwhile?.(world);
  world.advanceTo(START);
  const targets = Object.fromEntries(
    Object.entries(row.targets ?? {}).map(([key, target]) => [
      key,
      resolveTarget(world, { selectionMode: "ALL", ...target } as FisTarget, key),
    ]),
  );
  for (const [key, resolved] of Object.entries(targets))
    expect(resolved.length, `target ${key} resolved`).toBeGreaterThan(0);
  const seconds = ACTION_MODELS[row.action]!({
    world,
    targets,
    parameters: row.parameters ?? {},
    at: START,
    key: "EXP1/a",
    actionId: row.action,
    alarmState: () => "OK",
  });
  return { seconds, untouched, during: read(world) };
}

describe("each simulated FIS action, on the resources it targets", () => {
  it("has a row here for every action the catalog knows, and a model for each", () => {
    expect(ROWS.map((r) => r.action).sort()).toEqual(Object.keys(FIS_ACTIONS).sort());
    expect(Object.keys(ACTION_MODELS).sort()).toEqual(Object.keys(FIS_ACTIONS).sort());
  });

  it.each(ROWS.map((row) => [row.action, row] as const))("%s", (_, row) => {
    const { seconds, untouched, during } = rehearseRow(row);
    expect(typeof seconds, JSON.stringify(seconds)).toBe("number");
    const { field, change } = row.shows;
    const before = Number(untouched[field] ?? 0);
    const after = Number(during[field] ?? 0);
    if (row.action === "aws:fis:wait" || row.action === "aws:cloudwatch:assert-alarm-state")
      // They inject nothing: the world is exactly as it would have been.
      expect(after).toBe(before);
    else if (change === "rises") expect(after, `${field} ${before} → ${after}`).toBeGreaterThan(before * 1.1 + 0.01);
    else expect(after, `${field} ${before} → ${after}`).toBeLessThan(before);
  });
});

describe("what actions refuse or leave to the user", () => {
  it("assert-alarm-state fails the action when an alarm is in none of the states", () => {
    const world = new World(everyKind(), 7, START, 600);
    const outcome = ACTION_MODELS["aws:cloudwatch:assert-alarm-state"]!({
      world,
      targets: {},
      parameters: { alarmArns: "arn:aws:cloudwatch:us-east-1:123456789012:alarm:checkout-5xx", alarmStates: "OK" },
      at: START,
      key: "E/a",
      actionId: "aws:cloudwatch:assert-alarm-state",
      alarmState: () => "ALARM",
    });
    expect(outcome).toEqual({ failed: expect.stringContaining("checkout-5xx is in ALARM, not in OK") });
  });

  it("a Kubernetes custom resource nobody declared is not modeled, and says what to declare", () => {
    const row = ROWS.find((r) => r.action === "aws:eks:inject-kubernetes-custom-resource")!;
    const { seconds } = rehearseRow({ ...row, world: {} });
    expect(seconds).toEqual({ notModeled: expect.stringContaining('"document": "NetworkChaos"') });
  });

  it("a cross-Region cut changes nothing for a world whose tiers all run in its Region", () => {
    const row = ROWS.find((r) => r.action === "aws:network:transit-gateway-disrupt-cross-region-connectivity")!;
    const world = everyKind();
    world.tiers = world.tiers.map((t) => ({ ...t, region: undefined }));
    const { untouched, during } = rehearseRow({ ...row, world: { tiers: world.tiers } });
    expect(during.faults).toBe(untouched.faults);
  });
});

describe("each kind's resources, as FIS lists them", () => {
  const world = new World(everyKind(), 7, START, 600);
  const ARN: Record<string, RegExp> = {
    "aws:ec2:instance": /^arn:aws:ec2:us-east-1:123456789012:instance\/i-[0-9a-f]{17}$/,
    "aws:ec2:spot-instance": /^arn:aws:ec2:us-east-1:123456789012:instance\/i-[0-9a-f]{17}$/,
    "aws:ec2:autoscaling-group":
      /^arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:[^:]+:autoScalingGroupName\/[\w-]+$/,
    "aws:ec2:ebs-volume": /^arn:aws:ec2:us-east-1:123456789012:volume\/vol-[0-9a-f]+$/,
    "aws:ecs:task": /^arn:aws:ecs:us-east-1:123456789012:task\/[\w-]+\/[0-9a-f]+$/,
    "aws:ecs:cluster": /^arn:aws:ecs:us-east-1:123456789012:cluster\/[\w-]+$/,
    "aws:eks:cluster": /^arn:aws:eks:us-east-1:123456789012:cluster\/[\w-]+$/,
    "aws:eks:nodegroup": /^arn:aws:eks:us-east-1:123456789012:nodegroup\/[\w-]+\/[\w-]+\/[\w-]+$/,
    "aws:eks:pod": /^arn:aws:eks:us-east-1:123456789012:pod\/[\w-]+\/[\w-]+\/[\w-]+$/,
    "aws:rds:db": /^arn:aws:rds:us-east-1:123456789012:db:[\w-]+$/,
    "aws:rds:cluster": /^arn:aws:rds:us-east-1:123456789012:cluster:[\w-]+$/,
    "aws:elasticache:replicationgroup": /^arn:aws:elasticache:us-east-1:123456789012:replicationgroup:[\w-]+$/,
    "aws:elasticache:redis-replicationgroup": /^arn:aws:elasticache:us-east-1:123456789012:replicationgroup:[\w-]+$/,
    "aws:dynamodb:global-table": /^arn:aws:dynamodb:us-east-1:123456789012:table\/[\w.-]+$/,
    "aws:lambda:function": /^arn:aws:lambda:us-east-1:123456789012:function:[\w-]+$/,
    "aws:kinesis:stream": /^arn:aws:kinesis:us-east-1:123456789012:stream\/[\w.-]+$/,
    "aws:s3:bucket": /^arn:aws:s3:::[a-z0-9.-]+$/,
    "aws:memorydb:multi-region-cluster": /^arn:aws:memorydb::123456789012:multiregioncluster\/[\w-]+$/,
    "aws:dsql:cluster": /^arn:aws:dsql:us-east-1:123456789012:cluster\/[\w-]+$/,
  };

  it.each(TIER_KIND_NAMES.flatMap((kind) => Object.keys(TIER_KINDS[kind].resources).map((type) => [kind, type])))(
    "%s lists %s with ARNs shaped as AWS shapes them",
    (kind, type) => {
      const resources = listResources(world, type).filter((r) => world.tier(r.tier || "web").kind === kind);
      expect(resources.length).toBeGreaterThan(0);
      for (const r of resources) expect(r.arn).toMatch(ARN[type]!);
    },
  );

  it("lists the account's subnets, roles, transit gateway, endpoints, virtual interface and load balancer", () => {
    expect(listResources(world, "aws:ec2:subnet").map((r) => r.zone)).toEqual(world.definition.zones);
    expect(listResources(world, "aws:iam:role").map((r) => r.arn)).toContain("arn:aws:iam::123456789012:role/web-role");
    expect(
      listResources(world, "aws:ec2:vpc-endpoint")
        .map((r) => r.tier)
        .sort(),
    ).toEqual(
      world.definition.tiers
        .filter((t) => TIER_KINDS[t.kind].placement === "regional")
        .map((t) => t.name)
        .sort(),
    );
    for (const type of [
      "aws:ec2:transit-gateway",
      "aws:directconnect:virtual-interface",
      "aws:arc:zonal-shift-managed-resource",
    ])
      expect(listResources(world, type), type).toHaveLength(1);
  });

  it("lists declared subnets with their own tags, so a template's own tags resolve", () => {
    const declared = new World(
      everyKind({ subnets: [{ id: "subnet-0abc", zone: "us-east-1b", tags: { Tier: "private" } }] }),
      7,
      START,
      600,
    );
    const resolved = resolveTarget(
      declared,
      { resourceType: "aws:ec2:subnet", resourceTags: { Tier: "private" }, selectionMode: "ALL" },
      "Subnets",
    );
    expect(resolved.map((r) => r.arn)).toEqual(["arn:aws:ec2:us-east-1:123456789012:subnet/subnet-0abc"]);
  });

  it("names zones by name or by the simulated account's zone IDs", () => {
    const definition = everyKind();
    expect(definition.zones.map((z) => zoneId(definition, z))).toEqual(["use1-az1", "use1-az2", "use1-az3"]);
    expect(zoneId({ region: "ap-northeast-1", zones: ["ap-northeast-1a"] }, "ap-northeast-1a")).toBe("apne1-az1");
    expect([...zonesNamed(definition, "use1-az2, us-east-1c")]).toEqual(["us-east-1b", "us-east-1c"]);
  });

  it("keeps each action's model in the module of the kind it acts on", () => {
    expect(ACTION_MODULES["aws:elasticache:replicationgroup-interrupt-az-power"]).toBe("src/sim/kinds/elasticache.ts");
    expect(ACTION_MODULES["aws:network:disrupt-vpc-endpoint"]).toBe("src/sim/kinds/network.ts");
    expect(ACTION_MODULES["aws:fis:inject-api-throttle-error"]).toBe("src/sim/kinds/iam.ts");
  });
});
