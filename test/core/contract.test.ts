import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  GAME_DAY_ERRORS,
  InvalidExecutionInputError,
  InvalidPlanError,
  InvalidReportError,
  ReportNotPublishedError,
  UnknownPlanError,
  UnknownTemplateError,
} from "../../src/core/contract/errors";
import { allStates, readDefinition } from "../../src/local/definition";
import { phaseOfState, POLL_LOOP_STATES, STATE_PHASES } from "../../src/core/contract/states";
import { DECISIONS } from "../../src/core/contract/decisions";
import { REPORT_EVENT } from "../../src/core/contract/report-event";
import { GAME_DAY_TAGS } from "../../src/core/contract/tags";

const known = new Set<string>(Object.values(GAME_DAY_ERRORS));
const definition = readDefinition();
const states = [...allStates(JSON.parse(definition))];
const errorsIn = (key: "Retry" | "Catch", state: string): string[] =>
  ((states.find(([name]) => name === state)?.[1][key] ?? []) as { ErrorEquals: string[] }[]).flatMap(
    (r) => r.ErrorEquals,
  );

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? filesUnder(path) : path.endsWith(".ts") ? [path] : [];
  });
}

describe("the error names code and state machine share", () => {
  it("names in the state machine only errors the contract knows", () => {
    const named = [...definition.matchAll(/"(GameDay\.[A-Za-z]+)"/g)].map((m) => m[1]!);
    expect(named.length).toBeGreaterThan(5);
    expect(named.filter((n) => !known.has(n))).toEqual([]);
  });

  it("catches at validation every refusal the validate function raises, and retries transient errors everywhere", () => {
    const refusals = [
      GAME_DAY_ERRORS.invalidInput,
      GAME_DAY_ERRORS.invalidPlan,
      GAME_DAY_ERRORS.unknownPlan,
      GAME_DAY_ERRORS.unknownTemplate,
      GAME_DAY_ERRORS.overlap,
    ];
    const caught = errorsIn("Catch", "Validate the plan");
    expect(refusals.filter((r) => !caught.includes(r))).toEqual([]);
    const lambdaTasks = states.filter(([, s]) => s.Type === "Task" && String(s.Resource).includes("FunctionArn"));
    expect(lambdaTasks.length).toBeGreaterThan(4);
    for (const [name] of lambdaTasks) expect(errorsIn("Retry", name), name).toContain(GAME_DAY_ERRORS.transient);
  });

  it("spells no GameDay error name outside the contract module", () => {
    const offenders = ["src", "lambdas", "infra"]
      .flatMap(filesUnder)
      .filter((f) => !f.endsWith(join("contract", "errors.ts")))
      .filter((f) => /["']GameDay\.[A-Z][A-Za-z]+["']/.test(readFileSync(f, "utf8")));
    expect(offenders).toEqual([]);
  });
});

describe("the state names code and state machine share", () => {
  it("gives every state of the state machine a phase, and names no state it does not have", () => {
    const names = states.map(([name]) => name).sort();
    expect(Object.keys(STATE_PHASES).sort()).toEqual([...new Set(names)].sort());
    for (const name of POLL_LOOP_STATES) expect(names).toContain(name);
    expect(phaseOfState("Observe the system during the fault")).toBe("fault live");
    expect(phaseOfState("Naive: Wait 30 seconds")).toBeUndefined();
  });
});

describe("the error classes", () => {
  it("carry the names the state machine matches", () => {
    const classes = [
      [InvalidPlanError, "GameDay.InvalidPlan"],
      [UnknownPlanError, "GameDay.UnknownPlan"],
      [UnknownTemplateError, "GameDay.UnknownTemplate"],
      [ReportNotPublishedError, "GameDay.ReportNotPublished"],
      [InvalidReportError, "GameDay.InvalidReport"],
      [InvalidExecutionInputError, "GameDay.InvalidInput"],
    ] as const;
    for (const [ErrorClass, name] of classes) {
      const error = new ErrorClass("why");
      expect(error).toBeInstanceOf(Error);
      expect({ name: error.name, message: error.message }).toEqual({ name, message: "why" });
      expect(known.has(error.name)).toBe(true);
    }
  });
});

describe("the decisions, tags and report event code and state machine share", () => {
  const choices = states.filter(([, s]) => s.Type === "Choice");
  const decisionValues = new Set(
    choices.flatMap(([, s]) =>
      ((s.Choices ?? []) as { Variable?: string; StringEquals?: string }[])
        .filter((c) => c.Variable === "$.decision.next")
        .map((c) => c.StringEquals!),
    ),
  );

  it("compares $.decision.next only with decisions the contract knows, and routes every decision a step makes", () => {
    expect(decisionValues.size).toBeGreaterThan(3);
    expect([...decisionValues].filter((v) => !(DECISIONS as readonly string[]).includes(v))).toEqual([]);
    // The decisions no Choice names reach their state by a Choice's Default (or need no Choice): a decision added
    // to the contract must be routed by name, or listed here on purpose.
    expect(DECISIONS.filter((d) => !decisionValues.has(d)).sort()).toEqual([
      "keep-watching",
      "not-steady",
      "report",
      "validated",
    ]);
  });

  it("tags every experiment it starts with exactly the contract's tags", () => {
    const start = states.find(([name]) => name === "Start an FIS experiment")![1];
    const tags = Object.keys((start.Parameters as { Tags: Record<string, string> }).Tags).map((k) =>
      k.replace(/\.\$$/, ""),
    );
    expect(tags.sort()).toEqual(Object.values(GAME_DAY_TAGS).sort());
  });

  it("publishes the report as the event the store rule matches", () => {
    const publish = states.find(([, s]) => s.Resource === "arn:aws:states:::events:putEvents")![1];
    const [entry] = (publish.Parameters as { Entries: { Source: string; DetailType: string }[] }).Entries;
    expect({ source: entry!.Source, detailType: entry!.DetailType }).toEqual(REPORT_EVENT);
  });
});
