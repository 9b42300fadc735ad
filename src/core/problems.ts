import { GAME_DAY_ERRORS } from "./contract/errors";
/** One thing wrong (or doubtful) in an input file, located by JSON path so the user can find it. */
export interface Problem {
  severity: "error" | "warning";
  /** JSON path inside the file, e.g. `stages[0].experiments[1].template`; empty for the whole document. */
  path: string;
  message: string;
  /** The file the problem is in, when it is known. */
  file?: string;
}

export function formatPath(segments: ReadonlyArray<PropertyKey>): string {
  let out = "";
  for (const segment of segments) {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (typeof segment === "string" && /^[A-Za-z_$][\w$]*$/.test(segment)) out += out ? `.${segment}` : segment;
    else out += `[${JSON.stringify(String(segment))}]`;
  }
  return out;
}

export function formatProblem(problem: Problem): string {
  const where = [problem.file, problem.path].filter(Boolean).join(": ");
  return `${where ? `${where}: ` : ""}${problem.message}`;
}

export const errorsIn = (problems: readonly Problem[]) => problems.filter((p) => p.severity === "error");

/** Raised when input is invalid; carries every problem found so all can be shown at once. */
export class InvalidInputError extends Error {
  override name = GAME_DAY_ERRORS.invalidInput;
  constructor(readonly problems: Problem[]) {
    super(errorsIn(problems).map(formatProblem).join("\n"));
  }
}
