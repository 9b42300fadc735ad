import { createHash } from "node:crypto";
import type { TemplateCatalog } from "../core/ports";
import type { FisTemplate } from "../core/template/schema";
import type { SimulatedAccount } from "../sim/account";
import { templatePath } from "../inputs/documents";
import { GAME_DAY_ERRORS } from "../core/contract/errors";

/** A stable FIS-style template id for a template file, so reports of the same rehearsal compare. */
export function templateIdFor(path: string): string {
  return `EXT${createHash("sha256").update(path.split("/").slice(-2).join("/")).digest("hex").slice(0, 14)}`;
}

/**
 * Resolves plan template references in a rehearsal: files and names load the (already validated) template into
 * the simulated account's FIS; ids must name a template the simulated account holds.
 */
export function rehearsalTemplates(
  account: SimulatedAccount,
  planFile: string,
  loaded: Map<string, FisTemplate>,
): TemplateCatalog {
  return {
    async resolve(reference) {
      const path = templatePath(reference, planFile);
      if (!path) {
        const id = (reference as { id: string }).id;
        if (account.fis.templates.has(id)) return id;
        throw Object.assign(
          new Error(
            `FIS template ${id} does not exist in the simulated account; rehearse with a template file or name instead.`,
          ),
          { name: GAME_DAY_ERRORS.unknownTemplate },
        );
      }
      const template = loaded.get(path);
      if (!template)
        throw Object.assign(new Error(`template ${path} was not loaded`), { name: GAME_DAY_ERRORS.unknownTemplate });
      const id = templateIdFor(path);
      account.fis.registerTemplate(id, template);
      return id;
    },
  };
}
