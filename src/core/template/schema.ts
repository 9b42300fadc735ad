import { z } from "zod";

/** An FIS experiment template in the CreateExperimentTemplate JSON shape used by AWS's public template library. */
export const fisTargetSchema = z.strictObject({
  resourceType: z.string().min(1),
  resourceArns: z.array(z.string()).optional(),
  resourceTags: z.record(z.string(), z.string()).optional(),
  filters: z.array(z.strictObject({ path: z.string().min(1), values: z.array(z.string()).min(1) })).optional(),
  selectionMode: z.string().default("ALL"),
  parameters: z.record(z.string(), z.string()).optional(),
});

export const fisActionSchema = z.strictObject({
  actionId: z.string().min(1),
  description: z.string().optional(),
  parameters: z.record(z.string(), z.string()).optional(),
  targets: z.record(z.string(), z.string()).optional(),
  startAfter: z.array(z.string()).optional(),
});

export const fisTemplateSchema = z.looseObject({
  description: z.string().max(512),
  targets: z.record(z.string(), fisTargetSchema).default({}),
  actions: z.record(z.string(), fisActionSchema).refine((a) => Object.keys(a).length > 0, {
    message: "a template needs at least one action",
  }),
  stopConditions: z.array(z.strictObject({ source: z.string(), value: z.string().optional() })).min(1),
  roleArn: z.string().min(1),
  tags: z.record(z.string(), z.string()).optional(),
  experimentOptions: z
    .strictObject({
      accountTargeting: z.enum(["single-account", "multi-account"]).optional(),
      emptyTargetResolutionMode: z.enum(["fail", "skip"]).optional(),
    })
    .optional(),
  logConfiguration: z.unknown().optional(),
  experimentReportConfiguration: z.unknown().optional(),
});

export type FisTemplate = z.output<typeof fisTemplateSchema>;
export type FisTarget = z.output<typeof fisTargetSchema>;
export type FisAction = z.output<typeof fisActionSchema>;

/** Tells a bare FIS template apart from a game-day plan. */
export function looksLikeFisTemplate(document: unknown): boolean {
  return typeof document === "object" && document !== null && "actions" in document && !("stages" in document);
}
