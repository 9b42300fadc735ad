import { InvalidReportError } from "../contract/errors";
import type { Report } from "./model";
import { reportProblems } from "./schema";

/** The parts of a report a producer knows; the rest starts empty. */
export type ReportParts = Omit<
  Report,
  "schemaVersion" | "findings" | "recovery" | "experiments" | "probes" | "stages" | "skippedStages"
> &
  Partial<Pick<Report, "findings" | "recovery" | "experiments" | "probes" | "stages" | "skippedStages">>;

/**
 * The one way gameday makes a report (the report step and the orphan guard both come here): the version and the
 * empty parts filled in, and the whole checked against the schema the store function holds every report to, so a
 * report gameday builds is never one the store refuses.
 */
export function newReport(parts: ReportParts): Report {
  const report: Report = {
    schemaVersion: 1,
    findings: [],
    recovery: null,
    experiments: [],
    probes: [],
    stages: [],
    skippedStages: [],
    ...parts,
  };
  const problems = reportProblems(report);
  if (problems) throw new InvalidReportError(`gameday built a report the store would refuse: ${problems}`);
  return report;
}
