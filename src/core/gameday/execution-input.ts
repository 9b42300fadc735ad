import { closest, distance } from "fastest-levenshtein";
import { InvalidExecutionInputError } from "../contract/errors";
import { RESERVED_EXECUTION_NAMES, SAFE_EXECUTION_NAME } from "../report/schema";

/** What a game day's execution input may hold: the console and `gameday start` send exactly these keys. */
export const EXECUTION_INPUT_KEYS = ["plan", "actionsMode"] as const;
export const ACTIONS_MODES = ["run-all", "skip-all"] as const;
export type ActionsMode = (typeof ACTIONS_MODES)[number];

export interface ExecutionInput {
  plan: unknown;
  actionsMode?: ActionsMode;
}

/** " (did you mean X?)" when a known word is within two edits of the typed one. */
const suggestion = (typed: string, known: readonly string[]) => {
  const nearest = closest(typed, [...known]);
  return distance(typed, nearest) <= 2 ? ` (did you mean "${nearest}"?)` : "";
};

/**
 * Refuses, before anything starts, an execution input with a key or value gameday does not know: a misspelt
 * `actionMode` would otherwise be ignored, and a preview meant to inject nothing would inject for real.
 */
export function checkExecutionInput(input: unknown): ExecutionInput {
  if (!input || typeof input !== "object" || Array.isArray(input))
    throw new InvalidExecutionInputError('The execution input must be an object: {"plan": "<name>"}');
  const fields = input as Record<string, unknown>;
  for (const key of Object.keys(fields))
    if (!(EXECUTION_INPUT_KEYS as readonly string[]).includes(key))
      throw new InvalidExecutionInputError(
        `The execution input has an unknown key "${key}"${suggestion(key, EXECUTION_INPUT_KEYS)}; ` +
          `it may hold only ${EXECUTION_INPUT_KEYS.join(" and ")}. Nothing was started.`,
      );
  if (fields.plan === undefined)
    throw new InvalidExecutionInputError('The execution input needs a plan: {"plan": "<name>"} or {"plan": {...}}');
  const mode = fields.actionsMode;
  if (mode !== undefined && !(ACTIONS_MODES as readonly unknown[]).includes(mode))
    throw new InvalidExecutionInputError(
      `The execution input's actionsMode is ${JSON.stringify(mode)}${typeof mode === "string" ? suggestion(mode, ACTIONS_MODES) : ""}; ` +
        `it is "run-all" (inject) or "skip-all" (preview, nothing injected). Nothing was started.`,
    );
  return { plan: fields.plan, ...(mode ? { actionsMode: mode as ActionsMode } : {}) };
}

/**
 * Refuses, before anything is injected, an execution name the report store could not take: Step Functions
 * accepts `release-1.2.3` and `latest`, but the first names no report key the store writes, and the second is the
 * plan's baseline pointer. Refused after the fault ran, the report would be lost.
 */
export function checkExecutionName(name: string): void {
  if (!SAFE_EXECUTION_NAME.test(name))
    throw new InvalidExecutionInputError(
      `The execution name "${name}" cannot name a report: use 1–80 letters, digits, - or _ (start it again under such a name). Nothing was started.`,
    );
  if (RESERVED_EXECUTION_NAMES.has(name))
    throw new InvalidExecutionInputError(
      `The execution name "${name}" is reserved: reports/<plan>/${name}.json is the plan's baseline. Start it under another name. Nothing was started.`,
    );
}
