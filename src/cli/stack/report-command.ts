import { existsSync } from "node:fs";
import type { Command } from "commander";
import pc from "picocolors";
import { chartLibrary } from "../../assets/chart-library";
import { renderHtml } from "../../core/report/html";
import { renderJUnit } from "../../core/report/junit";
import { renderMarkdown } from "../../core/report/markdown";
import type { Report } from "../../core/report/model";
import { examplesFor } from "../examples";
import type { Io, SetExit } from "../io";
import { readReportFile } from "../report-file";
import { EXIT_INVALID, guarded, operatorOfStack, stackOption } from "./shared";

export function addReportCommand(program: Command, io: Io, setExit: SetExit): void {
  program
    .command("report")
    .addHelpText("after", examplesFor("report"))
    .description("Print a game day's stored report, from the report bucket or a report.json file.")
    .argument("<source>", "an execution name or ARN, or a report JSON file")
    .option(...stackOption)
    .option(
      "--format <format>",
      "md, html (self-contained, charts included), json or junit (JUnit XML, for CI systems)",
      "md",
    )
    .action(async (source: string, options: { stack: string; format: string }) => {
      if (!["md", "html", "json", "junit"].includes(options.format)) {
        io.err(`${pc.red("error")} --format must be md, html, json or junit\n`);
        return setExit(EXIT_INVALID);
      }
      // A path is never taken for an execution name: execution names hold no "/" and no ".json".
      const looksLikeFile = existsSync(source) || source.includes("/") || source.endsWith(".json");
      let fromFile: Report | undefined;
      if (looksLikeFile) {
        const problem = reportFileProblem(source);
        if (typeof problem === "string") {
          io.err(`${pc.red("error")} ${source}: ${problem}\n`);
          return setExit(EXIT_INVALID);
        }
        fromFile = problem.report;
      }
      await guarded(io, setExit, `reading the report of ${source}`, async () => {
        const report: Report = fromFile ?? (await (await operatorOfStack(options.stack)).report(source));
        io.out(
          options.format === "json"
            ? JSON.stringify(report, null, 2) + "\n"
            : options.format === "junit"
              ? renderJUnit(report)
              : options.format === "html"
                ? renderHtml(report, chartLibrary())
                : renderMarkdown(report),
        );
        return 0;
      })();
    });
}

/** A report file the user named: a whole gameday report, or why not (a plan is told apart). */
function reportFileProblem(file: string): string | { report: Report } {
  const read = readReportFile(file);
  if ("report" in read) return read;
  if (read.problem === "no such file") return "no such file (an execution name holds no / and no .json)";
  const { value } = read;
  const isPlan = typeof value === "object" && value !== null && "stages" in value && "hypothesis" in value;
  return isPlan
    ? "a plan, not a report: rehearse it (gameday rehearse) or start it (gameday start) to get one"
    : read.problem;
}
