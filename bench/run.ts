/**
 * Benchmarks (`npm run bench`): what a game day costs, how fast it reacts, how far it scales. Targets live here,
 * never in timed unit tests. Progress goes to stderr; the figures to stdout, the last line one JSON object.
 */
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { estimateCost, maxConcurrentGameDays } from "../src/core/cost/model";
import type { GameDayState } from "../src/core/gameday/state";
import { boundBreaches, resolveBounds } from "../src/core/probes/bounds";
import { metricQueries, publicationOf } from "../src/core/probes/read";
import { toView } from "../src/sim/fis";
import { getMetricDataCallsFor } from "./api-calls";
import { measureColdStarts } from "./cold-start";
import { NAIVE_FUNCTIONS } from "./naive/functions";
import { measureCliStart } from "./cli-start";
import { timeReportBuild } from "./report-build";
import { countedRehearsal, fisActionMinutes, planWith, referencePlan, type CountedRun } from "./usage";
import { watchRefreshCost } from "./watch-refresh";

const TARGETS = {
  transitionsPerPoll: 3,
  getMetricDataCallsPer500Queries: 1,
  orchestrationShareOfFis: 0.02,
  realTimeFactor: 600,
  reportBuildSeconds: 2,
  coldImportMs: 150,
  historyCallsPerWatchRefresh: 1.1,
  cliHelpRatio: 5,
  cliValidateRatio: 8,
};
/** Billed Lambda time per invocation: the local runner cannot measure Lambda's, so the model assumes it. */
const ASSUMED_LAMBDA_MS = 300;
const LAMBDA_MEMORY_MB = 512;
const POLL_SECONDS = 30;

const progress = (text: string) => process.stderr.write(`· ${text}\n`);
const verdict = (met: boolean) => (met ? "met" : "MISSED");
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const round = (x: number, digits = 3) => Number(x.toFixed(digits));
const lines: string[] = [];
const say = (line: string) => {
  lines.push(line);
  console.log(line);
};
const benchStarted = performance.now();

// 1. The reference game day: gameday's design, then the naive one, on the same plan and seed.
progress("rehearsing the reference game day (baseline 5 min, fault 10 min, recovery 10 min, poll 30 s), 3 seeds");
const reference: CountedRun[] = [];
for (const seed of [1, 2, 3]) reference.push(await countedRehearsal(referencePlan(), seed));
const ours = reference[0]!;
const facts = ours.result.report!.rehearsal!;
const polls = facts.polls;
progress("rehearsing the naive status-polling design on the same plan");
const naive = await countedRehearsal(referencePlan(), 1, {
  definition: readFileSync("bench/naive/game-day.asl.json", "utf8"),
  functions: NAIVE_FUNCTIONS,
});
const naivePolls = naive.result.enteredStates.get("Get the experiment") ?? 0;
const naiveLoop = ["Wait 30 seconds", "Get the experiment", "Is the experiment still running?", "Read the metrics"]
  .concat(["Read the traces", "Decide", "Is a guardrail broken?"])
  .reduce((n, s) => n + (naive.result.enteredStates.get(s) ?? 0), 0);
const naiveTransitionsPerPoll = naiveLoop / Math.max(1, naivePolls);
const naiveGetMetricDataPerPoll = naive.usage.getMetricDataCalls / Math.max(1, naivePolls);
const ourGetMetricDataPerPoll =
  reference[0]!.usage.getMetricDataCalls / Math.max(1, polls + 1 /* the steady-state check */);
say(
  `state transitions per poll: gameday ${facts.transitionsPerPoll}, naive design ${round(naiveTransitionsPerPoll, 2)}; ` +
    `target ≤ ${TARGETS.transitionsPerPoll}: ${verdict(facts.transitionsPerPoll <= TARGETS.transitionsPerPoll)}`,
);
say(
  `reference game day: ${ours.result.stateTransitions} transitions over ${polls} polls ` +
    `(naive design: ${round(naiveTransitionsPerPoll * polls)} for the same polls, fault watch alone), ` +
    `${ours.usage.lambdaInvocations} Lambda invocations, verdict ${ours.result.report!.verdict}`,
);
say(
  `API calls per poll: GetMetricData gameday ${round(ourGetMetricDataPerPoll, 2)}, naive ${round(naiveGetMetricDataPerPoll, 2)}; ` +
    `X-Ray GetServiceGraph ${round(ours.usage.getServiceGraphCalls / Math.max(1, polls + 1), 2)}; ` +
    `FIS ${round(ours.usage.fisCalls / Math.max(1, polls), 2)} (naive ${round(naive.usage.fisCalls / Math.max(1, naivePolls), 2)})`,
);

// 2. GetMetricData calls for 1, 50, 500 and 501 queries, through the real adapter.
progress("counting GetMetricData calls through the CloudWatch adapter");
const callsFor: Record<number, number> = {};
for (const n of [1, 50, 500, 501]) callsFor[n] = await getMetricDataCallsFor(n);
say(
  `GetMetricData calls per poll: 1 query → ${callsFor[1]}, 50 → ${callsFor[50]}, 500 → ${callsFor[500]}, ` +
    `501 → ${callsFor[501]}; target 1 for 500: ${verdict(callsFor[500] === TARGETS.getMetricDataCallsPer500Queries)}`,
);

// 3. Detection latency: a fault the web tier cannot absorb, stopped by a guardrail.
progress("measuring detection latency on an overload the web tier cannot absorb");
async function detection(consecutiveBreachingPolls: number) {
  const plan = planWith(
    `bench-detection-${consecutiveBreachingPolls}`,
    "test/fixtures/overload-web-cpu.json",
    { baseline: "PT5M", pollInterval: `PT${POLL_SECONDS}S`, maxFaultDuration: "PT10M", recovery: "PT10M" },
    (p) => (p.guardrails = { consecutiveBreachingPolls }),
  );
  const run = await countedRehearsal(plan, 1);
  const stage = run.result.report!.stages[0]!;
  const stopAt = run.usage.firstStopAt;
  if (stage.stoppedBy !== "guardrail" || stopAt === undefined)
    throw new Error("the overload did not break a guardrail");
  // The first datapoint, from the fault's start, of a guardrail probe outside its bounds.
  const faultStart = Date.parse(stage.faultStartedAt);
  let first = Number.POSITIVE_INFINITY;
  let wait = 0;
  const validated = (run.lastEvents.get("BuildReport") as GameDayState).plan;
  for (const probe of validated.hypothesis.probes) {
    if (probe.type === "trace" || probe.type === "alarm" || !stage.guardrailProbes.includes(probe.id)) continue;
    // CloudWatch has a period's datapoint only after the period and the namespace's publication delay.
    const published = publicationOf(probe);
    wait = Math.max(wait, published.periodSeconds + published.delaySeconds);
    delaySeconds = Math.max(delaySeconds, published.delaySeconds);
    const series = (await run.account.metrics.query(metricQueries([probe]), { start: faultStart, end: stopAt })).get(
      probe.id,
    );
    series?.values.forEach((v, i) => {
      if (boundBreaches(v, resolveBounds(probe.bounds)).length) first = Math.min(first, series.timestamps[i]!);
    });
  }
  if (!Number.isFinite(first)) throw new Error("no breaching datapoint before the stop");
  return { seconds: (stopAt - first) / 1000, publishedAfterSeconds: wait };
}
let delaySeconds = 0;
const detectOne = await detection(1);
const detectionLatencySeconds = detectOne.seconds;
const detectionTwoPolls = (await detection(2)).seconds;
const simulatedMetricDelaySeconds = delaySeconds;
const detectionTarget = detectOne.publishedAfterSeconds + POLL_SECONDS;
say(
  `detection latency (start of the first breaching datapoint's period → StopExperiment, publication included): ` +
    `${detectionLatencySeconds} s with consecutiveBreachingPolls 1, ${detectionTwoPolls} s with 2 (the example ` +
    `plans' setting); CloudWatch publishes the guardrail metric ${simulatedMetricDelaySeconds} s after its period; ` +
    `target ≤ period + delay + one poll (${detectionTarget} s): ${verdict(detectionLatencySeconds <= detectionTarget)}`,
);

// 4. Rehearsal speed on a long game day.
progress("timing a 75-minute game day, 5 seeds");
const oneHour = planWith("bench-one-hour", "bench/long-cpu-stress.json", {
  baseline: "PT10M",
  pollInterval: "PT30S",
  maxFaultDuration: "PT45M",
  recovery: "PT20M",
  recoveredAfterPolls: 3,
});
const long: CountedRun[] = [];
for (let seed = 1; seed <= 5; seed++) long.push(await countedRehearsal(oneHour, seed));
const simulatedSeconds = long[0]!.result.report!.rehearsal!.simulatedSeconds;
const rehearsalSecondsPerSimulatedHour = (median(long.map((r) => r.wallSeconds)) / simulatedSeconds) * 3600;
say(
  `rehearsal speed: ${round(rehearsalSecondsPerSimulatedHour)} s per simulated hour ` +
    `(${Math.round(3600 / rehearsalSecondsPerSimulatedHour)}× real time, ${round(simulatedSeconds / 60, 1)}-minute game day); ` +
    `target ≥ ${TARGETS.realTimeFactor}×: ${verdict(3600 / rehearsalSecondsPerSimulatedHour >= TARGETS.realTimeFactor)}`,
);

// 4b. What `gameday watch` reads while the long game day runs, refreshing every 5 s.
progress("following the 75-minute game day's execution history as gameday watch does, a refresh every 5 s");
const recordedLong = await countedRehearsal(oneHour, 1, { recordHistory: true });
const watchCost = await watchRefreshCost(recordedLong.result.history!, 5);
const historyCallsPerRefresh = watchCost.incremental.calls / watchCost.incremental.refreshes;
say(
  `gameday watch over the ${recordedLong.result.history!.length}-event history: ${watchCost.incremental.refreshes} ` +
    `refreshes, ${watchCost.incremental.calls} GetExecutionHistory calls (${round(historyCallsPerRefresh, 2)} per refresh), ` +
    `${watchCost.incremental.eventsRead} events, ${round(watchCost.incremental.megabytesRead, 1)} MB read; re-reading ` +
    `the whole history each refresh: ${watchCost.fullReread.eventsRead} events, ` +
    `${round(watchCost.fullReread.megabytesRead, 1)} MB; target ≤ ${TARGETS.historyCallsPerWatchRefresh} calls per ` +
    `refresh: ${verdict(historyCallsPerRefresh <= TARGETS.historyCallsPerWatchRefresh)}`,
);

// 5. Report building from 1,000,000 datapoints and 100,000 trace summaries.
progress("building a report from 1,000,000 datapoints and 100,000 trace summaries");
const finalState = ours.lastEvents.get("BuildReport") as GameDayState;
const finalExperiments = await ours.account.fis
  .listLive("none")
  .then(() => [...ours.account.fis.experiments.values()].map((e) => toView(e)));
const buildTimes: number[] = [];
for (let i = 0; i < 3; i++)
  buildTimes.push(
    await timeReportBuild(finalState, finalExperiments, {
      datapoints: 1_000_000,
      traceSummaries: 100_000,
      metricProbes: 200,
    }),
  );
const reportBuildSeconds = median(buildTimes);
say(
  `report build: ${round(reportBuildSeconds)} s (median of 3) for 1,000,000 datapoints in 200 probes and 100,000 ` +
    `trace summaries; target < ${TARGETS.reportBuildSeconds} s: ${verdict(reportBuildSeconds < TARGETS.reportBuildSeconds)}`,
);

// 7. Cost of the reference game day.
const costs = reference.map((run) =>
  estimateCost({
    stateTransitions: run.result.stateTransitions,
    lambdaInvocations: run.usage.lambdaInvocations,
    lambdaMillisecondsPerInvocation: ASSUMED_LAMBDA_MS,
    lambdaMemoryMb: LAMBDA_MEMORY_MB,
    metricsRequested: run.usage.metricsRequested,
    tracesRetrieved: run.usage.tracesRetrieved,
    customEvents: 1,
    dynamoWrites: run.usage.lockWrites,
    dynamoReads: run.usage.lockReads,
    fisActionMinutes: fisActionMinutes(run.account),
  }),
);
const cost = costs[0]!;
say(
  `cost of the reference game day: orchestration $${cost.orchestrationUsd.toFixed(5)} (` +
    Object.entries(cost.orchestration)
      .map(([k, v]) => `${k} $${v.toFixed(5)}`)
      .join(", ") +
    `; Lambda at an assumed ${ASSUMED_LAMBDA_MS} ms × ${LAMBDA_MEMORY_MB} MB), FIS $${cost.fisUsd.toFixed(2)} ` +
    `(${round(fisActionMinutes(ours.account), 1)} action-minutes); orchestration is ` +
    `${round(cost.orchestrationShareOfFis * 100, 2)}% of FIS; target ≤ ${TARGETS.orchestrationShareOfFis * 100}%: ` +
    verdict(cost.orchestrationShareOfFis <= TARGETS.orchestrationShareOfFis),
);

// 8. Scale: 50 game days at once in this process, and what the account's default quotas allow.
progress("rehearsing 50 reference game days concurrently");
const scaleStarted = performance.now();
const concurrent = await Promise.all(Array.from({ length: 50 }, (_, i) => countedRehearsal(referencePlan(), 100 + i)));
const concurrentWallSeconds = (performance.now() - scaleStarted) / 1000;
const peakRssMiB = process.resourceUsage().maxRSS / 1024;
const failed = concurrent.filter((r) => !r.result.report).length;
const limit = maxConcurrentGameDays({
  getMetricDataCallsPerPoll: Math.ceil(ourGetMetricDataPerPoll),
  pollSeconds: POLL_SECONDS,
  experimentsAtOnce: 1,
});
const naiveLimit = maxConcurrentGameDays({
  getMetricDataCallsPerPoll: Math.ceil(naiveGetMetricDataPerPoll),
  pollSeconds: POLL_SECONDS,
  experimentsAtOnce: 1,
});
say(
  `scale: 50 concurrent rehearsals in ${round(concurrentWallSeconds, 2)} s wall, peak RSS of the bench process so far ` +
    `${Math.round(peakRssMiB)} MiB, ${failed} without a report`,
);
say(
  `most concurrent game days under default quotas: ${limit.maxConcurrentGameDays}, bound by ${limit.boundBy} ` +
    `(GetMetricData 50 TPS alone would allow ${limit.byQuota.getMetricDataTps}; the naive design ` +
    `${naiveLimit.byQuota.getMetricDataTps})`,
);

// 9. Cold imports of the deployed bundles.
progress("synthesizing the stack and importing each bundle in a fresh process, 5 times");
const coldStarts = measureColdStarts(5);
const maxColdImportMs = Math.max(...coldStarts.map((c) => c.medianImportMs));
for (const c of coldStarts)
  say(
    `  ${c.handler}: ${c.bundleKiB} KiB (AWS SDK ${c.sdkKiB} KiB of it), cold import median ` +
      `${round(c.medianImportMs, 1)} ms`,
  );
say(
  `cold import, slowest handler: ${round(maxColdImportMs, 1)} ms (AWS SDK bundled); target < ` +
    `${TARGETS.coldImportMs} ms: ${verdict(maxColdImportMs < TARGETS.coldImportMs)}`,
);

// 10. How fast the CLI answers.
progress("starting the CLI in fresh processes, 7 times each");
const cli = measureCliStart();
say(
  `CLI start: gameday --help ${round(cli.helpMs, 0)} ms (${round(cli.helpRatio, 1)}× node -e 0 at ` +
    `${round(cli.nodeMs, 0)} ms; target ≤ ${TARGETS.cliHelpRatio}×: ${verdict(cli.helpRatio <= TARGETS.cliHelpRatio)}), ` +
    `gameday validate plans/*.json ${round(cli.validateMs, 0)} ms (${round(cli.validateRatio, 1)}×; target ≤ ` +
    `${TARGETS.cliValidateRatio}×: ${verdict(cli.validateRatio <= TARGETS.cliValidateRatio)})`,
);

const totalSeconds = (performance.now() - benchStarted) / 1000;
say(`bench took ${round(totalSeconds, 1)} s`);
console.log(
  JSON.stringify({
    transitionsPerPoll: facts.transitionsPerPoll,
    naiveTransitionsPerPoll: round(naiveTransitionsPerPoll, 3),
    referenceStateTransitions: ours.result.stateTransitions,
    referencePolls: polls,
    getMetricDataCallsPer500Queries: callsFor[500],
    getMetricDataCallsPerPoll: round(ourGetMetricDataPerPoll, 3),
    naiveGetMetricDataCallsPerPoll: round(naiveGetMetricDataPerPoll, 3),
    detectionLatencySeconds,
    detectionLatencySecondsTwoPolls: detectionTwoPolls,
    simulatedMetricDelaySeconds,
    rehearsalSecondsPerSimulatedHour: round(rehearsalSecondsPerSimulatedHour, 4),
    reportBuildSeconds: round(reportBuildSeconds, 4),
    historyCallsPerWatchRefresh: round(historyCallsPerRefresh, 3),
    watchMegabytesRead: round(watchCost.incremental.megabytesRead, 2),
    watchMegabytesReadFullReread: round(watchCost.fullReread.megabytesRead, 2),
    maxColdImportMs: round(maxColdImportMs, 1),
    cliHelpMs: round(cli.helpMs, 0),
    cliValidateMs: round(cli.validateMs, 0),
    nodeStartMs: round(cli.nodeMs, 0),
    orchestrationCostUsd: round(cost.orchestrationUsd, 6),
    fisCostUsd: round(cost.fisUsd, 4),
    orchestrationShareOfFis: round(cost.orchestrationShareOfFis, 5),
    concurrentRehearsals: 50,
    concurrentWallSeconds: round(concurrentWallSeconds, 2),
    peakRssMiB: Math.round(peakRssMiB),
    maxConcurrentGameDays: limit.maxConcurrentGameDays,
    benchSeconds: round(totalSeconds, 1),
  }),
);
