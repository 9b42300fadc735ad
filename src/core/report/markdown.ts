import { resourceName } from "../gameday/acted-on";
import { formatSeconds } from "../time/duration";
import type { Movement } from "../traces/blast-radius";
import type { TraceReport } from "../traces/report";
import type { Report, ReportProbe } from "./model";
import {
  probeOutcome,
  escapeMarkdown,
  recoveryText,
  stageRecoveryText,
  quotaWaitText,
  alarmMuteText,
  formatNumber,
  formatPercent,
  quantityText,
  usd,
} from "./text";

const ICON: Record<Report["verdict"], string> = {
  PASSED: "✅",
  FAILED: "❌",
  INCONCLUSIVE: "❔",
  ABORTED: "⏹️",
  ERROR: "⚠️",
};

/** Bounds as the report states them: resolved relative bounds name the rule they came from. */
const boundsText = (bounds: object) => {
  const b = bounds as Record<string, unknown>;
  return Object.entries(b)
    .filter(([k, v]) => typeof v === "number" && !k.endsWith("Rule"))
    .map(
      ([k, v]) => `${k} ${formatNumber(v as number)}${typeof b[`${k}Rule`] === "string" ? ` (${b[`${k}Rule`]})` : ""}`,
    )
    .join(", ");
};

/** An alarm probe's 0/1 samples read as states; other probes' values as numbers. */
export const probeValueText = (probe: ReportProbe, v: number | null | undefined, format = formatNumber) => {
  if (!probe.alarm || v === null || v === undefined) return format(v);
  const states = probe.alarm.breachingStates.join("/");
  return v > 0 ? states : `not ${states}`;
};

/** An alarm's states over the game day, e.g. "OK at 09:55:00 → ALARM at 10:01:00". */
export const alarmStory = (changes: readonly { at: string; state: string }[] = []) =>
  changes.map((c) => `${c.state} at ${c.at.slice(11, 19)}`).join(" → ");

const probeBoundsText = (probe: ReportProbe) =>
  probe.alarm
    ? `never ${probe.alarm.breachingStates.join(" or ")} (alarm ${probe.alarm.name})`
    : boundsText(probe.resolvedBounds ?? probe.bounds);

const movementText = (m: Movement) =>
  m.measure.endsWith("Rate")
    ? `${formatPercent(m.baseline)} → ${formatPercent(m.observed)} (band edge ${formatPercent(m.threshold)})`
    : `${formatNumber(m.baseline)} → ${formatNumber(m.observed)} (band edge ${formatNumber(m.threshold)})`;

function traceLines(traces: TraceReport): string[] {
  const lines = ["", "## Blast radius", ""];
  const all = [...traces.services, ...traces.edges];
  if (!traces.blastRadius.length) lines.push("Nothing moved beyond the baseline's noise.");
  else {
    lines.push("| Service or edge | Measure | Phase | Baseline → observed |", "|---|---|---|---|");
    for (const name of traces.blastRadius)
      for (const m of all.find((e) => e.name === name)!.moved)
        lines.push(
          `| ${escapeMarkdown(name)} | ${escapeMarkdown(m.measure)} | ${escapeMarkdown(m.phase)} | ${movementText(m)} |`,
        );
  }
  lines.push("", "### Services and edges (X-Ray)", "");
  lines.push("| Service or edge | Fault rate baseline / fault / recovery | p99 ms baseline / fault / recovery |");
  lines.push("|---|---|---|");
  for (const e of all) {
    const rates = (["baseline", "fault", "recovery"] as const)
      .map((p) => formatPercent(e.phases[p].faultRate))
      .join(" / ");
    const p99 = (["baseline", "fault", "recovery"] as const)
      .map((p) => formatNumber(e.phases[p].p99Milliseconds))
      .join(" / ");
    lines.push(`| ${escapeMarkdown(e.name)} | ${rates} | ${p99} |`);
  }
  if (traces.entitiesLeftOut) lines.push("", `${traces.entitiesLeftOut} quieter services or edges were left out.`);
  const causes = (["fault", "recovery"] as const)
    .map((p) => {
      const list = Object.entries(traces.faultRootCauses[p])
        .sort(([, a], [, b]) => b - a)
        .map(([s, n]) => `${escapeMarkdown(s)} (${n})`)
        .join(", ");
      return list ? `- ${p}: ${list} of ${traces.sampledTraces[p]} sampled faulted traces` : "";
    })
    .filter(Boolean);
  if (causes.length) lines.push("", "Fault root causes named by X-Ray:", "", ...causes);
  if (traces.sampleCapped)
    lines.push("", "The trace sample hit its page cap; root-cause counts are from the first pages.");
  return lines;
}

/** A report people read in a pull request, a wiki or the S3 console. Every string is escaped: names are data. */
export function renderMarkdown(report: Report): string {
  const t = escapeMarkdown;
  const lines: string[] = [];
  const icon = Object.hasOwn(ICON, report.verdict) ? ICON[report.verdict] : "";
  lines.push(`# Game day: ${t(report.plan.name)} — ${icon} ${t(report.verdict)}`, "");
  lines.push(t(report.reason), "");
  // Minimal reports (built by the state machine when the report Lambda failed) carry only the execution's name.
  lines.push(`- Execution: ${t(report.execution.name)} (${t(report.execution.actionsMode ?? "run-all")})`);
  lines.push(
    `- Started: ${t(report.execution.startedAt ?? "unknown")}; ended: ${t(report.execution.endedAt ?? "unknown")}`,
  );
  lines.push(`- Recovery: ${recoveryText(report)}`);
  if (report.slowestRecovery) {
    const s = report.slowestRecovery;
    lines.push(
      `- Slowest probe to recover: ${t(s.probeId)} (${s.seconds === null ? "did not settle while watched" : formatSeconds(Math.round(s.seconds))}, stage ${t(s.stage)})`,
    );
  }
  lines.push("", `> ${t(report.plan.description)}`, "");

  if (report.findings?.length) {
    lines.push("## Findings", "", "| Rule | Leads to | Probe | Stage | When | Finding |", "|---|---|---|---|---|---|");
    for (const f of report.findings)
      lines.push(
        `| ${t(f.rule)} | ${t(f.verdict ?? "–")} | ${t(f.probeId ?? "–")} | ${t(f.stage ?? "–")} | ${t(f.at ?? "–")} | ${t(f.message)} |`,
      );
    lines.push("");
  }

  if (report.comparison) {
    const c = report.comparison;
    lines.push("## Compared with the previous game day", "");
    lines.push(`Previous: ${t(c.previous.execution)}, ${t(c.previous.verdict)}, ended ${t(c.previous.endedAt)}.`, "");
    if (c.differentTargets?.length) {
      lines.push("The two runs acted on different resources, so no improvement is claimed:", "");
      for (const d of c.differentTargets) lines.push(`- ${t(d)}`);
      lines.push("");
    }
    if (!c.regressions.length) lines.push("No regression.");
    for (const r of c.regressions) lines.push(`- ⚠️ **${t(r.summary)}**`);
    for (const i of c.improvements) lines.push(`- ${t(i.summary)}`);
    lines.push("");
  }

  lines.push("## Stages", "", "| Stage | Fault | Stopped by | Recovery | Polls |", "|---|---|---|---|---|");
  for (const s of report.stages) {
    const fault = `${t(s.faultStartedAt.slice(11, 19))} → ${s.faultEndedAt ? t(s.faultEndedAt.slice(11, 19)) : "…"}${quotaWaitText(s)}`;
    const stopped = s.stoppedBy
      ? `${t(s.stoppedBy)}${s.guardrailProbes.length ? ` (${t(s.guardrailProbes.join(", "))})` : ""}`
      : "–";
    lines.push(`| ${t(s.name)} | ${fault} | ${stopped} | ${stageRecoveryText(report, s)} | ${s.polls} |`);
  }
  if (report.skippedStages.length)
    lines.push("", `Skipped after the hypothesis broke: ${t(report.skippedStages.join(", "))}.`);

  if (report.cost) {
    lines.push("", "## Cost", "", `About $${usd(report.cost.totalUsd)} at list prices. ${t(report.cost.basis)}`, "");
    lines.push("| Service | Unit | Quantity | USD |", "|---|---|---|---|");
    for (const item of report.cost.items)
      lines.push(`| ${t(item.service)} | ${t(item.unit)} | ${quantityText(item.quantity)} | ${usd(item.usd)} |`);
  }

  lines.push("", "## Experiments", "");
  if (!report.experiments.length) lines.push("No experiment was started.");
  for (const e of report.experiments) {
    lines.push(`### ${t(e.name)} — ${t(e.experimentId)} (${t(e.status)})`, "");
    lines.push(`Template ${t(e.templateId)}, stage ${t(e.stage)}.${e.reason ? ` ${t(e.reason)}` : ""}`, "");
    lines.push("| Action | Action id | Status | Acted on |", "|---|---|---|---|");
    for (const a of e.actions)
      lines.push(
        `| ${t(a.name)} | ${t(a.actionId)} | ${t(a.status)}${a.reason ? ` — ${t(a.reason)}` : ""} | ${actedOn(a.resources)} |`,
      );
    lines.push("");
  }

  lines.push(
    "## Probes",
    "",
    "| Probe | Verdict | Bounds | Baseline median | Fault max | Recovery last | Time to detect | Time to recover |",
    "|---|---|---|---|---|---|---|---|",
  );
  for (const p of report.probes) {
    const detect = p.timeToDetect.map((v) => (v === null ? "–" : formatSeconds(v))).join(", ");
    const recover = (p.timeToRecover ?? [])
      .map((v) => (v === null ? "did not settle" : formatSeconds(Math.round(v))))
      .join(", ");
    const broke = t(probeOutcome(report, p.id));
    lines.push(
      `| ${t(p.id)} | ${broke} | ${t(probeBoundsText(p))} | ${t(probeValueText(p, p.phases.baseline.median))} | ${t(probeValueText(p, p.phases.fault.max))} | ${t(probeValueText(p, p.phases.recovery.last))} | ${detect} | ${recover || "–"} |`,
    );
  }
  for (const p of report.probes) {
    // Reports stored before alarm histories were kept have none.
    if (p.alarm?.changes?.length)
      lines.push("", `Alarm ${t(p.alarm.name)} (${t(p.id)}): ${t(alarmStory(p.alarm.changes))}.`);
  }
  if (report.traces) lines.push(...traceLines(report.traces));
  if (report.cleanup) {
    lines.push(
      "",
      "## Cleanup",
      "",
      `Stopped by the cleanup path: ${t(report.cleanup.stopped.join(", ") || "none")}; still pending: ${report.cleanup.pending}.`,
    );
  }
  if (report.alarmMute) lines.push("", t(alarmMuteText(report.alarmMute)));
  if (report.rehearsal) {
    const r = report.rehearsal;
    lines.push("", "## Rehearsal", "");
    lines.push(
      `Simulated account ${t(r.world)}, seed ${r.seed}: ${formatSeconds(r.simulatedSeconds)} simulated in ${r.wallSeconds.toFixed(2)} s.`,
    );
    lines.push(
      `State transitions: ${r.stateTransitions} (${r.transitionsPerPoll.toFixed(2)} per poll over ${r.polls} polls). Orphaned experiments: ${r.orphanedExperiments}.`,
    );
    if (r.unmodeledActions.length) {
      lines.push(
        `Not modeled by the simulator (skipped in the rehearsal: nothing injected): ${r.unmodeledActions.map((a) => `${t(a.action)} (${t(a.actionId)})`).join(", ")}.`,
      );
    }
  }
  return lines.join("\n") + "\n";
}

/** The resources an action acted on, each by its ARN's last part; "–" when it had no target, "?" when not read. */
function actedOn(resources: string[] | undefined): string {
  if (resources === undefined) return "?";
  if (!resources.length) return "–";
  return resources.map((arn) => `\`${escapeMarkdown(resourceName(arn))}\``).join(", ");
}
