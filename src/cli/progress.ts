import { resourceName, resourcesActedOn } from "../core/gameday/acted-on";
import type { HistoryEvent } from "../aws/history-event";
import { logUpdateStderr } from "log-update";
import pc from "picocolors";
import type { GameDayState, StageRecord } from "../core/gameday/state";
import type { ExperimentActionView, ExperimentView } from "../core/ports";
import type { ProbeReading } from "../core/probes/read";
import { formatSeconds } from "../core/time/duration";
import { printable, terminalSafe } from "../core/report/text";
import { phaseOfState } from "../core/contract/states";
import type { RehearsalProgress } from "../local/rehearsal";

const RECENT_LINES = 6;

const formatValue = (value: number | null) => (value === null ? "no data" : String(Math.round(value * 1000) / 1000));

export interface ProgressViewOptions {
  /** When the game day started (epoch ms): elapsed times count from it. */
  start: number;
  /** Redraw one frame in place (a terminal), or write a line per change (pipes, CI logs). */
  live: boolean;
  write: (line: string) => void;
  title: string;
  /** Elapsed time on a rehearsal's virtual clock, said as such. */
  simulatedClock?: boolean;
  /** A last line for the live frame, e.g. how to leave it. */
  footer?: string;
}

/**
 * What a game day is doing, from the states it enters and the game-day documents they output: phase, experiments,
 * guardrail stops, recovery and probe states. Live, it redraws one frame in place; otherwise (CI logs, pipes) it
 * writes one line per change, so a log reads as the game day's story.
 */
export class ProgressView {
  private phase = "starting";
  /** The game day's execution name, once a state has shown it: for the commands that answer an approval request. */
  private executionName: string | undefined;
  private elapsed = "0s";
  private readings: ProbeReading[] = [];
  /** Experiments by id, in the order they started, with what FIS last said of them (when watching AWS). */
  private experiments = new Map<
    string,
    { stageIndex: number; label: string; status?: string; actions: ExperimentActionView[] }
  >();
  /** What became of each stage: "stop" and "recovery" notes, shown after its experiments. */
  private stageNotes = new Map<string, string>();
  /** What has already been told, so a fact repeated by every later state output is told once. */
  private told = new Set<string>();
  private breached = new Set<string>();
  private lastDraw = 0;
  /** The live frame's tail: the latest changes, as a non-interactive view would have written them. */
  private recent: string[] = [];

  private readonly start: number;
  private readonly live: boolean;
  private readonly write: (line: string) => void;
  private readonly title: string;
  private readonly clockLabel: string;
  private readonly footer: string;

  constructor(options: ProgressViewOptions) {
    this.start = options.start;
    this.live = options.live;
    this.write = options.write;
    this.title = options.title;
    this.clockLabel = options.simulatedClock ? "simulated " : "";
    this.footer = options.footer ?? "";
  }

  update(progress: RehearsalProgress): void {
    this.elapsed = formatSeconds(Math.max(0, progress.simulatedTime - this.start) / 1000);
    const news: string[] = [];
    const phase = phaseOfState(progress.state) ?? this.phase;
    const document = progress.document as Partial<GameDayState> | undefined;
    this.executionName ??= document?.run?.executionName;
    if (phase !== this.phase)
      news.push(
        pc.cyan(phase) +
          // Whoever watches may be the one to decide: say how.
          (phase === "waiting for approval" && this.executionName
            ? pc.dim(` (gameday approve ${this.executionName}, or gameday reject ${this.executionName} --reason …)`)
            : ""),
      );
    this.phase = phase;
    const journal = document?.journal;
    if (journal?.baseline) {
      const { steady, readings } = journal.baseline;
      const offending = readings
        .filter((r) => r.breached)
        .map((r) => `${printable(r.probeId)} (${printable(r.breaches.join("; "))})`);
      this.tell(
        news,
        "baseline",
        steady ? "steady state holds" : pc.red(`not in steady state: ${offending.join(", ")}`),
      );
    }
    const starting = document?.stage;
    for (const [i, e] of (starting?.started ?? []).entries())
      this.experimentStarted(
        news,
        starting!.index,
        e.experimentId,
        printable(`${starting!.name}: ${starting!.experiments[i]?.name ?? e.templateId}`),
      );
    for (const stage of journal?.stages ?? []) {
      for (const e of stage.experiments)
        this.experimentStarted(news, stage.index, e.experimentId, `${printable(stage.name)}: ${printable(e.name)}`);
      this.followStage(stage, news);
    }
    if (journal?.lastReadings) this.followReadings(journal.lastReadings, news);

    this.show(news);
  }

  /** The ids of the experiments seen so far, oldest first. */
  experimentIds(): string[] {
    return [...this.experiments.keys()];
  }

  /** What FIS says of an experiment now: its status and each action's. */
  /**
   * An experiment's news: its status, each action's, and once an action runs, the resources it acts on
   * (`resolved`: target name → ARNs, as FIS resolved them).
   */
  experimentState(
    experiment: Pick<ExperimentView, "id" | "status" | "actions">,
    at: number,
    resolved: Record<string, string[]> = {},
  ): void {
    const known = this.experiments.get(experiment.id);
    if (!known) return;
    this.elapsed = formatSeconds(Math.max(0, at - this.start) / 1000);
    const news: string[] = [];
    if (known.status !== experiment.status) news.push(printable(`experiment ${experiment.id} ${experiment.status}`));
    for (const action of experiment.actions) {
      const before = known.actions.find((a) => a.name === action.name);
      const on = resourcesActedOn(action.targets, resolved).map((r) => printable(resourceName(r)));
      const acting = action.status === "running" && on.length ? ` on ${on.join(", ")}` : "";
      if (before?.status !== action.status)
        news.push(
          `  action ${printable(action.name)} (${printable(action.actionId)}) ${printable(action.status)}${acting}${action.reason ? `: ${printable(action.reason)}` : ""}`,
        );
    }
    known.status = experiment.status;
    known.actions = experiment.actions;
    this.show(news);
  }

  private show(news: string[]) {
    const stamped = news.map((line) => `${pc.dim(`[T+${this.elapsed}]`)} ${line}`);
    this.recent = [...this.recent, ...stamped].slice(-RECENT_LINES);
    if (!this.live) {
      for (const line of stamped) this.write(line);
      return;
    }
    const now = Date.now();
    if (!news.length && now - this.lastDraw < 50) return;
    this.lastDraw = now;
    logUpdateStderr(terminalSafe(this.frame()));
  }

  private experimentStarted(news: string[], stageIndex: number, id: string, label: string) {
    if (this.experiments.has(id)) return;
    this.experiments.set(id, { stageIndex, label, actions: [] });
    news.push(`experiment ${printable(id)} started: ${label}`);
  }

  /** The live view's current frame. */
  frame(): string {
    const probes = this.readings.map((r) => {
      const mark = r.breached ? pc.red("✗") : pc.green("✓");
      return `  ${mark} ${printable(r.probeId)} ${pc.dim(formatValue(r.value))}${r.breached ? pc.red(` ${printable(r.breaches.join("; "))}`) : ""}`;
    });
    return [
      `${pc.bold(this.title)}  ${pc.cyan(this.phase)}  ${this.clockLabel}T+${this.elapsed}`,
      ...(probes.length ? ["probes:", ...probes] : []),
      ...(this.experiments.size
        ? ["experiments:", ...[...this.experiments].flatMap(([id, e]) => this.experimentLines(id, e))]
        : []),
      ...(this.recent.length ? ["recently:", ...this.recent.map((line) => `  ${line}`)] : []),
      ...(this.footer ? [pc.dim(this.footer)] : []),
    ].join("\n");
  }

  private experimentLines(
    id: string,
    e: { stageIndex: number; label: string; status?: string; actions: ExperimentActionView[] },
  ) {
    const notes = `${this.stageNotes.get(`stop ${e.stageIndex}`) ?? ""}${this.stageNotes.get(`recovery ${e.stageIndex}`) ?? ""}`;
    return [
      `  ${printable(e.label)} ${pc.dim(id)}${e.status ? ` ${e.status}` : ""}${notes}`,
      ...e.actions.map(
        (a) => `    ${pc.dim("▸")} ${printable(a.name)} ${pc.dim(printable(a.actionId))} ${printable(a.status)}`,
      ),
    ];
  }

  done(): void {
    if (this.live) logUpdateStderr.done();
  }

  private followStage(stage: StageRecord, news: string[]) {
    const stop = stage.stopRequested;
    if (stop) {
      const why =
        stop.reason === "guardrail"
          ? `guardrail broken by ${printable(stop.probeIds.join(", "))}`
          : "max fault duration";
      this.tell(news, `stop ${stage.index}`, pc.yellow(`stopping "${printable(stage.name)}": ${why}`));
      this.stageNotes.set(`stop ${stage.index}`, pc.yellow(` · ${why}`));
    }
    const recovery = stage.recovery;
    const faultEnd = stage.faultEndedAt ?? stage.faultStartedAt;
    if (recovery?.recoveredAt !== undefined) {
      const after = formatSeconds((recovery.recoveredAt - faultEnd) / 1000);
      this.tell(
        news,
        `recovered ${stage.index}`,
        pc.green(`"${printable(stage.name)}" recovered ${after} after the fault ended`),
      );
      this.stageNotes.set(`recovery ${stage.index}`, pc.green(` · recovered in ${after}`));
    } else if (recovery?.gaveUpAt !== undefined) {
      this.tell(
        news,
        `gave up ${stage.index}`,
        pc.red(`"${printable(stage.name)}" did not recover within the recovery window`),
      );
      this.stageNotes.set(`recovery ${stage.index}`, pc.red(" · not recovered"));
    }
  }

  private followReadings(readings: ProbeReading[], news: string[]) {
    this.readings = readings;
    for (const r of readings) {
      if (r.breached && !this.breached.has(r.probeId)) {
        this.breached.add(r.probeId);
        news.push(pc.red(`✗ ${printable(r.probeId)} out of bounds: ${printable(r.breaches.join("; "))}`));
      } else if (!r.breached && this.breached.delete(r.probeId)) {
        news.push(pc.green(`✓ ${printable(r.probeId)} back in bounds (${formatValue(r.value)})`));
      }
    }
  }

  private tell(news: string[], key: string, line: string) {
    if (this.told.has(key)) return;
    this.told.add(key);
    news.push(line);
  }
}

/** Feeds an execution history (GetExecutionHistory's events, with execution data) into a progress view. */
export function replayHistory(events: HistoryEvent[], view: ProgressView): void {
  for (const event of events) {
    const at = event.timestamp?.getTime() ?? 0;
    const entered = event.stateEnteredEventDetails;
    if (entered?.name) view.update({ state: entered.name, simulatedTime: at });
    const exited = event.stateExitedEventDetails;
    if (exited?.name && exited.output) {
      let document: Partial<GameDayState> | undefined;
      try {
        document = JSON.parse(exited.output) as Partial<GameDayState>;
      } catch {
        // A state output that is not JSON carries no game-day document.
      }
      if (document && typeof document === "object") view.update({ state: exited.name, simulatedTime: at, document });
    }
  }
}
