import { CloudWatchClient, GetDashboardCommand, PutDashboardCommand } from "@aws-sdk/client-cloudwatch";
import type { DashboardStore } from "../core/ports";
import { SDK_CLIENT_CONFIG, tracer } from "./powertools";

/** CloudWatch dashboards behind the DashboardStore port. */
export class CloudWatchDashboards implements DashboardStore {
  constructor(private readonly client: CloudWatchClient) {}

  async get(name: string): Promise<string | undefined> {
    try {
      return (await this.client.send(new GetDashboardCommand({ DashboardName: name }))).DashboardBody;
    } catch (error) {
      // A plan started from a file has no dashboard of its own.
      const code = (error as Error).name;
      if (code === "ResourceNotFound" || code === "DashboardNotFoundError") return undefined;
      throw error;
    }
  }

  async put(name: string, body: string): Promise<void> {
    const response = await this.client.send(new PutDashboardCommand({ DashboardName: name, DashboardBody: body }));
    const problems = response.DashboardValidationMessages ?? [];
    if (problems.length)
      throw new Error(
        `Dashboard ${name} was not updated: ${problems.map((m) => `${m.DataPath}: ${m.Message}`).join("; ")}`,
      );
  }
}

export const cloudWatchDashboards = () =>
  new CloudWatchDashboards(tracer.captureAWSv3Client(new CloudWatchClient(SDK_CLIENT_CONFIG)));
