/* eslint-disable no-control-regex -- the test looks for control characters */
import fc from "fast-check";
import { XMLValidator } from "fast-xml-parser";
import { marked } from "marked";
import { describe, expect, it } from "vitest";
import { chartLibrary } from "../../src/assets/chart-library";
import { ProgressView } from "../../src/cli/progress";
import { markLatestRun, NO_RUN_YET } from "../../src/core/dashboards/latest-run";
import { renderHtml } from "../../src/core/report/html";
import { renderJUnit } from "../../src/core/report/junit";
import { renderMarkdown } from "../../src/core/report/markdown";
import type { Report } from "../../src/core/report/model";
import { printable, terminalSafe } from "../../src/core/report/text";
import { planFrom, rehearsePlan } from "../helpers";

/** Text a report may carry from a plan, a template, FIS or an event on the bus, written to hurt its readers. */
const HOSTILE = [
  "\u001b]0;pwned\u0007", // window title
  "\u001b[2J\u001b[H", // clear screen, cursor home
  "line\roverwritten", // carriage return
  "\u001b[1A\u001b[2K", // cursor up, erase line
  "\u009b31m", // 8-bit CSI
  "\u001bP+q\u001b\\", // DCS
  "a\u0000b\u0008c\u000bd\u000ce\u007f", // C0 and DEL
  "\u202eevil\u202c", // bidi override
  "\ud800lone", // a lone surrogate
  "\uffff\ufffe", // not characters in XML
  "[click](https://evil.example)",
  "https://evil.example and www.evil.example",
  "<img src=x onerror=alert(1)>",
  "<script>alert(1)</script>",
  "# heading\n> quote",
  "]]><x/>",
  "`code` *bold* _it_ | cell |",
  "&amp; &#x3c;",
];

const hostileText = fc.oneof(
  fc.constantFrom(...HOSTILE),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.array(fc.constantFrom(...HOSTILE), { minLength: 1, maxLength: 3 }).map((parts) => parts.join(" x ")),
);

/** Report fields that hold free text or names (enums, times and numbers are checked by the schema instead). */
const TEXT_KEYS = new Set(["name", "description", "reason", "message", "summary", "label", "id", "actionId"]);

/**
 * The report with every name and free text replaced by one of `texts`, in turn. The same text is replaced the same
 * everywhere (a name in a list and the object it names), so the report stays consistent.
 */
function withTexts(report: Report, texts: string[]): Report {
  const replacement = new Map<string, string>();
  const collect = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(collect);
    if (!value || typeof value !== "object") return;
    for (const [key, v] of Object.entries(value))
      if (typeof v === "string" && TEXT_KEYS.has(key) && !replacement.has(v))
        replacement.set(v, `${texts[replacement.size % texts.length]}${replacement.size}`);
      else collect(v);
  };
  collect(report);
  const visit = (value: unknown): unknown => {
    if (typeof value === "string") return replacement.get(value) ?? value;
    if (Array.isArray(value)) return value.map(visit);
    if (!value || typeof value !== "object") return value;
    return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, visit(v)]));
  };
  return visit(report) as Report;
}

/** XML 1.0's Char production: what a JUnit file may contain at all. */
const NOT_XML_CHAR = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
/** Any escape sequence but colour (SGR), any control character but line feed and tab. */
const TERMINAL_HAZARD =
  /\u001b(?!\[[0-9;]*m)|[\u0000-\u0008\u000b-\u001a\u001c-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

describe("hostile text in a report's names and texts", async () => {
  const rehearsed = (await rehearsePlan(planFrom("plans/aurora-failover-recovers.json"), { seed: 3 })).report!;
  const chart = chartLibrary();

  it("leaves JUnit well-formed XML 1.0, Markdown and dashboards without links or markup, HTML without elements", () => {
    fc.assert(
      fc.property(fc.array(hostileText, { minLength: 1, maxLength: 6 }), (texts) => {
        const report = withTexts(rehearsed, texts);

        const junit = renderJUnit(report);
        expect(XMLValidator.validate(junit)).toBe(true);
        expect(junit).not.toMatch(NOT_XML_CHAR);

        for (const markdown of [
          renderMarkdown(report),
          (
            JSON.parse(
              markLatestRun(
                JSON.stringify({ widgets: [{ type: "text", properties: { markdown: NO_RUN_YET } }] }),
                report,
              ),
            ) as { widgets: { properties: { markdown: string } }[] }
          ).widgets[0]!.properties.markdown,
        ]) {
          const rendered = marked.parse(markdown, { async: false, gfm: true });
          expect(rendered).not.toMatch(/<a\s|<img|<script|evil\.example<\/a>/);
          expect(markdown).not.toMatch(TERMINAL_HAZARD);
        }

        const html = renderHtml(report, chart);
        expect(html).not.toMatch(/<img|<script>alert/);
      }),
      { numRuns: 60, seed: 27 },
    );
  });

  it("reach the terminal only as printable text, in the live view and in plain lines", () => {
    fc.assert(
      fc.property(fc.array(hostileText, { minLength: 1, maxLength: 6 }), (texts) => {
        const lines: string[] = [];
        const view = new ProgressView({ start: 0, live: false, write: (l) => lines.push(l), title: texts[0]! });
        const name = (i: number) => texts[i % texts.length]!;
        view.update({
          state: "Start the stage's experiments",
          simulatedTime: 60_000,
          document: {
            journal: {
              stages: [
                {
                  index: 0,
                  name: name(1),
                  experiments: [{ experimentId: name(2), name: name(3), templateId: "EXT1" }],
                  faultStartedAt: 0,
                  stopRequested: { reason: "guardrail", probeIds: [name(4)] },
                  recovery: { recoveredAt: 120_000 },
                },
              ],
              lastReadings: [{ probeId: name(5), value: 1, breached: true, breaches: [name(0)] }],
            },
          } as never,
        });
        view.experimentState(
          {
            id: name(2),
            status: name(3) as never,
            actions: [{ name: name(4), actionId: name(5), status: "running", reason: name(1), targets: {} }] as never,
          },
          90_000,
        );
        for (const line of [...lines, view.frame()]) expect(terminalSafe(line)).not.toMatch(TERMINAL_HAZARD);
        // Names are printable on their own: no line break or escape of a name can make or move a line.
        for (const line of lines) expect(line.replace(/\u001b\[[0-9;]*m/g, "")).not.toMatch(/[\r\n\u001b]/);
      }),
      { numRuns: 60, seed: 27 },
    );
  });

  it("are printable once filtered: nothing of an escape sequence survives", () => {
    expect(printable("\u001b]0;pwned\u0007ok")).toBe("ok");
    expect(printable("a\r\nb\tc\u0000")).toBe("a  b c\uFFFD");
    expect(terminalSafe("\u001b[31mred\u001b[0m\u001b[2J")).toBe("\u001b[31mred\u001b[0m");
  });
});
