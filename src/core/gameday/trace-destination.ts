import { InvalidPlanError } from "../contract/errors";
import type { Plan } from "../plan/schema";
import type { TraceDestination } from "../ports";

/**
 * Refuses a plan whose trace probes read X-Ray trace summaries (a filter expression) when the account sends its
 * spans to CloudWatch Logs (Transaction Search) and indexes less than all of them as trace summaries: the probe
 * would read a small sample, or empty windows, as if it were the traffic. Service probes read X-Ray's service
 * statistics, and the account's span destination is named in the refusal only when a probe is affected.
 */
export async function refuseSampledTraceProbes(plan: Plan, destination: TraceDestination): Promise<void> {
  const probes = (plan.hypothesis?.probes ?? []).filter(
    (p) => p.type === "trace" && "filterExpression" in p && p.filterExpression !== undefined,
  );
  if (!probes.length) return;
  const where = await destination.current();
  if (where.destination !== "CloudWatchLogs" || (where.indexedPercent ?? 0) >= 100) return;
  throw new InvalidPlanError(
    `Trace probe(s) ${probes.map((p) => p.id).join(", ")} read X-Ray trace summaries, but this account sends its ` +
      `spans to CloudWatch Logs (Transaction Search, status ${where.status}) and indexes ` +
      `${where.indexedPercent ?? 0}% of them as trace summaries: the probes would judge a sample as if it were the ` +
      "traffic. Raise the X-Ray indexing rule to 100% (UpdateIndexingRule), or give these probes a service instead " +
      "of a filter expression, or use metric probes.",
  );
}
