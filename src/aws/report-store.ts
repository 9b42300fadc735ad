import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { getReportObject } from "./report-reader";
import type { ReportStore } from "../core/ports";
import { SDK_CLIENT_CONFIG, tracer } from "./powertools";

/**
 * S3 behind the ReportStore port. `If-None-Match: *` makes the write conditional, so at-least-once event
 * delivery stores one object (and one version) per key: a second write answers 412 PreconditionFailed, or
 * 409 ConditionalRequestConflict while the first is still in flight.
 */
export class S3ReportStore implements ReportStore {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {}

  async putIfAbsent(key: string, body: string, contentType: string): Promise<"stored" | "already-stored"> {
    try {
      await this.client.send(
        new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: contentType, IfNoneMatch: "*" }),
      );
      return "stored";
    } catch (error) {
      const { name, $metadata } = error as Error & { $metadata?: { httpStatusCode?: number } };
      if (name === "PreconditionFailed" || $metadata?.httpStatusCode === 412) return "already-stored";
      throw error;
    }
  }

  async put(key: string, body: string, contentType: string): Promise<void> {
    await this.client.send(
      new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: contentType }),
    );
  }

  get(key: string): Promise<string | undefined> {
    return getReportObject(this.client, this.bucket, key);
  }
}

export const s3ReportStore = (bucket: string) =>
  new S3ReportStore(tracer.captureAWSv3Client(new S3Client(SDK_CLIENT_CONFIG)), bucket);
