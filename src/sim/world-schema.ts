import { z } from "zod";
import { metricSchema, probeSchema } from "../core/plan/schema";
import { TIER_KIND_DESCRIPTIONS, TIER_KIND_NAMES } from "./kinds/names";

/** A world file describes the simulated workload a rehearsal runs against. */
export const tierSchema = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9-]*$/),
  kind: z.enum(TIER_KIND_NAMES).describe(
    Object.entries(TIER_KIND_DESCRIPTIONS)
      .map(([name, description]) => `${name}: ${description}`)
      .join("; "),
  ),
  description: z.string().optional(),
  /** X-Ray service name. */
  service: z.string(),
  /**
   * Units (instances, tasks, pods) per Availability Zone; for aurora and elasticache, instances or nodes in total
   * (the first is the primary); the regional kinds (dynamodb, lambda, sqs, kinesis, s3, memorydb, dsql) have one
   * resource and ignore it.
   */
  unitsPerZone: z.number().int().min(0).default(1),
  /** Requests per second one healthy unit serves at 100 % utilization. */
  capacityPerUnit: z.number().positive(),
  baseLatencyMilliseconds: z.number().positive(),
  /** Share of front-door requests that reach this tier. */
  share: z.number().min(0).max(1),
  calls: z.array(z.string()).default([]),
  /** Seconds until a lost unit is replaced and healthy (Auto Scaling, ECS, Kubernetes). */
  replaceSeconds: z.number().positive(),
  tags: z.record(z.string(), z.string()).default({}),
  /** ec2: this many of the instances are Spot instances. */
  spotUnits: z.number().int().min(0).default(0),
  /** eks: worker nodes in the managed node group; pods are spread over them. */
  nodes: z.number().int().min(1).default(3),
  /** eks: seconds for Kubernetes to reschedule pods from a lost node onto the others. */
  rescheduleSeconds: z.number().positive().default(45),
  /** aurora, elasticache: seconds of errors while the primary fails over. */
  failoverSeconds: z.number().positive().default(30),
  /** aurora: seconds callers keep failing on stale connections to the old writer after a failover. */
  staleConnectionSeconds: z.number().min(0).default(0),
  /** aurora: share of callers' database calls that fail while connections are stale. */
  staleErrorRate: z.number().min(0).max(1).default(0.5),
  /** dynamodb, s3, memorydb: the Region it replicates to (DynamoDB's ReplicationLatency ReceivingRegion). */
  replicaRegion: z.string().default("us-west-2"),
  /**
   * dynamodb, s3, memorydb: share of callers' calls that fail while replication is paused (reads in the replica Region finding
   * stale items, conditional writes conflicting); 0 when nothing reads the replica.
   */
  pausedReplicationErrorRate: z.number().min(0).max(1).default(0),
  /**
   * The Region the tier runs in, when not the world's: calls to it cross Regions (route tables, transit gateways),
   * and FIS's cross-Region connectivity actions cut them.
   */
  region: z.string().optional(),
  /** The tier runs on premises, reached over Direct Connect: a virtual interface disconnect cuts calls to it. */
  onPremises: z.boolean().default(false),
  /**
   * Names used in CloudWatch dimensions and ARNs (cluster, service, autoScalingGroup, nodegroup, namespace, table,
   * function, queue, stream, bucket, replicationGroup, role).
   */
  resourceNames: z.record(z.string(), z.string()).default({}),
});

export const worldSchema = z
  .strictObject({
    $schema: z.string().optional(),
    name: z.string(),
    description: z.string().optional(),
    accountId: z
      .string()
      .regex(/^\d{12}$/)
      .default("123456789012"),
    region: z.string().default("us-east-1"),
    zones: z.array(z.string()).min(1),
    /**
     * The subnets FIS's network actions target, with their zones and tags; by default one private subnet per zone
     * tagged FIS-Ready=True and Name=private-<zone>. Declare them to rehearse templates that select your own tags.
     */
    subnets: z
      .array(
        z.strictObject({
          id: z.string().regex(/^subnet-[0-9a-z]+$/),
          zone: z.string(),
          tags: z.record(z.string(), z.string()).default({}),
        }),
      )
      .default([]),
    /** When the simulated clock starts (the game day begins here; history exists before it). */
    start: z.iso.datetime().default("2026-01-05T10:00:00Z"),
    traffic: z.strictObject({
      requestsPerSecond: z.number().positive(),
      /** Relative amplitude of slow daily swing. */
      dailyVariation: z.number().min(0).max(1).default(0.1),
      /** Relative standard deviation of per-tick noise. */
      noise: z.number().min(0).max(1).default(0.03),
      clientErrorRate: z.number().min(0).max(1).default(0.004),
    }),
    loadBalancer: z.string().describe("ALB dimension value, e.g. app/shop-alb/50dc6c495c0c9188"),
    /** Namespace of the application's own per-service metrics (Requests, Faults, Errors, Latency). */
    applicationNamespace: z.string().default("Shop"),
    tiers: z.array(tierSchema).min(1),
    /**
     * How late the simulated account publishes: seconds after a period ends until CloudWatch has a metric's
     * datapoint, by namespace (defaults as gameday's probes assume them, see README), and seconds until X-Ray has
     * processed a trace. Set them longer than the plan's probes wait to rehearse late data.
     */
    publication: z
      .strictObject({
        metricDelaySeconds: z.record(z.string(), z.number().int().min(0).max(3600)).default({}),
        traceDelaySeconds: z.number().int().min(0).max(3600).optional(),
      })
      .default(() => ({ metricDelaySeconds: {} })),
    /**
     * Where the account sends its spans: X-Ray (the default), or CloudWatch Logs under Transaction Search with
     * `indexedPercent` of them indexed as trace summaries (X-Ray's default 1%).
     */
    traceDestination: z
      .strictObject({
        destination: z.enum(["XRay", "CloudWatchLogs"]),
        indexedPercent: z.number().min(0).max(100).default(1),
      })
      .default(() => ({ destination: "XRay" as const, indexedPercent: 100 })),
    /** CloudWatch alarms on the world's metrics, for plans with alarm probes. */
    alarms: z
      .array(
        z.strictObject({
          name: z.string().min(1),
          metric: metricSchema,
          comparison: z.enum(["GreaterThanThreshold", "LessThanThreshold"]),
          threshold: z.number(),
          evaluationPeriods: z.number().int().min(1).default(1),
        }),
      )
      .default([]),
    /**
     * What custom SSM documents and automations do, which nothing can guess from their names: an
     * `aws:ssm:send-command` or `aws:ssm:start-automation-execution` running the document has this effect, on the
     * units it targets or, for an automation (which targets none), on the named tier.
     */
    declaredEffects: z
      .array(
        z.strictObject({
          document: z.string().min(1).describe("the document's name, as after document/ in its ARN"),
          effect: z.enum(["errors", "latency", "cpu-stress", "stop"]),
          /** errors: share of requests failed (default 1); latency: milliseconds added (500); cpu-stress: share
           * of capacity lost (0.6); stop: unused. */
          amount: z.number().min(0).optional(),
          tier: z.string().optional(),
          /** How long the effect lasts; by default the action's own duration. */
          durationSeconds: z.number().int().positive().max(43_200).optional(),
          description: z.string().optional(),
        }),
      )
      .default([]),
    /**
     * The account's SSM Change Calendars (DEFAULT_OPEN): each CLOSED during its `closed` windows. A plan that names
     * a calendar absent here is refused as SSM refuses it (InvalidDocument).
     */
    changeCalendars: z
      .array(
        z.strictObject({
          name: z.string().regex(/^[A-Za-z0-9_.-]{3,128}$/),
          closed: z.array(z.strictObject({ from: z.iso.datetime(), until: z.iso.datetime() })).default([]),
        }),
      )
      .default([]),
    /** The hypothesis a bare FIS template is rehearsed with; plans bring their own. */
    defaultHypothesis: z
      .strictObject({ description: z.string().optional(), probes: z.array(probeSchema).min(1) })
      .optional(),
  })
  .superRefine((world, context) => {
    const names = world.tiers.map((t) => t.name);
    world.tiers.forEach((tier, i) => {
      if (names.indexOf(tier.name) !== i)
        context.addIssue({ code: "custom", path: ["tiers", i, "name"], message: `tier "${tier.name}" is named twice` });
      (tier.calls ?? []).forEach((callee, j) => {
        if (!names.includes(callee))
          context.addIssue({
            code: "custom",
            path: ["tiers", i, "calls", j],
            message: `calls "${callee}", which is not a tier of this world (tiers: ${names.join(", ")})`,
          });
      });
    });
    world.subnets.forEach((subnet, i) => {
      if (!world.zones.includes(subnet.zone))
        context.addIssue({
          code: "custom",
          path: ["subnets", i, "zone"],
          message: `"${subnet.zone}" is not a zone of this world (zones: ${world.zones.join(", ")})`,
        });
    });
    world.declaredEffects.forEach((declared, i) => {
      if (declared.tier !== undefined && !names.includes(declared.tier))
        context.addIssue({
          code: "custom",
          path: ["declaredEffects", i, "tier"],
          message: `"${declared.tier}" is not a tier of this world (tiers: ${names.join(", ")})`,
        });
      if ((declared.effect === "errors" || declared.effect === "cpu-stress") && (declared.amount ?? 0) > 1)
        context.addIssue({
          code: "custom",
          path: ["declaredEffects", i, "amount"],
          message: `is a share from 0 to 1 for ${declared.effect}`,
        });
    });
    // Requests flow down the calls; a cycle would send them round for ever.
    const callsOf = new Map(world.tiers.map((t) => [t.name, t.calls ?? []]));
    const visiting = new Set<string>();
    const done = new Set<string>();
    const cycleFrom = (name: string, path: string[]): string[] | undefined => {
      if (visiting.has(name)) return [...path.slice(path.indexOf(name)), name];
      if (done.has(name)) return undefined;
      visiting.add(name);
      for (const callee of callsOf.get(name) ?? []) {
        const cycle = cycleFrom(callee, [...path, name]);
        if (cycle) return cycle;
      }
      visiting.delete(name);
      done.add(name);
      return undefined;
    };
    for (const [i, tier] of world.tiers.entries()) {
      const cycle = cycleFrom(tier.name, []);
      if (cycle) {
        context.addIssue({
          code: "custom",
          path: ["tiers", i, "calls"],
          message: `calls form a cycle: ${cycle.join(" → ")}`,
        });
        return;
      }
    }
  });

export type WorldDefinition = z.output<typeof worldSchema>;
export type TierDefinition = z.output<typeof tierSchema>;
