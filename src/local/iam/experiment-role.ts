import { experimentRoleRequests as requestsOf } from "../../core/permissions/experiment-role";
import type { SimResource } from "../../sim/resources";
import type { IamRequest } from "./authorizer";
import { bucketArn, type SimulatedNames } from "./resolve";

/** The calls FIS makes as the experiment role to run one action on these simulated resources. */
export function experimentRoleRequests(
  actionId: string,
  resources: SimResource[],
  names: SimulatedNames,
): IamRequest[] {
  return requestsOf(actionId, resources, { ...names, reportBucketArn: bucketArn(names) });
}
