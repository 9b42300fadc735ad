import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { ENVIRONMENT, requiredEnvironment } from "../core/contract/environment";
import { SDK_CLIENT_CONFIG, tracer } from "./powertools";

/**
 * The run-lock table's shape, shared with the stack that creates it. One item per key; `expiresAt` (epoch
 * seconds) is also the table's TTL attribute, but TTL deletes late, so every take compares it with the clock.
 */
export const LOCK_TABLE = {
  environmentVariable: ENVIRONMENT.lockTable,
  partitionKey: "lockKey",
  holderIndex: "byHolder",
  holderAttribute: "executionName",
  expiryAttribute: "expiresAt",
} as const;

// One module per DynamoDB call (lock-take.ts, lock-release.ts, lock-query.ts), so a handler's bundle imports only the commands
// it sends: the IAM completeness test derives each role's grants from those imports.

export const dynamoClient = () => tracer.captureAWSv3Client(new DynamoDBClient(SDK_CLIENT_CONFIG));

export const lockTableName = () => requiredEnvironment(ENVIRONMENT.lockTable);
