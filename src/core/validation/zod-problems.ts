import type { z } from "zod";
import { formatPath, type Problem } from "../problems";

export function zodProblems(error: z.ZodError): Problem[] {
  return error.issues.map((issue) => ({
    severity: "error",
    path: formatPath(issue.path),
    // A refused record key says why in its own issues ("Invalid key in record" alone names no rule).
    message:
      issue.code === "invalid_key" && issue.issues.length
        ? `key ${issue.issues.map((i) => i.message).join("; ")}`
        : issue.message,
  }));
}
