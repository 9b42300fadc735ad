import { logUpdateStderr } from "log-update";
import pc from "picocolors";
import type { GameDayState } from "../core/gameday/state";
import type { ProbeReading } from "../core/probes/read";
import { formatSeconds } from "../core/time/duration";
import type { RehearsalProgress } from "../local/rehearsal";

const PHASES: [RegExp, string][] = [
  [/Validate/, "validating the plan"],
  [/steady/i, "checking the steady state"],
  [/Start/, "starting experiments"],
  [/fault|guardrail|Stop an FIS|Stop the experiments/, "fault live"],
  [/recover/i, "watching recovery"],
  [/Stop every|Are all experiments stopped|experiments to stop/, "cleaning up"],
  [/report|verdict|Game day/i, "reporting"],
];

/** A live view of a rehearsal (or, fed from an execution history, of a game day in AWS): phase, simulated time, probes and experiments, redrawn in place. */
export class ProgressView {
  private phase = "starting";
  private readings: ProbeReading[] = [];
  private experiments: string[] = [];
  private lastDraw = 0;

  constructor(
    private readonly start: number,
    private readonly live: boolean,
    private readonly write: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
    private readonly title = "gameday rehearsal",
    private readonly clockLabel = "simulated ",
  ) {}

  update(progress: RehearsalProgress): void {
    const phase = PHASES.find(([pattern]) => pattern.test(progress.state))?.[1] ?? this.phase;
    const changed = phase !== this.phase;
    this.phase = phase;
    const doc = progress.document as Partial<GameDayState> | undefined;
    if (doc?.journal?.lastReadings) this.readings = doc.journal.lastReadings;
    if (doc?.journal?.stages) {
      this.experiments = doc.journal.stages.flatMap((s) =>
        s.experiments.map((e) => `${s.name}: ${e.name} ${pc.dim(e.experimentId)}`),
      );
    }
    const elapsed = formatSeconds((progress.simulatedTime - this.start) / 1000);
    if (!this.live) {
      if (changed) this.write(`${pc.dim(`[T+${elapsed}]`)} ${phase}`);
      return;
    }
    const now = Date.now();
    if (!changed && now - this.lastDraw < 50) return;
    this.lastDraw = now;
    logUpdateStderr(this.render(elapsed));
  }

  private render(elapsed: string): string {
    const probes = this.readings.map((r) => {
      const mark = r.breached ? pc.red("✗") : pc.green("✓");
      const value = r.value === null ? "no data" : String(Math.round(r.value * 1000) / 1000);
      return `  ${mark} ${r.probeId} ${pc.dim(value)}${r.breached ? pc.red(` ${r.breaches.join("; ")}`) : ""}`;
    });
    return [
      `${pc.bold(this.title)}  ${pc.cyan(this.phase)}  ${this.clockLabel}T+${elapsed}`,
      ...(probes.length ? ["probes:", ...probes] : []),
      ...(this.experiments.length ? ["experiments:", ...this.experiments.map((e) => `  ${e}`)] : []),
    ].join("\n");
  }

  done(): void {
    if (this.live) logUpdateStderr.done();
  }
}
