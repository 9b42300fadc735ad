import type { ActionModel } from "../actions/model";
import type { SimResource } from "../world-types";
import type { WorldControls } from "../world-types";

/**
 * Resources of the account rather than of one tier (subnets, transit gateways, IAM roles...): what FIS lists for
 * each resource type, and the actions that act on them.
 */
export interface AccountResources {
  readonly resources: Readonly<Record<string, (world: WorldControls) => SimResource[]>>;
  readonly actions: Readonly<Record<string, ActionModel>>;
}
