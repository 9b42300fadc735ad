import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import type { ReportStore } from "../core/ports";
import { SDK_CLIENT_CONFIG, tracer } from "./powertools";

/** The report bucket, write only: where the report step puts each whole report for the store function. */
export const s3ReportOutbox = (
  bucket: string,
  client: S3Client = tracer.captureAWSv3Client(new S3Client(SDK_CLIENT_CONFIG)),
): Pick<ReportStore, "put"> => ({
  async put(key, body, contentType) {
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType }));
  },
});
