import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { FaultSpec } from "../../src/sim/faults";
import { planFrom, rehearsePlan } from "../helpers";

/**
 * Glitches of the orchestrator, not of the system under test: Lambda timeouts and crashes the state machine retries,
 * throttled reads under 0.8, duplicate and lost status events. None may change the verdict: the hypothesis is judged
 * on the complete record read when the game day ends, whichever polls got through.
 */
type Options = NonNullable<Parameters<typeof rehearsePlan>[1]>;

/** One invocation in five of any game-day function fails as Lambda's service fails: the state machine retries it. */
const transientLambdaErrors: Options["wrapHandler"] = () => {
  let calls = 0;
  return (_key, handler) => async (event) => {
    if (++calls % 5 === 0)
      throw Object.assign(new Error("Lambda was unable to run the function"), { name: "Lambda.ServiceException" });
    return handler(event);
  };
};

/**
 * Recovery polls that time out three times in four (120 s each, then retried): the polls come so late that they run
 * out of recovery window before their streak shows what the data does.
 */
const slowRecoveryPolls: Options["wrapHandler"] = (account) => {
  let calls = 0;
  return (key, handler) => async (event) => {
    if (key === "ObserveRecovery" && ++calls % 4 !== 0) {
      account().clock.advance(120_000);
      throw Object.assign(new Error("Task timed out after 120 seconds"), { name: "States.Timeout" });
    }
    return handler(event);
  };
};

const GLITCHES: { name: string; faults?: FaultSpec[]; wrapHandler?: Options["wrapHandler"] }[] = [
  { name: "Lambda timeouts", faults: [{ kind: "lambda-timeout", fraction: 0.2 }] },
  { name: "transient Lambda errors", wrapHandler: transientLambdaErrors },
  { name: "slow recovery polls", wrapHandler: slowRecoveryPolls },
  { name: "CloudWatch throttling", faults: [{ kind: "throttle", service: "cloudwatch", fraction: 0.5 }] },
  { name: "X-Ray throttling", faults: [{ kind: "throttle", service: "xray", fraction: 0.5 }] },
  { name: "FIS throttling", faults: [{ kind: "throttle", service: "fis", fraction: 0.5 }] },
  { name: "duplicate status events", faults: [{ kind: "duplicate-events", copies: 3 }] },
  { name: "a lost status event", faults: [{ kind: "lose-status-event" }] },
];
const SEEDS = [1, 2, 3, 11];
const PLANS = readdirSync("plans").filter((f) => f.endsWith(".json"));

describe("the verdict under orchestrator glitches", () => {
  it.each(PLANS)(
    "is the same for %s, whatever glitches the orchestrator has",
    async (file) => {
      const changed: string[] = [];
      for (const seed of SEEDS) {
        const plan = planFrom(`plans/${file}`);
        const clean = (await rehearsePlan(plan, { seed })).report!;
        for (const glitch of GLITCHES) {
          const glitched = (
            await rehearsePlan(plan, {
              seed,
              ...(glitch.faults ? { faults: glitch.faults } : {}),
              ...(glitch.wrapHandler ? { wrapHandler: glitch.wrapHandler } : {}),
            })
          ).report!;
          if (glitched.verdict !== clean.verdict)
            changed.push(`seed ${seed}, ${glitch.name}: ${clean.verdict} → ${glitched.verdict} (${glitched.reason})`);
        }
      }
      expect(changed).toEqual([]);
    },
    300_000,
  );
});
