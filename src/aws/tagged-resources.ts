import { GetResourcesCommand, ResourceGroupsTaggingAPIClient } from "@aws-sdk/client-resource-groups-tagging-api";
import { TAG_LISTABLE_RESOURCE_TYPES } from "../core/locks/keys";
import type { TargetDirectory } from "../core/ports";
import { SDK_CLIENT_CONFIG, tracer } from "./powertools";

export const taggingClient = () => tracer.captureAWSv3Client(new ResourceGroupsTaggingAPIClient(SDK_CLIENT_CONFIG));

/** Resources of one type carrying every tag, page by page (the Tagging API answers at most 100 per page). */
export const taggedResources =
  (client: ResourceGroupsTaggingAPIClient = taggingClient()): TargetDirectory["taggedResources"] =>
  async (resourceType, tags) =>
    (await taggedResourcesWithTags(client)(resourceType, tags)).map((r) => r.arn);

/** The same resources with all their tags, as GetResources lists them. */
export const taggedResourcesWithTags =
  (client: ResourceGroupsTaggingAPIClient = taggingClient()) =>
  async (
    resourceType: string,
    tags: Record<string, string>,
  ): Promise<{ arn: string; tags: Record<string, string> }[]> => {
    const typeFilter = TAG_LISTABLE_RESOURCE_TYPES[resourceType];
    if (!typeFilter) throw new Error(`the Resource Groups Tagging API cannot list ${resourceType} resources`);
    const found: { arn: string; tags: Record<string, string> }[] = [];
    let token: string | undefined;
    do {
      const page = await client.send(
        new GetResourcesCommand({
          ResourceTypeFilters: [typeFilter],
          TagFilters: Object.entries(tags).map(([Key, value]) => ({ Key, Values: [value] })),
          ResourcesPerPage: 100,
          ...(token ? { PaginationToken: token } : {}),
        }),
      );
      for (const mapping of page.ResourceTagMappingList ?? [])
        if (mapping.ResourceARN)
          found.push({
            arn: mapping.ResourceARN,
            tags: Object.fromEntries((mapping.Tags ?? []).map((t) => [t.Key ?? "", t.Value ?? ""])),
          });
      // The Tagging API ends its pages with an empty token, not a missing one.
      token = page.PaginationToken || undefined;
    } while (token);
    return found;
  };
