import { ConditionalCheckFailedException, DeleteItemCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { RunLocks } from "../core/ports";

/** A conditional DeleteItem: a key that expired and was taken by another game day is not ours to free. */
export const dynamoReleaseLock =
  (client: DynamoDBClient, tableName: string): RunLocks["release"] =>
  async (key, executionName) => {
    try {
      await client.send(
        new DeleteItemCommand({
          TableName: tableName,
          Key: { lockKey: { S: key } },
          ConditionExpression: "executionName = :me",
          ExpressionAttributeValues: { ":me": { S: executionName } },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  };
