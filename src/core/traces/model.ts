import type { Phase } from "../statistics/phase";
import type { EntityReport } from "./blast-radius";

/** The X-Ray part of a report: every service and edge per phase, and the ones the faults moved. */
export interface TraceReport {
  services: EntityReport[];
  edges: EntityReport[];
  /** Services and edges whose behaviour moved beyond the baseline's noise, worst first. */
  blastRadius: string[];
  /** Per phase: the services X-Ray names as root cause of the sampled faulted traces, with counts. */
  faultRootCauses: Record<Phase, Record<string, number>>;
  sampledTraces: Record<Phase, number>;
  /** True when a trace sample hit its page cap: root-cause counts are from the first pages only. */
  sampleCapped: boolean;
  /** Services and edges left out because the graph held more than TRACE_ENTITY_CAP of them. */
  entitiesLeftOut: number;
}
