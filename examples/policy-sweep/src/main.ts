/**
 * policy-sweep: the embedded default scenario (the PlanetLab day 2011-03-03 on 800 hosts, with
 * pre-copy migrations) under three overload detectors and two seeds, run on
 * worker threads with `runSweep` (the API behind `vx sweep`), then a comparison table.
 *
 * Run: `pnpm start` (writes out/points/*.json, out/sweep.csv and out/sweep.html). A rerun skips the
 * points already done. The same from the command line:
 *   vx sweep --param policy=thr,mad,lr --param seed=1..2 --out out
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { formatTable } from "@vx/core";
import { parseParam, runSweep } from "@vx/sim";

const out = "out";
const outcome = await runSweep({
  scenarioFile: null, // the embedded default scenario; pass a YAML file to sweep your own
  params: [parseParam("policy=thr,mad,lr"), parseParam("seed=1..2")],
  outDir: out,
  jobs: 2,
});
console.log(
  `${outcome.total} points: ${outcome.ran} ran, ${outcome.skipped} already done, ${outcome.failed.length} failed\n`,
);

// The combined CSV: one row per point, in grid order.
const [header, ...rows] = readFileSync(join(out, "sweep.csv"), "utf8").trim().split("\n");
const cols = header!.split(",");
const pick = ["policy", "param_seed", "energyKWh", "migrations", "slatah", "hostShutdowns"];
const idx = pick.map((c) => cols.indexOf(c));
const table = [
  pick,
  ...rows.map((r) => {
    const cells = r.split(",");
    return idx.map((i, k) => {
      const v = cells[i] ?? "";
      return k >= 2 && v !== "" && !Number.isInteger(Number(v)) ? Number(v).toPrecision(4) : v;
    });
  }),
];
console.log(formatTable(table, { align: "left" }));
console.log(`\nwrote ${join(out, "sweep.csv")} and ${join(out, "sweep.html")}`);
