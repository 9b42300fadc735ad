/**
 * What an FIS action acted on: the resources its targets resolved to (ListExperimentResolvedTargets), the one rule
 * the report and the live views share.
 */
export function resourcesActedOn(
  actionTargets: Record<string, string> | undefined,
  resolved: Record<string, string[]>,
): string[] {
  return [...new Set(Object.values(actionTargets ?? {}).flatMap((name) => resolved[name] ?? []))].sort();
}

/** A resource as people name it: the last part of its ARN (`i-0abc…`, `orders-writer`). */
export const resourceName = (arn: string) => arn.split(/[:/]/).pop() || arn;
