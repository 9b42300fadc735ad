/**
 * The kinds of tier a world may hold, and what each is: the world schema's vocabulary. The registry (index.ts)
 * holds a module for each; this list stays data so the schema (which the stack reads) loads no simulator.
 */
export const TIER_KIND_DESCRIPTIONS = {
  ec2: "EC2 instances in an Auto Scaling group",
  ecs: "tasks of an ECS service",
  eks: "pods of a Kubernetes deployment on an EKS managed node group",
  aurora: "an Aurora or Multi-AZ RDS cluster: a writer and readers",
  elasticache: "an ElastiCache replication group: a primary node and replicas",
  dynamodb: "a DynamoDB global table",
  lambda: "a Lambda function",
  sqs: "an SQS queue and its consumers (the tiers it calls)",
  kinesis: "a Kinesis data stream and its consumers (the tiers it calls)",
  s3: "an S3 bucket with Cross-Region Replication",
  memorydb: "a MemoryDB Multi-Region cluster (its regional cluster here)",
  dsql: "an Aurora DSQL cluster",
} as const;

export type TierKindName = keyof typeof TIER_KIND_DESCRIPTIONS;
export const TIER_KIND_NAMES = Object.keys(TIER_KIND_DESCRIPTIONS) as [TierKindName, ...TierKindName[]];
