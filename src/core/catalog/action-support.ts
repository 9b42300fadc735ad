import { FIS_ACTIONS } from "./fis-actions";
import { FIS_ACTION_PERMISSIONS, PERMISSIONS_FROM_REFERENCE } from "./fis-permissions";

/** What gameday does with one FIS action, in each of its three parts. */
export interface ActionSupport {
  actionId: string;
  /** The resource types the action targets (none for waits and alarm checks). */
  resourceTypes: string[];
  /** validate checks the action's targets and parameters. */
  validates: boolean;
  /**
   * The stack grants the experiment role what the action needs: "verified" from an AWS managed policy,
   * "reference" from the FIS actions reference only (validate warns), or false.
   */
  deploys: "verified" | "reference" | false;
  /** The module that simulates the action in rehearsals, or undefined: the rehearsal skips it (INCONCLUSIVE). */
  simulatedBy?: string;
}

/**
 * Every action the catalog knows, with what validate, the stack and the rehearsal do with it. `simulated` lists the
 * actions the rehearsal models and where (passed in: the simulator is not the core's to import).
 */
export function actionSupport(simulated: Readonly<Record<string, string>>): ActionSupport[] {
  return Object.entries(FIS_ACTIONS)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([actionId, spec]) => {
      const permissions = FIS_ACTION_PERMISSIONS[actionId];
      return {
        actionId,
        resourceTypes: [...new Set(Object.values(spec.targets))],
        validates: true,
        deploys: permissions ? (permissions.source === PERMISSIONS_FROM_REFERENCE ? "reference" : "verified") : false,
        ...(simulated[actionId] ? { simulatedBy: simulated[actionId] } : {}),
      };
    });
}
