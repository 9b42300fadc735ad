import { FisClient, GetExperimentTemplateCommand } from "@aws-sdk/client-fis";
import { IAMClient, SimulatePrincipalPolicyCommand } from "@aws-sdk/client-iam";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { fisTemplateActions, iamPolicySimulator } from "../../src/aws/iam-permissions";
import { arnNamesOf, refuseWithoutPermissions } from "../../src/core/permissions/check";
import type { PermissionCheck, TargetDirectory, TemplateActions } from "../../src/core/ports";

const iam = mockClient(IAMClient);
const fis = mockClient(FisClient as any);
beforeEach(() => {
  iam.reset();
  fis.reset();
});

const ROLE = "arn:aws:iam::123456789012:role/gameday-fis-experiments";
const INSTANCE = "arn:aws:ec2:eu-west-1:123456789012:instance/i-0abc";

describe("IAM's policy simulator as the permission check", () => {
  it("asks once per resource and condition set, every page, and returns what is not allowed with IAM's decision", async () => {
    iam
      .on(SimulatePrincipalPolicyCommand)
      .resolvesOnce({
        IsTruncated: true,
        Marker: "page-2",
        EvaluationResults: [{ EvalActionName: "ssm:SendCommand", EvalDecision: "allowed" }],
      })
      .resolvesOnce({ EvaluationResults: [{ EvalActionName: "ec2:StopInstances", EvalDecision: "explicitDeny" }] })
      .resolvesOnce({ EvaluationResults: [{ EvalActionName: "ssm:ListCommands", EvalDecision: "implicitDeny" }] });
    const tagged = { "aws:ResourceTag/App": "shop" };
    const requests = [
      { action: "ssm:SendCommand", resource: INSTANCE, context: tagged },
      { action: "ec2:StopInstances", resource: INSTANCE, context: tagged },
      { action: "ssm:ListCommands", resource: "*" },
    ];
    const denied = await iamPolicySimulator(new IAMClient({ region: "eu-west-1" }))(ROLE, requests);
    expect(denied).toEqual([
      { request: requests[1], decision: "explicitDeny" },
      { request: requests[2], decision: "implicitDeny" },
    ]);
    expect(iam.commandCalls(SimulatePrincipalPolicyCommand).map((c) => c.args[0].input)).toEqual([
      {
        PolicySourceArn: ROLE,
        ActionNames: ["ssm:SendCommand", "ec2:StopInstances"],
        ResourceArns: [INSTANCE],
        ContextEntries: [
          { ContextKeyName: "aws:ResourceTag/App", ContextKeyValues: ["shop"], ContextKeyType: "string" },
        ],
      },
      {
        PolicySourceArn: ROLE,
        ActionNames: ["ssm:SendCommand", "ec2:StopInstances"],
        ResourceArns: [INSTANCE],
        ContextEntries: [
          { ContextKeyName: "aws:ResourceTag/App", ContextKeyValues: ["shop"], ContextKeyType: "string" },
        ],
        Marker: "page-2",
      },
      { PolicySourceArn: ROLE, ActionNames: ["ssm:ListCommands"], ResourceArns: ["*"], ContextEntries: [] },
    ]);
  });

  it("reads a template's role and actions from GetExperimentTemplate", async () => {
    fis.on(GetExperimentTemplateCommand as any).resolves({
      experimentTemplate: {
        roleArn: ROLE,
        actions: { stop: { actionId: "aws:ec2:stop-instances", targets: { Instances: "web" } } },
        stopConditions: [
          { source: "aws:cloudwatch:alarm", value: "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:checkout-5xx" },
          { source: "none" },
        ],
      },
    } as any);
    expect(await fisTemplateActions(new FisClient({ region: "eu-west-1" }))("EXT1")).toEqual({
      roleArn: ROLE,
      stopConditionAlarms: ["arn:aws:cloudwatch:eu-west-1:123456789012:alarm:checkout-5xx"],
      actions: [{ name: "stop", actionId: "aws:ec2:stop-instances", targets: { Instances: "web" } }],
    });
    expect((fis.commandCalls(GetExperimentTemplateCommand as any)[0]!.args[0] as any).input).toEqual({ id: "EXT1" });
  });
});

describe("refusing a game day whose experiment role lacks a permission", () => {
  const directory: TargetDirectory = {
    templateTargets: async () => ({
      web: { resourceType: "aws:ec2:instance", resourceTags: { App: "shop" }, selectionMode: "ALL" },
    }),
    taggedResources: async () => [INSTANCE],
  };
  const names = arnNamesOf("arn:aws:states:eu-west-1:123456789012:stateMachine:GameDay-Orchestrator");
  const check = (denied: PermissionCheck["denied"]): PermissionCheck => ({
    templateActions: async (): Promise<TemplateActions> => ({
      roleArn: ROLE,
      actions: [
        { name: "stop", actionId: "aws:ec2:stop-instances", targets: { Instances: "web" } },
        { name: "pause", actionId: "aws:fis:wait", targets: {} },
      ],
    }),
    denied,
  });

  it("asks for what the catalog says each action needs, on the resources its targets select now, with their tags", async () => {
    const asked: unknown[] = [];
    await refuseWithoutPermissions(
      ["EXT1", "EXT1"],
      directory,
      check(async (role, requests) => (asked.push([role, requests]), [])),
      names,
    );
    expect(asked).toHaveLength(1);
    const [role, requests] = asked[0] as [string, { action: string; resource: string; context?: object }[]];
    expect(role).toBe(ROLE);
    expect(requests).toContainEqual({
      action: "ec2:StopInstances",
      resource: INSTANCE,
      context: { "aws:ResourceTag/App": "shop" },
      onTarget: true,
    });
    // aws:fis:wait needs nothing.
    expect(requests.every((r) => !r.action.startsWith("fis:"))).toBe(true);
  });

  it("names the permission, the role, the template and the action that needs it", async () => {
    await expect(
      refuseWithoutPermissions(
        ["EXT1"],
        directory,
        check(async (_, requests) => [
          { request: requests.find((r) => r.action === "ec2:StopInstances")!, decision: "implicitDeny" },
        ]),
        names,
      ),
    ).rejects.toMatchObject({
      name: "GameDay.InvalidPlan",
      message: expect.stringContaining(
        `the experiment role ${ROLE} of template EXT1 may not ec2:StopInstances on ${INSTANCE} (IAM's policy simulator: implicitDeny), which action stop (aws:ec2:stop-instances) needs`,
      ),
    });
  });
});
