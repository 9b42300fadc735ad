import { Construct } from "constructs";
import type { FisAction, FisTarget, FisTemplate } from "../../src/core/template/schema";
import { ExperimentTemplate, type ExperimentTemplateContext, type StopConditions } from "./experiment-template";

/** `ALL`, `COUNT(n)` or `PERCENT(n)`. */
export type SelectionMode = "ALL" | `COUNT(${number})` | `PERCENT(${number})`;

/** Which resources a fault hits: those carrying all these tags, picked by the selection mode. */
export interface TargetByTags {
  tags: Record<string, string>;
  /** Default: `COUNT(1)`, the smallest blast radius. */
  selection?: SelectionMode;
  filters?: { path: string; values: string[] }[];
}

interface FamilyProps<Fault> extends ExperimentTemplateContext {
  name: string;
  description?: string;
  fault: Fault;
  stopConditions: StopConditions;
  dashboardName?: string;
}

const target = (resourceType: string, by: TargetByTags, extra: Partial<FisTarget> = {}): FisTarget => ({
  resourceType,
  resourceTags: by.tags,
  selectionMode: by.selection ?? "COUNT(1)",
  ...(by.filters ? { filters: by.filters } : {}),
  ...extra,
});

function template(
  description: string,
  targetName: string,
  fisTarget: FisTarget,
  actionName: string,
  action: FisAction,
): FisTemplate {
  return {
    description,
    targets: { [targetName]: fisTarget },
    actions: { [actionName]: action },
    stopConditions: [{ source: "none" }],
    roleArn: "filled-in-by-the-stack",
    experimentOptions: { accountTargeting: "single-account", emptyTargetResolutionMode: "fail" },
  };
}

abstract class FamilyTemplate<Fault> extends Construct {
  readonly template: ExperimentTemplate;
  constructor(scope: Construct, id: string, props: FamilyProps<Fault>, document: FisTemplate) {
    super(scope, id);
    this.template = new ExperimentTemplate(this, "Template", {
      ...props,
      document: props.description ? { ...document, description: props.description } : document,
      source: `${this.node.path} (${props.name})`,
    });
  }
}

// ---- EC2 ----------------------------------------------------------------------------------------------
export type Ec2Fault =
  | { kind: "stop-instances"; /** Default PT5M. */ restartAfter?: string }
  | { kind: "reboot-instances" }
  | { kind: "terminate-instances" }
  | { kind: "cpu-stress"; /** Default 300. */ durationSeconds?: number; /** Default 100. */ loadPercent?: number };

export interface Ec2FaultTemplateProps extends FamilyProps<Ec2Fault> {
  instances: TargetByTags;
}

/** EC2 instance faults: stop (and restart), reboot, terminate, or CPU stress through SSM `AWSFIS-Run-CPU-Stress`. */
export class Ec2FaultTemplate extends FamilyTemplate<Ec2Fault> {
  constructor(scope: Construct, id: string, props: Ec2FaultTemplateProps) {
    const instances = target("aws:ec2:instance", props.instances, {
      filters: props.instances.filters ?? [{ path: "State.Name", values: ["running"] }],
    });
    const f = props.fault;
    const action: FisAction =
      f.kind === "cpu-stress"
        ? {
            actionId: "aws:ssm:send-command",
            parameters: {
              // Filled with the stack's Region like a library template's placeholder.
              documentArn: "arn:aws:ssm:<YOUR REGION>::document/AWSFIS-Run-CPU-Stress",
              documentParameters: JSON.stringify({
                DurationSeconds: String(f.durationSeconds ?? 300),
                LoadPercent: String(f.loadPercent ?? 100),
                InstallDependencies: "True",
              }),
              // The action outlives the stress by a minute, so FIS sees the command finish.
              duration: `PT${Math.ceil((f.durationSeconds ?? 300) / 60) + 1}M`,
            },
            targets: { Instances: "instances" },
          }
        : f.kind === "stop-instances"
          ? {
              actionId: "aws:ec2:stop-instances",
              parameters: { startInstancesAfterDuration: f.restartAfter ?? "PT5M" },
              targets: { Instances: "instances" },
            }
          : { actionId: `aws:ec2:${f.kind}`, targets: { Instances: "instances" } };
    super(scope, id, props, template(`EC2 ${f.kind} (${props.name})`, "instances", instances, f.kind, action));
  }
}

// ---- ECS ----------------------------------------------------------------------------------------------
export type EcsFault =
  | { kind: "stop-task" }
  | {
      kind: "drain-container-instances";
      /** Default 50. */ drainagePercentage?: number;
      /** Default PT5M. */ duration?: string;
    }
  | { kind: "task-cpu-stress"; /** Default 100. */ percent?: number; /** Default PT5M. */ duration?: string };

export interface EcsFaultTemplateProps extends FamilyProps<EcsFault> {
  /** Tasks for stop-task and task-cpu-stress; clusters for drain-container-instances. */
  targets: TargetByTags;
}

/** ECS faults: stop tasks, drain container instances, or stress task CPU. */
export class EcsFaultTemplate extends FamilyTemplate<EcsFault> {
  constructor(scope: Construct, id: string, props: EcsFaultTemplateProps) {
    const f = props.fault;
    const document =
      f.kind === "drain-container-instances"
        ? template(
            `ECS drain container instances (${props.name})`,
            "clusters",
            target("aws:ecs:cluster", props.targets),
            f.kind,
            {
              actionId: "aws:ecs:drain-container-instances",
              parameters: { drainagePercentage: String(f.drainagePercentage ?? 50), duration: f.duration ?? "PT5M" },
              targets: { Clusters: "clusters" },
            },
          )
        : template(`ECS ${f.kind} (${props.name})`, "tasks", target("aws:ecs:task", props.targets), f.kind, {
            actionId: `aws:ecs:${f.kind}`,
            ...(f.kind === "task-cpu-stress"
              ? { parameters: { percent: String(f.percent ?? 100), duration: f.duration ?? "PT5M" } }
              : {}),
            targets: { Tasks: "tasks" },
          });
    super(scope, id, props, document);
  }
}

// ---- EKS ----------------------------------------------------------------------------------------------
export type EksFault =
  | { kind: "terminate-nodegroup-instances"; /** Default 33. */ instanceTerminationPercentage?: number }
  | {
      kind: "pod-delete";
      clusterIdentifier: string;
      namespace: string;
      /** e.g. `app=catalog`. */
      labelSelector: string;
      /** The Kubernetes service account FIS acts as; it needs RBAC to delete pods. */
      kubernetesServiceAccount: string;
    };

export interface EksFaultTemplateProps extends FamilyProps<EksFault> {
  /** Node groups for terminate-nodegroup-instances; ignored by pod-delete, which selects pods by label. */
  nodegroups?: TargetByTags;
  /** Default COUNT(1). */
  podSelection?: SelectionMode;
}

/** EKS faults: terminate node group instances, or delete pods by label. */
export class EksFaultTemplate extends FamilyTemplate<EksFault> {
  constructor(scope: Construct, id: string, props: EksFaultTemplateProps) {
    const f = props.fault;
    let document: FisTemplate;
    if (f.kind === "pod-delete") {
      document = template(
        `EKS pod-delete (${props.name})`,
        "pods",
        {
          resourceType: "aws:eks:pod",
          selectionMode: props.podSelection ?? "COUNT(1)",
          parameters: {
            clusterIdentifier: f.clusterIdentifier,
            namespace: f.namespace,
            selectorType: "labelSelector",
            selectorValue: f.labelSelector,
          },
        },
        f.kind,
        {
          actionId: "aws:eks:pod-delete",
          parameters: { kubernetesServiceAccount: f.kubernetesServiceAccount },
          targets: { Pods: "pods" },
        },
      );
    } else {
      if (!props.nodegroups) throw new Error(`${id}: terminate-nodegroup-instances needs nodegroups to target`);
      document = template(
        `EKS terminate node group instances (${props.name})`,
        "nodegroups",
        target("aws:eks:nodegroup", props.nodegroups),
        f.kind,
        {
          actionId: "aws:eks:terminate-nodegroup-instances",
          parameters: { instanceTerminationPercentage: String(f.instanceTerminationPercentage ?? 33) },
          targets: { Nodegroups: "nodegroups" },
        },
      );
    }
    super(scope, id, props, document);
  }
}

// ---- RDS ----------------------------------------------------------------------------------------------
export type RdsFault =
  { kind: "reboot-db-instances"; /** Default true. */ forceFailover?: boolean } | { kind: "failover-db-cluster" };

export interface RdsFaultTemplateProps extends FamilyProps<RdsFault> {
  /** DB instances for reboot-db-instances; Aurora clusters for failover-db-cluster. */
  targets: TargetByTags;
}

/** RDS faults: reboot DB instances (with a forced Multi-AZ failover by default), or fail over an Aurora cluster. */
export class RdsFaultTemplate extends FamilyTemplate<RdsFault> {
  constructor(scope: Construct, id: string, props: RdsFaultTemplateProps) {
    const f = props.fault;
    const document =
      f.kind === "reboot-db-instances"
        ? template(
            `RDS reboot DB instances (${props.name})`,
            "instances",
            target("aws:rds:db", props.targets),
            f.kind,
            {
              actionId: "aws:rds:reboot-db-instances",
              parameters: { forceFailover: String(f.forceFailover ?? true) },
              targets: { DBInstances: "instances" },
            },
          )
        : template(
            `RDS fail over DB cluster (${props.name})`,
            "clusters",
            target("aws:rds:cluster", props.targets),
            f.kind,
            {
              actionId: "aws:rds:failover-db-cluster",
              targets: { Clusters: "clusters" },
            },
          );
    super(scope, id, props, document);
  }
}
