import { ConditionalCheckFailedException, PutItemCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import type { LockHolder, RunLocks } from "../core/ports";

const epochSeconds = (ms: number) => Math.ceil(ms / 1000);

function holderOf(item: Record<string, AttributeValue> | undefined): LockHolder | undefined {
  if (!item?.executionName?.S) return undefined;
  return {
    executionName: item.executionName.S,
    planName: item.planName?.S ?? "unknown",
    startedAt: Number(item.startedAt?.N ?? 0),
    expiresAt: Number(item.expiresAt?.N ?? 0) * 1000,
  };
}

/** A conditional PutItem: free, expired, or already ours. The refusal carries the current holder. */
export const dynamoTakeLock =
  (client: DynamoDBClient, tableName: string): RunLocks["take"] =>
  async (key, holder, now) => {
    try {
      await client.send(
        new PutItemCommand({
          TableName: tableName,
          Item: {
            lockKey: { S: key },
            executionName: { S: holder.executionName },
            planName: { S: holder.planName },
            startedAt: { N: String(holder.startedAt) },
            expiresAt: { N: String(epochSeconds(holder.expiresAt)) },
          },
          ConditionExpression: "attribute_not_exists(lockKey) OR expiresAt < :now OR executionName = :me",
          ExpressionAttributeValues: {
            ":now": { N: String(Math.floor(now / 1000)) },
            ":me": { S: holder.executionName },
          },
          ReturnValuesOnConditionCheckFailure: "ALL_OLD",
        }),
      );
      return undefined;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      return holderOf(error.Item) ?? { executionName: "unknown", planName: "unknown", startedAt: 0, expiresAt: now };
    }
  };
