/** One action parameter as the FIS actions reference describes it. FIS refuses values outside the range. */
export type ParameterSpec = (
  | { kind: "duration"; minSeconds?: number; maxSeconds?: number }
  | { kind: "percent"; min?: number; max?: number }
  | { kind: "integer"; min?: number; max?: number }
  | { kind: "boolean" }
  | { kind: "enum"; values: readonly string[] }
  | { kind: "text" }
) & { required?: boolean };

export interface FisActionSpec {
  /** Target key in the action's `targets` map → the resource type it accepts. */
  targets: Record<string, string>;
  /**
   * The action's parameters. When `openParameters` is unset, these are all it takes and any other name is refused
   * (a misspelt name would be ignored by FIS's console but refused by its API).
   */
  parameters: Record<string, ParameterSpec>;
  /** The reference lists more parameters than the catalog knows: other names are accepted with a warning. */
  openParameters?: boolean;
  /** The action injects no fault (it waits, or checks an alarm): running it alone tests no hypothesis. */
  injectsNothing?: boolean;
  /**
   * Target keys other AWS sources use for the same target: accepted, with a warning that cites the disagreement
   * (the sources, not gameday, must settle it).
   */
  disputedTargetKeys?: Record<string, { sameAs: string; source: string }>;
}

const MINUTE = 60;
const HOUR = 3600;
/** "Every duration is ISO-8601, 1 min–12 h" (FIS actions reference; aws-facts §2). */
const duration = (required = true, minSeconds = MINUTE, maxSeconds = 12 * HOUR): ParameterSpec => ({
  kind: "duration",
  minSeconds,
  maxSeconds,
  required,
});
const percent = (min = 0, required = false): ParameterSpec => ({ kind: "percent", min, max: 100, required });
const text = (required = false): ParameterSpec => ({ kind: "text", required });
const flag: ParameterSpec = { kind: "boolean" };
const integer = (min = 0): ParameterSpec => ({ kind: "integer", min });

const instances = { Instances: "aws:ec2:instance" };
const tasks = { Tasks: "aws:ecs:task" };
const pods = { Pods: "aws:eks:pod" };
const roles = { Roles: "aws:iam:role" };
const functions = { Functions: "aws:lambda:function" };
const timed = { duration: duration() };

/** The API error injections: which operations of which service, for what share of calls. */
const apiFault = {
  targets: roles,
  parameters: { duration: duration(), service: text(true), operations: text(true), percentage: percent(1, true) },
};
/** Fault injection on ECS tasks runs through the SSM agent sidecar; these parameters are common to all. */
const ecsTask = { installDependencies: flag, useEcsFaultInjectionEndpoints: flag };
/** Pod actions run a FIS pod in the cluster with the service account and pod settings the template names. */
const fisPod = {
  kubernetesServiceAccount: text(true),
  maxErrorsPercent: percent(),
  fisPodContainerImage: text(),
  fisPodLabels: text(),
  fisPodAnnotations: text(),
  fisPodSecurityPolicy: { kind: "enum", values: ["privileged", "baseline", "restricted"] } as ParameterSpec,
};
const network = {
  delayMilliseconds: integer(),
  jitterMilliseconds: integer(),
  flowsPercent: percent(),
  sources: text(),
};
const lambdaFault = { duration: duration(), invocationPercentage: percent(1) };

/**
 * FIS actions by id: target keys and resource types, parameters and their ranges. From the FIS actions reference
 * (aws-facts §2 and §8; the Direct Connect key from AWS's template library, §7). An action missing here is refused
 * by validation as unknown, so keep the list complete rather than minimal; `openParameters` marks the actions whose
 * full parameter list the catalog does not hold yet.
 */
export const FIS_ACTIONS: Record<string, FisActionSpec> = {
  "aws:fis:wait": { targets: {}, parameters: timed, injectsNothing: true },
  "aws:fis:inject-api-internal-error": apiFault,
  "aws:fis:inject-api-throttle-error": apiFault,
  "aws:fis:inject-api-unavailable-error": apiFault,
  "aws:cloudwatch:assert-alarm-state": {
    targets: {},
    parameters: { alarmArns: text(true), alarmStates: text(true) },
    injectsNothing: true,
  },
  "aws:arc:start-zonal-autoshift": {
    targets: { ManagedResources: "aws:arc:zonal-shift-managed-resource" },
    parameters: { duration: duration(), availabilityZoneIdentifier: text(true), managedResourceTypes: text() },
    openParameters: true,
  },
  "aws:directconnect:virtual-interface-disconnect": {
    targets: { DXVirtualInterfaces: "aws:directconnect:virtual-interface" },
    // "duration 10 min–12 h" (aws-facts §7, from AWS's direct-connect-resiliency template).
    parameters: { duration: duration(true, 10 * MINUTE) },
    disputedTargetKeys: {
      VirtualInterfaces: {
        sameAs: "DXVirtualInterfaces",
        source:
          "the FIS actions reference names the key DXVirtualInterfaces; AWS's fis-template-library (direct-connect templates) uses VirtualInterfaces",
      },
    },
  },
  "aws:dsql:cluster-connection-failure": {
    targets: { Clusters: "aws:dsql:cluster" },
    parameters: { duration: duration(), percentage: percent(1) },
    openParameters: true,
  },
  "aws:dynamodb:global-table-pause-replication": {
    targets: { Tables: "aws:dynamodb:global-table" },
    parameters: timed,
  },
  "aws:ebs:pause-volume-io": { targets: { Volumes: "aws:ec2:ebs-volume" }, parameters: timed },
  "aws:ebs:volume-io-latency": {
    targets: { Volumes: "aws:ec2:ebs-volume" },
    parameters: {
      duration: duration(),
      readIOPercentage: percent(),
      readIOLatencyMilliseconds: integer(1),
      writeIOPercentage: percent(),
      writeIOLatencyMilliseconds: integer(1),
    },
    openParameters: true,
  },
  "aws:ec2:api-insufficient-instance-capacity-error": {
    targets: roles,
    parameters: { duration: duration(), availabilityZoneIdentifiers: text(true), percentage: percent(1, true) },
  },
  "aws:ec2:asg-insufficient-instance-capacity-error": {
    targets: { AutoScalingGroups: "aws:ec2:autoscaling-group" },
    parameters: { duration: duration(), availabilityZoneIdentifiers: text(true), percentage: percent(1, true) },
  },
  "aws:ec2:reboot-instances": { targets: instances, parameters: {} },
  "aws:ec2:stop-instances": {
    targets: instances,
    parameters: { startInstancesAfterDuration: duration(false), completeIfInstancesTerminated: flag },
  },
  "aws:ec2:terminate-instances": { targets: instances, parameters: {} },
  "aws:ec2:send-spot-instance-interruptions": {
    targets: { SpotInstances: "aws:ec2:spot-instance" },
    // "from 2 to 15 minutes" (FIS actions reference): the notice a spot instance gets before it is interrupted.
    parameters: { durationBeforeInterruption: duration(true, 2 * MINUTE, 15 * MINUTE) },
  },
  "aws:ecs:drain-container-instances": {
    targets: { Clusters: "aws:ecs:cluster" },
    parameters: { drainagePercentage: percent(1, true), duration: duration() },
  },
  "aws:ecs:stop-task": { targets: tasks, parameters: {} },
  "aws:ecs:task-cpu-stress": {
    targets: tasks,
    parameters: { duration: duration(), percent: percent(), workers: integer(), ...ecsTask },
  },
  "aws:ecs:task-io-stress": {
    targets: tasks,
    parameters: { duration: duration(), percent: percent(), workers: integer(), ...ecsTask },
  },
  "aws:ecs:task-kill-process": {
    targets: tasks,
    parameters: { processName: text(true), signal: { kind: "enum", values: ["SIGTERM", "SIGKILL"] }, ...ecsTask },
  },
  "aws:ecs:task-network-blackhole-port": {
    targets: tasks,
    parameters: {
      duration: duration(),
      port: integer(0),
      protocol: { kind: "enum", values: ["tcp", "udp"], required: true },
      trafficType: { kind: "enum", values: ["ingress", "egress"] },
      ...ecsTask,
    },
  },
  "aws:ecs:task-network-latency": { targets: tasks, parameters: { duration: duration(), ...network, ...ecsTask } },
  "aws:ecs:task-network-packet-loss": {
    targets: tasks,
    parameters: { duration: duration(), lossPercent: percent(), flowsPercent: percent(), sources: text(), ...ecsTask },
  },
  "aws:eks:inject-kubernetes-custom-resource": {
    targets: { Cluster: "aws:eks:cluster" },
    parameters: {
      kubernetesApiVersion: text(true),
      kubernetesKind: text(true),
      kubernetesNamespace: text(true),
      kubernetesSpec: text(true),
      maxDuration: duration(),
    },
  },
  "aws:eks:pod-cpu-stress": {
    targets: pods,
    parameters: { duration: duration(), percent: percent(), workers: integer(), ...fisPod },
  },
  "aws:eks:pod-delete": { targets: pods, parameters: { gracePeriodSeconds: integer(), ...fisPod } },
  "aws:eks:pod-io-stress": {
    targets: pods,
    parameters: { duration: duration(), percent: percent(), workers: integer(), ...fisPod },
  },
  "aws:eks:pod-memory-stress": {
    targets: pods,
    parameters: { duration: duration(), percent: percent(), workers: integer(), ...fisPod },
  },
  "aws:eks:pod-network-blackhole-port": {
    targets: pods,
    parameters: {
      duration: duration(),
      port: integer(0),
      protocol: { kind: "enum", values: ["tcp", "udp"], required: true },
      trafficType: { kind: "enum", values: ["ingress", "egress"] },
      ...fisPod,
    },
  },
  "aws:eks:pod-network-latency": {
    targets: pods,
    parameters: { duration: duration(), ...network, interface: text(), ...fisPod },
  },
  "aws:eks:pod-network-packet-loss": {
    targets: pods,
    parameters: {
      duration: duration(),
      lossPercent: percent(),
      flowsPercent: percent(),
      sources: text(),
      interface: text(),
      ...fisPod,
    },
  },
  "aws:eks:terminate-nodegroup-instances": {
    targets: { Nodegroups: "aws:eks:nodegroup" },
    parameters: { instanceTerminationPercentage: percent(1, true) },
  },
  "aws:elasticache:interrupt-cluster-az-power": {
    targets: { ReplicationGroups: "aws:elasticache:redis-replicationgroup" },
    parameters: timed,
  },
  "aws:elasticache:replicationgroup-interrupt-az-power": {
    targets: { ReplicationGroups: "aws:elasticache:replicationgroup" },
    parameters: timed,
  },
  "aws:kinesis:stream-provisioned-throughput-exception": {
    targets: { KinesisStreams: "aws:kinesis:stream" },
    parameters: { duration: duration(), percentage: percent(1) },
    openParameters: true,
  },
  "aws:kinesis:stream-expired-iterator-exception": {
    targets: { KinesisStreams: "aws:kinesis:stream" },
    parameters: { duration: duration(), percentage: percent(1) },
    openParameters: true,
  },
  "aws:lambda:invocation-add-delay": {
    targets: functions,
    parameters: { ...lambdaFault, startupDelayMilliseconds: integer() },
  },
  "aws:lambda:invocation-error": { targets: functions, parameters: { ...lambdaFault, preventExecution: flag } },
  "aws:lambda:invocation-http-integration-response": {
    targets: functions,
    parameters: { ...lambdaFault, preventExecution: flag, contentTypeHeader: text(), statusCode: integer(100) },
  },
  "aws:memorydb:multi-region-cluster-pause-replication": {
    targets: { MemoryDBMultiRegionCluster: "aws:memorydb:multi-region-cluster" },
    parameters: { duration: duration(), region: text(true) },
    openParameters: true,
  },
  "aws:network:disrupt-connectivity": {
    targets: { Subnets: "aws:ec2:subnet" },
    parameters: {
      duration: duration(),
      scope: {
        kind: "enum",
        values: ["all", "availability-zone", "dynamodb", "prefix-list", "s3", "s3express", "vpc"],
      },
      prefixListIdentifier: text(),
    },
  },
  "aws:network:route-table-disrupt-cross-region-connectivity": {
    targets: { Subnets: "aws:ec2:subnet" },
    parameters: { duration: duration(), region: text(true) },
    openParameters: true,
  },
  "aws:network:transit-gateway-disrupt-cross-region-connectivity": {
    targets: { TransitGateways: "aws:ec2:transit-gateway" },
    parameters: { duration: duration(), region: text(true) },
    openParameters: true,
  },
  "aws:network:disrupt-vpc-endpoint": {
    targets: { VPCEndpoints: "aws:ec2:vpc-endpoint" },
    parameters: timed,
  },
  "aws:rds:failover-db-cluster": { targets: { Clusters: "aws:rds:cluster" }, parameters: {} },
  "aws:rds:reboot-db-instances": { targets: { DBInstances: "aws:rds:db" }, parameters: { forceFailover: flag } },
  "aws:s3:bucket-pause-replication": {
    targets: { Buckets: "aws:s3:bucket" },
    parameters: { duration: duration(), region: text(), destinationBuckets: text(), prefixes: text() },
    openParameters: true,
  },
  "aws:ssm:send-command": {
    targets: instances,
    parameters: { documentArn: text(true), documentParameters: text(), documentVersion: text(), duration: duration() },
  },
  "aws:ssm:start-automation-execution": {
    targets: {},
    parameters: {
      documentArn: text(true),
      documentParameters: text(),
      documentVersion: text(),
      maxDuration: duration(),
    },
  },
};

/** The names of an action's parameters that hold durations. */
export const durationParametersOf = (spec: FisActionSpec) =>
  Object.entries(spec.parameters)
    .filter(([, p]) => p.kind === "duration")
    .map(([name]) => name);

/** Resource types FIS can target; a target naming another type is a typo or unsupported. */
export const FIS_RESOURCE_TYPES = new Set([
  ...Object.values(FIS_ACTIONS).flatMap((spec) => Object.values(spec.targets)),
  "aws:ec2:autoscaling-group",
]);
