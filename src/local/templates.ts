import { createHash } from "node:crypto";
import { basename } from "node:path";
import type { TemplateCatalog } from "../core/ports";
import type { FisTemplate } from "../core/template/schema";
import type { SimulatedAccount } from "../sim/account";
import { templatePath } from "../inputs/documents";
import { UnknownTemplateError } from "../core/contract/errors";

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
        throw new UnknownTemplateError(
          `FIS template ${id} does not exist in the simulated account; rehearse with a template file or name instead.`,
        );
      }
      const template = loaded.get(path);
      if (!template) throw new UnknownTemplateError(`template ${path} was not loaded`);
      const id = templateIdFor(path);
      account.fis.registerTemplate(id, template, basename(path, ".json"));
      return id;
    },
  };
}
