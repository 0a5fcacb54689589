// End-to-end: the built playground in a real browser (Debian's headless Chromium driven by
// playwright-core). Each panel runs in the page's worker and its figures must equal the same run
// in Node (to 1e-9 relative: V8's Math functions may differ in the last bit); no console error; a screenshot per panel goes to test-results/screenshots (kept by CI);
// the editor marks a bad field's line; a shared link reproduces its result; cancel stops a run;
// the site works offline once loaded. Run `vite build` first (the `example` script does).
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseScenario, runScenario } from "@vx/sim";
import { DEFAULT_SCENARIO_YAML } from "@vx/sim/browser";
import { loadPlanetLabDay } from "@vx/traces-planetlab/node";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CONSOLIDATION_PARAMS,
  planetLabTable,
  runConsolidation,
} from "../src/compute/consolidation.js";
import { MIGRATION_PARAMS, planMigration } from "../src/compute/migration.js";
import { comparePageflip, PAGEFLIP_PARAMS } from "../src/compute/pageflip.js";
import { comparePvm } from "../src/compute/pvm.js";
import { serve } from "./static-server.js";

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, "..", "dist");
const shots = join(here, "..", "test-results", "screenshots");
const CHROMIUM = process.env.VX_CHROMIUM ?? "/usr/bin/chromium";
/** Flags from the toolchain notes for Debian's chromium under playwright-core. */
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
/** In CI (`CI` set) the browser test must run, never skip. */
const ci = !["", "0", "false"].includes((process.env.CI ?? "").toLowerCase());
const INSTALL = `Install Debian's package (apt-get install chromium) or set VX_CHROMIUM to a Chromium binary.`;
if (!available && !ci) {
  console.warn(
    `skipping the playground's browser test (not in CI): no Chromium at ${CHROMIUM}. ${INSTALL}`,
  );
}

it.runIf(!available && ci)(
  "Chromium is there in CI, so the playground is checked in a browser",
  () => {
    expect.fail(
      `no Chromium at ${CHROMIUM}, and CI=${process.env.CI}: the browser test may not be skipped in CI. ${INSTALL}`,
    );
  },
);

/** A result as it crosses the worker boundary and the page's JSON attribute. */
const asJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

/**
 * Relative tolerance between the browser's figures and Node's. The same code gives the same
 * numbers, but Chromium's and Node's V8 may round `Math.sin`, `Math.exp`, … differently in the
 * last bit (seen: 4114.083737666505 vs …504 in a synthetic workload), and that spreads.
 */
const ULP_TOLERANCE = 1e-9;

/** The paths where two JSON values differ (numbers beyond {@link ULP_TOLERANCE}). */
function differences(got: unknown, want: unknown, path = "$", out: string[] = []): string[] {
  if (out.length >= 10) return out;
  if (typeof got === "number" && typeof want === "number") {
    if (
      !(Math.abs(got - want) <= ULP_TOLERANCE * Math.max(Math.abs(want), 1e-300) || got === want)
    ) {
      out.push(`${path}: ${got} vs ${want}`);
    }
  } else if (Array.isArray(got) && Array.isArray(want)) {
    if (got.length !== want.length) out.push(`${path}: length ${got.length} vs ${want.length}`);
    else {
      for (let i = 0; i < got.length; i++) differences(got[i], want[i], `${path}[${i}]`, out);
    }
  } else if (got !== null && want !== null && typeof got === "object" && typeof want === "object") {
    const keys = Object.keys(want as object);
    if (
      Object.keys(got as object)
        .sort()
        .join() !== [...keys].sort().join()
    ) {
      out.push(`${path}: keys ${Object.keys(got as object).join()} vs ${keys.join()}`);
    } else {
      for (const k of keys) {
        differences(
          (got as Record<string, unknown>)[k],
          (want as Record<string, unknown>)[k],
          `${path}.${k}`,
          out,
        );
      }
    }
  } else if (got !== want) {
    out.push(`${path}: ${JSON.stringify(got)} vs ${JSON.stringify(want)}`);
  }
  return out;
}

/** Checks the browser's figures against Node's (to {@link ULP_TOLERANCE}). */
function expectSameFigures(got: unknown, node: unknown): void {
  expect(differences(got, asJson(node))).toEqual([]);
}

describe.skipIf(!available)("the playground in a real browser (headless Chromium)", () => {
  let work: string;
  let context: BrowserContext;
  let site: { url: string; close: () => Promise<void> };
  const problems: string[] = [];

  beforeAll(async () => {
    if (!existsSync(join(dist, "index.html"))) {
      throw new Error(`no build in ${dist}: run \`pnpm --filter playground build\` first.`);
    }
    mkdirSync(shots, { recursive: true });
    site = await serve(dist);
    const { chromium } = await import("playwright-core");
    work = mkdtempSync(join(tmpdir(), "vx-playground-"));
    context = await chromium.launchPersistentContext(join(work, "profile"), {
      executablePath: CHROMIUM,
      headless: true,
      args: FLAGS,
      viewport: { width: 1200, height: 1000 },
    });
  });

  afterAll(async () => {
    await context?.close();
    await site?.close();
    if (work !== undefined) rmSync(work, { recursive: true, force: true });
  });

  /** Opens the site at `hash`, recording every console error, page error and failed request. */
  async function open(hash = ""): Promise<Page> {
    const page = await context.newPage();
    page.on("console", (m) => {
      if (m.type() === "error" || m.type() === "warning")
        problems.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    page.on("requestfailed", (r) => {
      const why = r.failure()?.errorText ?? "unknown";
      // A request the page itself abandoned (a reload, a cancelled run's worker terminated while
      // its script loads) is aborted by design; any other failure is a problem.
      if (why === "net::ERR_ABORTED") return;
      problems.push(`request failed (${why}): ${r.url()}`);
    });
    await page.goto(`${site.url}${hash}`, { waitUntil: "load" });
    return page;
  }

  /** Waits for the panel's figures and returns them with the worker's time in ms. */
  async function figures(page: Page): Promise<{ figures: unknown; ms: number }> {
    await page.waitForSelector("#out[data-figures]", { timeout: 280_000 });
    const raw = await page.getAttribute("#out", "data-figures");
    const ms = Number(await page.getAttribute("#out", "data-ms"));
    return { figures: JSON.parse(raw ?? "null"), ms };
  }

  /** Runs the panel shown and returns its figures. */
  async function runPanel(page: Page, panel: string): Promise<{ figures: unknown; ms: number }> {
    await page.click(`#tabs button[data-panel="${panel}"]`);
    await page.click("#run");
    const out = await figures(page);
    await page.screenshot({ path: join(shots, `${panel}.png`), fullPage: true });
    return out;
  }

  /** The charts of the output: id and the number of drawn lines or bars. */
  async function charts(page: Page): Promise<Record<string, number>> {
    return page.evaluate(() => {
      const out: Record<string, number> = {};
      for (const svg of document.querySelectorAll("#out svg.chart")) {
        out[svg.getAttribute("data-chart") ?? "?"] =
          svg.querySelectorAll("[data-line], [data-bar]").length;
      }
      return out;
    });
  }

  it("the migration planner gives the figures of the same plan in Node, with its charts", async () => {
    const page = await open();
    const { figures: got } = await runPanel(page, "migration");
    expectSameFigures(got, planMigration(MIGRATION_PARAMS));
    const c = await charts(page);
    expect(c["round-bytes"]).toBeGreaterThanOrEqual(3);
    expect(c["round-dirty-rate"]).toBeGreaterThanOrEqual(3);
    expect(c.downtime).toBeGreaterThanOrEqual(3);
    expect(await page.locator('table[data-table="evacuation"] tbody tr').count()).toBe(4);
    await page.close();
  });

  it("the PlanetLab day runs in the worker with the figures of the same run in Node", async () => {
    const page = await open();
    const { figures: got, ms } = await runPanel(page, "consolidation");
    const table = planetLabTable(loadPlanetLabDay(CONSOLIDATION_PARAMS.day));
    const node = runConsolidation(CONSOLIDATION_PARAMS, table);
    expectSameFigures(got, node);
    // CloudSim's configuration: 800 hosts, one VM per trace of the day.
    expect(node.summary.hosts).toBe(800);
    expect(node.summary.vms).toBe(1052);
    const c = await charts(page);
    expect(c["active-hosts"]).toBe(1);
    expect(c.energy).toBe(1);
    // Reported, not asserted (the machine is shared): the issue's target is under 3 s.
    console.log(
      `PlanetLab day ${CONSOLIDATION_PARAMS.day} in the browser worker (fetch, decode, 288 rounds of 800 hosts / 1052 VMs): ${(ms / 1000).toFixed(2)} s`,
    );
    await page.close();
  });

  it("Closer vs static and page-flip drift give the figures of the same runs in Node", async () => {
    const page = await open();
    const pvm = await runPanel(page, "pvm");
    expectSameFigures(pvm.figures, comparePvm({ case: 0 }));
    expect((await charts(page)).throughput).toBe(2);
    const drift = await runPanel(page, "pageflip");
    expectSameFigures(drift.figures, comparePageflip(PAGEFLIP_PARAMS));
    expect((await charts(page)).drift).toBe(4);
    await page.close();
  });

  it("a shared link (the state in the URL) shows the same result", async () => {
    const page = await open("#panel=migration&ram=8GiB&vms=2");
    expect(await page.inputValue('input[name="ram"]')).toBe("8GiB");
    const { figures: got } = await figures(page);
    expectSameFigures(got, planMigration({ ...MIGRATION_PARAMS, ram: "8GiB", vms: 2 }));
    // Editing a field writes it into the URL.
    await page.fill('input[name="latency"]', "1ms");
    expect(await page.evaluate(() => location.hash)).toBe(
      "#panel=migration&ram=8GiB&latency=1ms&vms=2",
    );
    await page.close();
  });

  it("a bad field is shown with its path (a typed error, nothing crashes)", async () => {
    const page = await open("#panel=migration&bandwidth=fast");
    await page.waitForSelector("#out p.bad");
    expect(await page.getAttribute("#out p.bad", "data-error")).not.toBe("");
    expect(await page.textContent("#out p.bad")).toContain("fast");
    await page.close();
  });

  it("the scenario editor marks a bad field's line, then runs the default scenario as vx run does", async () => {
    const page = await open();
    await page.click('#tabs button[data-panel="scenario"]');
    // The first host group's count made negative.
    const bad = DEFAULT_SCENARIO_YAML.replace(/count: (\d+)/, "count: -$1");
    const lines = bad.split("\n");
    const line = lines.findIndex((l) => /count: -\d/.test(l)) + 1;
    await page.fill("textarea", bad);
    await page.waitForSelector("ul.issues li");
    const issue = page.locator("ul.issues li").first();
    expect(await issue.getAttribute("data-line")).toBe(String(line));
    expect(await issue.textContent()).toContain(`line ${line}`);
    // A click on the problem selects its line in the editor.
    await issue.click();
    const selected = await page.evaluate(() => {
      const area = document.querySelector("textarea") as HTMLTextAreaElement;
      return area.value.slice(area.selectionStart, area.selectionEnd);
    });
    expect(selected.trim()).toBe(lines[line - 1]!.trim());
    expect(selected).toMatch(/count: -\d/);
    await page.screenshot({ path: join(shots, "scenario-error.png"), fullPage: true });

    await page.fill("textarea", DEFAULT_SCENARIO_YAML);
    await page.waitForSelector('[data-valid="true"]');
    await page.click("#run");
    const { figures: got } = await figures(page);
    await page.screenshot({ path: join(shots, "scenario.png"), fullPage: true });
    const node = runScenario(
      parseScenario(DEFAULT_SCENARIO_YAML, { file: "scenario.yaml" }),
    ).result;
    const run = (got as { run: { summary: Record<string, number>; json: string } }).run;
    expectSameFigures(run.summary, {
      energyKWh: node.summary.energyKWh,
      migrations: node.summary.migrations,
      slav: node.summary.slav,
      meanActiveHosts: node.summary.meanActiveHosts,
    });
    const json = JSON.parse(run.json) as typeof node;
    expectSameFigures(json.series, node.series);
    expect(json.provenance.scenarioHash).toBe(node.provenance.scenarioHash);
    expect(await page.locator('a[data-download="result.json"]').count()).toBe(1);
    expect(await page.locator('a[data-download="report.html"]').count()).toBe(1);
    await page.close();
  });

  it("cancel stops a long run, and the next run works", async () => {
    const page = await open();
    await page.click('#tabs button[data-panel="consolidation"]');
    await page.selectOption('select[name="overload"]', "mad");
    await page.click("#run");
    await page.waitForSelector("#cancel:not([hidden])");
    await page.click("#cancel");
    expect(await page.textContent("#status")).toBe("Cancelled.");
    expect(await page.getAttribute("#out", "data-figures")).toBeNull();
    await page.click('#tabs button[data-panel="pvm"]');
    await page.click("#run");
    await figures(page);
    await page.close();
  });

  it("works offline once loaded (the service worker serves the site and its worker)", async () => {
    const page = await open();
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await page.reload({ waitUntil: "load" });
    expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
    await context.setOffline(true);
    try {
      await page.reload({ waitUntil: "load" });
      await page.click('#tabs button[data-panel="pageflip"]');
      await page.click("#run");
      const { figures: got } = await figures(page);
      expectSameFigures(got, comparePageflip(PAGEFLIP_PARAMS));
    } finally {
      await context.setOffline(false);
    }
    await page.close();
  });

  it("logged no console error, page error or failed request", () => {
    expect(problems).toEqual([]);
  });
});
