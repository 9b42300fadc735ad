import { resourceName } from "../gameday/acted-on";
import { formatSeconds } from "../time/duration";
import type { EntityReport, Movement } from "../traces/blast-radius";
import type { Report } from "./model";
import { alarmStory, probeValueText } from "./markdown";
import {
  decidingFindingsOf,
  escapeMarkup as escapeHtml,
  formatNumber,
  formatPercent,
  probeOutcome,
  recoveryText,
  stageRecoveryText,
  quotaWaitText,
  alarmMuteText,
  quantityText,
  unjudgedFindingsOf,
  usd,
} from "./text";

/** The chart library's code and style, inlined so the file opens anywhere without a network. */
export interface ChartLibrary {
  script: string;
  style: string;
}

/** JSON inside a <script> element: `<` escaped so no string in the report can close the element. */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, "\\u003c");

const VERDICT_COLOUR: Record<Report["verdict"], string> = {
  PASSED: "#1a7f37",
  FAILED: "#cf222e",
  INCONCLUSIVE: "#6e7781",
  ABORTED: "#9a6700",
  ERROR: "#9a6700",
};

const duration = (s: number | null | undefined) =>
  s === null || s === undefined ? "did not settle" : formatSeconds(Math.round(s));

function table(headers: string[], rows: string[][], className = ""): string {
  return `<table class="${className}"><thead><tr>${headers.map((h) => `<th>${escapeHtml(h)}</th>`).join("")}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join("")}</tr>`)
    .join("")}</tbody></table>`;
}

const movementText = (m: Movement) =>
  m.measure.endsWith("Rate")
    ? `${formatPercent(m.baseline)} → ${formatPercent(m.observed)} (band ${formatPercent(m.threshold)})`
    : `${formatNumber(m.baseline)} → ${formatNumber(m.observed)} (band ${formatNumber(m.threshold)})`;

function blastRadiusSection(report: Report): string {
  const traces = report.traces;
  if (!traces) return `<section><h2>Blast radius</h2><p>X-Ray could not be read for this game day.</p></section>`;
  const entities = [...traces.services, ...traces.edges];
  const byName = new Map(entities.map((e) => [e.name, e]));
  const rows = traces.blastRadius.flatMap((name) =>
    byName
      .get(name)!
      .moved.map((m) => [
        `<b>${escapeHtml(name)}</b>`,
        escapeHtml(m.measure),
        escapeHtml(m.phase),
        escapeHtml(movementText(m)),
      ]),
  );
  const graph = (e: EntityReport) => [
    `${e.kind === "edge" ? "↳ " : ""}${escapeHtml(e.name)}${traces.blastRadius.includes(e.name) ? ' <span class="hot">moved</span>' : ""}`,
    ...(["baseline", "fault", "recovery"] as const).map(
      (p) =>
        `${e.phases[p].requests ? Math.round(e.phases[p].requests).toLocaleString("en-US") : "–"} req · ${formatPercent(e.phases[p].faultRate)} faults · p99 ${formatNumber(e.phases[p].p99Milliseconds)} ms`,
    ),
  ];
  const causes = (["baseline", "fault", "recovery"] as const).map((p) => {
    const list = Object.entries(traces.faultRootCauses[p])
      .sort(([, a], [, b]) => b - a)
      .map(([s, n]) => `${escapeHtml(s)} (${n})`)
      .join(", ");
    return [p, String(traces.sampledTraces[p]), list || "none"];
  });
  return `<section><h2>Blast radius</h2>
${
  rows.length
    ? `<p>Services and edges whose behaviour moved beyond the baseline's noise (median ± 3 scaled MAD, with a floor), worst first.</p>${table(["Service or edge", "Measure", "Phase", "Baseline → observed"], rows, "blast")}`
    : "<p>Nothing moved beyond the baseline's noise.</p>"
}
<h3>Services and edges (X-Ray)</h3>
${table(["Service or edge", "Baseline", "Fault", "Recovery"], entities.map(graph))}
${traces.entitiesLeftOut ? `<p>${traces.entitiesLeftOut} quieter services or edges were left out.</p>` : ""}
<h3>Fault root causes in sampled traces</h3>
${table(["Phase", "Faulted traces sampled", "Root-cause services"], causes)}
${traces.sampleCapped ? "<p>The trace sample hit its page cap; counts are from the first pages.</p>" : ""}
</section>`;
}

function actionTimeline(report: Report): string {
  const actions = report.experiments.flatMap((e) =>
    e.actions
      .filter((a) => a.startTime)
      .map((a) => ({
        label: `${e.name} · ${a.name}`,
        actionId: a.actionId,
        status: a.status,
        resources: a.resources ?? [],
        start: Date.parse(a.startTime!),
        end: a.endTime ? Date.parse(a.endTime) : Date.parse(report.execution.endedAt),
      })),
  );
  if (!actions.length) return "<p>No action ran.</p>";
  const from = Math.min(Date.parse(report.execution.startedAt), ...actions.map((a) => a.start));
  const to = Math.max(Date.parse(report.execution.endedAt), ...actions.map((a) => a.end));
  const span = Math.max(1, to - from);
  const rows = actions
    .map((a) => {
      const left = ((a.start - from) / span) * 100;
      const width = Math.max(0.5, ((a.end - a.start) / span) * 100);
      return `<div class="lane"><div class="lane-label" title="${escapeHtml(a.actionId)}">${escapeHtml(a.label)}<br><small>${escapeHtml(a.actionId)} · ${escapeHtml(a.status)}${a.resources.length ? ` · on ${a.resources.map((r) => escapeHtml(resourceName(r))).join(", ")}` : ""}</small></div><div class="lane-track"><div class="bar ${escapeHtml(a.status)}" style="left:${left.toFixed(2)}%;width:${width.toFixed(2)}%" title="${escapeHtml(`${new Date(a.start).toISOString()} → ${new Date(a.end).toISOString()}`)}"></div></div></div>`;
    })
    .join("");
  return `<div class="timeline">${rows}<div class="lane"><div class="lane-label"></div><div class="lane-track axis"><span>${new Date(from).toISOString().slice(11, 19)}</span><span>${new Date(to).toISOString().slice(11, 19)}</span></div></div></div>`;
}

/**
 * uPlot formats numbers with Intl and the browser's language at load time. Headless Chromium in a C or POSIX
 * environment reports a tag like "en-US@posix" that Intl refuses, and the library then fails to load: such a tag
 * is replaced by its valid part (or en-US) before the library runs.
 */
const LOCALE_GUARD = `(function () {
  function valid(tag) { try { return Intl.getCanonicalLocales(tag).length > 0; } catch (e) { return false; } }
  var language = navigator.language;
  if (valid(language)) return;
  var trimmed = String(language || "").split(/[@.]/)[0].replace(/_/g, "-");
  var safe = valid(trimmed) && trimmed ? trimmed : "en-US";
  try {
    Object.defineProperty(Navigator.prototype, "language", { get: function () { return safe; }, configurable: true });
    Object.defineProperty(Navigator.prototype, "languages", { get: function () { return [safe]; }, configurable: true });
  } catch (e) {}
})();`;

/** Draws each probe's timeline with the phases shaded and its bounds as dashed lines. */
const CHART_SCRIPT = `
(function () {
  var report = JSON.parse(document.getElementById("report-data").textContent);
  var phaseColours = { baseline: "rgba(46,160,67,0.10)", fault: "rgba(207,34,46,0.13)", recovery: "rgba(191,135,0,0.12)" };
  var windows = report.phaseWindows || { baseline: [], fault: [], recovery: [] };
  function shade(u) {
    var ctx = u.ctx;
    ctx.save();
    Object.keys(phaseColours).forEach(function (phase) {
      (windows[phase] || []).forEach(function (w) {
        var x0 = u.valToPos(Date.parse(w.start) / 1000, "x", true);
        var x1 = u.valToPos(Date.parse(w.end) / 1000, "x", true);
        var left = Math.max(u.bbox.left, Math.min(x0, x1));
        var right = Math.min(u.bbox.left + u.bbox.width, Math.max(x0, x1));
        if (right <= left) return;
        ctx.fillStyle = phaseColours[phase];
        ctx.fillRect(left, u.bbox.top, right - left, u.bbox.height);
      });
    });
    ctx.restore();
  }
  var palette = ["#0969da", "#8250df", "#1b7c83", "#bc4c00", "#4d2d00"];
  report.probes.forEach(function (probe, index) {
    var el = document.getElementById("chart-" + index);
    var t = probe.timeline;
    if (!el || !t || !t.timestamps.length) {
      if (el) el.textContent = "No datapoints for this probe.";
      return;
    }
    var xs = t.timestamps.map(function (ms) { return ms / 1000; });
    var data = [xs, t.values];
    var label = probe.alarm ? probe.id + " (1 = " + probe.alarm.breachingStates.join("/") + ")" : probe.id;
    var series = [{}, { label: label, stroke: palette[0], width: 2, points: { show: xs.length < 40 } }];
    // An alarm holds its state until the next change: drawn as steps.
    if (probe.alarm && uPlot.paths && uPlot.paths.stepped) series[1].paths = uPlot.paths.stepped({ align: 1 });
    Object.keys(t.others || {}).forEach(function (statistic, i) {
      var other = t.others[statistic];
      var byTime = {};
      other.timestamps.forEach(function (ms, j) { byTime[ms] = other.values[j]; });
      data.push(t.timestamps.map(function (ms) { return byTime[ms] === undefined ? null : byTime[ms]; }));
      series.push({ label: statistic, stroke: palette[(i + 1) % palette.length], width: 1 });
    });
    // An alarm probe's bound is its breaching states, already in its label.
    var bounds = probe.alarm ? {} : probe.resolvedBounds || {};
    ["max", "min"].forEach(function (side) {
      if (typeof bounds[side] !== "number") return;
      data.push(xs.map(function () { return bounds[side]; }));
      series.push({ label: side + " " + (bounds[side + "Rule"] || bounds[side]), stroke: "#cf222e", dash: [6, 4], width: 1.5, points: { show: false } });
    });
    var ys = [].concat.apply([], data.slice(1)).filter(function (v) { return typeof v === "number"; });
    var lo = Math.min.apply(null, ys), hi = Math.max.apply(null, ys);
    var pad = (hi - lo) * 0.1 || Math.abs(hi) * 0.1 || 1;
    new uPlot({
      width: Math.max(280, el.clientWidth || 900),
      height: 260,
      scales: { x: { time: true }, y: { range: [Math.min(0, lo - pad), hi + pad] } },
      series: series,
      hooks: { drawClear: [shade] },
      legend: { live: true }
    }, data, el);
    el.setAttribute("data-rendered", "true");
  });
})();
`;

/** The verdict's findings, each with its rule, as a table the reader can check against the charts. */
function findingsSection(report: Report): string {
  const findings = report.findings ?? [];
  if (!findings.length) return "";
  return `<section><h2>Findings</h2>${table(
    ["Rule", "Leads to", "Probe", "Stage", "When", "Finding"],
    findings.map((f) => [
      escapeHtml(f.rule),
      escapeHtml(f.verdict ?? "–"),
      escapeHtml(f.probeId ?? "–"),
      escapeHtml(f.stage ?? "–"),
      escapeHtml(f.at ?? "–"),
      escapeHtml(f.message),
    ]),
    "findings",
  )}</section>`;
}

/**
 * A self-contained HTML report: the verdict, the experiments' action timeline, a chart per probe with the phases
 * shaded and the bounds drawn, and the blast radius. Everything, the chart library included, is in the one file.
 */
export function renderHtml(report: Report, chart: ChartLibrary): string {
  const colour = Object.hasOwn(VERDICT_COLOUR, report.verdict) ? VERDICT_COLOUR[report.verdict] : "#6e7781";
  const facts = [
    [
      "Execution",
      `<code>${escapeHtml(report.execution.name)}</code> (${escapeHtml(report.execution.actionsMode ?? "run-all")})`,
    ],
    ["Started", escapeHtml(report.execution.startedAt ?? "unknown")],
    ["Ended", escapeHtml(report.execution.endedAt ?? "unknown")],
    ["Recovery", escapeHtml(recoveryText(report))],
    ...(report.slowestRecovery
      ? [
          [
            "Slowest probe to recover",
            `${escapeHtml(report.slowestRecovery.probeId)}: ${duration(report.slowestRecovery.seconds)}`,
          ],
        ]
      : []),
  ];
  const comparison = report.comparison
    ? `<section><h2>Compared with the previous game day</h2><p>Previous: <code>${escapeHtml(report.comparison.previous.execution)}</code>, ${escapeHtml(report.comparison.previous.verdict)}, ended ${escapeHtml(report.comparison.previous.endedAt)}.</p>
${report.comparison.regressions.length ? `<ul class="regressions">${report.comparison.regressions.map((c) => `<li>⚠ ${escapeHtml(c.summary)}</li>`).join("")}</ul>` : "<p>No regression.</p>"}
${report.comparison.improvements.length ? `<ul class="improvements">${report.comparison.improvements.map((c) => `<li>${escapeHtml(c.summary)}</li>`).join("")}</ul>` : ""}</section>`
    : "";
  const probeCards = report.probes
    .map((p, i) => {
      const detect = p.timeToDetect.map((t) => (t === null ? "–" : formatSeconds(t))).join(", ");
      const recover = p.timeToRecover.map(duration).join(", ");
      const broke = decidingFindingsOf(report, p.id);
      const unjudged = unjudgedFindingsOf(report, p.id);
      const badge = broke.length
        ? ` <span class="hot">${escapeHtml(report.verdict)}</span>`
        : unjudged.length
          ? ` <span class="unshown">${escapeHtml(probeOutcome(report, p.id))}</span>`
          : "";
      return `<div class="probe"><h3>${escapeHtml(p.id)}${badge}${p.description ? ` <small>${escapeHtml(p.description)}</small>` : ""}</h3>
${[...broke, ...unjudged].map((f) => `<p class="finding">${escapeHtml(f.message)}</p>`).join("")}
<p class="probe-facts">${p.alarm ? `alarm <code>${escapeHtml(p.alarm.name)}</code>: ${escapeHtml(alarmStory(p.alarm.changes))} · ` : ""}baseline median ${escapeHtml(probeValueText(p, p.phases.baseline.median, formatNumber))} · fault max ${escapeHtml(probeValueText(p, p.phases.fault.max, formatNumber))} · time to detect ${detect || "–"} · time to recover ${recover || "–"}</p>
<div class="chart" id="chart-${i}"></div></div>`;
    })
    .join("\n");
  const stages = table(
    ["Stage", "Fault", "Stopped by", "Recovery", "Polls"],
    report.stages.map((s) => [
      escapeHtml(s.name),
      `${s.faultStartedAt.slice(11, 19)} → ${s.faultEndedAt ? s.faultEndedAt.slice(11, 19) : "…"}${escapeHtml(quotaWaitText(s))}`,
      s.stoppedBy
        ? escapeHtml(`${s.stoppedBy}${s.guardrailProbes.length ? ` (${s.guardrailProbes.join(", ")})` : ""}`)
        : "–",
      stageRecoveryText(report, s),
      String(s.polls),
    ]),
  );
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Game day ${escapeHtml(report.plan.name)}: ${escapeHtml(report.verdict)}</title>
<style>${chart.style}</style>
<style>
body { font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0 auto; max-width: 1100px; padding: 24px; color: #1f2328; }
h1 { margin-bottom: 4px; } h2 { border-bottom: 1px solid #d0d7de; padding-bottom: 4px; margin-top: 32px; }
.verdict { color: #fff; background: ${colour}; padding: 2px 10px; border-radius: 6px; font-size: 0.8em; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; } dl.facts dt { color: #59636e; }
table { border-collapse: collapse; width: 100%; margin: 8px 0; } th, td { border: 1px solid #d0d7de; padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #f6f8fa; } .hot { color: #fff; background: #cf222e; border-radius: 4px; padding: 0 4px; font-size: 0.8em; }
.unshown { color: #fff; background: #6e7781; border-radius: 4px; padding: 0 4px; font-size: 0.8em; }
.regressions li { color: #cf222e; } .improvements li { color: #1a7f37; }
.legend span { display: inline-block; padding: 0 8px; margin-right: 8px; border-radius: 4px; }
.probe { margin: 16px 0 24px; } .probe h3 { margin-bottom: 0; } .probe-facts { color: #59636e; margin: 2px 0 6px; } .chart { width: 100%; min-height: 260px; }
.timeline .lane { display: flex; align-items: center; margin: 4px 0; } .lane-label { width: 280px; flex: none; font-size: 0.9em; }
.lane-track { position: relative; flex: 1; height: 22px; background: #f6f8fa; border-radius: 4px; }
.lane-track.axis { background: none; display: flex; justify-content: space-between; color: #59636e; font-size: 0.8em; height: auto; }
.bar { position: absolute; top: 3px; height: 16px; border-radius: 3px; background: #cf222e; } .bar.completed { background: #bc4c00; } .bar.cancelled, .bar.skipped { background: #8c959f; }
pre { white-space: pre-wrap; }
dd, code { overflow-wrap: anywhere; } td { overflow-wrap: break-word; }
/* A phone (390 px): tables scroll inside themselves, facts stack, timeline labels go above their lanes. */
@media (max-width: 700px) {
  body { padding: 12px; }
  table:not(.u-legend) { display: block; overflow-x: auto; }
  table:not(.u-legend) th, table:not(.u-legend) td { min-width: 4.5em; } table:not(.u-legend) td:last-child { min-width: 16em; }
  dl.facts { grid-template-columns: 1fr; } dl.facts dd { margin: 0 0 6px; }
  .timeline .lane { flex-wrap: wrap; } .lane-label { width: 100%; }
  .lane-track { flex-basis: 100%; } .lane-track.axis span:nth-child(even) { display: none; }
  blockquote { margin: 8px 0; }
}
</style>
</head>
<body>
<h1>Game day: ${escapeHtml(report.plan.name)} <span class="verdict">${escapeHtml(report.verdict)}</span></h1>
<p>${escapeHtml(report.reason)}</p>
${findingsSection(report)}
<dl class="facts">${facts.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join("")}</dl>
<blockquote>${escapeHtml(report.plan.description ?? "")}</blockquote>
${comparison}
<section><h2>Stages</h2>${stages}${report.skippedStages?.length ? `<p>Skipped after the hypothesis broke: ${escapeHtml(report.skippedStages.join(", "))}.</p>` : ""}${report.alarmMute ? `<p>${escapeHtml(alarmMuteText(report.alarmMute))}</p>` : ""}</section>
${costSection(report)}
<section><h2>Experiments</h2>${actionTimeline(report)}</section>
<section><h2>Probes</h2>
<p class="legend"><span style="background:rgba(46,160,67,0.18)">baseline</span><span style="background:rgba(207,34,46,0.2)">fault</span><span style="background:rgba(191,135,0,0.2)">recovery</span> dashed red: bounds</p>
${probeCards}
</section>
${blastRadiusSection(report)}
<script id="report-data" type="application/json">${scriptJson({ probes: report.probes, phaseWindows: report.phaseWindows })}</script>
<script>${LOCALE_GUARD}</script>
<script>${chart.script.replace(/<\/script/gi, "<\\/script")}</script>
<script>${CHART_SCRIPT}</script>
</body>
</html>
`;
}

function costSection(report: Report): string {
  if (!report.cost) return "";
  const rows = report.cost.items.map((i) => [
    escapeHtml(i.service),
    escapeHtml(i.unit),
    escapeHtml(quantityText(i.quantity)),
    escapeHtml(usd(i.usd)),
  ]);
  return `<section><h2>Cost</h2><p>About $${escapeHtml(usd(report.cost.totalUsd))} at list prices. ${escapeHtml(report.cost.basis)}</p>${table(["Service", "Unit", "Quantity", "USD"], rows)}</section>`;
}
