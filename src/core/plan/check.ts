import { formatPath, type Problem } from "../problems";
import { metricIdsIn, parseMathExpression } from "../probes/math";
import { durationSeconds } from "../time/duration";
import { zodProblems } from "../validation/zod-problems";
import { planSchema, type Plan } from "./schema";

export interface PlanCheck {
  plan?: Plan;
  problems: Problem[];
}

/** Validates a plan's shape and the cross-field rules a schema cannot say. Template files are checked by the loader. */
export function checkPlan(document: unknown): PlanCheck {
  const parsed = planSchema.safeParse(document);
  if (!parsed.success) return { problems: zodProblems(parsed.error) };
  const plan = parsed.data;
  const problems: Problem[] = [];
  const error = (path: PropertyKey[], message: string) =>
    problems.push({ severity: "error", path: formatPath(path), message });
  const warn = (path: PropertyKey[], message: string) =>
    problems.push({ severity: "warning", path: formatPath(path), message });

  const seen = new Set<string>();
  plan.hypothesis.probes.forEach((probe, i) => {
    if (seen.has(probe.id)) error(["hypothesis", "probes", i, "id"], `probe id "${probe.id}" is used twice`);
    seen.add(probe.id);
    if (probe.type === "math") {
      try {
        const ids = metricIdsIn(parseMathExpression(probe.expression));
        for (const id of ids) {
          if (!probe.metrics[id]) {
            error(["hypothesis", "probes", i, "expression"], `refers to "${id}", which is not defined under metrics`);
          }
        }
      } catch (e) {
        error(["hypothesis", "probes", i, "expression"], (e as Error).message);
      }
    }
  });

  const timing = timingSeconds(plan);
  if (timing.pollSeconds < 10) error(["timing", "pollInterval"], "must be at least PT10S");
  if (timing.pollSeconds > timing.maxFaultSeconds) {
    error(["timing", "pollInterval"], "must not exceed maxFaultDuration");
  }
  if (timing.maxFaultSeconds > 12 * 3600) error(["timing", "maxFaultDuration"], "FIS experiments last at most PT12H");
  if (timing.baselineSeconds < 60) error(["timing", "baseline"], "must be at least PT1M");
  if (timing.recoverySeconds < timing.pollSeconds * plan.timing.recoveredAfterPolls) {
    warn(["timing", "recovery"], "is shorter than pollInterval × recoveredAfterPolls: recovery can never be confirmed");
  }
  // Each poll is about 3 state transitions; Standard workflows fail at 25,000 history events.
  const polls = (timing.maxFaultSeconds + timing.recoverySeconds) / timing.pollSeconds;
  if (polls * plan.stages.length > 2500) {
    error(
      ["timing", "pollInterval"],
      "too short for this many stages and durations: the execution history would pass 25,000 events",
    );
  }
  return { plan, problems };
}

export interface TimingSeconds {
  baselineSeconds: number;
  pollSeconds: number;
  maxFaultSeconds: number;
  recoverySeconds: number;
  recoveredAfterPolls: number;
}

export function timingSeconds(plan: Plan): TimingSeconds {
  return {
    baselineSeconds: durationSeconds(plan.timing.baseline),
    pollSeconds: durationSeconds(plan.timing.pollInterval),
    maxFaultSeconds: durationSeconds(plan.timing.maxFaultDuration),
    recoverySeconds: durationSeconds(plan.timing.recovery),
    recoveredAfterPolls: plan.timing.recoveredAfterPolls,
  };
}
