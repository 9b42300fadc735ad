import { readInputText } from "../inputs/files";
import type { HistoryEvent } from "../aws/history-event";
import { z } from "zod";
import { formatPath } from "../core/problems";
import { EXIT_CODES, type Verdict } from "../core/verdict/verdict";

/**
 * An execution's history may hold 25,000 events, each with up to 256 KiB of data in theory; real ones with data
 * are a few MiB. Anything bigger is not a history to replay.
 */
export const MAX_HISTORY_BYTES = 256 * 1024 * 1024;

/** Timestamps as `aws stepfunctions get-execution-history` prints them (ISO text) or as epoch seconds. */
const timestamp = z.union([z.string().refine((t) => !Number.isNaN(Date.parse(t)), "not a date"), z.number()]);
const historyFile = z.object({
  events: z.array(z.looseObject({ id: z.number().int(), type: z.string(), timestamp })),
});

/**
 * Reads an execution history saved by `gameday rehearse --history` or by
 * `aws stepfunctions get-execution-history --include-execution-data`; problems name the file and the JSON path.
 */
export function readHistoryFile(file: string): HistoryEvent[] {
  // A regular file of bounded size: `watch /dev/zero` or a FIFO must not read forever.
  const read = readInputText(file, MAX_HISTORY_BYTES);
  if ("problem" in read) throw new Error(`${file}: ${read.problem}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(read.text);
  } catch (error) {
    throw new Error(`${file}: not a JSON execution history (${(error as Error).message})`);
  }
  const checked = historyFile.safeParse(parsed);
  if (!checked.success) {
    const issue = checked.error.issues[0]!;
    throw new Error(`${file}: $.${formatPath(issue.path)}: ${issue.message} (expected GetExecutionHistory's output)`);
  }
  return checked.data.events.map((event) => ({
    ...(event as unknown as HistoryEvent),
    timestamp: new Date(typeof event.timestamp === "number" ? event.timestamp * 1000 : event.timestamp),
  }));
}

/** How a recorded execution ended: its verdict when it produced a report, else its closing event. */
export function outcomeOf(events: HistoryEvent[]): { status: string; verdict?: Verdict; detail?: string } {
  const last = events[events.length - 1];
  switch (last?.type) {
    case "ExecutionSucceeded": {
      let verdict: unknown;
      try {
        verdict = (JSON.parse(last.executionSucceededEventDetails?.output ?? "{}") as { verdict?: unknown }).verdict;
      } catch {
        verdict = undefined;
      }
      const known = typeof verdict === "string" && Object.hasOwn(EXIT_CODES, verdict);
      return known ? { status: "SUCCEEDED", verdict: verdict as Verdict } : { status: "SUCCEEDED" };
    }
    case "ExecutionFailed": {
      const details = last.executionFailedEventDetails;
      return { status: "FAILED", detail: `${details?.error ?? ""} ${details?.cause ?? ""}`.trim() };
    }
    case "ExecutionAborted":
      return { status: "ABORTED" };
    case "ExecutionTimedOut":
      return { status: "TIMED_OUT" };
    default:
      return { status: "RUNNING", detail: "the history ends while the execution runs" };
  }
}
