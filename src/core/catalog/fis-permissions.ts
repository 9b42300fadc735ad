/**
 * What the FIS experiment role must be allowed to do for each FIS action, split into calls that can be limited
 * to resources carrying the opt-in tag and calls IAM cannot scope (Describe/List, which take no resource).
 * From the FIS actions reference and the AWSFaultInjectionSimulator*Access managed policies. An action missing
 * here stops synthesis with a clear error instead of failing with AccessDenied in the middle of a game day.
 */
export interface ActionPermissions {
  /** Limited by `aws:ResourceTag/<opt-in key>`. */
  taggedResources: string[];
  /** Read-only lookups IAM offers no resource-level scoping for (Describe*, List*). */
  unscoped: string[];
  /** Writes IAM cannot scope either, each granted in its own statement with the reason. */
  unscopedWrites?: { actions: string[]; why: string }[];
  /**
   * Limited to specific resource ARN patterns (SSM documents, for instance); `${Partition}`, `${Region}` and
   * `${Account}` are filled in. `why` explains the wildcard to reviewers (and to cdk-nag). `conditions` narrow it
   * further (FIS tags what it creates `managedByFIS=true`, and may delete only what carries that tag).
   */
  onResources?: {
    actions: string[];
    resources: string[];
    why: string;
    conditions?: Record<string, Record<string, string>>;
  }[];
  /**
   * Where the list comes from. Lists taken from an AWS managed policy name it; the others follow the FIS actions
   * reference's "Permissions" line as gameday reads it, with no managed policy to check them against: validate warns.
   */
  source: string;
}

export const PERMISSIONS_FROM_REFERENCE =
  "FIS actions reference as gameday reads it (no AWS managed policy lists them)";
const FROM_REFERENCE = PERMISSIONS_FROM_REFERENCE;

/**
 * Where FIS writes the fault configuration the FIS Lambda extension reads: a prefix of the stack's report bucket.
 * Each targeted function's AWS_FIS_CONFIGURATION_LOCATION must point there (stack output LambdaFaultConfiguration).
 */
export const LAMBDA_FAULT_CONFIGURATION = "${ReportBucketArn}/fis-lambda-config/*";

/** The AWS-owned SSM documents FIS runs (AWSFIS-Run-CPU-Stress and its siblings). */
export const SSM_FIS_DOCUMENTS = "arn:${Partition}:ssm:${Region}::document/AWSFIS-*";
/** The SSM agent sidecar of an ECS task registers the task as a managed instance (mi-…), which carries no tags. */
export const SSM_MANAGED_INSTANCES = "arn:${Partition}:ssm:${Region}:${Account}:managed-instance/*";

const describeInstances = ["ec2:DescribeInstances"];
/**
 * ssm:CancelCommand names a command id, not a resource: the Service Authorization Reference lists no resource type
 * or condition key for it. FIS calls it only to cancel the commands it sent when the action is stopped.
 */
const cancelFisCommands = {
  actions: ["ssm:CancelCommand"],
  why: "takes no resource-level permissions; FIS cancels only the commands it sent, when an action is stopped",
};
const EC2_POLICY = "AWS managed policy AWSFaultInjectionSimulatorEC2Access";
const ECS_POLICY = "AWS managed policy AWSFaultInjectionSimulatorECSAccess";
const EKS_POLICY = "AWS managed policy AWSFaultInjectionSimulatorEKSAccess";
const RDS_POLICY = "AWS managed policy AWSFaultInjectionSimulatorRDSAccess";
const SSM_POLICY = "AWS managed policy AWSFaultInjectionSimulatorSSMAccess";
const NETWORK_POLICY = "AWS managed policy AWSFaultInjectionSimulatorNetworkAccess";

const ssmCommand: ActionPermissions = {
  taggedResources: ["ssm:SendCommand"],
  unscoped: ["ssm:ListCommands"],
  unscopedWrites: [cancelFisCommands],
  onResources: [
    {
      actions: ["ssm:SendCommand"],
      resources: [SSM_FIS_DOCUMENTS],
      why: "the AWS-owned FIS documents the action runs; the instances they run on must carry the opt-in tag",
    },
  ],
  source: SSM_POLICY,
};
const ecsTaskFault: ActionPermissions = {
  taggedResources: [],
  unscoped: ["ecs:DescribeTasks", "ssm:ListCommands", "ssm:DescribeInstanceInformation"],
  unscopedWrites: [cancelFisCommands],
  onResources: [
    {
      actions: ["ssm:SendCommand"],
      resources: [SSM_FIS_DOCUMENTS, SSM_MANAGED_INSTANCES],
      why:
        "the AWS-owned FIS documents, run through the SSM agent sidecar of each targeted task, which registers " +
        "as an untagged managed instance; the tasks themselves are chosen by the template's targets",
    },
  ],
  source: ECS_POLICY,
};
/** Pod faults run through the cluster's Kubernetes API with the service account the template names. */
const podFault: ActionPermissions = {
  taggedResources: ["eks:DescribeCluster"],
  unscoped: ["ec2:DescribeSubnets"],
  source: EKS_POLICY,
};
/**
 * ec2:InjectApiError takes no resource: FIS injects errors only into the calls of the roles (or groups) the
 * template targets, and the call itself names the experiment.
 */
const injectApiError = {
  actions: ["ec2:InjectApiError"],
  why: "takes no resource-level permissions; FIS injects errors only into the calls of the targets the template names",
};
const apiFault: ActionPermissions = {
  taggedResources: [],
  unscoped: [],
  unscopedWrites: [injectApiError],
  source: FROM_REFERENCE,
};
/** The FIS Lambda extension reads its fault configuration from S3, where FIS writes it (see lambda-config.ts). */
const lambdaFault: ActionPermissions = {
  taggedResources: ["lambda:GetFunction"],
  unscoped: [],
  onResources: [
    {
      actions: ["s3:PutObject", "s3:DeleteObject"],
      resources: [LAMBDA_FAULT_CONFIGURATION],
      why: "the stack's Lambda fault configuration prefix, which each targeted function's FIS extension reads",
    },
  ],
  source: FROM_REFERENCE,
};
const managedByFis = { StringEquals: { "aws:RequestTag/managedByFIS": "true" } };
const taggedByFis = { StringEquals: { "ec2:ResourceTag/managedByFIS": "true" } };
const ec2 = (resource: string) => `arn:\${Partition}:ec2:\${Region}:\${Account}:${resource}`;
/** A subnet's connectivity is cut by a network ACL FIS creates, tags and deletes again (managedByFIS=true). */
const networkAcl: ActionPermissions = {
  taggedResources: [],
  unscoped: ["ec2:DescribeVpcs", "ec2:DescribeManagedPrefixLists", "ec2:DescribeSubnets", "ec2:DescribeNetworkAcls"],
  onResources: [
    {
      actions: ["ec2:CreateNetworkAcl", "ec2:CreateTags"],
      resources: [ec2("network-acl/*")],
      why: "network ACLs FIS creates, tagged managedByFIS=true at creation",
      conditions: managedByFis,
    },
    {
      actions: ["ec2:CreateNetworkAclEntry", "ec2:DeleteNetworkAcl"],
      resources: [ec2("network-acl/*"), ec2("vpc/*")],
      why: "only the network ACLs FIS created (tagged managedByFIS=true)",
      conditions: taggedByFis,
    },
    { actions: ["ec2:CreateNetworkAcl"], resources: [ec2("vpc/*")], why: "the ACL is created in the subnet's VPC" },
    {
      actions: ["ec2:ReplaceNetworkAclAssociation"],
      resources: [ec2("subnet/*"), ec2("network-acl/*")],
      why: "the targeted subnets (chosen by the template, which must carry the opt-in tag) swap ACLs for the fault",
    },
    {
      actions: ["ec2:GetManagedPrefixListEntries"],
      resources: [ec2("prefix-list/*")],
      why: "scope prefix-list reads the entries of the list the template names",
    },
  ],
  source: NETWORK_POLICY,
};
/** Cross-Region cuts swap in route tables FIS creates and tags, and delete them after. */
const routeTables: ActionPermissions = {
  taggedResources: [],
  unscoped: [
    "ec2:DescribeVpcs",
    "ec2:DescribeSubnets",
    "ec2:DescribeRouteTables",
    "ec2:DescribeManagedPrefixLists",
    "ec2:DescribeVpcEndpoints",
    "ec2:DescribeNetworkInterfaces",
    "ec2:DescribeVpcPeeringConnections",
    "ec2:DescribeTransitGateways",
    "ec2:DescribeTransitGatewayAttachments",
    "ec2:DescribeTransitGatewayPeeringAttachments",
  ],
  onResources: [
    {
      actions: ["ec2:CreateRouteTable", "ec2:CreateTags", "ec2:CreateManagedPrefixList"],
      resources: [ec2("route-table/*"), ec2("prefix-list/*")],
      why: "route tables and prefix lists FIS creates, tagged managedByFIS=true at creation",
      conditions: managedByFis,
    },
    {
      actions: [
        "ec2:DeleteRouteTable",
        "ec2:CreateRoute",
        "ec2:DisassociateRouteTable",
        "ec2:DeleteManagedPrefixList",
        "ec2:ModifyManagedPrefixList",
      ],
      resources: [ec2("route-table/*"), ec2("prefix-list/*")],
      why: "only the route tables and prefix lists FIS created (tagged managedByFIS=true)",
      conditions: taggedByFis,
    },
    { actions: ["ec2:CreateRouteTable"], resources: [ec2("vpc/*")], why: "the table is created in the subnet's VPC" },
    {
      actions: ["ec2:ReplaceRouteTableAssociation", "ec2:AssociateRouteTable", "ec2:DisassociateRouteTable"],
      resources: [ec2("subnet/*"), ec2("route-table/*")],
      why: "the targeted subnets swap route tables for the fault",
    },
    {
      actions: ["ec2:GetManagedPrefixListEntries"],
      resources: [ec2("prefix-list/*")],
      why: "the Region's prefix lists the cut is computed from",
    },
  ],
  source: NETWORK_POLICY,
};

export const FIS_ACTION_PERMISSIONS: Record<string, ActionPermissions> = {
  "aws:fis:wait": { taggedResources: [], unscoped: [], source: "the action touches no resource" },
  "aws:fis:inject-api-internal-error": apiFault,
  "aws:fis:inject-api-throttle-error": apiFault,
  "aws:fis:inject-api-unavailable-error": apiFault,
  "aws:cloudwatch:assert-alarm-state": {
    taggedResources: [],
    unscoped: ["cloudwatch:DescribeAlarms"],
    source: FROM_REFERENCE,
  },
  "aws:arc:start-zonal-autoshift": {
    taggedResources: [
      "arc-zonal-shift:StartZonalShift",
      "arc-zonal-shift:UpdateZonalShift",
      "arc-zonal-shift:CancelZonalShift",
      "arc-zonal-shift:GetManagedResource",
    ],
    unscoped: ["arc-zonal-shift:ListManagedResources", "arc-zonal-shift:ListZonalShifts"],
    source: FROM_REFERENCE,
  },
  "aws:directconnect:virtual-interface-disconnect": {
    taggedResources: ["directconnect:StartBgpFailoverTest", "directconnect:StopBgpFailoverTest"],
    unscoped: ["directconnect:DescribeVirtualInterfaces", "directconnect:ListVirtualInterfaceTestHistory"],
    source: FROM_REFERENCE,
  },
  "aws:dsql:cluster-connection-failure": {
    taggedResources: ["dsql:GetCluster", "dsql:InjectError"],
    unscoped: [],
    source: FROM_REFERENCE,
  },
  "aws:dynamodb:global-table-pause-replication": {
    taggedResources: ["dynamodb:PutResourcePolicy", "dynamodb:DeleteResourcePolicy", "dynamodb:GetResourcePolicy"],
    unscoped: ["dynamodb:DescribeTable"],
    source: FROM_REFERENCE,
  },
  "aws:ebs:pause-volume-io": {
    taggedResources: ["ec2:PauseVolumeIO"],
    unscoped: ["ec2:DescribeVolumes"],
    source: FROM_REFERENCE,
  },
  "aws:ebs:volume-io-latency": {
    taggedResources: ["ec2:InjectVolumeIOLatency"],
    unscoped: ["ec2:DescribeVolumes"],
    source: FROM_REFERENCE,
  },
  "aws:ec2:api-insufficient-instance-capacity-error": apiFault,
  "aws:ec2:asg-insufficient-instance-capacity-error": {
    taggedResources: [],
    unscoped: ["autoscaling:DescribeAutoScalingGroups"],
    unscopedWrites: [injectApiError],
    source: FROM_REFERENCE,
  },
  "aws:ec2:stop-instances": {
    taggedResources: ["ec2:StopInstances", "ec2:StartInstances"],
    unscoped: describeInstances,
    source: EC2_POLICY,
  },
  "aws:ec2:reboot-instances": {
    taggedResources: ["ec2:RebootInstances"],
    unscoped: describeInstances,
    source: EC2_POLICY,
  },
  "aws:ec2:terminate-instances": {
    taggedResources: ["ec2:TerminateInstances"],
    unscoped: describeInstances,
    source: EC2_POLICY,
  },
  "aws:ec2:send-spot-instance-interruptions": {
    taggedResources: ["ec2:SendSpotInstanceInterruptions"],
    unscoped: describeInstances,
    source: EC2_POLICY,
  },
  "aws:ssm:send-command": ssmCommand,
  "aws:ecs:stop-task": {
    taggedResources: ["ecs:StopTask"],
    unscoped: ["ecs:DescribeTasks", "ecs:ListTasks"],
    source: ECS_POLICY,
  },
  "aws:ecs:drain-container-instances": {
    taggedResources: ["ecs:UpdateContainerInstancesState"],
    unscoped: ["ecs:DescribeClusters", "ecs:ListContainerInstances"],
    source: ECS_POLICY,
  },
  "aws:ecs:task-cpu-stress": ecsTaskFault,
  "aws:ecs:task-io-stress": ecsTaskFault,
  "aws:ecs:task-kill-process": ecsTaskFault,
  "aws:ecs:task-network-latency": ecsTaskFault,
  "aws:ecs:task-network-packet-loss": ecsTaskFault,
  "aws:ecs:task-network-blackhole-port": ecsTaskFault,
  "aws:eks:terminate-nodegroup-instances": {
    taggedResources: ["ec2:TerminateInstances", "eks:DescribeNodegroup"],
    unscoped: describeInstances,
    source: EKS_POLICY,
  },
  "aws:eks:inject-kubernetes-custom-resource": podFault,
  "aws:eks:pod-delete": podFault,
  "aws:eks:pod-cpu-stress": podFault,
  "aws:eks:pod-io-stress": podFault,
  "aws:eks:pod-memory-stress": podFault,
  "aws:eks:pod-network-blackhole-port": podFault,
  "aws:eks:pod-network-latency": podFault,
  "aws:eks:pod-network-packet-loss": podFault,
  "aws:elasticache:interrupt-cluster-az-power": {
    taggedResources: ["elasticache:InterruptClusterAzPower"],
    unscoped: ["elasticache:DescribeReplicationGroups"],
    source: FROM_REFERENCE,
  },
  "aws:elasticache:replicationgroup-interrupt-az-power": {
    taggedResources: ["elasticache:InterruptClusterAzPower"],
    unscoped: ["elasticache:DescribeReplicationGroups"],
    source: FROM_REFERENCE,
  },
  "aws:kinesis:stream-provisioned-throughput-exception": {
    taggedResources: ["kinesis:InjectApiError"],
    unscoped: ["kinesis:DescribeStreamSummary"],
    source: FROM_REFERENCE,
  },
  "aws:kinesis:stream-expired-iterator-exception": {
    taggedResources: ["kinesis:InjectApiError"],
    unscoped: ["kinesis:DescribeStreamSummary"],
    source: FROM_REFERENCE,
  },
  "aws:lambda:invocation-add-delay": lambdaFault,
  "aws:lambda:invocation-error": lambdaFault,
  "aws:lambda:invocation-http-integration-response": lambdaFault,
  "aws:memorydb:multi-region-cluster-pause-replication": {
    taggedResources: ["memorydb:PauseMultiRegionClusterReplication", "memorydb:ResumeMultiRegionClusterReplication"],
    unscoped: ["memorydb:DescribeMultiRegionClusters"],
    source: FROM_REFERENCE,
  },
  "aws:network:disrupt-connectivity": networkAcl,
  "aws:network:route-table-disrupt-cross-region-connectivity": routeTables,
  "aws:network:transit-gateway-disrupt-cross-region-connectivity": {
    taggedResources: [],
    unscoped: [
      "ec2:DescribeTransitGateways",
      "ec2:DescribeTransitGatewayAttachments",
      "ec2:DescribeTransitGatewayPeeringAttachments",
    ],
    onResources: [
      {
        actions: ["ec2:DisassociateTransitGatewayRouteTable", "ec2:AssociateTransitGatewayRouteTable"],
        resources: [ec2("transit-gateway-route-table/*"), ec2("transit-gateway-attachment/*")],
        why: "the targeted transit gateways' route-table associations, swapped for the fault and restored after",
      },
    ],
    source: NETWORK_POLICY,
  },
  "aws:network:disrupt-vpc-endpoint": {
    taggedResources: [],
    unscoped: ["ec2:DescribeVpcEndpoints", "ec2:DescribeRouteTables"],
    onResources: [
      {
        actions: ["ec2:ModifyVpcEndpoint"],
        resources: [ec2("vpc-endpoint/*")],
        why: "the targeted endpoints (chosen by the template) are detached from their route tables for the fault",
      },
    ],
    source: NETWORK_POLICY,
  },
  "aws:rds:reboot-db-instances": {
    taggedResources: ["rds:RebootDBInstance"],
    unscoped: ["rds:DescribeDBInstances"],
    source: RDS_POLICY,
  },
  "aws:rds:failover-db-cluster": {
    taggedResources: ["rds:FailoverDBCluster"],
    unscoped: ["rds:DescribeDBClusters"],
    source: RDS_POLICY,
  },
  "aws:s3:bucket-pause-replication": {
    taggedResources: ["s3:PauseReplication", "s3:GetReplicationConfiguration", "s3:PutReplicationConfiguration"],
    unscoped: ["s3:ListAllMyBuckets"],
    source: FROM_REFERENCE,
  },
  "aws:ssm:start-automation-execution": {
    taggedResources: [],
    unscoped: ["ssm:GetAutomationExecution", "ssm:StopAutomationExecution"],
    onResources: [
      {
        actions: ["ssm:StartAutomationExecution"],
        resources: ["arn:${Partition}:ssm:${Region}:${Account}:automation-definition/*"],
        why: "the automation document a template names is chosen by the template's author at run time",
      },
    ],
    source: SSM_POLICY,
  },
};

/** Target resolution by tags goes through the Resource Groups Tagging API. */
export const TAG_RESOLUTION = ["tag:GetResources"];

/** What the `${…}` placeholders of a permission's resource patterns stand for. */
export type ArnPatternValues = Record<"Partition" | "Region" | "Account", string> & { ReportBucketArn?: string };

/** Fills a permission's resource pattern; a placeholder without a value stays as it is. */
export const fillArnPattern = (pattern: string, values: ArnPatternValues) =>
  pattern.replace(
    /\$\{(Partition|Region|Account|ReportBucketArn)\}/g,
    (_, key: keyof ArnPatternValues) => values[key] ?? `\${${key}}`,
  );
