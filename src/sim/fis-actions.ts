import { alarmNameOfArn } from "../core/probes/alarms";
import { applyDeclared } from "./actions/declared-effects";
import { seconds, type ActionContext, type ActionModel } from "./actions/model";
import { applyDocument, AWSFIS_DOCUMENTS, documentName } from "./actions/ssm-documents";
import { TIER_KINDS } from "./kinds";
import { iam } from "./kinds/iam";
import { network } from "./kinds/network";

export type { ActionContext, ActionModel } from "./actions/model";

function documentParameters(c: ActionContext): Record<string, string> {
  try {
    return JSON.parse(c.parameters.documentParameters ?? "{}") as Record<string, string>;
  } catch {
    return {};
  }
}

const list = (text: string | undefined) =>
  (text ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);

/** The actions of no one kind: waiting, checking alarms, and running SSM documents. */
const GENERAL_ACTIONS: Record<string, ActionModel> = {
  "aws:fis:wait": (c) => seconds(c, "duration", 60),
  // FIS checks each alarm's state once; the action (and so the experiment) fails when one is in none of the
  // states listed (FIS actions reference, aws:cloudwatch:assert-alarm-state).
  "aws:cloudwatch:assert-alarm-state": (c) => {
    const states = list(c.parameters.alarmStates);
    for (const arn of list(c.parameters.alarmArns)) {
      const state = c.alarmState?.(alarmNameOfArn(arn)) ?? "INSUFFICIENT_DATA";
      if (!states.includes(state)) return { failed: `Alarm ${arn} is in ${state}, not in ${states.join(" or ")}.` };
    }
    return 1;
  },
  "aws:ssm:send-command": (c) => {
    const document = documentName(c.parameters.documentArn ?? "");
    const params = documentParameters(c);
    const duration = Number(params.DurationSeconds ?? 0) || seconds(c, "duration", 120);
    const builtIn = AWSFIS_DOCUMENTS[document];
    return builtIn ? applyDocument(c, builtIn(params), duration) : applyDeclared(c, document, duration);
  },
  // An automation targets nothing: its document's declaration names the tier it acts on.
  "aws:ssm:start-automation-execution": (c) =>
    applyDeclared(c, documentName(c.parameters.documentArn ?? ""), seconds(c, "maxDuration", 300)),
};

/** Each simulated action's model and the module it lives in, for `gameday actions`. */
export const ACTION_MODULES: Readonly<Record<string, string>> = Object.fromEntries([
  ...Object.keys(GENERAL_ACTIONS).map((id) => [id, "src/sim/fis-actions.ts"]),
  ...Object.entries(TIER_KINDS).flatMap(([name, kind]) =>
    Object.keys(kind.actions).map((id) => [id, `src/sim/kinds/${name}.ts`]),
  ),
  ...Object.keys(network.actions).map((id) => [id, "src/sim/kinds/network.ts"]),
  ...Object.keys(iam.actions).map((id) => [id, "src/sim/kinds/iam.ts"]),
]);

/**
 * What each modeled FIS action does to the simulated workload. The world's controllers (Auto Scaling, ECS,
 * Kubernetes, Aurora) then recover on their own clocks, as they would in AWS.
 */
export const ACTION_MODELS: Readonly<Record<string, ActionModel>> = {
  ...GENERAL_ACTIONS,
  ...Object.assign({}, ...Object.values(TIER_KINDS).map((kind) => kind.actions)),
  ...network.actions,
  ...iam.actions,
};

/** What an action needs from the user beyond a template: the documents and resources it runs need declaring. */
export const ACTION_MODEL_NOTES: Readonly<Record<string, { needs: string }>> = {
  "aws:ssm:send-command": { needs: "AWSFIS-Run-* documents; others when declared" },
  "aws:ssm:start-automation-execution": { needs: "when declared" },
  "aws:eks:inject-kubernetes-custom-resource": { needs: "when its kind is declared" },
  "aws:network:route-table-disrupt-cross-region-connectivity": { needs: "tiers in other Regions (tier region)" },
  "aws:network:transit-gateway-disrupt-cross-region-connectivity": { needs: "tiers in other Regions (tier region)" },
  "aws:directconnect:virtual-interface-disconnect": { needs: "tiers on premises (tier onPremises)" },
};
