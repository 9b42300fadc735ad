// No AWS SDK import here: the CLI loads this at start, and the SDK only for the commands that call AWS.

/** A failure the person at the terminal can act on: the message says what to do. */
export class OperatorError extends Error {
  override name = "OperatorError";
}

/** The SDK call an error came from, as the operator's clients tag it (`SFNClient StopExecutionCommand`). */
export const CALL_OF_ERROR = "$gamedayCall";

/**
 * What already took effect before a later call failed: each state-changing step, in order ("stopped the
 * execution"). A message about the failure says them, so nobody repeats or forgets a step.
 */
export class Journal {
  readonly steps: string[] = [];
  done(step: string): void {
    this.steps.push(step);
  }
}

/**
 * Every failure in one line, naming what was being done, what already happened, the call that failed and AWS's
 * own words; the SDK's errors for missing credentials, a missing Region and denied access say what to do.
 */
export function explainAwsError(error: unknown, doing: string, journal?: Journal): Error {
  const e = error as Error & { $metadata?: { httpStatusCode?: number }; [CALL_OF_ERROR]?: string };
  if (e instanceof OperatorError) return e;
  const already = journal?.steps.length ? `${journal.steps.join("; ")}; then ` : "";
  const call = e[CALL_OF_ERROR] ? `${e[CALL_OF_ERROR]} ` : "";
  const firstLine = (text: string) => (text ?? "").split("\n")[0]!.slice(0, 300);
  if (e.name === "CredentialsProviderError" || /Could not load credentials/i.test(e.message))
    return new OperatorError(
      `No AWS credentials found while ${doing}. Set AWS_PROFILE (after \`aws sso login\` if it uses SSO), or ` +
        "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, as for any AWS tool.",
    );
  if (/Region is missing/i.test(e.message))
    return new OperatorError(`No AWS Region set while ${doing}: set AWS_REGION, or a region in your AWS profile.`);
  if (e.name === "ExecutionDoesNotExist")
    return new OperatorError(`No such game day while ${doing} (${e.message}); \`gameday list\` shows the recent ones.`);
  if (/AccessDenied|UnauthorizedOperation|NotAuthorized/.test(e.name) || e.$metadata?.httpStatusCode === 403)
    return new OperatorError(
      `Access denied while ${doing}: ${already}${call ? `${call}was refused: ` : ""}${firstLine(e.message)}`,
    );
  return new OperatorError(
    `${doing[0]!.toUpperCase()}${doing.slice(1)}: ${already}${call}failed: ${e.name}: ${firstLine(e.message)}` +
      (e.$metadata?.httpStatusCode ? ` (HTTP ${e.$metadata.httpStatusCode})` : ""),
  );
}
