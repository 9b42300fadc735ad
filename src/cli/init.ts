import { existsSync, mkdirSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { InvalidArgumentError, type Command } from "commander";
import pc from "picocolors";
import { EXIT } from "../core/contract/exit-codes";
import { errorsIn, formatProblem, type Problem } from "../core/problems";
import { checkInput, PROJECT_ROOT } from "../inputs/documents";
import { checkOutputFolder, writeFileAtomic } from "../inputs/files";
import { worldSchema } from "../sim/world-schema";
import { readCfnTemplates } from "../inputs/cloudformation";
import { worldFromStack } from "../inputs/world-from-stack";
import { examplesFor } from "./examples";
import {
  SCENARIO_SERVICE_KINDS,
  SCENARIOS,
  scenarioTemplate,
  scenarioTiers,
  type ScenarioName,
  type ScenarioOptions,
  type ScenarioServiceKind,
} from "./init-scenarios";
import type { Io, SetExit } from "./io";

/** The kinds a starter can be written for, and the FIS fault each one starts with. */
const STARTERS = {
  ec2: "terminate a third of its instances (Auto Scaling must replace them)",
  ecs: "stop half of its tasks (ECS must replace them)",
  eks: "delete half of its pods (Kubernetes must reschedule them)",
  aurora: "fail its Aurora cluster over to a reader",
  lambda: "make half of its invocations fail for three minutes",
  dynamodb: "pause its global table's replication for five minutes",
} as const;
type StarterKind = keyof typeof STARTERS;

export interface StarterOptions {
  name: string;
  kind: StarterKind;
  requestsPerSecond: number;
  region: string;
  zones: string[];
  accountId: string;
}

const albName = (name: string) => `app/${name}-alb/0123456789abcdef`;

/** gameday's published schema, relative to the folder the starter is written to (for editor completion). */
const schemaFrom = (folder: string, format: "plan" | "world") =>
  relative(folder, join(PROJECT_ROOT, "schemas", `${format}.schema.json`));

/** The tier a starter's fault acts on: its kind, the tags FIS selects it by, and its resources' names. */
export interface FaultedTier {
  name: string;
  kind: StarterKind;
  tags: Record<string, string>;
  resourceNames: Record<string, string>;
  /** An RDS instance (with its replicas) rather than an Aurora cluster: rebooted with a failover, not failed over. */
  rdsInstance?: boolean;
}

/** What a starter's first fault does to a tier of each kind. */
export const faultOf = (tier: Pick<FaultedTier, "kind" | "rdsInstance">) =>
  tier.rdsInstance ? "reboot its primary database instance with a failover to its standby" : STARTERS[tier.kind];

/** The FIS template of a starter: one fault, tagged targets, the service's 5xx alarm as its stop condition. */
export function starterTemplate(tier: FaultedTier, o: { region: string; accountId: string; alarmName: string }) {
  const names = tier.resourceNames;
  const target = (resourceType: string, selectionMode: string, parameters?: Record<string, string>) => ({
    resourceType,
    resourceTags: tier.tags,
    selectionMode,
    ...(parameters ? { parameters } : {}),
  });
  const by: Record<StarterKind, { target: object; key: string; actionId: string; parameters?: object }> = {
    ec2: {
      target: target("aws:ec2:instance", "PERCENT(34)"),
      key: "Instances",
      actionId: "aws:ec2:terminate-instances",
    },
    ecs: {
      target: target("aws:ecs:task", "PERCENT(50)", {
        cluster: names.cluster ?? tier.name,
        service: names.service ?? tier.name,
      }),
      key: "Tasks",
      actionId: "aws:ecs:stop-task",
    },
    eks: {
      target: target("aws:eks:pod", "PERCENT(50)", {
        clusterIdentifier: names.cluster ?? tier.name,
        namespace: names.namespace ?? "default",
        selectorType: "labelSelector",
        selectorValue: `app=${tier.name}`,
      }),
      key: "Pods",
      actionId: "aws:eks:pod-delete",
      parameters: { kubernetesServiceAccount: "fis-experiments" },
    },
    aurora: tier.rdsInstance
      ? {
          target: target("aws:rds:db", "COUNT(1)"),
          key: "DBInstances",
          actionId: "aws:rds:reboot-db-instances",
          parameters: { forceFailover: "true" },
        }
      : { target: target("aws:rds:cluster", "ALL"), key: "Clusters", actionId: "aws:rds:failover-db-cluster" },
    lambda: {
      target: target("aws:lambda:function", "ALL"),
      key: "Functions",
      actionId: "aws:lambda:invocation-error",
      parameters: { duration: "PT3M", invocationPercentage: "50", preventExecution: "true" },
    },
    dynamodb: {
      target: target("aws:dynamodb:global-table", "ALL"),
      key: "Tables",
      actionId: "aws:dynamodb:global-table-pause-replication",
      parameters: { duration: "PT5M" },
    },
  };
  const chosen = by[tier.kind];
  return {
    description: `${tier.name}: ${faultOf(tier)}`,
    targets: { [tier.name]: chosen.target },
    actions: {
      inject: {
        actionId: chosen.actionId,
        ...(chosen.parameters ? { parameters: chosen.parameters } : {}),
        targets: { [chosen.key]: tier.name },
      },
    },
    stopConditions: [
      { source: "aws:cloudwatch:alarm", value: `arn:aws:cloudwatch:${o.region}:${o.accountId}:alarm:${o.alarmName}` },
    ],
    roleArn: `arn:aws:iam::${o.accountId}:role/gameday-fis-experiments`,
    tags: { Name: `${tier.name}-${tier.kind}-fault` },
  };
}

/** The starter's stop-condition alarm: the load balancer's 5xx count. */
function starterAlarm(name: string, loadBalancer: string, requestsPerSecond: number) {
  return {
    name,
    metric: {
      namespace: "AWS/ApplicationELB",
      name: "HTTPCode_Target_5XX_Count",
      dimensions: { LoadBalancer: loadBalancer },
      statistic: "Sum",
      periodSeconds: 60,
    },
    comparison: "GreaterThanThreshold",
    // A quarter of a minute's requests failing, two minutes running: past anything a game day should allow.
    threshold: Math.round(requestsPerSecond * 60 * 0.25),
    evaluationPeriods: 2,
  };
}

/** A world of one service behind a load balancer, sized from the request rate so the baseline is steady. */
function starterWorld(o: StarterOptions, folder: string) {
  const regional = o.kind === "lambda" || o.kind === "dynamodb";
  const units = regional ? 1 : o.kind === "aurora" ? 2 : 2;
  const unitsInAll = regional || o.kind === "aurora" ? units : units * o.zones.length;
  // Room for the fault: the service runs at about 40% of its capacity, so losing half of it is survivable.
  const capacityPerUnit = Math.ceil((o.requestsPerSecond * 2.5) / unitsInAll);
  return {
    $schema: schemaFrom(folder, "world"),
    name: `${o.name}-world`,
    description: `Starter world for ${o.name} (${o.kind}): edit capacities, latencies and calls to match the service.`,
    accountId: o.accountId,
    region: o.region,
    zones: o.zones,
    traffic: { requestsPerSecond: o.requestsPerSecond },
    loadBalancer: albName(o.name),
    applicationNamespace: o.name,
    tiers: [
      {
        name: o.name,
        kind: o.kind,
        service: o.name,
        unitsPerZone: units,
        capacityPerUnit,
        baseLatencyMilliseconds: o.kind === "dynamodb" ? 8 : 40,
        share: 1,
        replaceSeconds: o.kind === "ec2" ? 240 : 60,
        tags: { "FIS-Ready": "True", Service: o.name },
        resourceNames: (o.kind === "ec2"
          ? { autoScalingGroup: o.name }
          : o.kind === "lambda"
            ? { function: o.name }
            : o.kind === "dynamodb"
              ? { table: o.name }
              : { cluster: o.name, service: o.name }) as Record<string, string>,
      },
    ],
    alarms: [starterAlarm(`${o.name}-5xx`, albName(o.name), o.requestsPerSecond)],
  };
}

/** A first plan: the load balancer's 5xx share and p99, and the faulted tier's traces, through one fault. */
export function starterPlan(o: { name: string; loadBalancer: string; service: string; fault: string }, folder: string) {
  const lb = { LoadBalancer: o.loadBalancer };
  return {
    $schema: schemaFrom(folder, "plan"),
    name: `${o.name}-first-game-day`,
    description: `${o.name}: ${o.fault}.`,
    hypothesis: {
      description: "Customers see no more than 1% errors and p99 stays within three times its usual value.",
      probes: [
        {
          id: "faultPercent",
          type: "math",
          description: "Share of requests answered with a 5xx, in percent",
          expression: "100 * faults / requests",
          metrics: {
            faults: {
              namespace: "AWS/ApplicationELB",
              name: "HTTPCode_Target_5XX_Count",
              dimensions: lb,
              statistic: "Sum",
            },
            requests: { namespace: "AWS/ApplicationELB", name: "RequestCount", dimensions: lb, statistic: "Sum" },
          },
          bounds: { max: 1 },
        },
        {
          id: "p99Seconds",
          type: "metric",
          description: "p99 response time at the load balancer",
          metric: { namespace: "AWS/ApplicationELB", name: "TargetResponseTime", dimensions: lb, statistic: "p99" },
          bounds: { relativeToBaseline: { maxRatio: 3 } },
        },
        {
          id: "traces",
          type: "trace",
          description: `${o.service} as X-Ray sees it`,
          service: o.service,
          maxFaultRate: 0.02,
        },
      ],
    },
    stages: [{ name: o.fault, experiments: [{ template: { file: "template.json" } }] }],
    timing: {
      baseline: "PT5M",
      pollInterval: "PT30S",
      maxFaultDuration: "PT10M",
      recovery: "PT10M",
      recoveredAfterPolls: 3,
    },
    guardrails: { consecutiveBreachingPolls: 2 },
  };
}

/** The three starter files, checked as `gameday validate` checks them; nothing is returned that would not pass. */
export function starterFiles(
  o: StarterOptions,
  folder: string,
): { files: Record<string, unknown>; problems: Problem[] } {
  const world = starterWorld(o, folder);
  const tier = world.tiers[0]!;
  return checkedStarter(
    {
      "world.json": world,
      "plan.json": starterPlan(
        { name: o.name, loadBalancer: world.loadBalancer, service: tier.service, fault: STARTERS[o.kind] },
        folder,
      ),
      "template.json": starterTemplate(
        { name: o.name, kind: o.kind, tags: tier.tags, resourceNames: tier.resourceNames },
        { region: o.region, accountId: o.accountId, alarmName: `${o.name}-5xx` },
      ),
    },
    folder,
  );
}

/** Starter files checked as `gameday validate` checks them; nothing is returned that would not pass. */
export function checkedStarter(
  files: { "world.json": unknown; "plan.json": unknown; "template.json": unknown },
  folder: string,
): { files: Record<string, unknown>; problems: Problem[] } {
  const problems: Problem[] = [];
  const world = worldSchema.safeParse(files["world.json"]);
  if (!world.success)
    problems.push({ severity: "error", file: "world.json", path: "$", message: world.error.issues[0]!.message });
  const plan = checkInput(files["plan.json"], join(folder, "plan.json"));
  // The template is not on disk yet: check it on its own, and the plan without its file reference.
  const template = checkInput(files["template.json"], join(folder, "template.json"));
  problems.push(...template.problems, ...plan.problems.filter((p) => !/does not exist/.test(p.message)));
  return { files, problems };
}

const positive = (value: string) => {
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || !(n > 0))
    throw new InvalidArgumentError(`expected a positive number, not ${JSON.stringify(value)}`);
  return n;
};

export function addInitCommand(program: Command, io: Io, setExit: SetExit): void {
  program
    .command("init")
    .addHelpText("after", examplesFor("init"))
    .description(
      "Write a starter world, plan and FIS template for one service, to rehearse at once and then edit. Exit 2 if a file would be overwritten.",
    )
    .argument("<service>", "the service's name (lowercase letters, digits and dashes)")
    .option("--kind <kind>", `what it runs on: ${Object.keys(STARTERS).join(", ")}`, "ecs")
    .option("--rps <n>", "requests per second at its load balancer", positive, 100)
    .option("--region <region>", "its AWS Region", "us-east-1")
    .option("--zones <list>", "its Availability Zones, comma-separated (default: a, b and c of the Region)")
    .option("--account <id>", "its AWS account id (12 digits)", "123456789012")
    .option("--dir <folder>", "where to write the files (default: gameday/<service>)")
    .option(
      "--scenario <name>",
      `a FIS scenario to start from, against the service and the dependencies it acts on: ${Object.keys(SCENARIOS).join(", ")}`,
    )
    .option("--other-region <region>", "--scenario cross-region-connectivity: the Region cut off (default us-west-2)")
    .option(
      "--from <file>",
      "a CloudFormation template (JSON or YAML, cdk synth output included) or a cdk.out folder to read the world from",
    )
    .action((service: string, options: Record<string, string | number | undefined>, command: Command) => {
      const refuse = (message: string) => {
        io.err(`${pc.red("error")} init: ${message}\n`);
        setExit(EXIT.invalid);
      };
      if (!/^[a-z][a-z0-9-]{0,40}$/.test(service))
        return refuse(`the service name must be lowercase letters, digits and dashes, not ${JSON.stringify(service)}`);
      const kind = String(options.kind);
      if (!(kind in STARTERS))
        return refuse(
          kind === "sqs"
            ? "FIS has no action on SQS queues: fault the queue's consumer instead (--kind lambda, ecs or eks) and add the queue to the world by hand"
            : `--kind must be one of ${Object.keys(STARTERS).join(", ")}, not ${JSON.stringify(kind)}`,
        );
      const region = String(options.region);
      if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(region))
        return refuse(`--region ${JSON.stringify(region)} is not a Region name`);
      const account = String(options.account);
      if (!/^\d{12}$/.test(account)) return refuse(`--account must be 12 digits, not ${JSON.stringify(account)}`);
      const zones = options.zones
        ? String(options.zones)
            .split(",")
            .map((z) => z.trim())
            .filter(Boolean)
        : ["a", "b", "c"].map((letter) => `${region}${letter}`);
      const badZone = zones.find((z) => !z.startsWith(region));
      if (badZone) return refuse(`zone ${JSON.stringify(badZone)} is not in ${region}`);
      const unusable = checkOutputFolder("--dir", String(options.dir ?? join("gameday", service)));
      if (unusable) return refuse(`${unusable}; nothing was written`);
      const folder = resolve(String(options.dir ?? join("gameday", service)));
      if (options.scenario !== undefined) {
        const scenario = String(options.scenario);
        if (!(scenario in SCENARIOS))
          return refuse(
            `--scenario must be one of ${Object.keys(SCENARIOS).join(", ")}, not ${JSON.stringify(scenario)}`,
          );
        if (options.from !== undefined) return refuse("--scenario and --from do not go together yet: choose one");
        if (!(SCENARIO_SERVICE_KINDS as readonly string[]).includes(kind))
          return refuse(
            `--scenario starts from a service on ${SCENARIO_SERVICE_KINDS.join(" or ")} (what a zone loss stops), not ${kind}`,
          );
        const otherRegion = String(options.otherRegion ?? (region === "us-west-2" ? "us-east-1" : "us-west-2"));
        if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(otherRegion) || otherRegion === region)
          return refuse(`--other-region ${JSON.stringify(otherRegion)} is not a Region other than ${region}`);
        const starter = scenarioStarter(scenario as ScenarioName, folder, {
          name: service,
          kind: kind as ScenarioServiceKind,
          requestsPerSecond: Number(options.rps),
          region,
          zones,
          accountId: account,
          otherRegion,
          loadBalancer: albName(service),
          alarmName: `${service}-5xx`,
        });
        writeStarter(starter, folder, io, refuse, () => {
          const at = relative(process.cwd(), folder) || ".";
          io.out(
            [
              `Wrote ${at}/world.json, ${at}/plan.json and ${at}/template.json: ${SCENARIOS[scenario as ScenarioName].title} for ${service} on ${kind}: ${SCENARIOS[scenario as ScenarioName].summary}.`,
              `The world holds ${service} and what the scenario acts on (${(
                starter.files["world.json"] as { tiers: { name: string; kind: string }[] }
              ).tiers
                .slice(1)
                .map((t) => `${t.name} (${t.kind})`)
                .join(", ")}); replace them with yours.`,
              "Next:",
              `  npx gameday rehearse ${at}/plan.json --world ${at}/world.json   # rehearse it now`,
              "",
            ].join("\n"),
          );
          setExit(EXIT.passed);
        });
        return;
      }
      let fromStack: ReturnType<typeof starterFromStack> | undefined;
      if (options.from !== undefined) {
        if (command.getOptionValueSource("kind") === "cli")
          return refuse("--kind and --from do not go together: --from reads the kinds from the templates");
        try {
          fromStack = starterFromStack(String(options.from), folder, {
            name: service,
            requestsPerSecond: Number(options.rps),
            region,
            accountId: account,
            ...(options.zones ? { zones } : {}),
          });
        } catch (error) {
          return refuse(`${(error as Error).message}; nothing was written`);
        }
      }
      const starter =
        fromStack ??
        starterFiles(
          {
            name: service,
            kind: kind as StarterKind,
            requestsPerSecond: Number(options.rps),
            region,
            zones,
            accountId: account,
          },
          folder,
        );
      if (!writeStarter(starter, folder, io, refuse)) return;
      const at = relative(process.cwd(), folder) || ".";
      if (fromStack) {
        const { stack } = fromStack;
        io.out(
          [
            `Read ${stack.world.tiers.length} tier(s) from ${String(options.from)}: ${stack.world.tiers.map((t) => `${t.name} (${t.kind})`).join(", ")}.`,
            `Wrote ${at}/world.json, ${at}/plan.json and ${at}/template.json; the first fault: ${stack.front.name}: ${faultOf(stack.front as never)}.`,
            "Guessed (check each; the world's description keeps the list):",
            ...stack.guessed.map((g) => `  - ${g}`),
            ...(stack.unresolved.length
              ? ["Not fixed by the templates (defaults used):", ...stack.unresolved.map((u) => `  - ${u}`)]
              : []),
            ...(stack.leftOut.length ? ["Left out:", ...stack.leftOut.map((l) => `  - ${l}`)] : []),
            "Next:",
            `  npx gameday rehearse ${at}/plan.json --world ${at}/world.json   # rehearse it now`,
            "",
          ].join("\n"),
        );
        return setExit(EXIT.passed);
      }
      io.out(
        [
          `Wrote ${at}/world.json, ${at}/plan.json and ${at}/template.json: ${service} on ${kind}, ${options.rps} requests per second; the fault: ${STARTERS[kind as StarterKind]}.`,
          "Next:",
          `  npx gameday rehearse ${at}/plan.json --world ${at}/world.json   # rehearse it now`,
          `  edit ${at}/world.json (capacities, latencies, the tiers it calls) and ${at}/plan.json (probes, bounds), then rehearse again`,
          "",
        ].join("\n"),
      );
      setExit(EXIT.passed);
    });
}

/** Writes checked starter files, or refuses (writing nothing) when they do not validate or would overwrite. */
function writeStarter(
  starter: { files: Record<string, unknown>; problems: Problem[] },
  folder: string,
  io: Io,
  refuse: (message: string) => void,
  then?: () => void,
): boolean {
  if (errorsIn(starter.problems).length) {
    for (const p of starter.problems) io.err(`${pc.red("error")} ${formatProblem(p)}\n`);
    refuse("the starter files did not validate; nothing was written");
    return false;
  }
  const taken = Object.keys(starter.files).filter((f) => existsSync(join(folder, f)));
  if (taken.length) {
    refuse(`${taken.map((f) => join(folder, f)).join(", ")} already exist(s); nothing was written (choose --dir)`);
    return false;
  }
  mkdirSync(folder, { recursive: true });
  for (const [file, document] of Object.entries(starter.files))
    writeFileAtomic(join(folder, file), JSON.stringify(document, null, 2) + "\n");
  then?.();
  return true;
}

/** A scenario's starter: the service with its dependencies, the scenario's template, and a plan through it. */
function scenarioStarter(scenario: ScenarioName, folder: string, o: ScenarioOptions) {
  const world = {
    $schema: schemaFrom(folder, "world"),
    name: `${o.name}-${scenario}-world`,
    description: `Starter world for ${o.name} (${o.kind}) and the dependencies ${SCENARIOS[scenario].title} acts on: edit capacities, latencies and calls to match yours.`,
    accountId: o.accountId,
    region: o.region,
    zones: o.zones,
    traffic: { requestsPerSecond: o.requestsPerSecond },
    loadBalancer: o.loadBalancer,
    applicationNamespace: o.name,
    tiers: scenarioTiers(scenario, o),
    alarms: [starterAlarm(o.alarmName, o.loadBalancer, o.requestsPerSecond)],
  };
  const plan = starterPlan(
    { name: o.name, loadBalancer: o.loadBalancer, service: o.name, fault: SCENARIOS[scenario].title },
    folder,
  );
  // The scenario's actions last ten minutes; the stage may take a little longer to wind down.
  plan.timing.maxFaultDuration = "PT15M";
  plan.name = `${o.name}-${scenario}`;
  return checkedStarter(
    { "world.json": world, "plan.json": plan, "template.json": scenarioTemplate(scenario, o) },
    folder,
  );
}

/** Starter files from CloudFormation templates: the world they describe, and a first fault on its front tier. */
function starterFromStack(
  from: string,
  folder: string,
  o: { name: string; requestsPerSecond: number; region: string; accountId: string; zones?: string[] },
) {
  const stack = worldFromStack(readCfnTemplates(from), o);
  const front = stack.front;
  if (!(front.kind in STARTERS))
    throw new Error(`the front tier ${front.name} is a ${front.kind}, which FIS has no action for`);
  const alarmName = `${o.name}-5xx`;
  const world = {
    $schema: schemaFrom(folder, "world"),
    ...stack.world,
    alarms: [starterAlarm(alarmName, stack.world.loadBalancer, o.requestsPerSecond)],
  };
  const tier = { ...front, kind: front.kind as StarterKind };
  const checked = checkedStarter(
    {
      "world.json": world,
      "plan.json": starterPlan(
        { name: o.name, loadBalancer: stack.world.loadBalancer, service: front.name, fault: faultOf(tier) },
        folder,
      ),
      "template.json": starterTemplate(tier, { region: o.region, accountId: o.accountId, alarmName }),
    },
    folder,
  );
  return { ...checked, stack };
}
