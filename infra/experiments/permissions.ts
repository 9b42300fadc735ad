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
   * `${Account}` are filled in. `why` explains the wildcard to reviewers (and to cdk-nag).
   */
  onResources?: { actions: string[]; resources: string[]; why: string }[];
}

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
const ssmCommand = {
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
};
const ecsTaskFault = {
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
};

export const FIS_ACTION_PERMISSIONS: Record<string, ActionPermissions> = {
  "aws:fis:wait": { taggedResources: [], unscoped: [] },
  "aws:ec2:stop-instances": {
    taggedResources: ["ec2:StopInstances", "ec2:StartInstances"],
    unscoped: describeInstances,
  },
  "aws:ec2:reboot-instances": { taggedResources: ["ec2:RebootInstances"], unscoped: describeInstances },
  "aws:ec2:terminate-instances": { taggedResources: ["ec2:TerminateInstances"], unscoped: describeInstances },
  "aws:ec2:send-spot-instance-interruptions": {
    taggedResources: ["ec2:SendSpotInstanceInterruptions"],
    unscoped: describeInstances,
  },
  "aws:ssm:send-command": ssmCommand,
  "aws:ecs:stop-task": { taggedResources: ["ecs:StopTask"], unscoped: ["ecs:DescribeTasks", "ecs:ListTasks"] },
  "aws:ecs:drain-container-instances": {
    taggedResources: ["ecs:UpdateContainerInstancesState"],
    unscoped: ["ecs:DescribeClusters", "ecs:ListContainerInstances"],
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
  },
  // Pods are deleted through the cluster's Kubernetes API with the service account the template names.
  "aws:eks:pod-delete": { taggedResources: ["eks:DescribeCluster"], unscoped: ["ec2:DescribeSubnets"] },
  "aws:eks:pod-cpu-stress": { taggedResources: ["eks:DescribeCluster"], unscoped: ["ec2:DescribeSubnets"] },
  "aws:eks:pod-network-latency": { taggedResources: ["eks:DescribeCluster"], unscoped: ["ec2:DescribeSubnets"] },
  "aws:rds:reboot-db-instances": { taggedResources: ["rds:RebootDBInstance"], unscoped: ["rds:DescribeDBInstances"] },
  "aws:rds:failover-db-cluster": { taggedResources: ["rds:FailoverDBCluster"], unscoped: ["rds:DescribeDBClusters"] },
  "aws:dynamodb:global-table-pause-replication": {
    taggedResources: ["dynamodb:PutResourcePolicy", "dynamodb:DeleteResourcePolicy", "dynamodb:GetResourcePolicy"],
    unscoped: ["dynamodb:DescribeTable"],
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
  },
};

/** Target resolution by tags goes through the Resource Groups Tagging API. */
export const TAG_RESOLUTION = ["tag:GetResources"];
