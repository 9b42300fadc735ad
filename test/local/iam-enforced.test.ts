import { describe, expect, it } from "vitest";
import { IamAuthorizer } from "../../src/local/iam/authorizer";
import type { PolicyDocument, PrincipalName, StackPolicies } from "../../src/local/iam/stack-policies";
import { planFrom, rehearsePlan, stackPolicies } from "../helpers";

/** The suite's synthesized policies with the statement `sid` taken out of `principal`'s documents. */
function without(principal: PrincipalName, sid: string): StackPolicies {
  const policies = structuredClone(stackPolicies()!);
  const role = policies.principals[principal]!;
  let removed = 0;
  role.documents = role.documents.map((document: PolicyDocument) => {
    const statements = ([] as any[]).concat(document.Statement);
    const kept = statements.filter((s) => s.Sid !== sid);
    removed += statements.length - kept.length;
    return { ...document, Statement: kept };
  });
  expect(removed, `${principal} has a statement ${sid}`).toBe(1);
  return policies;
}

describe("rehearsals enforce the synthesized stack's IAM", () => {
  it("stores the first report of a plan: the store may list reports/, so a missing latest.json reads as missing", async () => {
    const result = await rehearsePlan(planFrom("plans/ecs-checkout-zone-loss.json"));
    expect(result.iam?.denied).toEqual([]);
    expect(result.deadLetters).toEqual([]);
    expect(result.report?.rehearsal?.reportsStored).toBe(1);
  });

  it("loses the first report without the store's ListBucket, and the dead letter names role, action and resource", async () => {
    const result = await rehearsePlan(planFrom("plans/ecs-checkout-zone-loss.json"), {
      iam: without("StoreReports", "TellMissingReports"),
    });
    expect(result.report?.rehearsal?.reportsStored).toBe(0);
    expect(result.deadLetters[0]).toMatch(
      /^the report store: AccessDenied: arn:aws:iam::123456789012:role\/ReportsStoreRole\w+ \(StoreReports\) is not authorized to perform: s3:ListBucket on resource: arn:aws:s3:::gameday-reports-123456789012/,
    );
  });

  it("holds a ListBucket limited by s3:prefix not enough to tell a missing key (undocumented, so the harsher reading)", async () => {
    const policies = structuredClone(stackPolicies()!);
    for (const document of policies.principals.StoreReports!.documents)
      for (const statement of ([] as any[]).concat(document.Statement))
        if (statement.Sid === "TellMissingReports")
          statement.Condition = { StringLike: { "s3:prefix": ["reports/*"] } };
    const result = await rehearsePlan(planFrom("plans/ecs-checkout-zone-loss.json"), { iam: policies });
    expect(result.report?.rehearsal?.reportsStored).toBe(0);
    expect(result.deadLetters[0]).toMatch(/s3:ListBucket/);
  });

  it("ends a game day whose poll function may not read metrics in ERROR, naming the role and the call", async () => {
    const result = await rehearsePlan(planFrom("plans/ecs-checkout-zone-loss.json"), {
      iam: without("CheckSteadyState", "ReadProbes"),
    });
    expect(result.iam?.denied.map((d) => d.action)).toContain("cloudwatch:GetMetricData");
    expect(result.report?.verdict).not.toBe("PASSED");
    expect(JSON.stringify(result.report)).toMatch(
      /CheckSteadyState.*not authorized to perform: cloudwatch:GetMetricData/,
    );
    expect([...result.account.fis.experiments.values()]).toEqual([]);
  });

  it("fails the FIS action the experiment role may not run, and the report names the role and the permission", async () => {
    const result = await rehearsePlan(planFrom("plans/ec2-web-tier.json"), {
      iam: without("Experiments", "FaultsOnOptedInResourcesOnly"),
    });
    expect(result.report?.verdict).toBe("ERROR");
    expect(result.report?.reason).toMatch(
      /Action \w+ failed: arn:aws:iam::123456789012:role\/ExperimentRole\w+ \(Experiments\) is not authorized to perform: ssm:SendCommand/,
    );
    expect(result.report?.rehearsal?.orphanedExperiments).toBe(0);
  });

  it("lets the report bus's policy deny a principal its own policy allows", async () => {
    const policies = structuredClone(stackPolicies()!);
    policies.principals.StoreReports!.documents.push({
      Statement: [{ Effect: "Allow", Action: "events:PutEvents", Resource: "*" }],
    });
    const names = {
      partition: "aws",
      region: "us-east-1",
      account: "123456789012",
      stateMachineArn: "arn:aws:states:us-east-1:123456789012:stateMachine:GameDay-Orchestrator",
      reportBucket: "b",
      lockTable: "t",
      reportBus: "GameDay-reports",
      functionArn: (key: string) => key,
      templateId: () => undefined,
      undeployedTemplateIds: () => [],
    };
    const iam = new IamAuthorizer(policies, names);
    const putEvents = {
      action: "events:PutEvents",
      resource: "arn:aws:events:us-east-1:123456789012:event-bus/GameDay-reports",
      resourcePolicy: "reportBus" as const,
    };
    expect(await iam.allows("OrphanGuard", putEvents)).toBe(true);
    expect(await iam.allows("StoreReports", putEvents)).toBe(false);
    expect(await iam.allows("StoreReports", { ...putEvents, resourcePolicy: undefined })).toBe(true);
  });
});
