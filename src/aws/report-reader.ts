import { GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import type { ReportStore } from "../core/ports";
import { SDK_CLIENT_CONFIG, tracer } from "./powertools";

/** One object of the report bucket, or undefined when there is none (404; needs s3:ListBucket, else S3 says 403). */
export async function getReportObject(client: S3Client, bucket: string, key: string): Promise<string | undefined> {
  try {
    const response = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return await response.Body?.transformToString("utf8");
  } catch (error) {
    const { name, $metadata } = error as Error & { $metadata?: { httpStatusCode?: number } };
    if (name === "NoSuchKey" || $metadata?.httpStatusCode === 404) return undefined;
    throw error;
  }
}

/** The report bucket, read only: what the orphan guard needs to see whether a report is stored. */
export const s3ReportReader = (
  bucket: string,
  client: S3Client = tracer.captureAWSv3Client(new S3Client(SDK_CLIENT_CONFIG)),
): Pick<ReportStore, "get"> => ({ get: (key) => getReportObject(client, bucket, key) });
