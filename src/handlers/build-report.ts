import type { GameDayState } from "../core/gameday/state";
import type { ReportStore } from "../core/ports";
import { fullReportKey, reportSummary } from "../core/report/reference";
import { finishGameDay, type ReportPorts } from "../core/gameday/finish";

/**
 * Builds the report, stores it whole for the store function (pending/<plan>/<execution>.json), and hands the state
 * machine a bounded summary: a report grows with probes × duration, and a state may hold 256 KiB at most.
 */
export const createBuildReport =
  (ports: ReportPorts & { outbox: Pick<ReportStore, "put"> }) => async (state: GameDayState) => {
    const finished = await finishGameDay(state, ports);
    const report = finished.report!;
    await ports.outbox.put(fullReportKey(report), JSON.stringify(report), "application/json");
    return { ...finished, report: reportSummary(report) };
  };
