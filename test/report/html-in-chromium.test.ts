import { mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import chromium from "@sparticuz/chromium";
import puppeteer, { type Browser } from "puppeteer-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Report } from "../../src/core/report/model";
import { run } from "../helpers";

export const SCREENSHOTS = resolve("test-output/screenshots");

/**
 * The headless Chromium that @sparticuz/chromium ships inside its npm package (no system browser needed);
 * CHROMIUM_PATH points at another one.
 */
async function chromiumExecutable(): Promise<string> {
  return process.env.CHROMIUM_PATH ?? (await chromium.executablePath());
}

/** Chromium takes its language from the environment: C.UTF-8 gives the tag "en-US@posix" that Intl refuses. */
async function launchIn(lang: string): Promise<Browser> {
  return puppeteer.launch({
    executablePath: await chromiumExecutable(),
    headless: "shell",
    env: { ...process.env, LANG: lang, LC_ALL: lang },
    args: process.env.CHROMIUM_PATH ? ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"] : chromium.args,
  });
}

const LOCALES = ["C.UTF-8", "en_US.UTF-8"] as const;
const browsers = new Map<string, Browser>();

beforeAll(async () => {
  for (const lang of LOCALES) browsers.set(lang, await launchIn(lang));
  mkdirSync(SCREENSHOTS, { recursive: true });
}, 60_000);

afterAll(async () => {
  for (const browser of browsers.values()) await browser.close();
});

interface Opened {
  report: Report;
  consoleErrors: string[];
  networkRequests: string[];
  renderedCharts: number;
  paintedCanvases: number;
  screenshot: string;
  text: string;
}

/** Rehearses a plan, opens its HTML report offline, and takes a full-page screenshot. */
async function openReport(planFile: string, lang: (typeof LOCALES)[number] = "C.UTF-8"): Promise<Opened> {
  const out = mkdtempSync(join(tmpdir(), "gd-html-"));
  await run(["rehearse", planFile, "--json", "--out", out]);
  const report = JSON.parse(readFileSync(join(out, "report.json"), "utf8")) as Report;
  const url = pathToFileURL(join(out, "report.html")).href;
  const page = await browsers.get(lang)!.newPage();
  const consoleErrors: string[] = [];
  const networkRequests: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") consoleErrors.push(message.text());
  });
  page.on("pageerror", (error) => consoleErrors.push(String(error)));
  await page.setRequestInterception(true);
  // The report must open with no network: anything but the file itself is refused and recorded.
  page.on("request", (request) => {
    if (request.url() === url) return void request.continue();
    networkRequests.push(request.url());
    void request.abort();
  });
  await page.setViewport({ width: 1200, height: 900 });
  await page.goto(url, { waitUntil: "load" });
  await page.waitForFunction(
    (n: number) => document.querySelectorAll('.chart[data-rendered="true"]').length >= n,
    { timeout: 10_000 },
    report.probes.filter((p) => p.timeline?.timestamps.length).length,
  );
  const renderedCharts = await page.$$eval('.chart[data-rendered="true"]', (els) => els.length);
  // A canvas counts as painted when a good share of its pixels are neither transparent nor white.
  const paintedCanvases = await page.$$eval(
    ".chart canvas",
    (canvases) =>
      canvases.filter((c) => {
        const canvas = c as HTMLCanvasElement;
        const data = canvas.getContext("2d")!.getImageData(0, 0, canvas.width, canvas.height).data;
        let inked = 0;
        for (let i = 0; i < data.length; i += 4)
          if (data[i + 3]! > 0 && data[i]! + data[i + 1]! + data[i + 2]! < 720) inked++;
        return inked > 2000;
      }).length,
  );
  const screenshot = join(SCREENSHOTS, `${report.plan.name}.png`);
  await page.screenshot({ path: screenshot, fullPage: true });
  const text = await page.evaluate(() => document.body.innerText);
  await page.close();
  return { report, consoleErrors, networkRequests, renderedCharts, paintedCanvases, screenshot, text };
}

describe("the HTML report in headless Chromium", () => {
  it.each(readdirSync("plans").map((f) => `plans/${f}`))(
    "renders %s offline with a chart per probe and no console error",
    async (planFile) => {
      const opened = await openReport(planFile);
      expect(opened.consoleErrors).toEqual([]);
      expect(opened.networkRequests).toEqual([]);
      expect(opened.renderedCharts).toBe(opened.report.probes.length);
      expect(opened.paintedCanvases).toBe(opened.report.probes.length);
      expect(statSync(opened.screenshot).size).toBeGreaterThan(50_000);
      expect(opened.text).toContain(`Game day: ${opened.report.plan.name}`);
      expect(opened.text).toContain("Blast radius");
      for (const action of opened.report.experiments.flatMap((e) => e.actions))
        expect(opened.text).toContain(action.actionId);
    },
  );

  it("runs under a C.UTF-8 environment whose browser language Intl refuses, and under en_US.UTF-8", async () => {
    const languages: string[] = [];
    for (const lang of LOCALES) {
      const page = await browsers.get(lang)!.newPage();
      languages.push(await page.evaluate(() => navigator.language));
      await page.close();
    }
    expect(languages).toEqual(["en-US@posix", "en-US"]);
  });

  it("fits a phone's width (390 px): tables scroll inside themselves, charts and the timeline fit the screen", async () => {
    const out = mkdtempSync(join(tmpdir(), "gd-html-phone-"));
    await run(["rehearse", "plans/aurora-failover.json", "--json", "--out", out]);
    const page = await browsers.get("C.UTF-8")!.newPage();
    await page.setViewport({ width: 390, height: 844 });
    await page.goto(pathToFileURL(join(out, "report.html")).href, { waitUntil: "load" });
    await page.waitForFunction(() => document.querySelectorAll('.chart[data-rendered="true"]').length > 0);
    const fit = await page.evaluate(() => {
      const width = document.documentElement.clientWidth;
      // Anything wider than the screen must be inside a table, which scrolls on its own.
      const outside = Array.from(document.querySelectorAll("body *"))
        .filter((e) => e.getBoundingClientRect().right > width + 1 && !e.closest("table:not(.u-legend)"))
        .map((e) => `${e.tagName.toLowerCase()}.${e.className}`);
      const scrolling = Array.from(document.querySelectorAll("table.findings")).map(
        (t) => getComputedStyle(t).overflowX,
      );
      return { width, scrollWidth: document.documentElement.scrollWidth, outside, scrolling };
    });
    await page.screenshot({ path: join(SCREENSHOTS, "phone-aurora-failover.png"), fullPage: true });
    await page.close();
    expect(fit.scrollWidth).toBe(fit.width);
    expect(fit.outside).toEqual([]);
    expect(fit.scrolling).toEqual(["auto"]);
  });

  it("draws every chart under en_US.UTF-8 too", async () => {
    const opened = await openReport("plans/ecs-checkout-zone-loss.json", "en_US.UTF-8");
    expect(opened.consoleErrors).toEqual([]);
    expect(opened.renderedCharts).toBe(opened.report.probes.length);
    expect(opened.paintedCanvases).toBe(opened.report.probes.length);
  });

  it("shows the web shop's stale database connections in the failing plan's blast radius and charts", async () => {
    // The plan that watches recovery for long enough for X-Ray to have processed it.
    const opened = await openReport("plans/aurora-failover-recovers.json");
    expect(opened.report.verdict).toBe("FAILED");
    // The weakness: checkout keeps calling the old writer after the failover.
    // Checkout itself (whose requests fail on the stale connections) may rank next to the edge.
    expect(opened.report.traces!.blastRadius.slice(0, 3)).toContain("checkout → orders-db");
    expect(opened.text).toMatch(/checkout → orders-db\s+faultRate\s+recovery/);
    const faults = opened.report.probes.find((p) => p.id === "frontDoorFaultPercent")!;
    const max = faults.resolvedBounds!.max!;
    const afterFault = faults.timeline!.values.filter(
      (_, i) => faults.timeline!.timestamps[i]! >= Date.parse(opened.report.stages[0]!.faultStartedAt),
    );
    expect(Math.max(...afterFault)).toBeGreaterThan(max);
  });
});
