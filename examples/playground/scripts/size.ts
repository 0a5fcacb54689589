/**
 * Prints the gzipped size of what the built site loads first (index.html and the files it
 * references: scripts, module preloads, styles), and of what loads later (the worker on the
 * first run, each PlanetLab day when used); fails when the first load exceeds 500 KiB.
 *
 * Run after `vite build` (the package's `build` script does).
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

/** The budget of the issue: 500 KiB gzipped for the app's first load. */
export const FIRST_LOAD_BUDGET_BYTES = 500 * 1024;

const dist = join(dirname(fileURLToPath(import.meta.url)), "..", "dist");
const gz = (file: string): number => gzipSync(readFileSync(join(dist, file)), { level: 9 }).length;
const kib = (n: number): string => `${(n / 1024).toFixed(1)} KiB`;

const html = readFileSync(join(dist, "index.html"), "utf8");
const first = ["index.html"];
for (const m of html.matchAll(/(?:src|href)="\.?\/?([^"]+\.(?:js|css))"/g)) {
  if (!first.includes(m[1] as string)) first.push(m[1] as string);
}
let total = 0;
console.log("first load (gzipped):");
for (const f of first) {
  const n = gz(f);
  total += n;
  console.log(`  ${f.padEnd(36)} ${kib(n).padStart(10)}`);
}
console.log(
  `  ${"total".padEnd(36)} ${kib(total).padStart(10)}  (budget ${kib(FIRST_LOAD_BUDGET_BYTES)})`,
);
console.log("loaded later (gzipped):");
for (const f of readdirSync(join(dist, "assets")).sort()) {
  const path = `assets/${f}`;
  if (first.includes(path)) continue;
  console.log(`  ${path.padEnd(36)} ${kib(gz(path)).padStart(10)}`);
}
if (total > FIRST_LOAD_BUDGET_BYTES) {
  console.error(
    `the first load is ${kib(total)} gzipped, over the ${kib(FIRST_LOAD_BUDGET_BYTES)} budget.`,
  );
  process.exit(1);
}
