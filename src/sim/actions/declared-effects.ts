import type { WorldDefinition } from "../world-schema";

export type DeclaredEffect = WorldDefinition["declaredEffects"][number];

/**
 * The world's declaration for a custom SSM document or automation, matched by the document's name (the part of its
 * ARN after `document/`): what nothing can guess from the document, its owner says.
 */
export function declaredEffectOf(world: WorldDefinition, document: string): DeclaredEffect | undefined {
  return world.declaredEffects.find((d) => d.document === document);
}

/** What to add to the world so the rehearsal can simulate an undeclared document, for the action's skip reason. */
export function declarationHint(actionId: string, document: string, targetsUnits: boolean): string {
  const tier = targetsUnits ? "" : ', "tier": "<tier it acts on>"';
  return (
    `${actionId} runs ${document || "a document"}, whose effect the rehearsal cannot guess: declare it in the world's ` +
    `declaredEffects, such as {"document": "${document || "<document name>"}", "effect": "errors", "amount": 0.3${tier}} ` +
    "(effects: errors, latency, cpu-stress, stop)."
  );
}
