import type { Command } from "commander";
import pc from "picocolors";
import { actionSupport, type ActionSupport } from "../core/catalog/action-support";
import { EXIT } from "../core/contract/exit-codes";
import { examplesFor } from "./examples";
import type { Io, SetExit } from "./io";

export function addActionsCommand(program: Command, io: Io, setExit: SetExit): void {
  program
    .command("actions")
    .addHelpText("after", examplesFor("actions"))
    .description(
      "List every FIS action gameday knows: whether validate checks it, the stack can deploy it (and from which source its permissions come), and the rehearsal simulates it.",
    )
    .option("--format <format>", "table (default) or json", "table")
    .option("--not-simulated", "only the actions a rehearsal skips")
    .action(async (options: { format: string; notSimulated?: boolean }) => {
      if (options.format !== "table" && options.format !== "json") {
        io.err(`${pc.red("error")} actions: --format is table or json, not ${JSON.stringify(options.format)}\n`);
        return setExit(EXIT.invalid);
      }
      // The simulator loads only for this command.
      const { ACTION_MODULES, ACTION_MODEL_NOTES } = await import("../sim/fis-actions");
      const all = actionSupport(ACTION_MODULES);
      const rows = options.notSimulated ? all.filter((a) => !a.simulatedBy) : all;
      const needs = (id: string) => ACTION_MODEL_NOTES[id]?.needs;
      io.out(options.format === "json" ? `${JSON.stringify(rows, null, 2)}\n` : table(rows, all, needs));
      setExit(0);
    });
}

function table(rows: ActionSupport[], all: ActionSupport[], needs: (id: string) => string | undefined): string {
  const deploys = (a: ActionSupport) =>
    a.deploys === "verified" ? "yes" : a.deploys === "reference" ? "yes (reference)" : "no";
  const cells = rows.map((a) => [
    a.actionId,
    a.resourceTypes.join(", ") || "–",
    a.validates ? "yes" : "no",
    deploys(a),
    a.simulatedBy ? (needs(a.actionId) ? `yes (${needs(a.actionId)})` : "yes") : "skipped",
    a.simulatedBy?.replace(/^src\/sim\//, "") ?? "–",
  ]);
  const header = ["action", "targets", "validate", "deploy", "rehearse", "model (src/sim/)"];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) =>
    c
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join("  ")
      .trimEnd();
  const simulated = all.filter((a) => a.simulatedBy).length;
  const fromReference = all.filter((a) => a.deploys === "reference").length;
  return [
    pc.bold(line(header)),
    ...cells.map(line),
    "",
    `${all.length} actions: validate checks all; the stack deploys ${all.filter((a) => a.deploys).length} ` +
      `(${fromReference} with permissions read from the FIS actions reference only); the rehearsal simulates ` +
      `${simulated}, each in the module of the resource kind it acts on (src/sim/kinds/) or in src/sim/fis-actions.ts` +
      (all.length > simulated
        ? `, and skips the other ${all.length - simulated}, which makes a game day that relies on them INCONCLUSIVE`
        : "") +
      ". Custom SSM documents, automations and Kubernetes custom resources need their effect declared in the world " +
      "(declaredEffects, docs/plans.md).",
    "",
  ].join("\n");
}
