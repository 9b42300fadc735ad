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

  it("refuses, before anything starts, a game day whose experiment role may not do what an action needs", async () => {
    for (const actionsMode of ["run-all", "skip-all"]) {
      const result = await rehearsePlan(planFrom("plans/ec2-web-tier.json"), {
        iam: without("Experiments", "FaultsOnOptedInResourcesOnly"),
        input: { actionsMode },
      });
      // Nothing was injected, nor previewed: no experiment exists.
      expect([...result.account.fis.experiments.values()], actionsMode).toEqual([]);
      expect(result.report?.verdict, actionsMode).toBe("ABORTED");
      expect(result.report?.reason).toMatch(
        /the experiment role arn:aws:iam::123456789012:role\/gameday-fis-experiments of template \w+ may not ssm:SendCommand on arn:aws:ec2:us-east-1:123456789012:instance\/i-\w+ \(IAM's policy simulator: implicitDeny\), which action cpuStress \(aws:ssm:send-command\) needs/,
      );
    }
  });

  it("asks IAM's policy simulator as the validate function's role, which the stack grants", async () => {
    const result = await rehearsePlan(planFrom("plans/ec2-web-tier.json"), {
      iam: without("ValidatePlan", "SimulateExperimentRoles"),
    });
    expect(result.iam?.denied.map((d) => d.action)).toContain("iam:SimulatePrincipalPolicy");
    expect([...result.account.fis.experiments.values()]).toEqual([]);
    expect(result.report?.verdict).not.toBe("PASSED");
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
