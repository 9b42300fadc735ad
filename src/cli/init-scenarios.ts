/**
 * The FIS scenario library's two most-run scenarios as starters: the world of one service with the dependencies the
 * scenario acts on, a template composed of the scenario's actions (FIS user guide, "Scenario library"; aws-facts
 * §scenario library), and a plan that rehearses it.
 */

/** What each scenario is, and the service kinds whose starter it can fault. */
export const SCENARIOS = {
  "az-power-interruption": {
    title: "AZ Availability: Power Interruption",
    summary:
      "one zone loses power: its instances stop, launches there fail, its subnets are cut, the database and the cache fail over away from it, EBS I/O pauses, and ARC shifts traffic away",
  },
  "cross-region-connectivity": {
    title: "Cross-Region: Connectivity",
    summary:
      "the Region is cut off from another: route tables and the transit gateway drop cross-Region traffic, and DynamoDB and S3 replication pause",
  },
} as const;
export type ScenarioName = keyof typeof SCENARIOS;

/** The kinds a scenario's starter service may run on: instances (EC2) or tasks (ECS) that a zone loss stops. */
export const SCENARIO_SERVICE_KINDS = ["ec2", "ecs"] as const;
export type ScenarioServiceKind = (typeof SCENARIO_SERVICE_KINDS)[number];

export interface ScenarioOptions {
  name: string;
  kind: ScenarioServiceKind;
  requestsPerSecond: number;
  region: string;
  zones: string[];
  accountId: string;
  /** cross-region-connectivity: the Region cut off (where the replicas and the remote dependency are). */
  otherRegion: string;
  loadBalancer: string;
  alarmName: string;
}

const FIS_READY = { "FIS-Ready": "True" };
/** The scenario's fault lasts ten minutes: long enough for every controller to react, short for a rehearsal. */
const DURATION = "PT10M";

/** The service and the dependencies the scenario acts on, each called by the service. */
export function scenarioTiers(scenario: ScenarioName, o: ScenarioOptions) {
  const perZone = 2;
  const capacity = (units: number, share = 1) => Math.ceil((o.requestsPerSecond * share * 2.5) / units);
  const service = {
    name: o.name,
    kind: o.kind,
    service: o.name,
    unitsPerZone: perZone,
    capacityPerUnit: capacity(perZone * o.zones.length),
    baseLatencyMilliseconds: 40,
    share: 1,
    replaceSeconds: o.kind === "ec2" ? 240 : 60,
    tags: { ...FIS_READY, Service: o.name },
    resourceNames: o.kind === "ec2" ? { autoScalingGroup: o.name } : { cluster: o.name, service: o.name },
  };
  const dependency = (name: string, kind: string, extra: Record<string, unknown>) => ({
    name: `${o.name}-${name}`,
    kind,
    service: `${o.name}-${name}`,
    capacityPerUnit: capacity(1),
    share: 1,
    replaceSeconds: 60,
    tags: { ...FIS_READY, Service: o.name },
    ...extra,
  });
  const dependencies =
    scenario === "az-power-interruption"
      ? [
          dependency("db", "aurora", {
            unitsPerZone: 2,
            baseLatencyMilliseconds: 5,
            resourceNames: { cluster: `${o.name}-db` },
          }),
          dependency("cache", "elasticache", {
            unitsPerZone: o.zones.length,
            baseLatencyMilliseconds: 1,
            resourceNames: { replicationGroup: `${o.name}-cache` },
          }),
        ]
      : [
          dependency("table", "dynamodb", {
            baseLatencyMilliseconds: 8,
            replicaRegion: o.otherRegion,
            resourceNames: { table: `${o.name}-table` },
          }),
          dependency("assets", "s3", {
            baseLatencyMilliseconds: 30,
            replicaRegion: o.otherRegion,
            resourceNames: { bucket: `${o.name}-assets` },
          }),
          // What the service calls in the other Region (a partner API, a primary elsewhere): the cut reaches it.
          dependency("remote", "ecs", {
            region: o.otherRegion,
            unitsPerZone: 1,
            capacityPerUnit: capacity(o.zones.length),
            baseLatencyMilliseconds: 70,
            resourceNames: { cluster: `${o.name}-remote`, service: `${o.name}-remote` },
          }),
        ];
  return [{ ...service, calls: dependencies.map((d) => d.name) }, ...dependencies];
}

/** The scenario's experiment template: its actions on the service's tagged resources, in one zone or Region. */
export function scenarioTemplate(scenario: ScenarioName, o: ScenarioOptions) {
  const zone = o.zones[0]!;
  const tagged = (resourceType: string, extra: Record<string, unknown> = {}) => ({
    resourceType,
    resourceTags: { ...FIS_READY, Service: o.name },
    selectionMode: "ALL",
    ...extra,
  });
  const inZone = (path: string) => ({ filters: [{ path, values: [zone] }] });
  const targets: Record<string, unknown> = {};
  const actions: Record<string, unknown> = {};
  const add = (name: string, target: unknown, key: string, actionId: string, parameters: Record<string, string>) => {
    if (target) targets[name] = target;
    actions[name] = { actionId, parameters, targets: target ? { [key]: name } : {} };
  };
  if (scenario === "az-power-interruption") {
    if (o.kind === "ec2") {
      add(
        "Stop-Instances",
        tagged("aws:ec2:instance", inZone("Placement.AvailabilityZone")),
        "Instances",
        "aws:ec2:stop-instances",
        { startInstancesAfterDuration: DURATION },
      );
      add(
        "Pause-Instance-IO",
        tagged("aws:ec2:ebs-volume", { parameters: { availabilityZoneIdentifier: zone } }),
        "Volumes",
        "aws:ebs:pause-volume-io",
        { duration: DURATION },
      );
      add(
        "Pause-ASG-Scaling",
        tagged("aws:ec2:autoscaling-group"),
        "AutoScalingGroups",
        "aws:ec2:asg-insufficient-instance-capacity-error",
        { duration: DURATION, availabilityZoneIdentifiers: zone, percentage: "100" },
      );
    } else add("Stop-Tasks", tagged("aws:ecs:task", inZone("AvailabilityZone")), "Tasks", "aws:ecs:stop-task", {});
    add(
      "Pause-Network-Connectivity",
      tagged("aws:ec2:subnet", inZone("AvailabilityZone")),
      "Subnets",
      "aws:network:disrupt-connectivity",
      { duration: DURATION, scope: "all" },
    );
    add("Failover-RDS", tagged("aws:rds:cluster"), "Clusters", "aws:rds:failover-db-cluster", {});
    add(
      "Pause-ElastiCache",
      tagged("aws:elasticache:replicationgroup", { parameters: { availabilityZoneIdentifier: zone } }),
      "ReplicationGroups",
      "aws:elasticache:replicationgroup-interrupt-az-power",
      { duration: DURATION },
    );
    add(
      "Start-ARC-Zonal-Autoshift",
      tagged("aws:arc:zonal-shift-managed-resource"),
      "ManagedResources",
      "aws:arc:start-zonal-autoshift",
      { duration: DURATION, availabilityZoneIdentifier: zone },
    );
  } else {
    add(
      "Disrupt-Route-Tables",
      tagged("aws:ec2:subnet"),
      "Subnets",
      "aws:network:route-table-disrupt-cross-region-connectivity",
      { duration: DURATION, region: o.otherRegion },
    );
    add(
      "Disrupt-Transit-Gateway",
      { ...tagged("aws:ec2:transit-gateway"), resourceTags: FIS_READY },
      "TransitGateways",
      "aws:network:transit-gateway-disrupt-cross-region-connectivity",
      { duration: DURATION, region: o.otherRegion },
    );
    add(
      "Pause-DynamoDB-Replication",
      tagged("aws:dynamodb:global-table"),
      "Tables",
      "aws:dynamodb:global-table-pause-replication",
      { duration: DURATION },
    );
    add("Pause-S3-Replication", tagged("aws:s3:bucket"), "Buckets", "aws:s3:bucket-pause-replication", {
      duration: DURATION,
      region: o.otherRegion,
    });
  }
  // Subnets, transit gateways and load balancers carry FIS-Ready alone in the simulated account; in yours, tag
  // them so (the scenario library's own templates select by tags you choose).
  for (const name of ["Pause-Network-Connectivity", "Disrupt-Route-Tables", "Start-ARC-Zonal-Autoshift"])
    if (targets[name]) (targets[name] as { resourceTags: object }).resourceTags = FIS_READY;
  return {
    description: `${SCENARIOS[scenario].title} for ${o.name}: ${SCENARIOS[scenario].summary} (${scenario === "az-power-interruption" ? zone : `${o.region} from ${o.otherRegion}`}).`,
    targets,
    actions,
    stopConditions: [
      { source: "aws:cloudwatch:alarm", value: `arn:aws:cloudwatch:${o.region}:${o.accountId}:alarm:${o.alarmName}` },
    ],
    roleArn: `arn:aws:iam::${o.accountId}:role/gameday-fis-experiments`,
    tags: { Name: `${o.name}-${scenario}` },
  };
}
