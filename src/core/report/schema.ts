import { z } from "zod";
import { VERDICTS } from "../verdict/findings";

/** Plan names as the plan schema allows them: they become S3 keys, metric dimensions and dashboard names. */
export const SAFE_PLAN_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;
/**
 * Execution names gameday accepts: Step Functions allows more (1–80 characters), but these become S3 keys and
 * appear in HTML and Markdown, so only letters, digits, - and _ are stored.
 */
export const SAFE_EXECUTION_NAME = /^[A-Za-z0-9_-]{1,80}$/;
/** Execution names that would collide with the files a plan keeps beside its runs' reports (latest.json). */
export const RESERVED_EXECUTION_NAMES: ReadonlySet<string> = new Set(["latest"]);

/** Times as gameday writes them (`2026-11-24T10:02:00.000Z`, an offset allowed): never whatever Date.parse reads. */
const isoTime = z.iso.datetime({
  offset: true,
  message: "must be an ISO-8601 date and time, such as 2026-11-24T10:02:00.000Z",
});

/**
 * Text limits every report holds to. The report builder cuts longer texts to them (saying how much was cut), so a
 * plan that validates never makes a report the store refuses.
 */
export const REPORT_TEXT_LIMITS = {
  planDescription: 4096,
  reason: 8192,
  findingMessage: 4096,
  findingStage: 1024,
  findingBound: 1024,
  findingAlarm: 2048,
  findings: 1000,
} as const;

/**
 * Lists a reader walks (`--compare`, the store's latest.json): bounded, so a report that is schema-valid cannot make
 * comparing or rendering it run away. Far above what a plan can produce (a plan has at most 50 probes and stages).
 */
const MAX_LISTED = 10_000;

const findingSchema = z.looseObject({
  rule: z.string().min(1).max(64),
  verdict: z.enum(VERDICTS).nullable(),
  message: z.string().max(REPORT_TEXT_LIMITS.findingMessage),
  probeId: z.string().max(256).optional(),
  stage: z.string().max(REPORT_TEXT_LIMITS.findingStage).optional(),
  at: isoTime.optional(),
  value: z.number().optional(),
  bound: z.string().max(REPORT_TEXT_LIMITS.findingBound).optional(),
  experimentId: z.string().max(64).optional(),
  alarm: z.string().max(REPORT_TEXT_LIMITS.findingAlarm).optional(),
});

/**
 * What the store function accepts from the report bus. Strict where a field becomes a key, a metric dimension,
 * a dashboard mark or the verdict; the rest is data that every renderer escapes.
 */
export const reportSchema = z.looseObject({
  schemaVersion: z.literal(1),
  plan: z.looseObject({
    name: z.string().regex(SAFE_PLAN_NAME, "must be lower-case letters, digits and -, at most 63 characters"),
    description: z.string().max(REPORT_TEXT_LIMITS.planDescription),
    inline: z.literal(true).optional(),
  }),
  execution: z.looseObject({
    name: z
      .string()
      .regex(SAFE_EXECUTION_NAME, "must be 1–80 letters, digits, - or _")
      .refine((name) => !RESERVED_EXECUTION_NAMES.has(name), "is reserved: latest.json is the plan's baseline"),
    startedAt: isoTime,
    endedAt: isoTime,
    actionsMode: z.enum(["run-all", "skip-all"]),
  }),
  verdict: z.enum(VERDICTS),
  reason: z.string().max(REPORT_TEXT_LIMITS.reason),
  findings: z.array(findingSchema).max(REPORT_TEXT_LIMITS.findings),
  recovery: z.number().nonnegative().nullable(),
  experiments: z
    .array(
      z.looseObject({
        stage: z.string(),
        name: z.string(),
        templateId: z.string(),
        experimentId: z.string(),
        status: z.string(),
        actions: z.array(z.looseObject({ name: z.string(), actionId: z.string(), status: z.string() })).max(MAX_LISTED),
      }),
    )
    .max(MAX_LISTED),
  probes: z
    .array(
      z.looseObject({
        id: z.string(),
        type: z.string(),
        timeToRecover: z.array(z.number().nullable()).max(MAX_LISTED).optional(),
      }),
    )
    .max(MAX_LISTED),
  stages: z
    .array(
      z.looseObject({
        name: z.string(),
        faultStartedAt: isoTime,
        faultEndedAt: isoTime.nullable(),
        stoppedBy: z.enum(["guardrail", "max-fault-duration"]).nullable(),
        quotaWaitMinutes: z.number().int().min(0).optional(),
        guardrailProbes: z.array(z.string()),
        recoverySeconds: z.number().nullable(),
        polls: z.number(),
      }),
    )
    .max(MAX_LISTED),
  skippedStages: z.array(z.string()).max(MAX_LISTED),
  alarmMute: z
    .looseObject({
      rule: z.string(),
      alarms: z.array(z.string()).max(100),
      from: isoTime,
      minutes: z.number().int().min(1),
      endedAt: isoTime.optional(),
    })
    .optional(),
  cost: z
    .looseObject({
      totalUsd: z.number().nonnegative(),
      items: z
        .array(
          z.looseObject({
            service: z.string().max(64),
            unit: z.string().max(128),
            quantity: z.number().nonnegative(),
            usd: z.number().nonnegative(),
          }),
        )
        .max(100),
    })
    .optional(),
});

/** Why a document is not a report the store accepts, in a line (its first five problems); undefined when it is. */
export function reportProblems(value: unknown): string | undefined {
  const checked = reportSchema.safeParse(value);
  if (checked.success) return undefined;
  return checked.error.issues
    .slice(0, 5)
    .map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`)
    .join("; ");
}
