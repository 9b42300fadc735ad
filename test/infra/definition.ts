import { resolveIntrinsics, resourcesOfType, type CfnTemplate } from "./assembly";

/**
 * The ASL text the synthesized stack deploys: its DefinitionString with intrinsics resolved (see
 * resolveIntrinsics, whose `overrides` pick concrete values) and DefinitionSubstitutions applied as Step
 * Functions applies them.
 */
export function deployedDefinition(template: CfnTemplate, overrides: Record<string, string> = {}): string {
  const machines = resourcesOfType(template, "AWS::StepFunctions::StateMachine");
  if (machines.length !== 1) throw new Error(`expected one state machine, found ${machines.length}`);
  const properties = machines[0]![1].Properties;
  if (!properties.DefinitionString) throw new Error("the state machine has no inline DefinitionString");
  let text = resolveIntrinsics(properties.DefinitionString, overrides) as string;
  const substitutions = resolveIntrinsics(properties.DefinitionSubstitutions ?? {}, overrides) as Record<
    string,
    string
  >;
  for (const [key, value] of Object.entries(substitutions)) text = text.replaceAll(`\${${key}}`, value);
  const left = /\$\{[A-Za-z0-9_]+\}/.exec(text);
  if (left) throw new Error(`the deployed definition still holds the placeholder ${left[0]}`);
  return text;
}
