import type { ReportStore } from "../core/ports";

/** The report bucket: S3 conditional writes (If-None-Match: *) keep the first object written under a key. */
export class SimulatedReportBucket implements ReportStore {
  readonly objects = new Map<string, { body: string; contentType: string }>();

  async putIfAbsent(key: string, body: string, contentType: string): Promise<"stored" | "already-stored"> {
    if (this.objects.has(key)) return "already-stored";
    this.objects.set(key, { body, contentType });
    return "stored";
  }

  async put(key: string, body: string, contentType: string): Promise<void> {
    this.objects.set(key, { body, contentType });
  }

  async get(key: string): Promise<string | undefined> {
    return this.objects.get(key)?.body;
  }

  /** The stored report JSON objects of one execution, whatever plan name their keys carry. */
  /** The stored reports of an execution (reports/<plan>/<execution>.json; not the report step's pending/ copy). */
  reportsOf(executionName: string): string[] {
    return [...this.objects.keys()].filter(
      (key) => key.startsWith("reports/") && key.endsWith(`/${executionName}.json`),
    );
  }
}
