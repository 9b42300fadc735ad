import { existsSync, mkdirSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { InvalidArgumentError, type Command } from "commander";
import pc from "picocolors";
import { EXIT } from "../core/contract/exit-codes";
import { errorsIn, formatProblem, type Problem } from "../core/problems";
import { checkInput, PROJECT_ROOT } from "../inputs/documents";
import { checkOutputFolder, writeFileAtomic } from "../inputs/files";
import { worldSchema } from "../sim/world-schema";
import { examplesFor } from "./examples";
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

/** The FIS template of a starter: one fault, tagged targets, the service's 5xx alarm as its stop condition. */
function starterTemplate(o: StarterOptions) {
  const tags = { "FIS-Ready": "True", Service: o.name };
  const target = (resourceType: string, selectionMode: string, parameters?: Record<string, string>) => ({
    resourceType,
    resourceTags: tags,
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
      target: target("aws:ecs:task", "PERCENT(50)", { cluster: o.name, service: o.name }),
      key: "Tasks",
      actionId: "aws:ecs:stop-task",
    },
    eks: {
      target: target("aws:eks:pod", "PERCENT(50)", {
        clusterIdentifier: o.name,
        namespace: "default",
        selectorType: "labelSelector",
        selectorValue: `app=${o.name}`,
      }),
      key: "Pods",
      actionId: "aws:eks:pod-delete",
      parameters: { kubernetesServiceAccount: "fis-experiments" },
    },
    aurora: { target: target("aws:rds:cluster", "ALL"), key: "Clusters", actionId: "aws:rds:failover-db-cluster" },
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
  const chosen = by[o.kind];
  return {
    description: `${o.name}: ${STARTERS[o.kind]}`,
    targets: { [o.name]: chosen.target },
    actions: {
      inject: {
        actionId: chosen.actionId,
        ...(chosen.parameters ? { parameters: chosen.parameters } : {}),
        targets: { [chosen.key]: o.name },
      },
    },
    stopConditions: [
      { source: "aws:cloudwatch:alarm", value: `arn:aws:cloudwatch:${o.region}:${o.accountId}:alarm:${o.name}-5xx` },
    ],
    roleArn: `arn:aws:iam::${o.accountId}:role/gameday-fis-experiments`,
    tags: { Name: `${o.name}-${o.kind}-fault` },
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
        resourceNames:
          o.kind === "ec2"
            ? { autoScalingGroup: o.name }
            : o.kind === "lambda"
              ? { function: o.name }
              : o.kind === "dynamodb"
                ? { table: o.name }
                : { cluster: o.name, service: o.name },
      },
    ],
    alarms: [
      {
        name: `${o.name}-5xx`,
        metric: {
          namespace: "AWS/ApplicationELB",
          name: "HTTPCode_Target_5XX_Count",
          dimensions: { LoadBalancer: albName(o.name) },
          statistic: "Sum",
          periodSeconds: 60,
        },
        comparison: "GreaterThanThreshold",
        // A quarter of a minute's requests failing, two minutes running: past anything a game day should allow.
        threshold: Math.round(o.requestsPerSecond * 60 * 0.25),
        evaluationPeriods: 2,
      },
    ],
  };
}

function starterPlan(o: StarterOptions, folder: string) {
  const lb = { LoadBalancer: albName(o.name) };
  return {
    $schema: schemaFrom(folder, "plan"),
    name: `${o.name}-first-game-day`,
    description: `${o.name}: ${STARTERS[o.kind]}.`,
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
        { id: "traces", type: "trace", description: `${o.name} as X-Ray sees it`, service: o.name, maxFaultRate: 0.02 },
      ],
    },
    stages: [{ name: STARTERS[o.kind], experiments: [{ template: { file: "template.json" } }] }],
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
  const files = {
    "world.json": starterWorld(o, folder),
    "plan.json": starterPlan(o, folder),
    "template.json": starterTemplate(o),
  };
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
    .action((service: string, options: Record<string, string | number | undefined>) => {
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
      const starter = starterFiles(
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
      if (errorsIn(starter.problems).length) {
        for (const p of starter.problems) io.err(`${pc.red("error")} ${formatProblem(p)}\n`);
        return refuse("the starter files did not validate; nothing was written");
      }
      const taken = Object.keys(starter.files).filter((f) => existsSync(join(folder, f)));
      if (taken.length)
        return refuse(
          `${taken.map((f) => join(folder, f)).join(", ")} already exist(s); nothing was written (choose --dir)`,
        );
      mkdirSync(folder, { recursive: true });
      for (const [file, document] of Object.entries(starter.files))
        writeFileAtomic(join(folder, file), JSON.stringify(document, null, 2) + "\n");
      const at = relative(process.cwd(), folder) || ".";
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
