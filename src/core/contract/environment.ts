/**
 * The environment variables the stack sets and the handlers read, by one name on both sides (infra/ writes them,
 * lambdas/ reads them with requiredEnvironment).
 */
export const ENVIRONMENT = {
  reportBucket: "REPORT_BUCKET",
  reportBus: "REPORT_BUS",
  stateMachineArn: "STATE_MACHINE_ARN",
  /** Optional: the store function marks plan dashboards only when the stack deploys them. */
  dashboardPrefix: "DASHBOARD_PREFIX",
  lockTable: "LOCK_TABLE",
  /** The stack's templates by name, as JSON: required, so an unset one never reads as "no such template". */
  templateIds: "GAMEDAY_TEMPLATE_IDS",
  /** Optional: templates allowed at deploy by id, comma-separated; empty when none. */
  extraTemplateIds: "GAMEDAY_EXTRA_TEMPLATE_IDS",
} as const;

export type EnvironmentName = (typeof ENVIRONMENT)[keyof typeof ENVIRONMENT];

/**
 * A variable the handler cannot work without: read at initialisation, so a missing one fails the first invocation
 * with its name rather than a call to AWS with an empty bucket or ARN.
 */
export function requiredEnvironment(name: EnvironmentName, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[name];
  if (!value) throw new Error(`${name} is not set: the gameday stack sets it on this function; redeploy the stack`);
  return value;
}
