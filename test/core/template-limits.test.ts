import { describe, expect, it } from "vitest";
import { FIS_ACTIONS } from "../../src/core/catalog/fis-actions";
import { FIS_ACTION_PERMISSIONS } from "../../src/core/catalog/fis-permissions";
import { checkFisTemplate } from "../../src/core/template/check";

const ALARM = "arn:aws:cloudwatch:us-east-1:123456789012:alarm:x";
/** A template FIS would take, changed as a case needs. */
function template(change: (t: any) => void = () => {}) {
  const t: any = {
    description: "stress",
    targets: { web: { resourceType: "aws:ec2:instance", resourceTags: { app: "web" }, selectionMode: "ALL" } },
    actions: { wait: { actionId: "aws:fis:wait", parameters: { duration: "PT5M" } } },
    stopConditions: [{ source: "aws:cloudwatch:alarm", value: ALARM }],
    roleArn: "arn:aws:iam::123456789012:role/fis",
  };
  change(t);
  return t;
}
const errors = (t: unknown) =>
  checkFisTemplate(t)
    .problems.filter((p) => p.severity === "error")
    .map((p) => `${p.path}: ${p.message}`);

describe("templates FIS's API would refuse", () => {
  it("accepts the base template", () => expect(errors(template())).toEqual([]));

  it.each([
    [
      "aws:fis:wait under a minute",
      (t: any) => (t.actions.wait.parameters.duration = "PT30S"),
      /PT30S is outside 1m–12h/,
    ],
    ["aws:fis:wait over 12 hours", (t: any) => (t.actions.wait.parameters.duration = "PT13H"), /PT13H is outside/],
    ["a missing duration", (t: any) => delete t.actions.wait.parameters.duration, /needs the parameter "duration"/],
    [
      "a misspelt parameter",
      (t: any) => (t.actions.wait.parameters = { duraton: "PT5M" }),
      /has no parameter "duraton" \(did you mean "duration"\?\)/,
    ],
    [
      "Direct Connect at 5 minutes",
      (t: any) => {
        t.targets = { vifs: { resourceType: "aws:directconnect:virtual-interface", resourceTags: { a: "b" } } };
        t.actions = {
          cut: {
            actionId: "aws:directconnect:virtual-interface-disconnect",
            parameters: { duration: "PT5M" },
            targets: { DXVirtualInterfaces: "vifs" },
          },
        };
      },
      /PT5M is outside 10m–12h/,
    ],
    [
      "a spot interruption with a minute's notice",
      (t: any) => {
        t.targets = { spot: { resourceType: "aws:ec2:spot-instance", resourceTags: { a: "b" } } };
        t.actions = {
          interrupt: {
            actionId: "aws:ec2:send-spot-instance-interruptions",
            parameters: { durationBeforeInterruption: "PT1M" },
            targets: { SpotInstances: "spot" },
          },
        };
      },
      /PT1M is outside 2m–15m/,
    ],
    [
      "a drainage of 250%",
      (t: any) => {
        t.targets = { c: { resourceType: "aws:ecs:cluster", resourceTags: { a: "b" } } };
        t.actions = {
          drain: {
            actionId: "aws:ecs:drain-container-instances",
            parameters: { drainagePercentage: "250", duration: "PT5M" },
            targets: { Clusters: "c" },
          },
        };
      },
      /250 is outside 1–100/,
    ],
    ["51 tags", (t: any) => (t.tags = Object.fromEntries([...Array(51)].map((_, i) => [`k${i}`, "v"]))), /51 tags/],
    ["a 129-character tag key", (t: any) => (t.tags = { ["k".repeat(129)]: "v" }), /tag key of 129 characters/],
    ["a 257-character tag value", (t: any) => (t.tags = { k: "v".repeat(257) }), /tag value of 257 characters/],
    [
      "a 65-character action name",
      (t: any) => (t.actions = { ["a".repeat(65)]: t.actions.wait }),
      /a name of 65 characters/,
    ],
    ["an action named with a space", (t: any) => (t.actions = { "x y": t.actions.wait }), /holds white space/],
    ["a target named with a space", (t: any) => (t.targets = { "web tier": t.targets.web }), /holds white space/],
  ])("refuses %s", (_, change, why) => {
    expect(errors(template(change)).join("\n")).toMatch(why);
  });

  it("checks the custom resource action's maxDuration, not a duration it does not take", () => {
    const eks = (parameters: Record<string, string>) =>
      template((t) => {
        t.targets = {
          cluster: { resourceType: "aws:eks:cluster", resourceArns: ["arn:aws:eks:us-east-1:1:cluster/c"] },
        };
        t.actions = {
          chaos: { actionId: "aws:eks:inject-kubernetes-custom-resource", parameters, targets: { Cluster: "cluster" } },
        };
      });
    const base = {
      kubernetesApiVersion: "v1",
      kubernetesKind: "PodChaos",
      kubernetesNamespace: "x",
      kubernetesSpec: "{}",
    };
    expect(errors(eks({ ...base, maxDuration: "PT5M" }))).toEqual([]);
    expect(errors(eks({ ...base, duration: "PT5M" })).join("\n")).toMatch(/needs the parameter "maxDuration"/);
  });

  it("knows the 2026 actions and grants every catalog action", () => {
    expect(FIS_ACTIONS["aws:ebs:volume-io-latency"]).toBeDefined();
    expect(FIS_ACTIONS["aws:dsql:cluster-connection-failure"]).toBeDefined();
    expect(Object.keys(FIS_ACTION_PERMISSIONS).sort()).toEqual(Object.keys(FIS_ACTIONS).sort());
  });
});
