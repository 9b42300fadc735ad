import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  DynamoDBClient,
  PutItemCommand,
  QueryCommand,
} from "@aws-sdk/client-dynamodb";
import { FisClient, GetExperimentTemplateCommand } from "@aws-sdk/client-fis";
import { GetResourcesCommand, ResourceGroupsTaggingAPIClient } from "@aws-sdk/client-resource-groups-tagging-api";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { fisTemplateTargets } from "../../src/aws/fis-template";
import { dynamoLocksHeldBy } from "../../src/aws/lock-query";
import { dynamoReleaseLock } from "../../src/aws/lock-release";
import { dynamoTakeLock } from "../../src/aws/lock-take";
import { taggedResources, taggedResourcesWithTags } from "../../src/aws/tagged-resources";

const dynamo = mockClient(DynamoDBClient);
const fis = mockClient(FisClient as any);
const tagging = mockClient(ResourceGroupsTaggingAPIClient);
const TABLE = "GameDay-RunLocks";
const NOW = Date.parse("2026-11-24T10:00:30.400Z");
const holder = {
  executionName: "run-a",
  planName: "ecs-checkout-zone-loss",
  startedAt: Date.parse("2026-11-24T10:00:00Z"),
  expiresAt: Date.parse("2026-11-24T13:00:00.500Z"),
};

beforeEach(() => {
  dynamo.reset();
  fis.reset();
  tagging.reset();
});

const conflict = (item?: Record<string, any>) =>
  new ConditionalCheckFailedException({ message: "The conditional request failed", $metadata: {}, Item: item });

describe("DynamoDB run locks", () => {
  it("take a key with one conditional PutItem: free, expired, or already this execution's", async () => {
    dynamo.on(PutItemCommand).resolves({});
    const take = dynamoTakeLock(new DynamoDBClient({}), TABLE);
    expect(await take("plan:ecs-checkout-zone-loss", holder, NOW)).toBeUndefined();
    expect(dynamo.commandCalls(PutItemCommand).map((c) => c.args[0].input)).toEqual([
      {
        TableName: TABLE,
        Item: {
          lockKey: { S: "plan:ecs-checkout-zone-loss" },
          executionName: { S: "run-a" },
          planName: { S: "ecs-checkout-zone-loss" },
          startedAt: { N: String(holder.startedAt) },
          // TTL is in epoch seconds, rounded up so the hold never ends before the deadline.
          expiresAt: { N: String(Date.parse("2026-11-24T13:00:01Z") / 1000) },
        },
        ConditionExpression: "attribute_not_exists(lockKey) OR expiresAt < :now OR executionName = :me",
        ExpressionAttributeValues: {
          ":now": { N: String(Date.parse("2026-11-24T10:00:30Z") / 1000) },
          ":me": { S: "run-a" },
        },
        ReturnValuesOnConditionCheckFailure: "ALL_OLD",
      },
    ]);
  });

  it("answer a refused take with the game day holding the key", async () => {
    dynamo.on(PutItemCommand).rejects(
      conflict({
        lockKey: { S: "plan:ecs-checkout-zone-loss" },
        executionName: { S: "nightly-1" },
        planName: { S: "ecs-checkout-zone-loss" },
        startedAt: { N: "1795000000000" },
        expiresAt: { N: "1795010800" },
      }),
    );
    const take = dynamoTakeLock(new DynamoDBClient({}), TABLE);
    expect(await take("plan:ecs-checkout-zone-loss", holder, NOW)).toEqual({
      executionName: "nightly-1",
      planName: "ecs-checkout-zone-loss",
      startedAt: 1795000000000,
      expiresAt: 1795010800000,
    });
  });

  it("let other DynamoDB errors through for the Retry blocks and the SDK's own retries", async () => {
    dynamo.on(PutItemCommand).rejects(Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException" }));
    await expect(dynamoTakeLock(new DynamoDBClient({}), TABLE)("plan:x", holder, NOW)).rejects.toThrow("Rate exceeded");
  });

  it("release a key only while this execution holds it, and ignore one already gone or taken over", async () => {
    dynamo.on(DeleteItemCommand).rejectsOnce(conflict()).resolves({});
    const release = dynamoReleaseLock(new DynamoDBClient({}), TABLE);
    await release("plan:a", "run-a");
    await release("plan:b", "run-a");
    expect(dynamo.commandCalls(DeleteItemCommand).map((c) => c.args[0].input)).toEqual(
      ["plan:a", "plan:b"].map((key) => ({
        TableName: TABLE,
        Key: { lockKey: { S: key } },
        ConditionExpression: "executionName = :me",
        ExpressionAttributeValues: { ":me": { S: "run-a" } },
      })),
    );
  });

  it("find every key an execution holds through the holder index, page by page", async () => {
    dynamo
      .on(QueryCommand)
      .resolvesOnce({ Items: [{ lockKey: { S: "plan:a" } }], LastEvaluatedKey: { lockKey: { S: "plan:a" } } })
      .resolvesOnce({ Items: [{ lockKey: { S: "resource:arn:aws:rds:eu-west-1:1:cluster:orders" } }] });
    const keys = await dynamoLocksHeldBy(new DynamoDBClient({}), TABLE)("run-a");
    expect(keys).toEqual(["plan:a", "resource:arn:aws:rds:eu-west-1:1:cluster:orders"]);
    const query = {
      TableName: TABLE,
      IndexName: "byHolder",
      KeyConditionExpression: "executionName = :me",
      ExpressionAttributeValues: { ":me": { S: "run-a" } },
    };
    expect(dynamo.commandCalls(QueryCommand).map((c) => c.args[0].input)).toEqual([
      { ...query, ExclusiveStartKey: undefined },
      { ...query, ExclusiveStartKey: { lockKey: { S: "plan:a" } } },
    ]);
  });
});

describe("target lookups", () => {
  it("read a deployed template's targets in the template files' shape", async () => {
    fis.on(GetExperimentTemplateCommand as any).resolves({
      experimentTemplate: {
        id: "EXT1",
        targets: {
          Tasks: {
            resourceType: "aws:ecs:task",
            selectionMode: "ALL",
            resourceTags: { service: "checkout" },
            filters: [{ path: "AvailabilityZone", values: ["eu-west-1a"] }],
            parameters: {},
          },
          Db: { resourceType: "aws:rds:cluster", selectionMode: "ALL", resourceArns: ["arn:aws:rds:x:1:cluster:o"] },
        },
      },
    } as any);
    const targets = await fisTemplateTargets(new FisClient({}))("EXT1");
    expect(fis.commandCalls(GetExperimentTemplateCommand as any).map((c: any) => c.args[0].input)).toEqual([
      { id: "EXT1" },
    ]);
    expect(targets).toEqual({
      Tasks: {
        resourceType: "aws:ecs:task",
        selectionMode: "ALL",
        resourceTags: { service: "checkout" },
        filters: [{ path: "AvailabilityZone", values: ["eu-west-1a"] }],
      },
      Db: { resourceType: "aws:rds:cluster", selectionMode: "ALL", resourceArns: ["arn:aws:rds:x:1:cluster:o"] },
    });
  });

  it("list tagged resources of one type through every page of the Tagging API", async () => {
    tagging
      .on(GetResourcesCommand)
      .resolvesOnce({
        ResourceTagMappingList: [{ ResourceARN: "arn:t1" }, { ResourceARN: "arn:t2" }],
        PaginationToken: "p2",
      })
      .resolvesOnce({ ResourceTagMappingList: [{ ResourceARN: "arn:t3" }], PaginationToken: "" });
    const arns = await taggedResources(new ResourceGroupsTaggingAPIClient({}))("aws:ecs:task", {
      service: "checkout",
      "FIS-Ready": "True",
    });
    expect(arns).toEqual(["arn:t1", "arn:t2", "arn:t3"]);
    const request = {
      ResourceTypeFilters: ["ecs:task"],
      TagFilters: [
        { Key: "service", Values: ["checkout"] },
        { Key: "FIS-Ready", Values: ["True"] },
      ],
      ResourcesPerPage: 100,
    };
    expect(tagging.commandCalls(GetResourcesCommand).map((c) => c.args[0].input)).toEqual([
      request,
      { ...request, PaginationToken: "p2" },
    ]);
  });

  it("list them with all their tags, for IAM's tag conditions", async () => {
    tagging.on(GetResourcesCommand).resolves({
      ResourceTagMappingList: [
        {
          ResourceARN: "arn:t1",
          Tags: [
            { Key: "service", Value: "checkout" },
            { Key: "FIS-Ready", Value: "True" },
          ],
        },
      ],
    });
    expect(
      await taggedResourcesWithTags(new ResourceGroupsTaggingAPIClient({}))("aws:ecs:task", { service: "checkout" }),
    ).toEqual([{ arn: "arn:t1", tags: { service: "checkout", "FIS-Ready": "True" } }]);
  });

  it("refuse a resource type the Tagging API cannot list, before calling it", async () => {
    await expect(taggedResources(new ResourceGroupsTaggingAPIClient({}))("aws:eks:pod", { a: "b" })).rejects.toThrow(
      "the Resource Groups Tagging API cannot list aws:eks:pod resources",
    );
    expect(tagging.commandCalls(GetResourcesCommand)).toHaveLength(0);
  });
});
