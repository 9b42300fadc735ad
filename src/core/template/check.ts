import { FIS_ACTIONS, FIS_RESOURCE_TYPES } from "../catalog/fis-actions";
import { checkApiConstraints, checkParameters } from "./parameters";
import { FIS_ACTION_PERMISSIONS, PERMISSIONS_FROM_REFERENCE } from "../catalog/fis-permissions";
import { formatPath, type Problem } from "../problems";
import { fisTemplateSchema, type FisTemplate } from "./schema";
import { zodProblems } from "../validation/zod-problems";

const SELECTION_MODE = /^(ALL|COUNT\((\d+)\)|PERCENT\((\d+(?:\.\d+)?)\))$/;
const ALARM_ARN = /^arn:aws[a-z-]*:cloudwatch:[a-z0-9-]+:\d{12}:alarm:[^\s]+$/;
const PLACEHOLDER = /<YOUR[^>]*>/i;

export interface TemplateCheck {
  template?: FisTemplate;
  problems: Problem[];
}

/** Validates an FIS template: its shape, then the references and values FIS would reject at create or start time. */
export function checkFisTemplate(document: unknown): TemplateCheck {
  const parsed = fisTemplateSchema.safeParse(document, { reportInput: true });
  if (!parsed.success) return { problems: zodProblems(parsed.error) };
  const template = parsed.data;
  const problems: Problem[] = [];
  const error = (path: PropertyKey[], message: string) =>
    problems.push({ severity: "error", path: formatPath(path), message });
  const warn = (path: PropertyKey[], message: string) =>
    problems.push({ severity: "warning", path: formatPath(path), message });

  checkApiConstraints(template, error);
  for (const [name, target] of Object.entries(template.targets)) {
    const at = ["targets", name];
    if (!FIS_RESOURCE_TYPES.has(target.resourceType)) {
      error([...at, "resourceType"], `unknown resource type "${target.resourceType}"`);
    }
    if (target.resourceArns && target.resourceTags) {
      error(at, "give resourceArns or resourceTags, not both");
    }
    const mode = SELECTION_MODE.exec(target.selectionMode);
    if (!mode) {
      error([...at, "selectionMode"], `"${target.selectionMode}" is not ALL, COUNT(n) or PERCENT(n)`);
    } else if (mode[2] !== undefined && Number(mode[2]) < 1) {
      error([...at, "selectionMode"], `COUNT(n) needs n of at least 1, not ${target.selectionMode}`);
    } else if (mode[3] !== undefined && (Number(mode[3]) <= 0 || Number(mode[3]) > 100)) {
      error([...at, "selectionMode"], `PERCENT(n) needs n above 0 and at most 100, not ${target.selectionMode}`);
    }
    target.filters?.forEach((filter, i) => {
      filter.values.forEach((value, j) => {
        if (PLACEHOLDER.test(value)) warn([...at, "filters", i, "values", j], `unresolved placeholder ${value}`);
      });
    });
    for (const [key, value] of Object.entries(target.parameters ?? {}))
      if (PLACEHOLDER.test(value)) warn([...at, "parameters", key], `unresolved placeholder ${value}`);
  }

  const actionNames = new Set(Object.keys(template.actions));
  for (const [name, action] of Object.entries(template.actions)) {
    const at = ["actions", name];
    // documentArn has its own check below.
    for (const [key, value] of Object.entries(action.parameters ?? {}))
      if (key !== "documentArn" && PLACEHOLDER.test(value))
        warn([...at, "parameters", key], `unresolved placeholder ${value}`);
    const spec = FIS_ACTIONS[action.actionId];
    if (!spec) {
      error([...at, "actionId"], `unknown FIS action "${action.actionId}"`);
      continue;
    }
    const disputed = spec.disputedTargetKeys ?? {};
    const canonical = (key: string) => (Object.hasOwn(disputed, key) ? disputed[key]!.sameAs : key);
    for (const [key, targetName] of Object.entries(action.targets ?? {})) {
      const target = template.targets[targetName];
      const expectedType = Object.hasOwn(spec.targets, canonical(key)) ? spec.targets[canonical(key)] : undefined;
      if (Object.hasOwn(disputed, key))
        warn([...at, "targets", key], `the sources disagree on this key: ${disputed[key]!.source}`);
      if (!expectedType) {
        const keys = Object.keys(spec.targets);
        error(
          [...at, "targets", key],
          `${action.actionId} takes ${keys.length ? `target key ${keys.join(" or ")}` : "no targets"}, not "${key}"`,
        );
      } else if (!target) {
        error([...at, "targets", key], `names target "${targetName}", which is not defined under targets`);
      } else if (target.resourceType !== expectedType) {
        error(
          [...at, "targets", key],
          `${action.actionId} needs ${expectedType} targets, but "${targetName}" holds ${target.resourceType}`,
        );
      }
    }
    for (const key of Object.keys(spec.targets)) {
      const given = Object.keys(action.targets ?? {}).some((k) => canonical(k) === key);
      if (!given) error([...at, "targets"], `${action.actionId} needs a "${key}" target`);
    }
    checkParameters(action.actionId, spec, action.parameters ?? {}, [...at, "parameters"], error, warn);
    const permissions = FIS_ACTION_PERMISSIONS[action.actionId];
    if (permissions?.source === PERMISSIONS_FROM_REFERENCE)
      warn(
        [...at, "actionId"],
        `the IAM permissions the stack grants for ${action.actionId} follow the ${PERMISSIONS_FROM_REFERENCE}; ` +
          "check them in the FIS actions reference before the first game day",
      );
    action.startAfter?.forEach((other, i) => {
      if (!actionNames.has(other)) error([...at, "startAfter", i], `names action "${other}", which is not defined`);
    });
  }
  const cycle = findStartAfterCycle(template);
  if (cycle) error(["actions", cycle[0]!, "startAfter"], `startAfter forms a cycle: ${cycle.join(" → ")}`);

  template.stopConditions.forEach((condition, i) => {
    const at = ["stopConditions", i];
    if (condition.source === "none") {
      if (template.stopConditions.length === 1) {
        warn(at, "no stop condition: only gameday's guardrails can stop this experiment early");
      }
    } else if (condition.source === "aws:cloudwatch:alarm") {
      if (!condition.value || !ALARM_ARN.test(condition.value)) {
        error(
          [...at, "value"],
          `"${condition.value ?? ""}" is not a CloudWatch alarm ARN (arn:aws:cloudwatch:REGION:ACCOUNT:alarm:NAME)`,
        );
      }
    } else {
      error([...at, "source"], `unknown stop condition source "${condition.source}" (aws:cloudwatch:alarm or none)`);
    }
  });
  if (PLACEHOLDER.test(template.roleArn)) warn(["roleArn"], "holds an unresolved <YOUR ...> placeholder");
  return { template, problems };
}

function findStartAfterCycle(template: FisTemplate): string[] | undefined {
  const state = new Map<string, "visiting" | "done">();
  const stack: string[] = [];
  const visit = (name: string): string[] | undefined => {
    if (state.get(name) === "done") return undefined;
    if (state.get(name) === "visiting") return [...stack.slice(stack.indexOf(name)), name];
    state.set(name, "visiting");
    stack.push(name);
    for (const next of template.actions[name]?.startAfter ?? []) {
      if (!template.actions[next]) continue;
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(name, "done");
    return undefined;
  };
  for (const name of Object.keys(template.actions)) {
    const cycle = visit(name);
    if (cycle) return cycle;
  }
  return undefined;
}
