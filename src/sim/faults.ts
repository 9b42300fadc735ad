import { durationSeconds, isIsoDuration } from "../core/time/duration";
import { ServiceError } from "./fis";
import { keyedRandom } from "./random";
import { GAME_DAY_ERRORS } from "../core/contract/errors";

/** Services whose API calls a rehearsal can throttle. */
export const THROTTLED_SERVICES = ["fis", "cloudwatch", "xray", "events", "s3", "dynamodb", "tagging", "ssm"] as const;
export type ThrottledService = (typeof THROTTLED_SERVICES)[number];

/** Failures injected into a rehearsal's simulated account, as `gameday rehearse --fault SPEC` names them. */
export type FaultSpec =
  | { kind: "throttle"; service: ThrottledService; fraction: number }
  | { kind: "lambda-error"; fraction: number }
  | { kind: "lambda-timeout"; fraction: number }
  | { kind: "abort-at"; afterSeconds: number }
  | { kind: "safety-lever-at"; afterSeconds: number }
  | { kind: "duplicate-events"; copies: number }
  | { kind: "fis-stop-conflict" }
  | { kind: "lose-status-event" }
  | { kind: "put-events-failed-entry"; fraction: number };

export const FAULT_SPEC_HELP = [
  "throttle:<service>:<fraction>                        that share of a service's calls is throttled; service is",
  "                                                     fis, cloudwatch, xray, events, s3, dynamodb, tagging or ssm",
  "lambda-error:<fraction>                              Lambda tasks crash at this rate",
  "lambda-timeout:<fraction>                            Lambda tasks time out at this rate",
  "abort-at:<ISO-8601 duration>                         the execution is stopped from outside then (Stop execution)",
  "safety-lever-at:<ISO-8601 duration>                  FIS's safety lever is engaged then (stops and cancels experiments)",
  "duplicate-events:<n>                                 every report event is delivered n times",
  "fis-stop-conflict                                    the first StopExperiment is refused (ValidationException)",
  "lose-status-event                                    the execution's status-change event never arrives",
  "put-events-failed-entry:<fraction>                   PutEvents answers with that share of entries failed",
].join("\n");

export class FaultSpecError extends Error {
  override name = GAME_DAY_ERRORS.invalidFault;
}

/** A decimal fraction from 0 to 1, written plainly: "0x1" or "1e-1" are typos here, not fractions. */
const fraction = (text: string | undefined, spec: string): number => {
  if (text === undefined || !/^(0|1|0?\.\d+|0\.\d*|1\.0*)$/.test(text))
    throw new FaultSpecError(`--fault ${spec}: the fraction must be a decimal number from 0 to 1, such as 0.3`);
  return Number(text);
};

/** Parses one `--fault` value; the error says what was expected. */
export function parseFaultSpec(spec: string): FaultSpec {
  const [kind, ...rest] = spec.split(":");
  /** Refuses parts after the last one the fault takes (`throttle:fis:0.5:x`), rather than ignoring them. */
  const noMoreThan = (parts: number) => {
    if (rest.length > parts)
      throw new FaultSpecError(`--fault ${spec}: unexpected ":${rest.slice(parts).join(":")}" after the fault's value`);
  };
  switch (kind) {
    case "throttle": {
      noMoreThan(2);
      const service = rest[0] as ThrottledService;
      if (!THROTTLED_SERVICES.includes(service))
        throw new FaultSpecError(`--fault ${spec}: the service must be one of ${THROTTLED_SERVICES.join(", ")}`);
      return { kind, service, fraction: fraction(rest[1], spec) };
    }
    case "lambda-error":
    case "lambda-timeout":
    case "put-events-failed-entry":
      noMoreThan(1);
      return { kind, fraction: fraction(rest[0], spec) };
    case "safety-lever-at":
    case "abort-at": {
      const text = rest.join(":");
      if (!isIsoDuration(text))
        throw new FaultSpecError(`--fault ${spec}: expected an ISO-8601 duration such as ${kind}:PT7M`);
      return { kind, afterSeconds: durationSeconds(text) };
    }
    case "duplicate-events": {
      noMoreThan(1);
      const copies = /^\d{1,3}$/.test(rest[0] ?? "") ? Number(rest[0]) : NaN;
      if (!Number.isInteger(copies) || copies < 1 || copies > 100)
        throw new FaultSpecError(`--fault ${spec}: expected a whole number of deliveries from 1 to 100`);
      return { kind, copies };
    }
    case "fis-stop-conflict":
    case "lose-status-event":
      if (rest.length) throw new FaultSpecError(`--fault ${spec}: ${kind} takes no value`);
      return { kind };
    default:
      throw new FaultSpecError(`--fault ${spec}: unknown fault. Known faults:\n${FAULT_SPEC_HELP}`);
  }
}

export function formatFaultSpec(spec: FaultSpec): string {
  switch (spec.kind) {
    case "throttle":
      return `throttle:${spec.service}:${spec.fraction}`;
    case "lambda-error":
    case "lambda-timeout":
    case "put-events-failed-entry":
      return `${spec.kind}:${spec.fraction}`;
    case "abort-at":
    case "safety-lever-at":
      return `${spec.kind}:PT${spec.afterSeconds}S`;
    case "duplicate-events":
      return `duplicate-events:${spec.copies}`;
    case "fis-stop-conflict":
    case "lose-status-event":
      return spec.kind;
  }
}

/** How each service answers a throttled call: the name and status its SDK client would see. */
const THROTTLE_ANSWER: Record<ThrottledService, { name: string; status: number }> = {
  fis: { name: "ThrottlingException", status: 429 },
  cloudwatch: { name: "Throttling", status: 400 },
  xray: { name: "ThrottledException", status: 429 },
  events: { name: "ThrottlingException", status: 400 },
  s3: { name: "SlowDown", status: 503 },
  dynamodb: { name: "ProvisionedThroughputExceededException", status: 400 },
  tagging: { name: "ThrottledException", status: 400 },
  ssm: { name: "ThrottlingException", status: 400 },
};

/**
 * Decides, call by call, which injected fault fires. Draws are keyed by the seed and a per-purpose counter, so
 * a rehearsal with the same seed and faults fails in the same places.
 */
export class FaultInjector {
  private readonly draws = new Map<string, number>();
  private readonly firedCounts = new Map<string, number>();
  private stopConflictUsed = false;

  constructor(
    readonly specs: readonly FaultSpec[],
    private readonly seed: number,
  ) {}

  private draw(purpose: string): number {
    const n = this.draws.get(purpose) ?? 0;
    this.draws.set(purpose, n + 1);
    return keyedRandom(this.seed, "injected-fault", purpose, n);
  }

  private fire(spec: FaultSpec): void {
    const key = formatFaultSpec(spec);
    this.firedCounts.set(key, (this.firedCounts.get(key) ?? 0) + 1);
  }

  /** Throws the service's throttling error if an injected throttle fires for this call. */
  throttle(service: ThrottledService): void {
    if (this.throttleFires(service)) throw this.throttlingError(service);
  }

  /**
   * For calls that create something: a fired throttle fails the call either before the service acted or after
   * it (the answer is lost), half the time each, so retries of calls that did take effect are exercised too.
   */
  throttleAround<T>(service: ThrottledService, call: () => T): T {
    if (!this.throttleFires(service)) return call();
    if (this.draw(`throttle:${service}:when`) < 0.5) throw this.throttlingError(service);
    call();
    throw this.throttlingError(service);
  }

  private throttleFires(service: ThrottledService): boolean {
    const spec = this.specs.find((s) => s.kind === "throttle" && s.service === service);
    if (spec?.kind !== "throttle" || this.draw(`throttle:${service}`) >= spec.fraction) return false;
    this.fire(spec);
    return true;
  }

  private throttlingError(service: ThrottledService): ServiceError {
    const answer = THROTTLE_ANSWER[service];
    return new ServiceError(service, answer.name, "Rate exceeded", answer.status);
  }

  /** Whether this Lambda invocation crashes or times out. */
  lambdaFailure(): "error" | "timeout" | undefined {
    for (const kind of ["lambda-error", "lambda-timeout"] as const) {
      const spec = this.specs.find((s) => s.kind === kind);
      if (spec && "fraction" in spec && this.draw(kind) < spec.fraction) {
        this.fire(spec);
        return kind === "lambda-error" ? "error" : "timeout";
      }
    }
    return undefined;
  }

  /**
   * Whether EventBridge fails this PutEvents entry while the call itself succeeds (FailedEntryCount > 0,
   * ErrorCode InternalFailure): the PutEvents reference lists per-entry failures apart from the call's errors.
   */
  entryFails(): boolean {
    const spec = this.specs.find((s) => s.kind === "put-events-failed-entry");
    if (spec?.kind !== "put-events-failed-entry" || this.draw("put-events-failed-entry") >= spec.fraction) return false;
    this.fire(spec);
    return true;
  }

  /** True once, for the first StopExperiment, when fis-stop-conflict is injected. */
  stopConflict(): boolean {
    const spec = this.specs.find((s) => s.kind === "fis-stop-conflict");
    if (!spec || this.stopConflictUsed) return false;
    this.stopConflictUsed = true;
    this.fire(spec);
    return true;
  }

  /** When the injected `safety-lever-at` engages FIS's safety lever, in seconds after the start. */
  get leverAfterSeconds(): number | undefined {
    const spec = this.specs.find((s) => s.kind === "safety-lever-at");
    return spec?.kind === "safety-lever-at" ? spec.afterSeconds : undefined;
  }

  get abortAfterSeconds(): number | undefined {
    const spec = this.specs.find((s) => s.kind === "abort-at");
    return spec?.kind === "abort-at" ? spec.afterSeconds : undefined;
  }

  /** How many times each report event is delivered. */
  get deliveries(): number {
    const spec = this.specs.find((s) => s.kind === "duplicate-events");
    return spec?.kind === "duplicate-events" ? spec.copies : 1;
  }

  /** Whether the status-change event of the execution is lost (once: it is only sent once). */
  losesStatusEvent(): boolean {
    const spec = this.specs.find((s) => s.kind === "lose-status-event");
    if (spec) this.fire(spec);
    return spec !== undefined;
  }

  /** Records a fault that fired outside the injector's own draws (an abort, a duplicated delivery). */
  record(spec: FaultSpec, times = 1): void {
    for (let i = 0; i < times; i++) this.fire(spec);
  }

  /** What actually fired, by fault spec. */
  fired(): Record<string, number> {
    return Object.fromEntries(this.firedCounts);
  }
}
