/**
 * The speed target: the PlanetLab day in the browser worker under 3 s. Runs the
 * consolidation panel's default (20110303, THR 0.8 + MMT, CloudSim's delay) three times in
 * Debian's Chromium, each in a fresh page (so each fetches and decodes the day in a fresh worker),
 * and three times in Node with the same function; prints each median. Run `vite build` first
 * (`pnpm --filter playground bench` does).
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { loadPlanetLabDay } from "@vx/traces-planetlab/node";
import { chromium } from "playwright-core";
import {
  CONSOLIDATION_PARAMS,
  planetLabTable,
  runConsolidation,
} from "../src/compute/consolidation.js";
import { serve } from "../test/static-server.js";

const RUNS = 3;
const dist = join(dirname(fileURLToPath(import.meta.url)), "..", "dist");
const CHROMIUM = process.env.VX_CHROMIUM ?? "/usr/bin/chromium";
const median = (xs: number[]): number =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

const node: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const start = performance.now();
  runConsolidation(
    CONSOLIDATION_PARAMS,
    planetLabTable(loadPlanetLabDay(CONSOLIDATION_PARAMS.day)),
  );
  node.push(performance.now() - start);
}
console.log(
  `PlanetLab day ${CONSOLIDATION_PARAMS.day} in Node (decode + run): median ${(median(node) / 1000).toFixed(2)} s of ${node.map((x) => (x / 1000).toFixed(2)).join(", ")}`,
);

if (!existsSync(CHROMIUM) || !existsSync(join(dist, "index.html"))) {
  console.log(
    `no Chromium at ${CHROMIUM} or no build in ${dist}: the browser figure is not measured.`,
  );
} else {
  const site = await serve(dist);
  const work = mkdtempSync(join(tmpdir(), "vx-playground-bench-"));
  const context = await chromium.launchPersistentContext(join(work, "profile"), {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--no-first-run",
    ],
  });
  const browser: number[] = [];
  try {
    for (let i = 0; i < RUNS; i++) {
      const page = await context.newPage();
      await page.goto(`${site.url}#panel=consolidation`, { waitUntil: "load" });
      await page.waitForSelector("#out[data-figures]", { timeout: 600_000 });
      browser.push(Number(await page.getAttribute("#out", "data-ms")));
      await page.close();
    }
  } finally {
    await context.close();
    await site.close();
    rmSync(work, { recursive: true, force: true });
  }
  console.log(
    `PlanetLab day ${CONSOLIDATION_PARAMS.day} in Chromium's worker (fetch + decode + run): median ${(median(browser) / 1000).toFixed(2)} s of ${browser.map((x) => (x / 1000).toFixed(2)).join(", ")} (target: under 3 s)`,
  );
}
