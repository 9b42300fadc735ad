import { formatSeconds } from "../time/duration";
import type { Report } from "./model";

const ICON: Record<Report["verdict"], string> = { PASSED: "✅", FAILED: "❌", ABORTED: "⏹️", ERROR: "⚠️" };

const num = (v: number | null | undefined) =>
  v === null || v === undefined
    ? "–"
    : Math.abs(v) >= 100
      ? v.toFixed(0)
      : Math.abs(v) >= 1
        ? v.toFixed(2)
        : v.toFixed(4);

const boundsText = (bounds: Record<string, number | undefined>) =>
  Object.entries(bounds)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k} ${v}`)
    .join(", ");

/** A report people read in a pull request, a wiki or the S3 console. */
export function renderMarkdown(report: Report): string {
  const lines: string[] = [];
  lines.push(`# Game day: ${report.plan.name} — ${ICON[report.verdict]} ${report.verdict}`, "");
  lines.push(report.reason, "");
  // Minimal reports (built by the state machine when the report Lambda failed) carry only the execution's name.
  lines.push(`- Execution: \`${report.execution.name}\` (${report.execution.actionsMode ?? "run-all"})`);
  lines.push(`- Started: ${report.execution.startedAt ?? "unknown"}; ended: ${report.execution.endedAt ?? "unknown"}`);
  lines.push(`- Recovery: ${report.recovery === null ? "not recovered" : formatSeconds(report.recovery)}`);
  lines.push("", `> ${report.plan.description}`, "");

  lines.push("## Stages", "", "| Stage | Fault | Stopped by | Recovery | Polls |", "|---|---|---|---|---|");
  for (const s of report.stages) {
    const fault = `${s.faultStartedAt.slice(11, 19)} → ${s.faultEndedAt ? s.faultEndedAt.slice(11, 19) : "…"}`;
    const stopped = s.stoppedBy
      ? `${s.stoppedBy}${s.guardrailProbes.length ? ` (${s.guardrailProbes.join(", ")})` : ""}`
      : "–";
    lines.push(
      `| ${s.name} | ${fault} | ${stopped} | ${s.recoverySeconds === null ? "not recovered" : formatSeconds(s.recoverySeconds)} | ${s.polls} |`,
    );
  }
  if (report.skippedStages.length)
    lines.push("", `Skipped after the hypothesis broke: ${report.skippedStages.join(", ")}.`);

  lines.push("", "## Experiments", "");
  if (!report.experiments.length) lines.push("No experiment was started.");
  for (const e of report.experiments) {
    lines.push(`### ${e.name} — \`${e.experimentId}\` (${e.status})`, "");
    lines.push(`Template \`${e.templateId}\`, stage ${e.stage}.${e.reason ? ` ${e.reason}` : ""}`, "");
    lines.push("| Action | Action id | Status |", "|---|---|---|");
    for (const a of e.actions)
      lines.push(`| ${a.name} | \`${a.actionId}\` | ${a.status}${a.reason ? ` — ${a.reason}` : ""} |`);
    lines.push("");
  }

  lines.push(
    "## Probes",
    "",
    "| Probe | Bounds | Baseline median | Fault max | Recovery last | Time to detect |",
    "|---|---|---|---|---|---|",
  );
  for (const p of report.probes) {
    const detect = p.timeToDetect.map((t) => (t === null ? "–" : formatSeconds(t))).join(", ");
    lines.push(
      `| ${p.id} | ${boundsText(p.bounds as Record<string, number>)} | ${num(p.phases.baseline.median)} | ${num(p.phases.fault.max)} | ${num(p.phases.recovery.last)} | ${detect} |`,
    );
  }
  if (report.cleanup) {
    lines.push(
      "",
      "## Cleanup",
      "",
      `Stopped by the cleanup path: ${report.cleanup.stopped.join(", ") || "none"}; still pending: ${report.cleanup.pending}.`,
    );
  }
  if (report.rehearsal) {
    const r = report.rehearsal;
    lines.push("", "## Rehearsal", "");
    lines.push(
      `Simulated account \`${r.world}\`, seed ${r.seed}: ${formatSeconds(r.simulatedSeconds)} simulated in ${r.wallSeconds.toFixed(2)} s.`,
    );
    lines.push(
      `State transitions: ${r.stateTransitions} (${r.transitionsPerPoll.toFixed(2)} per poll over ${r.polls} polls). Orphaned experiments: ${r.orphanedExperiments}.`,
    );
    if (r.unmodeledActions.length) {
      lines.push(
        `Not modeled by the simulator (no effect in the rehearsal): ${r.unmodeledActions.map((a) => `${a.action} (\`${a.actionId}\`)`).join(", ")}.`,
      );
    }
  }
  return lines.join("\n") + "\n";
}
