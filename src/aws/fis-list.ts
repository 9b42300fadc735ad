import { ListExperimentsCommand, type FisClient } from "@aws-sdk/client-fis";
import type { ExperimentControl } from "../core/ports";
import { fisGetExperiment } from "./fis";

/** FIS cannot filter its list by tag, so this pages through every experiment of the account and Region. */
export const fisListTagged = (client: FisClient): ExperimentControl["listTagged"] => {
  const get = fisGetExperiment(client);
  return async (tagKey, tagValue) => {
    const ids: string[] = [];
    let nextToken: string | undefined;
    do {
      const response = await client.send(new ListExperimentsCommand({ maxResults: 100, nextToken }));
      for (const summary of response.experiments ?? []) {
        if (summary.id && summary.tags?.[tagKey] === tagValue) ids.push(summary.id);
      }
      nextToken = response.nextToken;
    } while (nextToken);
    return Promise.all(ids.map((id) => get(id)));
  };
};
