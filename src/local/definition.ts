import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PROJECT_ROOT } from "../inputs/project-root";

export const GAME_DAY_ASL = join(PROJECT_ROOT, "state-machines", "game-day.asl.json");

export type AslState = Record<string, unknown> & {
  Type: string;
  Resource?: string;
  Retry?: {
    ErrorEquals: string[];
    IntervalSeconds?: number;
    BackoffRate?: number;
    MaxDelaySeconds?: number;
    JitterStrategy?: string;
  }[];
  Seconds?: number;
  SecondsPath?: string;
  ItemProcessor?: { States: Record<string, AslState> };
  Iterator?: { States: Record<string, AslState> };
  Branches?: { States: Record<string, AslState> }[];
};
export interface AslDefinition {
  StartAt: string;
  States: Record<string, AslState>;
  [key: string]: unknown;
}

export function readDefinition(path = GAME_DAY_ASL): string {
  return readFileSync(path, "utf8");
}

/** Replaces `${Name}` placeholders the way CDK's definitionSubstitutions does. */
export function substitute(text: string, values: Record<string, string>): AslDefinition {
  const missing = new Set<string>();
  const replaced = text.replace(/\$\{([A-Za-z0-9_]+)\}/g, (_, key: string) => {
    if (values[key] === undefined) missing.add(key);
    return values[key] ?? "";
  });
  if (missing.size) throw new Error(`no value for definition substitutions: ${[...missing].join(", ")}`);
  return JSON.parse(replaced) as AslDefinition;
}

/** Every state, including those inside Map and Parallel states, by name. */
export function allStates(definition: { States: Record<string, AslState> }): Map<string, AslState> {
  const out = new Map<string, AslState>();
  const visit = (states: Record<string, AslState>) => {
    for (const [name, state] of Object.entries(states)) {
      out.set(name, state);
      const nested = state.ItemProcessor ?? state.Iterator;
      if (nested) visit(nested.States);
      for (const branch of state.Branches ?? []) visit(branch.States);
    }
  };
  visit(definition.States);
  return out;
}
