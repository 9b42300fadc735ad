import type { ApprovalDecision, GameDayState, ProbeTally, ReadingSample, StageRecord } from "../gameday/state";
import type { Probe } from "../plan/schema";
import { isTerminal, type ExperimentView } from "../ports";
import { alarmNameOfArn } from "../probes/alarms";
import { FIS_ACTIONS } from "../catalog/fis-actions";
import { NOT_SIMULATED_REASON } from "../contract/rehearsal";
import { durationSeconds, formatSeconds } from "../time/duration";
import type { Finding, Verdict, VerdictFacts } from "./findings";
import type { FaultRecord, FaultRecords, RecoveryRecord } from "./fault-record";
import { GAME_DAY_ERRORS } from "../contract/errors";

export { VERDICTS, type Finding, type Verdict, type VerdictFacts, type VerdictRule } from "./findings";

/** The one table of verdict exit codes; 2 is kept for invalid input (nothing was started). */
export { EXIT_CODES } from "../contract/exit-codes";

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.000Z$/, "Z");
const MAX_REASON_FINDINGS = 3;

/** Only these action states mean FIS acted on a target: skipped and cancelled actions never touched one. */
const actionRan = (a: ExperimentView["actions"][number]) =>
  ["running", "completed", "stopping", "failed"].includes(a.status) || (a.status === "stopped" && !!a.startTime);

/** A fault was injected: an action that injects something ran (a wait or an alarm check injects nothing). */
const injected = (a: ExperimentView["actions"][number]) => actionRan(a) && !FIS_ACTIONS[a.actionId]?.injectsNothing;

/** What StartExperiment fails with, through Step Functions, when the account has no room for another experiment. */
export const FIS_QUOTA_ERROR = "Fis.ServiceQuotaExceededException";

/** An experiment the account's safety lever stopped or cancelled names the lever in its reason. */
export const SAFETY_LEVER_REASON = /safety lever/i;

/** FIS names a stop condition in the experiment's reason when one of its alarms stopped it. */
export const STOP_CONDITION_REASON = /stop condition/i;

/**
 * The verdict model (README, "Verdicts"), in order of precedence:
 * 1. ERROR: an experiment may still be live, stopping failed, or the game day itself hit an error.
 * 2. ABORTED: the system was not steady before injection (nothing was started); INCONCLUSIVE when the baseline
 *    simply had no data.
 * 3. INCONCLUSIVE: a preview, or no action of any experiment ran (skipped, cancelled, targets resolved to nothing,
 *    or not modelled when rehearsing): the hypothesis was never tested.
 * 4. FAILED: a probe read out of bounds while the fault was live beyond its declared tolerance (none by default),
 *    a guardrail stopped the fault on such readings, FIS stopped an experiment because its stop-condition alarm
 *    fired, or the system was still out of bounds when the recovery window ended.
 * 5. ERROR when FIS failed an experiment; ABORTED when a person or another system stopped or cancelled one.
 * 6. INCONCLUSIVE: a probe had no data for a whole phase, or a guardrail stopped the fault on missing data alone.
 * 7. PASSED otherwise.
 */
export function decideVerdict(
  state: GameDayState,
  experiments: readonly ExperimentView[],
  /** The complete record of each probe's fault windows, read when the game day ended; polls where absent. */
  records: FaultRecords = {},
): VerdictFacts {
  const refusedApproval = approvalRefusal(state, experiments);
  if (refusedApproval) return conclude("ABORTED", [refusedApproval]);
  const safety = safetyFindings(state, experiments);
  // The state machine waited 30 minutes for room under FIS's quota and gave up before starting anything: a game day
  // that did not run for want of capacity, not an error of gameday's. (Once a stage ran, its findings must not be
  // lost: that game day stays ERROR with the quota named.)
  if (
    state.failure?.Error === FIS_QUOTA_ERROR &&
    !experiments.length &&
    safety.every((f) => f.rule === "game-day-error")
  )
    return conclude("ABORTED", [
      {
        rule: "execution-ended",
        verdict: "ABORTED",
        message:
          "FIS's quota of 5 active experiments per account and Region (Service Quotas L-F5FCA485) stayed full for " +
          "the 30 minutes the game day waited for room, so it started no experiment of its stage: run it when fewer " +
          "experiments are active, or ask for a higher quota.",
      },
    ]);
  if (safety.length) return conclude("ERROR", safety);
  const baseline = state.journal.baseline;
  if (!baseline)
    return conclude("ERROR", [
      { rule: "game-day-error", verdict: "ERROR", message: "The steady state was never checked." },
    ]);
  if (!baseline.steady) return notSteady(baseline.readings);

  if (state.run.actionsMode === "skip-all")
    return conclude("INCONCLUSIVE", [
      {
        rule: "preview",
        verdict: "INCONCLUSIVE",
        message:
          "This was a preview (actions mode skip-all): FIS resolved the targets and skipped every action, so nothing was injected and the hypothesis was not tested.",
      },
    ]);
  const stoppedByGameDay = new Set(
    state.journal.stages.filter((s) => s.stopRequested).flatMap((s) => s.experiments.map((e) => e.experimentId)),
  );
  const interruption = interruptionFindings(experiments, stoppedByGameDay);
  if (state.journal.stages.length && experiments.length && !experiments.some((e) => e.actions.some(injected)))
    // FIS failing an experiment, or someone stopping it, says more than "nothing was injected".
    return interruption ?? conclude("INCONCLUSIVE", [nothingInjected(experiments)]);

  const partly = partlyInjected(experiments);
  const hypothesis = [
    ...(partly ? [partly] : []),
    ...stopConditionFindings(experiments, stoppedByGameDay),
    ...state.journal.stages.flatMap((stage) => stageFindings(state, stage, records[stage.index] ?? {})),
  ];
  const failed = hypothesis.filter((f) => f.verdict === "FAILED");
  if (failed.length) return namingPartialInjection(conclude("FAILED", hypothesis), partly);

  if (interruption) return namingPartialInjection(interruption, partly);
  if (hypothesis.some((f) => f.verdict === "INCONCLUSIVE"))
    return namingPartialInjection(conclude("INCONCLUSIVE", hypothesis), partly);
  const skipped = state.journal.skippedStages;
  if (skipped.length)
    // The polls did not see a stage recover in time (a glitch can delay them), so the game day went no further,
    // though the stage's record shows it recovered: the later stages' hypothesis was never tested.
    return namingPartialInjection(
      conclude("INCONCLUSIVE", [
        ...hypothesis,
        {
          rule: "stages-missing",
          verdict: "INCONCLUSIVE",
          message: `Stage(s) ${skipped.map((name) => `"${name}"`).join(", ")} never ran: the game day's polls did not see the stage before recover within its recovery window, so their part of the hypothesis was not tested.`,
        },
      ]),
      partly,
    );
  if (state.journal.stages.length < state.stages.length)
    return conclude("ERROR", [{ rule: "stages-missing", verdict: "ERROR", message: "Not every stage ran." }]);
  return namingPartialInjection(conclude("PASSED", hypothesis), partly);
}

/**
 * A game day that asked for approval and was rejected, or waited out its approval timeout: ABORTED, nothing
 * injected, with who decided and why. (The wait comes before the steady-state check, so nothing ran.)
 */
function approvalRefusal(state: GameDayState, experiments: readonly ExperimentView[]): Finding | undefined {
  const error = state.failure?.Error;
  if (!state.plan.requiresApproval || state.approval || experiments.length || state.journal.stages.length)
    return undefined;
  if (error === GAME_DAY_ERRORS.rejected)
    return {
      rule: "approval",
      verdict: "ABORTED",
      message: `The game day was rejected before it injected anything: ${state.failure?.Cause || "no reason given"}.`,
    };
  if (error === "States.Timeout")
    return {
      rule: "approval",
      verdict: "ABORTED",
      message: `Nobody approved the game day within ${formatSeconds(state.timing.approvalSeconds ?? 0)}, so it injected nothing.`,
    };
  return undefined;
}

/** The approval a game day waited for, as a finding every output shows: who gave the go, and when. */
export function approvalFinding(state: GameDayState): Finding | undefined {
  if (!state.approval) return undefined;
  // Whoever may call SendTaskSuccess writes this: only a time that parses is kept as one.
  const { by, at, note } = state.approval as Partial<ApprovalDecision>;
  const when = typeof at === "string" && !Number.isNaN(Date.parse(at)) ? iso(Date.parse(at)) : undefined;
  return {
    rule: "approval",
    verdict: null,
    ...(when ? { at: when } : {}),
    message: `Approved by ${typeof by === "string" ? by.slice(0, 256) : "someone unnamed"}${when ? ` at ${when}` : ""}${typeof note === "string" && note ? ` (${note.slice(0, 512)})` : ""} before anything was injected.`,
  };
}

/** ERROR when FIS failed an experiment; ABORTED when a person or another system stopped or cancelled one. */
function interruptionFindings(
  experiments: readonly ExperimentView[],
  stoppedByGameDay: Set<string>,
): VerdictFacts | undefined {
  const fisFailed = experiments.find((e) => e.status === "failed");
  if (fisFailed)
    return conclude("ERROR", [
      {
        rule: "experiment-failed",
        verdict: "ERROR",
        experimentId: fisFailed.id,
        message: `FIS experiment ${fisFailed.id} failed: ${(fisFailed.reason ?? "no reason given").replace(/\.$/, "")}.`,
      },
    ]);
  const interrupted = experiments.find(
    (e) =>
      e.status === "cancelled" ||
      (e.status === "stopped" && !stoppedByGameDay.has(e.id) && !STOP_CONDITION_REASON.test(e.reason ?? "")),
  );
  if (interrupted)
    return conclude("ABORTED", [
      {
        rule: "experiment-interrupted",
        verdict: "ABORTED",
        experimentId: interrupted.id,
        message: SAFETY_LEVER_REASON.test(interrupted.reason ?? "")
          ? `FIS's safety lever ${interrupted.status === "cancelled" ? "cancelled" : "stopped"} experiment ${interrupted.id}: ${interrupted.reason}. The lever is the account's: disengage it (aws fis update-safety-lever-state --id default) to run game days again.`
          : `FIS experiment ${interrupted.id} was ${interrupted.status} from outside the game day: ${interrupted.reason ?? "no reason given"}.`,
      },
    ]);
  return undefined;
}

function safetyFindings(state: GameDayState, experiments: readonly ExperimentView[]): Finding[] {
  // Safety first: a fault that may still be live makes every other finding moot.
  if (state.cleanupFailure)
    return [
      {
        rule: "cleanup-failed",
        verdict: "ERROR",
        message:
          `Stopping the experiments failed: ${state.cleanupFailure.Error ?? "unknown"}: ${state.cleanupFailure.Cause ?? ""}`.trim(),
      },
    ];
  const live = experiments.filter((e) => !isTerminal(e.status));
  if (live.length)
    return [
      {
        rule: "live-experiment",
        verdict: "ERROR",
        message: `Experiments were still live when the game day ended: ${live.map((e) => `${e.id} (${e.status})`).join(", ")}.`,
      },
    ];
  if (state.failure)
    return [
      {
        rule: "game-day-error",
        verdict: "ERROR",
        message: `The game day hit an error: ${state.failure.Error ?? "unknown"}: ${state.failure.Cause ?? ""}`.trim(),
      },
    ];
  return [];
}

function notSteady(readings: NonNullable<GameDayState["journal"]["baseline"]>["readings"]): VerdictFacts {
  const off = readings.filter((r) => r.breached);
  const blind = off.filter((r) => r.value === null);
  if (off.length && blind.length === off.length)
    return conclude(
      "INCONCLUSIVE",
      blind.map((r) => ({
        rule: "no-data",
        verdict: "INCONCLUSIVE",
        probeId: r.probeId,
        message: `${r.probeId} had no data in the baseline window, so the steady state could not be checked; nothing was started.`,
      })),
    );
  return conclude(
    "ABORTED",
    off
      .filter((r) => r.value !== null)
      .map((r) => ({
        rule: "not-steady",
        verdict: "ABORTED",
        probeId: r.probeId,
        value: r.value!,
        bound: r.breaches.join("; "),
        message: `The system was not steady before injection: ${r.probeId} (${r.breaches.join(", ")}). Nothing was started.`,
      })),
  );
}

function nothingInjected(experiments: readonly ExperimentView[]): Finding {
  const actions = experiments.flatMap((e) =>
    e.actions.map((a) => `${a.name} (${a.actionId}) ${a.status}${a.reason ? `: ${a.reason}` : ""}`),
  );
  return {
    rule: "nothing-injected",
    verdict: "INCONCLUSIVE",
    message: `No fault was injected: no fault action of any experiment ran (${actions.join("; ") || "no actions"}), so the hypothesis was not tested.`,
  };
}

function stopConditionFindings(experiments: readonly ExperimentView[], stoppedByGameDay: Set<string>): Finding[] {
  return experiments
    .filter((e) => e.status === "stopped" && !stoppedByGameDay.has(e.id) && STOP_CONDITION_REASON.test(e.reason ?? ""))
    .map((e) => {
      const named = (e.stopConditionAlarms ?? []).filter((arn) => (e.reason ?? "").includes(arn));
      const alarms = named.length ? named : (e.stopConditionAlarms ?? []);
      const alarm = alarms.map(alarmNameOfArn).join(", ");
      return {
        rule: "stop-condition",
        verdict: "FAILED",
        experimentId: e.id,
        ...(alarm ? { alarm } : {}),
        ...(e.endTime ? { at: iso(Date.parse(e.endTime)) } : {}),
        message: `FIS stopped experiment ${e.id} because its stop condition fired${alarm ? ` (alarm ${alarm})` : ""}: the team's own alarm broke. FIS said: "${e.reason}"`,
      } satisfies Finding;
    });
}

const sampleText = (s: ReadingSample) => `${s.breach} at ${iso(s.at)}`;
/** A sample's value for a finding; a reading without data (treated as breaching) has none. */
const valueOf = (s: ReadingSample) => (s.value === null ? {} : { value: s.value });

/**
 * The hypothesis, the guardrail stop and recovery of one stage, probe by probe. A probe with a complete record of
 * the fault window is judged on it; the polls decide the guardrail stop, and judge probes without a record.
 */
function stageFindings(state: GameDayState, stage: StageRecord, records: Record<string, FaultRecord>): Finding[] {
  const out: Finding[] = [];
  const pollSeconds = state.timing.pollSeconds;
  const stop = stage.stopRequested;
  for (const probe of state.plan.hypothesis.probes) {
    const fault = stage.faultTally?.[probe.id];
    const stoppedOnIt = stop?.reason === "guardrail" && stop.probeIds.includes(probe.id);
    const record = records[probe.id];
    if (record?.periods && !stoppedOnIt) {
      out.push(...recordFindings(stage, probe, record));
      continue;
    }
    if (stoppedOnIt) out.push(guardrailFinding(state, stage, probe.id, fault));
    else if (fault?.firstOutOfBounds)
      out.push(
        faultFinding(stage, probe, fault.firstOutOfBounds, fault.outOfBoundsPolls * pollSeconds, {
          out: fault.outOfBoundsPolls,
          of: fault.polls,
          unit: "poll(s)",
        }),
      );
    if (fault && fault.polls > 0 && fault.noDataPolls === fault.polls && !stoppedOnIt)
      out.push(
        noDataFinding(stage, probe.id, `while the fault was live (${fault.polls} poll(s)), so it could not be judged`),
      );
    if (!fault && stage.polls > 0 && !stoppedOnIt)
      out.push({
        rule: "no-data",
        verdict: "INCONCLUSIVE",
        probeId: probe.id,
        stage: stage.name,
        message: `Stage "${stage.name}": no reading of ${probe.id} described the time the fault was live (its data is published later than the game day looked), so it could not be judged.`,
      });
  }
  out.push(...recoveryFindings(state, stage, records));
  return out;
}

/**
 * Whether each probe came back after the stage's fault. A probe with a complete record is judged on it, whatever
 * the polls saw (a glitch can delay them past the window); the others, on the polls' streak when it gave up.
 */
function recoveryFindings(state: GameDayState, stage: StageRecord, records: Record<string, FaultRecord>): Finding[] {
  const recorded = state.plan.hypothesis.probes.filter((p) => records[p.id]?.recovery);
  const out = recorded.flatMap((p) => recordRecoveryFindings(state, stage, p.id, records[p.id]!.recovery!));
  if (stage.recovery?.gaveUpAt === undefined) return out;
  const byPolls = notRecoveredFindings(state, stage);
  if (!recorded.length) return [...out, ...byPolls];
  // Findings about probes without a record; one about the whole poll streak says nothing the records do not.
  const unrecorded = new Set(state.plan.hypothesis.probes.filter((p) => !records[p.id]?.recovery).map((p) => p.id));
  return [...out, ...byPolls.filter((f) => f.probeId !== undefined && unrecorded.has(f.probeId))];
}

function recordRecoveryFindings(
  state: GameDayState,
  stage: StageRecord,
  probeId: string,
  record: RecoveryRecord,
): Finding[] {
  if (record.recoveredAt !== undefined) return [];
  const window = formatSeconds(state.timing.recoverySeconds);
  const streak = `${record.periodsNeeded} period(s) in a row`;
  const last = record.lastOutOfBounds;
  if (last && record.complete)
    return [
      breachFinding(
        "not-recovered",
        stage,
        probeId,
        last,
        `Stage "${stage.name}": ${probeId} was not back in bounds for ${streak} within the ${window} recovery window (last ${sampleText(last)}).`,
      ),
    ];
  const why = last
    ? `its data after its last breach (${sampleText(last)}) was not all published when the game day ended`
    : record.noDataPeriods
      ? `it had no data in ${record.noDataPeriods} of the ${record.periods} period(s) published after the fault`
      : record.periods
        ? `only ${record.periods} period(s) after the fault were published, fewer than the ${streak} that show recovery`
        : "no period after the fault was published when the game day ended";
  return [
    {
      rule: "no-data",
      verdict: "INCONCLUSIVE",
      probeId,
      stage: stage.name,
      message: `Stage "${stage.name}": ${probeId}'s recovery was never shown: ${why}.`,
    },
  ];
}

function guardrailFinding(state: GameDayState, stage: StageRecord, probeId: string, fault?: ProbeTally): Finding {
  const polls = state.plan.guardrails.consecutiveBreachingPolls;
  const last = fault?.lastOutOfBounds;
  if (!fault)
    // A journal without tallies (a game day started before they were kept): the stop itself is the evidence.
    return {
      rule: "guardrail-stop",
      verdict: "FAILED",
      probeId,
      stage: stage.name,
      message: `Stage "${stage.name}": ${probeId} breached for ${polls} consecutive polls; the guardrail stopped the experiments.`,
    };
  if (!last)
    return {
      rule: "no-data",
      verdict: "INCONCLUSIVE",
      probeId,
      stage: stage.name,
      message: `Stage "${stage.name}": the guardrail stopped the experiments because ${probeId} had no data for ${polls} consecutive polls; no reading showed it out of bounds.`,
    };
  return breachFinding(
    "guardrail-stop",
    stage,
    probeId,
    last,
    `Stage "${stage.name}": ${probeId} was out of bounds for ${polls} consecutive polls (${sampleText(last)}); the guardrail stopped the experiments.`,
  );
}

/** A FAILED finding resting on one reading out of bounds: when, the value, the bound it broke. */
function breachFinding(
  rule: "not-recovered" | "guardrail-stop",
  stage: StageRecord,
  probeId: string,
  sample: ReadingSample,
  message: string,
): Finding {
  return {
    rule,
    verdict: "FAILED",
    probeId,
    stage: stage.name,
    at: iso(sample.at),
    ...valueOf(sample),
    bound: sample.breach,
    message,
  };
}

/** What the complete record of the fault window shows of one probe: a breach (or tolerated one), or no data at all. */
function recordFindings(stage: StageRecord, probe: Probe, record: FaultRecord): Finding[] {
  const out: Finding[] = [];
  if (record.firstOutOfBounds)
    out.push(
      faultFinding(stage, probe, record.firstOutOfBounds, record.outOfBoundsPeriods * record.periodSeconds, {
        out: record.outOfBoundsPeriods,
        of: record.periods,
        unit: `period(s) of ${formatSeconds(record.periodSeconds)}`,
      }),
    );
  if (record.noDataPeriods === record.periods)
    out.push(
      noDataFinding(
        stage,
        probe.id,
        `in any of the ${record.periods} period(s) of the fault published by the end of the game day, so it could not be judged`,
      ),
    );
  return out;
}

function faultFinding(
  stage: StageRecord,
  probe: Probe,
  first: ReadingSample,
  outSeconds: number,
  count: { out: number; of: number; unit: string },
): Finding {
  const tolerance = probe.tolerance?.outOfBoundsDuringFault;
  const base = { probeId: probe.id, stage: stage.name, at: iso(first.at), ...valueOf(first), bound: first.breach };
  const polls = `${count.out} of ${count.of} ${count.unit}`;
  if (tolerance === undefined)
    return {
      ...base,
      rule: "out-of-bounds-during-fault",
      verdict: "FAILED",
      message: `Stage "${stage.name}": ${probe.id} was out of bounds while the fault was live (${sampleText(first)}; ${polls}), and it tolerates no breach.`,
    };
  const tolerated = durationSeconds(tolerance);
  if (outSeconds > tolerated)
    return {
      ...base,
      rule: "tolerance-exceeded",
      verdict: "FAILED",
      message: `Stage "${stage.name}": ${probe.id} was out of bounds for about ${formatSeconds(outSeconds)} while the fault was live (${polls}, first ${sampleText(first)}), more than the ${formatSeconds(tolerated)} it tolerates.`,
    };
  return {
    ...base,
    rule: "tolerated",
    verdict: null,
    message: `Stage "${stage.name}": ${probe.id} was out of bounds for about ${formatSeconds(outSeconds)} while the fault was live (first ${sampleText(first)}), within the ${formatSeconds(tolerated)} it tolerates.`,
  };
}

function noDataFinding(stage: StageRecord, probeId: string, what: string): Finding {
  return {
    rule: "no-data",
    verdict: "INCONCLUSIVE",
    probeId,
    stage: stage.name,
    message: `Stage "${stage.name}": ${probeId} had no data ${what}.`,
  };
}

/** The probes out of bounds at the last poll that broke the recovery streak: what kept the system from recovering. */
function notRecoveredFindings(state: GameDayState, stage: StageRecord): Finding[] {
  // In the plan's probe order, whatever order the polls first saw them in.
  const order = state.plan.hypothesis.probes.map((p) => p.id);
  const tallies = Object.entries(stage.recoveryTally ?? {}).sort(([a], [b]) => order.indexOf(a) - order.indexOf(b));
  const lastBreach = Math.max(...tallies.map(([, t]) => t.lastOutOfBounds?.at ?? -Infinity));
  const window = formatSeconds(state.timing.recoverySeconds);
  if (!Number.isFinite(lastBreach)) {
    const blind = tallies
      .filter(([, t]) => t.noDataPolls > 0)
      .map(([probeId, t]) =>
        noDataFinding(
          stage,
          probeId,
          `in ${t.noDataPolls} of ${t.polls} recovery poll(s), so its recovery was never shown`,
        ),
      );
    if (blind.length) return blind;
    // Every reading of the window still described the fault (CloudWatch's late datapoints): no reading says
    // whether the system came back.
    const readings = Math.max(0, ...tallies.map(([, t]) => t.polls));
    return [
      {
        rule: "no-data",
        verdict: "INCONCLUSIVE",
        stage: stage.name,
        message: `Stage "${stage.name}": only ${readings} reading(s) within the ${window} recovery window described the time after the fault, fewer than the ${state.timing.recoveredAfterPolls} needed to show recovery.`,
      },
    ];
  }
  // Probes none of whose readings reached past the fault: whatever the others showed, their recovery is unknown.
  const unseen = order
    .filter((id) => !stage.recoveryTally?.[id]?.polls)
    .map((probeId): Finding => ({
      rule: "no-data",
      verdict: "INCONCLUSIVE",
      probeId,
      stage: stage.name,
      message: `Stage "${stage.name}": no reading of ${probeId} within the ${window} recovery window described the time after the fault (its data is published later), so its recovery was never shown.`,
    }));
  return [
    ...tallies
      .filter(([, t]) => t.lastOutOfBounds?.at === lastBreach)
      .map(([probeId, t]) =>
        breachFinding(
          "not-recovered",
          stage,
          probeId,
          t.lastOutOfBounds!,
          `Stage "${stage.name}": ${probeId} did not stay back in bounds for ${state.timing.recoveredAfterPolls} poll(s) within the ${window} recovery window (last ${sampleText(t.lastOutOfBounds!)}).`,
        ),
      ),
    ...unseen,
  ];
}

/** The reason sentence: the findings that decided the verdict, in their own words, and nothing else. */
/**
 * When some fault actions ran and others did not (skipped, cancelled, not modelled), the hypothesis was tested only
 * against what ran: every verdict over such a game day names both.
 */
function partlyInjected(experiments: readonly ExperimentView[]): Finding | undefined {
  const faults = experiments.flatMap((e) => e.actions.filter((a) => !FIS_ACTIONS[a.actionId]?.injectsNothing));
  const ran = faults.filter(injected);
  const notRan = faults.filter((a) => !injected(a));
  if (!ran.length || !notRan.length) return undefined;
  const name = (a: ExperimentView["actions"][number]) => `${a.name} (${a.actionId})`;
  // Each action once, however many experiments (stages) ran it.
  const once = (texts: string[]) => [...new Set(texts)];
  // A part the rehearsal could not simulate leaves the hypothesis untested there: not judged. A part AWS skipped
  // (an empty target) is the system's own answer, named with the verdict over what ran.
  const notSimulated = notRan.some((a) => a.reason?.startsWith(NOT_SIMULATED_REASON));
  return {
    rule: "partly-injected",
    verdict: notSimulated ? "INCONCLUSIVE" : null,
    message:
      `Only part of the fault was injected: ${once(ran.map(name)).join(", ")} ran; ` +
      `${once(notRan.map((a) => `${name(a)} ${a.status}${a.reason ? `: ${a.reason}` : ""}`)).join("; ")} did not, ` +
      (notSimulated
        ? "so the hypothesis was not tested against the whole fault: declare what the rehearsal could not simulate."
        : "so the verdict covers only what ran."),
  };
}

/** The verdict's facts with the partial injection named, for every verdict but ERROR (which is about gameday). */
function namingPartialInjection(facts: VerdictFacts, partly: Finding | undefined): VerdictFacts {
  if (!partly || facts.verdict === "ERROR") return facts;
  return {
    ...facts,
    reason: `${facts.reason} ${partly.message}`,
    findings: facts.findings.includes(partly) ? facts.findings : [partly, ...facts.findings],
  };
}

function conclude(verdict: Verdict, findings: Finding[]): VerdictFacts {
  const deciding = findings.filter((f) => f.verdict === verdict);
  const tolerated = findings.filter((f) => f.rule === "tolerated");
  let reason: string;
  if (verdict === "PASSED") {
    reason = tolerated.length
      ? `Every probe stayed within its bounds or its declared tolerance while the fault was live and was back in bounds within the recovery window. ${tolerated.map((f) => f.message).join(" ")}`
      : "Every probe stayed within its bounds while the fault was live and was back in bounds within the recovery window.";
  } else {
    const shown = deciding.slice(0, MAX_REASON_FINDINGS).map((f) => f.message);
    const more = deciding.length - shown.length;
    reason = shown.join(" ") + (more > 0 ? ` (${more} more finding(s) in the report.)` : "");
  }
  return { verdict, reason, findings };
}
