import { GAME_DAY_ERRORS } from "./contract/errors";
/**
 * Which failures are worth retrying. AWS services name throttling and server faults differently
 * (ThrottlingException, Throttling, ThrottledException, TooManyRequestsException, SlowDown, ...), so a Lambda
 * rethrows each transient failure under one name the state machine's Retry blocks list, and lets client errors
 * (ValidationException, ResourceNotFoundException, AccessDenied, ...) through unchanged: retrying those cannot help.
 */
export const TRANSIENT_ERROR = GAME_DAY_ERRORS.transient;

const TRANSIENT_NAMES = new Set([
  "ThrottlingException",
  "Throttling",
  "ThrottledException",
  "TooManyRequestsException",
  "RequestLimitExceeded",
  "RequestThrottled",
  "RequestThrottledException",
  "ProvisionedThroughputExceededException",
  "SlowDown",
  "InternalServerException",
  "InternalServerError",
  "InternalFailure",
  "InternalError",
  "ServiceUnavailable",
  "ServiceUnavailableException",
  "RequestTimeout",
  "RequestTimeoutException",
]);

/**
 * Whether an execution's cause (`GameDay.NotStarted: ProvisionedThroughputExceededException: Rate exceeded`) names
 * a transient failure of AWS: a refusal for that reason says so, never that the plan was at fault.
 */
export const namesTransientFailure = (cause: string | undefined): boolean =>
  !!cause && (cause.split(/[^A-Za-z]+/).some((word) => TRANSIENT_NAMES.has(word)) || /rate exceeded/i.test(cause));

interface ServiceFailure {
  name?: string;
  statusCode?: number;
  $metadata?: { httpStatusCode?: number };
  $retryable?: unknown;
}

export function isTransient(error: unknown): boolean {
  if (!error || typeof error !== "object") return false;
  const e = error as ServiceFailure;
  if (e.name === TRANSIENT_ERROR) return true;
  if (e.name && TRANSIENT_NAMES.has(e.name)) return true;
  if (e.$retryable) return true;
  const status = e.$metadata?.httpStatusCode ?? e.statusCode;
  return status === 429 || (status !== undefined && status >= 500);
}

/** The error a Lambda task ends with: transient failures renamed for the Retry blocks, the rest unchanged. */
export function asTaskError(error: unknown): unknown {
  if (!isTransient(error) || (error as Error).name === TRANSIENT_ERROR) return error;
  const original = error as Error;
  const transient = new Error(`${original.name}: ${original.message}`);
  transient.name = TRANSIENT_ERROR;
  return transient;
}
