// End-to-end: the generated reports open in a real browser (Debian's headless Chromium driven by
// playwright-core) without errors and show their charts.
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPORT_CHARTS } from "../src/report/html.js";
import { renderSweepHtml } from "../src/report/sweep.js";
import { writeFileAtomic, writeReport } from "../src/report/write.js";
import { longResult, smallResult } from "./report-fixtures.js";

const CHROMIUM = process.env.VX_CHROMIUM ?? "/usr/bin/chromium";
/**
 * Flags for Debian's chromium under playwright-core, headless in a container: no sandbox, no GPU,
 * no background traffic.
 */
const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

const available = existsSync(CHROMIUM);
/** In CI (`CI` set, as GitHub Actions and .ci/run do) the browser test must run, never skip. */
const ci = !["", "0", "false"].includes((process.env.CI ?? "").toLowerCase());
const INSTALL = `Install Debian's package (apt-get install chromium) or set VX_CHROMIUM to a Chromium binary.`;
if (!available && !ci) {
  console.warn(`skipping the browser test (not in CI): no Chromium at ${CHROMIUM}. ${INSTALL}`);
}

it.runIf(!available && ci)(
  "Chromium is there in CI, so the reports are checked in a browser",
  () => {
    expect.fail(
      `no Chromium at ${CHROMIUM}, and CI=${process.env.CI}: the browser test may not be skipped in CI. ${INSTALL}`,
    );
  },
);

type Context = import("playwright-core").BrowserContext;

interface ChartBox {
  readonly id: string | null;
  readonly width: number;
  readonly height: number;
  /** Paths and rectangles with a non-empty bounding box. */
  readonly drawn: number;
  readonly texts: number;
}

describe.skipIf(!available)("reports in a real browser (headless Chromium)", () => {
  let work: string;
  let context: Context;

  beforeAll(async () => {
    const { chromium } = await import("playwright-core");
    work = mkdtempSync(join(tmpdir(), "vx-browser-"));
    // A fresh profile per run: launchPersistentContext owns the --user-data-dir flag.
    context = await chromium.launchPersistentContext(join(work, "profile"), {
      executablePath: CHROMIUM,
      headless: true,
      args: FLAGS,
      viewport: { width: 900, height: 1000 },
    });
  });

  afterAll(async () => {
    await context?.close();
    if (work !== undefined) rmSync(work, { recursive: true, force: true });
  });

  /** Opens a file and collects every console error, page error and failed request. */
  async function open(file: string) {
    const page = await context.newPage();
    const problems: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error" || m.type() === "warning")
        problems.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()}`));
    const requests: string[] = [];
    page.on("request", (r) => requests.push(r.url()));
    await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
    return { page, problems, requests };
  }

  /** Sizes of the charts and of their drawn data, in CSS pixels (the code runs in the page). */
  async function chartBoxes(page: import("playwright-core").Page): Promise<ChartBox[]> {
    return page.evaluate(`[...document.querySelectorAll("svg.chart")].map((svg) => {
      const box = svg.getBoundingClientRect();
      const drawn = [...svg.querySelectorAll("path, rect")]
        .map((p) => p.getBBox())
        .filter((b) => b.width > 0 || b.height > 0).length;
      return { id: svg.getAttribute("data-chart"), width: box.width, height: box.height, drawn,
        texts: svg.querySelectorAll("text").length };
    })`);
  }

  it("report.html renders its charts with no console errors and no requests", async () => {
    const out = join(work, "report");
    await writeReport(out, smallResult());
    const file = join(out, "report.html");
    const { page, problems, requests } = await open(file);
    expect(problems).toEqual([]);
    expect(requests).toEqual([pathToFileURL(file).href]);
    expect(await page.title()).toBe("vx report: small");

    const charts = await chartBoxes(page);
    // The five charts every report has, and the migrations in flight (the small run has some).
    expect(charts.map((c) => c.id)).toEqual([...REPORT_CHARTS, "in-flight"]);
    for (const c of charts) {
      expect(c.width, c.id!).toBeGreaterThan(300);
      expect(c.height, c.id!).toBeGreaterThan(150);
      expect(c.drawn, c.id!).toBeGreaterThanOrEqual(2); // the data and the axes
      expect(c.texts, c.id!).toBeGreaterThanOrEqual(8); // title, tick labels, axis titles
    }

    const shot = join(work, "report.png");
    await page.screenshot({ path: shot, fullPage: true });
    const png = readFileSync(shot);
    expect(png.subarray(0, 8)).toEqual(
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    );
    const width = png.readUInt32BE(16);
    const height = png.readUInt32BE(20);
    expect(width).toBe(900);
    expect(height).toBeGreaterThan(1500); // five charts and two tables

    // Decode the screenshot in the browser and check it is not blank: many colours, much ink.
    const decoder = await context.newPage();
    const dataUrl = `data:image/png;base64,${png.toString("base64")}`;
    const stats: { colours: number; inkFraction: number } = await decoder.evaluate(`(async () => {
      const img = new Image();
      img.src = ${JSON.stringify(dataUrl)};
      await img.decode();
      const canvas = document.createElement("canvas");
      canvas.width = img.width;
      canvas.height = img.height;
      const ctx = canvas.getContext("2d");
      ctx.drawImage(img, 0, 0);
      const data = ctx.getImageData(0, 0, img.width, img.height).data;
      const colours = new Set();
      let ink = 0;
      for (let i = 0; i < data.length; i += 4) {
        colours.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
        if (data[i] + data[i + 1] + data[i + 2] < 600) ink++;
      }
      return { colours: colours.size, inkFraction: ink / (data.length / 4) };
    })()`);
    expect(stats.colours).toBeGreaterThan(50);
    expect(stats.inkFraction).toBeGreaterThan(0.01);
    await decoder.close();
    await page.close();
  });

  it("a long run and a sweep page render too", async () => {
    const out = join(work, "long");
    await writeReport(out, longResult(86_400, 1));
    const long = await open(join(out, "report.html"));
    expect(long.problems).toEqual([]);
    expect((await chartBoxes(long.page)).every((c) => c.width > 300 && c.drawn >= 2)).toBe(true);
    await long.page.close();

    const summary = smallResult().summary;
    const points = ["thr", "iqr", "mad"].flatMap((policy, p) =>
      [1, 2].map((seed) => ({
        params: { policy, seed },
        summary: { ...summary, seed, energyKWh: p + seed },
      })),
    );
    const file = join(work, "sweep", "sweep.html");
    await writeFileAtomic(file, renderSweepHtml(points));
    const sweep = await open(file);
    expect(sweep.problems).toEqual([]);
    const charts = await chartBoxes(sweep.page);
    expect(charts).toHaveLength(7);
    expect(charts.every((c) => c.width > 300 && c.height > 50 && c.drawn >= 3)).toBe(true);
    await sweep.page.close();
  });
});
