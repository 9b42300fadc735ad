import { isTransient } from "../core/failures";
import type { FaultInjector, ThrottledService } from "../sim/faults";

/** The AWS SDK's default: up to this many attempts of a call that failed with a transient error. */
export const SDK_MAX_ATTEMPTS = 5;

/**
 * A simulated service as a Lambda sees it through an SDK v3 client: each call may be throttled by an injected
 * fault, and transient failures are retried as the SDK's standard retry strategy does (its backoff, at most a few
 * seconds, is not added to the virtual clock).
 */
export function throughSdk<T extends object, K extends keyof T>(
  port: T,
  methods: readonly K[],
  service: ThrottledService,
  faults: FaultInjector,
): Pick<T, K> {
  const wrapped = {} as Pick<T, K>;
  for (const method of methods) {
    const call = (port[method] as (...args: unknown[]) => Promise<unknown>).bind(port);
    wrapped[method] = (async (...args: unknown[]) => {
      for (let attempt = 1; ; attempt++) {
        try {
          faults.throttle(service);
          return await call(...args);
        } catch (error) {
          if (!isTransient(error) || attempt >= SDK_MAX_ATTEMPTS) throw error;
        }
      }
    }) as T[K];
  }
  return wrapped;
}
