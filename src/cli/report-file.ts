import { existsSync } from "node:fs";
import type { Report } from "../core/report/model";
import { reportSchema } from "../core/report/schema";
import { readInputText } from "../inputs/files";

/**
 * A report file the user named (`--compare`, `gameday report FILE`): a readable, whole gameday report, or why not.
 * `value` is the parsed JSON when there was some, so a caller can say what the file is instead.
 */
export function readReportFile(file: string): { report: Report } | { problem: string; value?: unknown } {
  if (!existsSync(file)) return { problem: "no such file" };
  const read = readInputText(file);
  if ("problem" in read) return { problem: read.problem };
  let value: unknown;
  try {
    value = JSON.parse(read.text);
  } catch (error) {
    return { problem: `not a readable report (${(error as Error).message})` };
  }
  const parsed = reportSchema.safeParse(value);
  if (!parsed.success) {
    const first = parsed.error.issues[0]!;
    return { problem: `not a gameday report (${first.path.join(".") || "(root)"}: ${first.message})`, value };
  }
  return { report: parsed.data as unknown as Report };
}
