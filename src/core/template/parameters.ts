import { closest, distance } from "fastest-levenshtein";
import type { FisActionSpec, ParameterSpec } from "../catalog/fis-actions";
import { durationSeconds, formatSeconds, isIsoDuration } from "../time/duration";
import type { FisTemplate } from "./schema";

type Report = (path: PropertyKey[], message: string) => void;

const PLACEHOLDER = /<YOUR[^>]*>/i;
/** CreateExperimentTemplate's own limits (botocore `fis` model; aws-facts §8). */
export const FIS_API_LIMITS = { tags: 50, tagKey: 128, tagValue: 256, name: 64, description: 512 } as const;
const NAME = /^\S+$/;

/** What FIS's API refuses before it looks at any action: tag counts and lengths, action and target names. */
export function checkApiConstraints(template: FisTemplate, error: Report): void {
  const tags = Object.entries(template.tags ?? {});
  if (tags.length > FIS_API_LIMITS.tags)
    error(["tags"], `${tags.length} tags; FIS takes at most ${FIS_API_LIMITS.tags}`);
  for (const [key, value] of tags) {
    if (key.length > FIS_API_LIMITS.tagKey)
      error(["tags", key], `a tag key of ${key.length} characters; FIS takes at most ${FIS_API_LIMITS.tagKey}`);
    if (value.length > FIS_API_LIMITS.tagValue)
      error(["tags", key], `a tag value of ${value.length} characters; FIS takes at most ${FIS_API_LIMITS.tagValue}`);
  }
  for (const kind of ["actions", "targets"] as const)
    for (const name of Object.keys(template[kind])) {
      if (name.length > FIS_API_LIMITS.name)
        error([kind, name], `a name of ${name.length} characters; FIS takes at most ${FIS_API_LIMITS.name}`);
      if (!NAME.test(name)) error([kind, name], `"${name}" holds white space; FIS names match [\\S]+`);
    }
  for (const [name, action] of Object.entries(template.actions))
    if ((action.description?.length ?? 0) > FIS_API_LIMITS.description)
      error(["actions", name, "description"], `longer than ${FIS_API_LIMITS.description} characters`);
}

/** Each parameter against the action's catalog entry: known names, required ones present, values in range. */
export function checkParameters(
  actionId: string,
  spec: FisActionSpec,
  parameters: Record<string, string>,
  at: PropertyKey[],
  error: Report,
  warn: Report,
): void {
  const known = Object.keys(spec.parameters);
  for (const [name, value] of Object.entries(parameters)) {
    if (PLACEHOLDER.test(value)) warn([...at, name], "holds an unresolved <YOUR ...> placeholder");
    const parameter = spec.parameters[name];
    if (!parameter) {
      const nearest = known.length ? closest(name, known) : undefined;
      const hint = nearest && distance(name, nearest) <= 3 ? ` (did you mean "${nearest}"?)` : "";
      const takes = known.length ? `it takes ${known.join(", ")}` : "it takes none";
      if (spec.openParameters)
        warn([...at, name], `${actionId} has no parameter "${name}" in gameday's catalog${hint}; ${takes}`);
      else error([...at, name], `${actionId} has no parameter "${name}"${hint}; ${takes}`);
      continue;
    }
    const problem = valueProblem(parameter, value);
    if (problem) error([...at, name], problem);
  }
  for (const [name, parameter] of Object.entries(spec.parameters))
    if (parameter.required && parameters[name] === undefined)
      error(at.slice(0, -1), `${actionId} needs the parameter "${name}"`);
}

function valueProblem(parameter: ParameterSpec, value: string): string | undefined {
  if (PLACEHOLDER.test(value)) return undefined;
  switch (parameter.kind) {
    case "duration": {
      if (!isIsoDuration(value)) return `"${value}" is not an ISO-8601 duration like PT5M`;
      const seconds = durationSeconds(value);
      const { minSeconds = 0, maxSeconds = Infinity } = parameter;
      if (seconds < minSeconds || seconds > maxSeconds)
        return `${value} is outside ${formatSeconds(minSeconds)}–${formatSeconds(maxSeconds)}, the range FIS takes`;
      return undefined;
    }
    case "percent":
    case "integer": {
      if (!/^-?\d+$/.test(value)) return `"${value}" is not a whole number`;
      const number = Number(value);
      const { min = -Infinity, max = Infinity } = parameter;
      if (number < min || number > max) return `${value} is outside ${min}–${max === Infinity ? "" : max}`;
      return undefined;
    }
    case "boolean":
      return value === "true" || value === "false" ? undefined : `"${value}" is not true or false`;
    case "enum":
      return parameter.values.includes(value) ? undefined : `"${value}" is not one of ${parameter.values.join(", ")}`;
    case "text":
      return undefined;
  }
}
