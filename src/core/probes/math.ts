import jsep from "jsep";

/**
 * The subset of CloudWatch metric math that gameday evaluates itself (in the simulated account):
 * arithmetic over metric ids and numbers. AWS evaluates the full language server-side.
 */
export type MathNode =
  | { kind: "number"; value: number }
  | { kind: "metric"; id: string }
  | { kind: "negate"; operand: MathNode }
  /** FILL(m, value): a period without a datapoint of m reads `value` (CloudWatch fills every period of the range). */
  | { kind: "fill"; id: string; value: number }
  | { kind: "binary"; operator: "+" | "-" | "*" | "/"; left: MathNode; right: MathNode };

export class MathExpressionError extends Error {
  override name = "MathExpressionError";
}

export function parseMathExpression(expression: string): MathNode {
  let tree: jsep.Expression;
  try {
    tree = jsep(expression);
  } catch (error) {
    throw new MathExpressionError(`cannot parse "${expression}": ${(error as Error).message}`);
  }
  return convert(tree);
}

function convert(node: jsep.Expression): MathNode {
  switch (node.type) {
    case "Literal":
      if (typeof node.value !== "number") throw new MathExpressionError(`only numbers are allowed, not ${node.raw}`);
      return { kind: "number", value: node.value };
    case "Identifier":
      return { kind: "metric", id: node.name as string };
    case "CallExpression": {
      const callee = node.callee as jsep.Expression;
      const args = node.arguments as jsep.Expression[];
      if (callee.type !== "Identifier" || callee.name !== "FILL")
        throw new MathExpressionError(`only FILL(metric, number) is supported among CloudWatch's functions`);
      const [metric, value] = args;
      if (
        args.length !== 2 ||
        metric?.type !== "Identifier" ||
        value?.type !== "Literal" ||
        typeof value.value !== "number"
      )
        throw new MathExpressionError(`FILL takes a metric id and a number, e.g. FILL(errors, 0)`);
      return { kind: "fill", id: metric.name as string, value: value.value };
    }
    case "UnaryExpression":
      if (node.operator !== "-") throw new MathExpressionError(`operator ${node.operator} is not supported`);
      return { kind: "negate", operand: convert(node.argument as jsep.Expression) };
    case "BinaryExpression": {
      const operator = node.operator as string;
      if (!["+", "-", "*", "/"].includes(operator)) {
        throw new MathExpressionError(`operator ${operator} is not supported; use + - * / and parentheses`);
      }
      return {
        kind: "binary",
        operator: operator as "+" | "-" | "*" | "/",
        left: convert(node.left as jsep.Expression),
        right: convert(node.right as jsep.Expression),
      };
    }
    default:
      throw new MathExpressionError(`${node.type} is not supported; use + - * / and parentheses over metric ids`);
  }
}

export function metricIdsIn(node: MathNode): string[] {
  switch (node.kind) {
    case "number":
      return [];
    case "metric":
    case "fill":
      return [node.id];
    case "negate":
      return metricIdsIn(node.operand);
    case "binary":
      return [...metricIdsIn(node.left), ...metricIdsIn(node.right)];
  }
}

/** Evaluates at one timestamp; a division by zero or a missing metric yields no value, as in CloudWatch. */
export function evaluateMath(node: MathNode, values: (id: string) => number | undefined): number | undefined {
  switch (node.kind) {
    case "number":
      return node.value;
    case "metric":
      return values(node.id);
    case "fill":
      return values(node.id) ?? node.value;
    case "negate": {
      const v = evaluateMath(node.operand, values);
      return v === undefined ? undefined : -v;
    }
    case "binary": {
      const left = evaluateMath(node.left, values);
      const right = evaluateMath(node.right, values);
      if (left === undefined || right === undefined) return undefined;
      if (node.operator === "/") return right === 0 ? undefined : left / right;
      return node.operator === "+" ? left + right : node.operator === "-" ? left - right : left * right;
    }
  }
}

/** Writes an expression back out, renaming metric ids (GetMetricData ids must be unique across probes). */
export function formatMathExpression(node: MathNode, rename: (id: string) => string = (id) => id): string {
  switch (node.kind) {
    case "number":
      return String(node.value);
    case "metric":
      return rename(node.id);
    case "fill":
      return `FILL(${rename(node.id)}, ${node.value})`;
    case "negate":
      return `-(${formatMathExpression(node.operand, rename)})`;
    case "binary":
      return `(${formatMathExpression(node.left, rename)} ${node.operator} ${formatMathExpression(node.right, rename)})`;
  }
}

const sameTree = (a: MathNode, b: MathNode): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Whether a subexpression is zero whatever the metrics read: 0, x - x, 0 * x, or constants that make 0. */
function alwaysZero(node: MathNode): boolean {
  if (!metricIdsIn(node).length) return evaluateMath(node, () => undefined) === 0;
  if (node.kind === "negate") return alwaysZero(node.operand);
  if (node.kind !== "binary") return false;
  if (node.operator === "-") return sameTree(node.left, node.right);
  if (node.operator === "*") return alwaysZero(node.left) || alwaysZero(node.right);
  if (node.operator === "/") return alwaysZero(node.left);
  return false;
}

/** The divisors that are zero whatever the metrics read: such an expression never yields a datapoint. */
export function divisionsByZero(node: MathNode): MathNode[] {
  switch (node.kind) {
    case "number":
    case "metric":
    case "fill":
      return [];
    case "negate":
      return divisionsByZero(node.operand);
    case "binary":
      return [
        ...(node.operator === "/" && alwaysZero(node.right) ? [node.right] : []),
        ...divisionsByZero(node.left),
        ...divisionsByZero(node.right),
      ];
  }
}

/** The expression with every metric `zeroFilled` names read through FILL(id, 0). */
export function fillMetrics(node: MathNode, zeroFilled: (id: string) => boolean): MathNode {
  switch (node.kind) {
    case "number":
    case "fill":
      return node;
    case "metric":
      return zeroFilled(node.id) ? { kind: "fill", id: node.id, value: 0 } : node;
    case "negate":
      return { kind: "negate", operand: fillMetrics(node.operand, zeroFilled) };
    case "binary":
      return { ...node, left: fillMetrics(node.left, zeroFilled), right: fillMetrics(node.right, zeroFilled) };
  }
}
