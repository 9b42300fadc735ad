/**
 * EventBridge pattern matching for the pattern forms gameday's rules use: exact values listed in arrays,
 * nested objects, and `prefix`. Anything else throws, so a rule using a new operator cannot pass unchecked.
 * Semantics from the EventBridge user guide, "Event patterns": every field in the pattern must match, array
 * values match if any element matches, and an event array matches if any of its elements matches.
 */
export function matchesPattern(pattern: Record<string, unknown>, event: Record<string, unknown>): boolean {
  return Object.entries(pattern).every(([key, expected]) => {
    const actual = event[key];
    if (Array.isArray(expected)) {
      const values = Array.isArray(actual) ? actual : [actual];
      return expected.some((candidate) => values.some((value) => matchesValue(candidate, value)));
    }
    if (expected && typeof expected === "object") {
      return !!actual && typeof actual === "object" && matchesPattern(expected as never, actual as never);
    }
    throw new Error(`pattern field ${key} must be an array or an object`);
  });
}

function matchesValue(candidate: unknown, value: unknown): boolean {
  if (candidate === null || typeof candidate !== "object") return candidate === value;
  const operator = candidate as Record<string, unknown>;
  if (typeof operator.prefix === "string") return typeof value === "string" && value.startsWith(operator.prefix);
  throw new Error(`pattern operator ${JSON.stringify(candidate)} is not modelled`);
}
