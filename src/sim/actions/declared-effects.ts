import type { WorldDefinition } from "../world-schema";
import { tiersOf, unitsOf, type ActionContext } from "./model";

export type DeclaredEffect = WorldDefinition["declaredEffects"][number];

/**
 * The world's declaration for a custom SSM document or automation, matched by the document's name (the part of its
 * ARN after `document/`), or for a Kubernetes custom resource, by its kind: what nothing can guess from them, their
 * owner says.
 */
export function declaredEffectOf(world: WorldDefinition, document: string): DeclaredEffect | undefined {
  return world.declaredEffects.find((d) => d.document === document);
}

/** What to add to the world so the rehearsal can simulate an undeclared document, for the action's skip reason. */
export function declarationHint(actionId: string, document: string, needsTier: boolean, what = "document"): string {
  const tier = needsTier ? ', "tier": "<tier it acts on>"' : "";
  return (
    `${actionId} runs ${document || `a ${what}`}, whose effect the rehearsal cannot guess: declare it in the world's ` +
    `declaredEffects, such as {"document": "${document || `<${what}>`}", "effect": "errors", "amount": 0.3${tier}} ` +
    "(effects: errors, latency, cpu-stress, stop)."
  );
}

const DECLARED_DEFAULT_AMOUNT = { errors: 1, latency: 500, "cpu-stress": 0.6, stop: 0 } as const;

/**
 * A declared effect on the targeted units; when the action targets none (an automation, a cluster), on the
 * declaration's tier, else on the targeted tiers' running units. Without a declaration, says what to declare.
 */
export function applyDeclared(
  c: ActionContext,
  document: string,
  duration: number,
  what = "document",
): number | { notModeled: string } {
  const targeted = unitsOf(c);
  const declared = declaredEffectOf(c.world.definition, document);
  const fallbackTiers = declared?.tier ? new Set([declared.tier]) : tiersOf(c);
  if (!declared || (!targeted.size && !fallbackTiers.size))
    return { notModeled: declarationHint(c.actionId, document, targeted.size === 0 && tiersOf(c).size === 0, what) };
  const acted = targeted.size
    ? targeted
    : new Set(c.world.units.filter((u) => fallbackTiers.has(u.tier) && u.state === "running").map((u) => u.id));
  const seconds = declared.durationSeconds ?? duration;
  const until = c.at + seconds * 1000;
  const amount = declared.amount ?? DECLARED_DEFAULT_AMOUNT[declared.effect];
  if (declared.effect === "stop") for (const unit of acted) c.world.stopUnit(unit, c.at, seconds);
  else {
    const kind = declared.effect === "errors" ? "invocation-error" : declared.effect;
    c.world.addEffect({ key: c.key, kind, units: acted, from: c.at, until, amount });
  }
  return seconds;
}

/** How `gameday rehearse --declare` is written: DOCUMENT=EFFECT[:AMOUNT][@TIER][/SECONDS]. */
export const DECLARE_HELP =
  "DOCUMENT=EFFECT[:AMOUNT][@TIER] declares what a custom SSM document, automation or Kubernetes custom resource does " +
  "(effect errors, latency, cpu-stress or stop), as a world's declaredEffects entry would (repeatable)";

/** One `--declare` value as a declaredEffects entry; the error says what was expected. */
export function parseDeclaration(text: string): DeclaredEffect {
  const match = /^([^=]+)=(errors|latency|cpu-stress|stop)(?::(\d+(?:\.\d+)?))?(?:@([a-z][a-z0-9-]*))?$/.exec(text);
  if (!match)
    throw new Error(
      `--declare ${text}: expected DOCUMENT=EFFECT[:AMOUNT][@TIER], such as ` +
        "DynamoDB-Region-Impairment=errors:1@orders-table (effects: errors, latency, cpu-stress, stop)",
    );
  const [, document, effect, amount, tier] = match;
  return {
    document: document!,
    effect: effect as DeclaredEffect["effect"],
    ...(amount !== undefined ? { amount: Number(amount) } : {}),
    ...(tier ? { tier } : {}),
  };
}
