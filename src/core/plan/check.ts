import { TRACE_PERIOD_SECONDS } from "../traces/report";
import { TRACE_PROCESSING_DELAY_SECONDS } from "../probes/publication";
import { publicationOf } from "../probes/read";
import { formatPath, type Problem } from "../problems";
import { divisionsByZero, formatMathExpression, metricIdsIn, parseMathExpression } from "../probes/math";
import { durationSeconds } from "../time/duration";
import { zodProblems } from "../validation/zod-problems";
import { gameDayDeadline } from "../gameday/state";
import { timingSeconds, type TimingSeconds } from "./timing";

export { timingSeconds, type TimingSeconds };
import { estimateHistoryEvents, estimateLargestState, MAX_HISTORY_EVENTS, MAX_STATE_BYTES } from "./limits";
import { metricsOfProbe, planSchema, type Metric, type Plan } from "./schema";

/** The game-day state machine's TimeoutSeconds (infra/orchestrator.ts). */
export const EXECUTION_TIMEOUT_SECONDS = 2 * 24 * 3600;

/**
 * How long CloudWatch answers for a period (botocore's cloudwatch model, MetricStat.Period): beyond 3 hours only
 * multiples of 60 seconds, beyond 15 days of 300, beyond 63 days of 3600; nothing after 455 days.
 */
const CLOUDWATCH_RETENTION = [
  { multipleOf: 3600, seconds: 455 * 86400, text: "1-hour datapoints are kept for 455 days" },
  { multipleOf: 300, seconds: 63 * 86400, text: "beyond 63 days the period must be a multiple of 3600" },
  { multipleOf: 60, seconds: 15 * 86400, text: "beyond 15 days the period must be a multiple of 300" },
  { multipleOf: 1, seconds: 3 * 3600, text: "beyond 3 hours the period must be a multiple of 60" },
];

export interface PlanCheck {
  plan?: Plan;
  problems: Problem[];
}

/** Validates a plan's shape and the cross-field rules a schema cannot say. Template files are checked by the loader. */
export function checkPlan(document: unknown): PlanCheck {
  const parsed = planSchema.safeParse(document, { reportInput: true });
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
        const tree = parseMathExpression(probe.expression);
        const ids = metricIdsIn(tree);
        if (divisionsByZero(tree).length)
          error(
            ["hypothesis", "probes", i, "expression"],
            `divides by ${formatMathExpression(divisionsByZero(tree)[0]!, (id) => id)}, which is zero whatever the metrics read: the probe would never have a value`,
          );
        for (const id of ids) {
          if (!Object.hasOwn(probe.metrics, id)) {
            error(["hypothesis", "probes", i, "expression"], `refers to "${id}", which is not defined under metrics`);
          }
        }
      } catch (e) {
        error(["hypothesis", "probes", i, "expression"], (e as Error).message);
      }
    }
  });

  const timing = timingSeconds(plan);
  // CloudWatch keeps datapoints of a period only so long (GetMetricStatistics' documentation): a baseline further
  // back than that reads nothing, and the steady state could never be shown.
  plan.hypothesis.probes.forEach((probe, i) => {
    for (const [where, metric] of metricsOfProbe<Metric>(probe)) {
      const kept = CLOUDWATCH_RETENTION.find((r) => metric.periodSeconds % r.multipleOf === 0)!;
      if (timing.baselineSeconds > kept.seconds)
        error(
          ["timing", "baseline"],
          `reaches back further than CloudWatch answers for ${metric.name} at a ${metric.periodSeconds}-second period (probe ${probe.id}): ${kept.text}`,
        );
      // AWS services publish at standard resolution: a sub-minute period of theirs reads nothing.
      if (metric.namespace.startsWith("AWS/") && metric.periodSeconds < 60)
        error(
          ["hypothesis", "probes", i, ...where, "periodSeconds"],
          `${metric.periodSeconds} seconds for ${metric.namespace} ${metric.name}: AWS services publish at standard resolution, so the period must be a multiple of 60`,
        );
    }
  });

  if (timing.pollSeconds < 10) error(["timing", "pollInterval"], "must be at least PT10S");
  if (timing.pollSeconds > timing.maxFaultSeconds) {
    error(["timing", "pollInterval"], "must not exceed maxFaultDuration");
  }
  if (timing.maxFaultSeconds > 12 * 3600) error(["timing", "maxFaultDuration"], "FIS experiments last at most PT12H");
  if (timing.baselineSeconds < 60) error(["timing", "baseline"], "must be at least PT1M");
  if (timing.recoverySeconds > 12 * 3600)
    error(["timing", "recovery"], "must be at most PT12H: a system that needs longer to recover is not a game day's");
  plan.hypothesis.probes.forEach((probe, i) => {
    const tolerated = probe.tolerance ? durationSeconds(probe.tolerance.outOfBoundsDuringFault) : 0;
    if (tolerated > timing.maxFaultSeconds)
      warn(
        ["hypothesis", "probes", i, "tolerance", "outOfBoundsDuringFault"],
        "is longer than maxFaultDuration: the probe may be out of bounds for the whole fault",
      );
  });
  // The game day, its stages and their slack must end before the state machine's two-day timeout.
  const runsFor = (gameDayDeadline(0, timing, plan.stages.length) - 0) / 1000;
  if (runsFor > EXECUTION_TIMEOUT_SECONDS)
    error(
      ["stages"],
      `${plan.stages.length} stage(s) of up to ${plan.timing.maxFaultDuration} fault and ${plan.timing.recovery} recovery could run ${Math.round(runsFor / 3600)} hours; an execution ends after 48`,
    );
  if (timing.recoverySeconds < timing.pollSeconds * plan.timing.recoveredAfterPolls) {
    warn(["timing", "recovery"], "is shorter than pollInterval × recoveredAfterPolls: recovery can never be confirmed");
  } else
    plan.hypothesis.probes.forEach((probe, i) => {
      if (probe.type === "alarm") return;
      const streakSeconds = timing.pollSeconds * plan.timing.recoveredAfterPolls;
      if (probe.type === "trace" && !probe.service) {
        // Judged on its polls alone: they read the time after the fault only once X-Ray has processed it.
        const lag = probe.processingDelaySeconds ?? TRACE_PROCESSING_DELAY_SECONDS;
        if (timing.recoverySeconds < lag + streakSeconds)
          warn(
            ["hypothesis", "probes", i],
            `its traces describe the time after the fault only ${lag} s later, so within the ${plan.timing.recovery} recovery window its polls can never show recovery; make timing.recovery at least PT${lag + streakSeconds}S`,
          );
        return;
      }
      // Judged on its record: the window must hold the streak's duration in whole periods of the probe.
      const period = probe.type === "trace" ? TRACE_PERIOD_SECONDS : publicationOf(probe).periodSeconds;
      const needed = Math.max(1, Math.ceil(streakSeconds / period)) * period;
      if (timing.recoverySeconds < needed)
        warn(
          ["hypothesis", "probes", i],
          `its ${period}-second periods need ${needed} s in bounds in a row to show recovery, longer than the ${plan.timing.recovery} recovery window; make timing.recovery at least PT${needed}S`,
        );
    });
  const largest = estimateLargestState(plan, plan.hypothesis.probes.length);
  if (largest > MAX_STATE_BYTES)
    error(
      ["hypothesis", "probes"],
      `the game day's state could reach about ${largest} bytes (${plan.hypothesis.probes.length} probes over ${plan.stages.length} stage(s), a ${JSON.stringify(plan).length}-byte plan); Step Functions allows ${MAX_STATE_BYTES}: split the plan or use fewer probes`,
    );
  const history = estimateHistoryEvents(timing, plan.stages);
  if (history.events > MAX_HISTORY_EVENTS)
    error(
      ["stages"],
      `could write about ${history.events} execution history events (${plan.stages.length} stage(s), up to ${history.polls} polls, ${plan.stages.reduce((n, s) => n + s.experiments.length, 0)} experiment start(s) and stops); Step Functions ends an execution at ${MAX_HISTORY_EVENTS}: use fewer stages, shorter faults or recovery, or a longer pollInterval`,
    );
  return { plan, problems };
}
