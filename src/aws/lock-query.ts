import { QueryCommand, type DynamoDBClient, type AttributeValue } from "@aws-sdk/client-dynamodb";
import type { RunLocks } from "../core/ports";
import { LOCK_TABLE } from "./lock-table";

/** The keys one execution holds, from the holder index, page by page. */
export const dynamoLocksHeldBy =
  (client: DynamoDBClient, tableName: string): RunLocks["heldBy"] =>
  async (executionName) => {
    const keys: string[] = [];
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page = await client.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: LOCK_TABLE.holderIndex,
          KeyConditionExpression: "executionName = :me",
          ExpressionAttributeValues: { ":me": { S: executionName } },
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? []) if (item.lockKey?.S) keys.push(item.lockKey.S);
      start = page.LastEvaluatedKey;
    } while (start);
    return keys;
  };
