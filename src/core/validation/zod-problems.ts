import type { z } from "zod";
import { formatPath, type Problem } from "../problems";

export function zodProblems(error: z.ZodError): Problem[] {
  return error.issues.map((issue) => ({
    severity: "error",
    path: formatPath(issue.path),
    // A refused record key says why in its own issues ("Invalid key in record" alone names no rule).
    message:
      (issue.code === "invalid_key" && issue.issues.length
        ? `key ${issue.issues.map((i) => i.message).join("; ")}`
        : issue.message) + echoed(issue),
  }));
}

/** The refused value, when it is short enough to echo and the message does not already carry it. */
function echoed(issue: z.core.$ZodIssue): string {
  const input = (issue as { input?: unknown }).input;
  if (input === undefined || (typeof input === "object" && input !== null)) return "";
  const text = JSON.stringify(input);
  if (text === undefined || text.length > 80 || issue.message.includes(String(input))) return "";
  return ` (got ${text})`;
}
