import type { z } from "zod";
import { formatPath, type Problem } from "../problems";

export function zodProblems(error: z.ZodError): Problem[] {
  return error.issues.map((issue) => ({
    severity: "error",
    path: formatPath(issue.path),
    message: issue.message,
  }));
}
