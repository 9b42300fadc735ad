// No AWS SDK import here: the CLI loads this at start, and the SDK only for the commands that call AWS.

/** A failure the person at the terminal can act on: the message says what to do. */
export class OperatorError extends Error {
  override name = "OperatorError";
}

/** Turns the SDK's errors for missing credentials, a missing Region and denied access into actionable messages. */
export function explainAwsError(error: unknown, doing: string): Error {
  const e = error as Error & { $metadata?: { httpStatusCode?: number } };
  if (e instanceof OperatorError) return e;
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
    return new OperatorError(`Access denied while ${doing}: ${e.message}`);
  return e;
}
