/**
 * FIS actions by id: which target key each takes and which resource type that key must hold.
 * From the FIS actions reference (see ../shared/reference/aws-facts.md §2). An action missing here is reported
 * as unknown by validation, so keep the list complete rather than minimal.
 */
export interface FisActionSpec {
  /** Target key in the action's `targets` map → the resource type it accepts. */
  targets: Record<string, string>;
  /** Parameters holding ISO-8601 durations. */
  durationParameters?: string[];
  /**
   * Target keys other AWS sources use for the same target: accepted, with a warning that cites the disagreement
   * (the sources, not gameday, must settle it).
   */
  disputedTargetKeys?: Record<string, { sameAs: string; source: string }>;
}

const instances = { Instances: "aws:ec2:instance" };
const tasks = { Tasks: "aws:ecs:task" };
const pods = { Pods: "aws:eks:pod" };
const roles = { Roles: "aws:iam:role" };
const timed = ["duration"];

export const FIS_ACTIONS: Record<string, FisActionSpec> = {
  "aws:fis:wait": { targets: {}, durationParameters: timed },
  "aws:fis:inject-api-internal-error": { targets: roles, durationParameters: timed },
  "aws:fis:inject-api-throttle-error": { targets: roles, durationParameters: timed },
  "aws:fis:inject-api-unavailable-error": { targets: roles, durationParameters: timed },
  "aws:cloudwatch:assert-alarm-state": { targets: {} },
  "aws:arc:start-zonal-autoshift": {
    targets: { ManagedResources: "aws:arc:zonal-shift-managed-resource" },
    durationParameters: timed,
  },
  "aws:directconnect:virtual-interface-disconnect": {
    targets: { DXVirtualInterfaces: "aws:directconnect:virtual-interface" },
    durationParameters: timed,
    disputedTargetKeys: {
      VirtualInterfaces: {
        sameAs: "DXVirtualInterfaces",
        source:
          "the FIS actions reference names the key DXVirtualInterfaces; AWS's fis-template-library (direct-connect templates) uses VirtualInterfaces",
      },
    },
  },
  "aws:dynamodb:global-table-pause-replication": {
    targets: { Tables: "aws:dynamodb:global-table" },
    durationParameters: timed,
  },
  "aws:ebs:pause-volume-io": { targets: { Volumes: "aws:ec2:ebs-volume" }, durationParameters: timed },
  "aws:ec2:api-insufficient-instance-capacity-error": { targets: roles, durationParameters: timed },
  "aws:ec2:asg-insufficient-instance-capacity-error": {
    targets: { AutoScalingGroups: "aws:ec2:autoscaling-group" },
    durationParameters: timed,
  },
  "aws:ec2:reboot-instances": { targets: instances },
  "aws:ec2:stop-instances": { targets: instances, durationParameters: ["startInstancesAfterDuration"] },
  "aws:ec2:terminate-instances": { targets: instances },
  "aws:ec2:send-spot-instance-interruptions": {
    targets: { SpotInstances: "aws:ec2:spot-instance" },
    durationParameters: ["durationBeforeInterruption"],
  },
  "aws:ecs:drain-container-instances": { targets: { Clusters: "aws:ecs:cluster" }, durationParameters: timed },
  "aws:ecs:stop-task": { targets: tasks },
  "aws:ecs:task-cpu-stress": { targets: tasks, durationParameters: timed },
  "aws:ecs:task-io-stress": { targets: tasks, durationParameters: timed },
  "aws:ecs:task-kill-process": { targets: tasks },
  "aws:ecs:task-network-blackhole-port": { targets: tasks, durationParameters: timed },
  "aws:ecs:task-network-latency": { targets: tasks, durationParameters: timed },
  "aws:ecs:task-network-packet-loss": { targets: tasks, durationParameters: timed },
  "aws:eks:inject-kubernetes-custom-resource": { targets: { Cluster: "aws:eks:cluster" }, durationParameters: timed },
  "aws:eks:pod-cpu-stress": { targets: pods, durationParameters: timed },
  "aws:eks:pod-delete": { targets: pods },
  "aws:eks:pod-io-stress": { targets: pods, durationParameters: timed },
  "aws:eks:pod-memory-stress": { targets: pods, durationParameters: timed },
  "aws:eks:pod-network-blackhole-port": { targets: pods, durationParameters: timed },
  "aws:eks:pod-network-latency": { targets: pods, durationParameters: timed },
  "aws:eks:pod-network-packet-loss": { targets: pods, durationParameters: timed },
  "aws:eks:terminate-nodegroup-instances": { targets: { Nodegroups: "aws:eks:nodegroup" } },
  "aws:elasticache:interrupt-cluster-az-power": {
    targets: { ReplicationGroups: "aws:elasticache:redis-replicationgroup" },
    durationParameters: timed,
  },
  "aws:elasticache:replicationgroup-interrupt-az-power": {
    targets: { ReplicationGroups: "aws:elasticache:replicationgroup" },
    durationParameters: timed,
  },
  "aws:kinesis:stream-provisioned-throughput-exception": {
    targets: { KinesisStreams: "aws:kinesis:stream" },
    durationParameters: timed,
  },
  "aws:kinesis:stream-expired-iterator-exception": {
    targets: { KinesisStreams: "aws:kinesis:stream" },
    durationParameters: timed,
  },
  "aws:lambda:invocation-add-delay": { targets: { Functions: "aws:lambda:function" }, durationParameters: timed },
  "aws:lambda:invocation-error": { targets: { Functions: "aws:lambda:function" }, durationParameters: timed },
  "aws:lambda:invocation-http-integration-response": {
    targets: { Functions: "aws:lambda:function" },
    durationParameters: timed,
  },
  "aws:memorydb:multi-region-cluster-pause-replication": {
    targets: { MemoryDBMultiRegionCluster: "aws:memorydb:multi-region-cluster" },
    durationParameters: timed,
  },
  "aws:network:disrupt-connectivity": { targets: { Subnets: "aws:ec2:subnet" }, durationParameters: timed },
  "aws:network:route-table-disrupt-cross-region-connectivity": {
    targets: { Subnets: "aws:ec2:subnet" },
    durationParameters: timed,
  },
  "aws:network:transit-gateway-disrupt-cross-region-connectivity": {
    targets: { TransitGateways: "aws:ec2:transit-gateway" },
    durationParameters: timed,
  },
  "aws:network:disrupt-vpc-endpoint": { targets: { VPCEndpoints: "aws:ec2:vpc-endpoint" }, durationParameters: timed },
  "aws:rds:failover-db-cluster": { targets: { Clusters: "aws:rds:cluster" } },
  "aws:rds:reboot-db-instances": { targets: { DBInstances: "aws:rds:db" } },
  "aws:s3:bucket-pause-replication": { targets: { Buckets: "aws:s3:bucket" }, durationParameters: timed },
  "aws:ssm:send-command": { targets: instances, durationParameters: timed },
  "aws:ssm:start-automation-execution": { targets: {}, durationParameters: ["maxDuration"] },
};

/** Resource types FIS can target; a target naming another type is a typo or unsupported. */
export const FIS_RESOURCE_TYPES = new Set([
  ...Object.values(FIS_ACTIONS).flatMap((spec) => Object.values(spec.targets)),
  "aws:ec2:autoscaling-group",
]);
