import { carriesTags } from "../core/gameday/state";
import { ListExperimentsCommand, type FisClient } from "@aws-sdk/client-fis";
import { isTerminal, type ExperimentControl, type ExperimentState } from "../core/ports";
import { fisGetExperiment } from "./fis";

/** Every experiment summary of the account and Region, page by page. */
async function* experimentSummaries(client: FisClient) {
  let nextToken: string | undefined;
  do {
    const response = await client.send(new ListExperimentsCommand({ maxResults: 100, nextToken }));
    yield* response.experiments ?? [];
    nextToken = response.nextToken;
  } while (nextToken);
}

/**
 * FIS cannot filter its list by tag, so this pages through every experiment of the account and Region. The
 * summaries' tags narrow the list before GetExperiment: another stack's experiments are denied to this stack's
 * roles, and one denied read would fail the whole list.
 */
export const fisListTagged = (client: FisClient): ExperimentControl["listTagged"] => {
  const get = fisGetExperiment(client);
  return async (tagKey, tagValue, alsoTagged = {}) => {
    const ids: string[] = [];
    for await (const summary of experimentSummaries(client))
      if (summary.id && summary.tags?.[tagKey] === tagValue && carriesTags(summary.tags, alsoTagged))
        ids.push(summary.id);
    return Promise.all(ids.map((id) => get(id)));
  };
};

/** Every experiment of the account and Region that has not ended, from the summaries alone. */
export const fisLiveSummaries =
  (client: FisClient): ExperimentControl["liveSummaries"] =>
  async () => {
    const live = [];
    for await (const summary of experimentSummaries(client)) {
      const status = summary.state?.status as ExperimentState | undefined;
      if (!summary.id || (status && isTerminal(status))) continue;
      live.push({
        id: summary.id,
        tags: summary.tags ?? {},
        ...(summary.creationTime ? { createdAt: summary.creationTime.getTime() } : {}),
      });
    }
    return live;
  };

/** Experiments carrying `tagKey` that have not ended; the summaries' states say which. */
export const fisListLive = (client: FisClient): ExperimentControl["listLive"] => {
  const get = fisGetExperiment(client);
  const liveSummaries = fisLiveSummaries(client);
  return async (tagKey, alsoTagged = {}) => {
    const live = (await liveSummaries()).filter(
      (summary) => summary.tags[tagKey] !== undefined && carriesTags(summary.tags, alsoTagged),
    );
    return Promise.all(live.map((summary) => get(summary.id)));
  };
};
