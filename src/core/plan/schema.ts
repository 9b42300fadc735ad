import { z } from "zod";
import { isIsoDuration } from "../time/duration";

const isoDuration = z
  .string()
  .refine(isIsoDuration, { message: "must be an ISO-8601 duration like PT30S, PT5M or PT1H" })
  .describe("ISO-8601 duration, e.g. PT30S, PT5M, PT1H");

/** Names every JavaScript object answers to: as ids they would look up functions, not probes or metrics. */
const OBJECT_MEMBER_NAMES = new Set(Object.getOwnPropertyNames(Object.prototype));

const identifier = z
  .string()
  .regex(/^[a-z][a-zA-Z0-9_]*$/, "must start with a lower-case letter and hold only letters, digits and _")
  .max(255, "CloudWatch metric data query ids hold at most 255 characters")
  .refine((id) => !OBJECT_MEMBER_NAMES.has(id), {
    message: "is a reserved name (a member of every object); choose another",
  })
  .describe("An id that metric math expressions and reports refer to");

export const statisticSchema = z
  .string()
  .regex(
    /^(SampleCount|Average|Sum|Minimum|Maximum|p\d{1,2}(\.\d+)?|p100)$/,
    "must be SampleCount, Average, Sum, Minimum, Maximum or a percentile like p99",
  )
  .describe("CloudWatch statistic: SampleCount, Average, Sum, Minimum, Maximum or pNN");

export const metricSchema = z.strictObject({
  namespace: z.string().min(1).describe("CloudWatch namespace, e.g. AWS/ApplicationELB"),
  name: z.string().min(1).describe("Metric name, e.g. HTTPCode_Target_5XX_Count"),
  dimensions: z.record(z.string(), z.string()).default({}).describe("Dimension name to value"),
  statistic: statisticSchema,
  periodSeconds: z
    .number()
    .int()
    .positive("must be a positive number of seconds")
    .refine((p) => [1, 5, 10, 20, 30].includes(p) || p % 60 === 0, {
      message: "must be 1, 5, 10, 20, 30 (high-resolution metrics only) or a multiple of 60 (CloudWatch periods)",
    })
    .default(60),
  publicationDelaySeconds: z
    .number()
    .int()
    .min(0)
    .max(3600)
    .optional()
    .describe(
      "How long after a period ends CloudWatch has its datapoint; probes read only periods this old. Default by namespace: 60 s for ALB, ECS, RDS, Auto Scaling, 120 s for EC2 and Container Insights and other AWS namespaces, 30 s for your own metrics",
    ),
});

export const relativeBoundsSchema = z
  .strictObject({
    maxRatio: z
      .number()
      .positive()
      .optional()
      .describe("Breaches above this multiple of the baseline median, e.g. 1.5 for 'no more than 1.5× baseline'"),
    minRatio: z
      .number()
      .positive()
      .optional()
      .describe("Breaches below this multiple of the baseline median, e.g. 0.5"),
    mads: z
      .number()
      .positive()
      .optional()
      .describe("Breaches outside the baseline median ± this many median absolute deviations"),
    minimumDeviation: z
      .number()
      .min(0)
      .default(0)
      .describe(
        "The ± band of `mads` is never narrower than this, so a flat baseline does not turn noise into breaches",
      ),
  })
  .refine((r) => r.maxRatio !== undefined || r.minRatio !== undefined || r.mads !== undefined, {
    message: "give maxRatio, minRatio or mads",
  })
  .refine((r) => r.maxRatio === undefined || r.minRatio === undefined || r.minRatio <= r.maxRatio, {
    message: "minRatio must not exceed maxRatio",
  })
  .describe("Bounds measured from the baseline window read before any fault, so a plan needs no hand-tuned numbers");

export const boundsSchema = z
  .strictObject({
    min: z.number().optional().describe("The probe breaches below this value"),
    max: z.number().optional().describe("The probe breaches above this value"),
    relativeToBaseline: relativeBoundsSchema.optional(),
  })
  .refine((b) => b.min !== undefined || b.max !== undefined || b.relativeToBaseline !== undefined, {
    message: "give min, max, relativeToBaseline or a combination",
  })
  .refine((b) => b.min === undefined || b.max === undefined || b.min <= b.max, { message: "min must not exceed max" });

export const toleranceSchema = z
  .strictObject({
    outOfBoundsDuringFault: isoDuration.describe(
      "The longest total time the probe may read out of bounds while the fault is live (polls × poll interval), e.g. PT1M; it must still be back in bounds within the recovery window",
    ),
  })
  .describe(
    "How much of a breach the hypothesis tolerates; without it, any reading out of bounds during the fault fails the game day",
  );

const probeBase = {
  id: identifier,
  description: z.string().optional(),
  tolerance: toleranceSchema.optional(),
};

export const MISSING_DATA_TREATMENTS = ["missing", "ignore", "breaching", "notBreaching"] as const;
export type MissingDataTreatment = (typeof MISSING_DATA_TREATMENTS)[number];

/**
 * As CloudWatch alarms treat missing data. Unset, a metric probe on a count (Sum, SampleCount) reads a period
 * without a datapoint as the zero AWS did not publish (notBreaching, or breaching with a lower bound), and every
 * other probe as missing.
 */
const treatMissingData = z
  .enum(MISSING_DATA_TREATMENTS)
  .optional()
  .describe(
    "A poll that finds no datapoint: missing (no evidence; the guardrail streak restarts; a phase without data is INCONCLUSIVE), ignore (no evidence; streaks carry on), breaching (out of bounds), notBreaching (in bounds). Default: for a metric probe on Sum or SampleCount, notBreaching (breaching if it has a lower bound), as AWS publishes no datapoint for a minute without such requests; missing otherwise. Counts inside math probes are read through FILL(…, 0)",
  );

export const metricProbeSchema = z.strictObject({
  ...probeBase,
  type: z.literal("metric"),
  metric: metricSchema,
  bounds: boundsSchema,
  treatMissingData,
  reportStatistics: z
    .array(statisticSchema)
    .max(5)
    .optional()
    .describe(
      "More statistics of the same metric (e.g. p50, Average) for the report; bounds apply to metric.statistic",
    ),
});

export const mathProbeSchema = z.strictObject({
  ...probeBase,
  type: z.literal("math"),
  expression: z
    .string()
    .min(1)
    .describe("CloudWatch metric math over the ids in `metrics`, e.g. 100 * errors / requests"),
  metrics: z.record(identifier, metricSchema).describe("The metrics the expression refers to, by id"),
  bounds: boundsSchema,
  treatMissingData,
});

export const traceProbeSchema = z
  .strictObject({
    ...probeBase,
    type: z.literal("trace"),
    service: z.string().optional().describe("X-Ray service name, read from the service graph"),
    filterExpression: z.string().optional().describe("X-Ray filter expression, read from trace summaries"),
    processingDelaySeconds: z
      .number()
      .int()
      .min(0)
      .max(3600)
      .optional()
      .describe("How far in the past traces are read, so X-Ray has processed them (default 60)"),
    treatMissingData,
    maxFaultRate: z.number().min(0).max(1).optional().describe("Highest tolerated share of 5xx responses (0..1)"),
    maxErrorRate: z.number().min(0).max(1).optional().describe("Highest tolerated share of 4xx responses (0..1)"),
    latency: z
      .strictObject({
        percentile: z.number().gt(0).lt(100).default(99),
        maxMilliseconds: z.number().positive(),
      })
      .optional(),
  })
  .refine((p) => (p.service === undefined) !== (p.filterExpression === undefined), {
    message: "give exactly one of service or filterExpression",
  })
  .refine((p) => p.maxFaultRate !== undefined || p.maxErrorRate !== undefined || p.latency !== undefined, {
    message: "give at least one of maxFaultRate, maxErrorRate or latency",
  });

export const ALARM_STATES = ["OK", "ALARM", "INSUFFICIENT_DATA"] as const;

export const alarmProbeSchema = z.strictObject({
  ...probeBase,
  type: z.literal("alarm"),
  alarmName: z.string().min(1).max(255).describe("A CloudWatch metric or composite alarm your team already trusts"),
  breachingStates: z
    .array(z.enum(ALARM_STATES))
    .min(1)
    .default(["ALARM"])
    .describe("Alarm states that count as a breach; add INSUFFICIENT_DATA when silence means trouble"),
});

export const probeSchema = z.discriminatedUnion("type", [
  metricProbeSchema,
  mathProbeSchema,
  traceProbeSchema,
  alarmProbeSchema,
]);

export const templateReferenceSchema = z.union([
  z.strictObject({ id: z.string().regex(/^EXT[A-Za-z0-9]+$/, "must be an FIS template id like EXT1a2b3c4d5e6f7") }),
  z.strictObject({
    name: z
      .string()
      .regex(
        /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/,
        "must be letters, digits, - and _ (the name of a file in templates/, without .json), at most 128 characters",
      )
      .describe("Name of a template the gameday stack deploys"),
  }),
  z.strictObject({ file: z.string().min(1).describe("Path to an FIS template JSON file, relative to the plan") }),
]);

export const experimentSchema = z.strictObject({
  name: z.string().optional(),
  template: templateReferenceSchema,
});

export const stageSchema = z.strictObject({
  name: z.string().min(1).max(256, "at most 256 characters: experiments carry it as an FIS tag value"),
  experiments: z.array(experimentSchema).min(1).max(5, "FIS runs at most 5 experiments at once per account"),
});

export const timingSchema = z.strictObject({
  baseline: isoDuration.default("PT5M").describe("How far back the steady state is checked before any fault"),
  pollInterval: isoDuration.default("PT30S").describe("Time between observations while a fault is live"),
  maxFaultDuration: isoDuration.default("PT15M").describe("Experiments still running after this are stopped"),
  recovery: isoDuration.default("PT10M").describe("How long to wait for the system to return to its steady state"),
  recoveredAfterPolls: z.number().int().min(1).default(3).describe("Consecutive in-band polls that count as recovered"),
});

export const guardrailsSchema = z.strictObject({
  consecutiveBreachingPolls: z
    .number()
    .int()
    .min(1)
    .default(2)
    .describe("Stop the experiments after this many consecutive polls with a probe out of bounds"),
});

/** EventBridge Scheduler's expressions (its user guide, "Schedule types"): rate(value unit) or a six-field cron. */
function scheduleProblem(expression: string): string | undefined {
  const rate = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expression);
  if (rate) {
    const n = Number(rate[1]);
    if (n < 1) return "a rate must be at least 1";
    if ((n === 1) !== !rate[2]!.endsWith("s"))
      return `write rate(1 ${rate[2]!.replace(/s$/, "")}) or rate(${n} ${rate[2]!.replace(/s?$/, "s")})`;
    return undefined;
  }
  const cron = /^cron\((.*)\)$/.exec(expression);
  if (!cron)
    return "must be rate(<n> minutes|hours|days) or cron(<minutes> <hours> <day-of-month> <month> <day-of-week> <year>)";
  const fields = cron[1]!.trim().split(/\s+/);
  if (fields.length !== 6)
    return `a cron expression has 6 fields (minutes hours day-of-month month day-of-week year), this one has ${fields.length}`;
  const [, , dayOfMonth, , dayOfWeek] = fields;
  if ((dayOfMonth === "?") === (dayOfWeek === "?"))
    return "one of day-of-month and day-of-week must be ?, and only one";
  return undefined;
}

const isTimeZone = (zone: string) => {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

export const scheduleSchema = z.strictObject({
  expression: z.string().superRefine((expression, context) => {
    const problem = scheduleProblem(expression);
    if (problem) context.addIssue({ code: "custom", message: problem });
  }),
  timezone: z
    .string()
    .refine(isTimeZone, { message: "must be an IANA time zone such as Europe/Berlin or UTC" })
    .default("UTC"),
});

export const planSchema = z.strictObject({
  $schema: z.string().optional(),
  name: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "must be lower-case letters, digits and -, at most 63 characters")
    .refine((name) => name !== "overview", {
      message: "overview is the name of the stack's overview dashboard; the plan's dashboard would take its place",
    }),
  description: z.string().min(1),
  hypothesis: z.strictObject({
    description: z.string().optional(),
    probes: z.array(probeSchema).min(1),
  }),
  stages: z.array(stageSchema).min(1),
  timing: timingSchema.default(() => timingSchema.parse({})),
  guardrails: guardrailsSchema.default(() => guardrailsSchema.parse({})),
  schedule: scheduleSchema.optional(),
  requiresApproval: z
    .boolean()
    .optional()
    .describe(
      "Wait up to an hour for a person's go (gameday approve EXECUTION) before injecting anything; the request goes to the stack's notification topic",
    ),
  muteAlarmActions: z
    .array(z.string().min(1).max(255))
    .max(100)
    .optional()
    .describe(
      "CloudWatch alarms whose actions (pages, tickets) are muted from the steady-state check to the end of the game day; they keep evaluating. Never a template's stop-condition alarm",
    ),
  changeCalendars: z
    .array(
      z
        .string()
        .regex(
          /^(arn:aws[a-z-]*:ssm:[a-z0-9-]+:\d{12}:document\/)?[A-Za-z0-9_.-]{3,128}$/,
          "must be an SSM Change Calendar's name or ARN",
        ),
    )
    .max(10)
    .optional()
    .describe(
      "AWS Systems Manager Change Calendars (names or ARNs): while any is CLOSED, the game day is refused before it injects anything",
    ),
  maxCostUsd: z
    .number()
    .positive()
    .optional()
    .describe("Refuse to start a game day whose estimated cost (at list prices) could exceed this many US dollars"),
});

export type Plan = z.output<typeof planSchema>;
export type PlanInput = z.input<typeof planSchema>;
export type Probe = z.output<typeof probeSchema>;
export type MetricProbe = z.output<typeof metricProbeSchema>;
export type MathProbe = z.output<typeof mathProbeSchema>;
export type TraceProbe = z.output<typeof traceProbeSchema>;
export type AlarmProbe = z.output<typeof alarmProbeSchema>;
export type AlarmState = (typeof ALARM_STATES)[number];
export type Metric = z.output<typeof metricSchema>;
export type Bounds = z.output<typeof boundsSchema>;
export type RelativeBounds = z.output<typeof relativeBoundsSchema>;
export type TemplateReference = z.output<typeof templateReferenceSchema>;

/** The CloudWatch metrics a probe reads, each with its JSON path inside the probe (none for trace and alarm probes). */
export function metricsOfProbe<M>(probe: { type: string; metric?: M; metrics?: Record<string, M> }): [string[], M][] {
  if (probe.type === "metric" && probe.metric) return [[["metric"], probe.metric]];
  if (probe.type === "math" && probe.metrics)
    return Object.entries(probe.metrics).map(([id, metric]): [string[], M] => [["metrics", id], metric]);
  return [];
}
