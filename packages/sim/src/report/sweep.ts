/**
 * Reports of a parameter sweep: one CSV row per point, and an HTML page comparing the points.
 *
 * @module
 */

import { VxError } from "@vx/core";
import type { DatacenterSummary } from "@vx/datacenter";
import { fixed, short, toCsv } from "./internal/format.js";
import { page, table } from "./internal/page.js";
import { type BarDatum, barChart } from "./internal/svg.js";

/** One point of a sweep: the parameters it ran with and its summary. */
export interface SweepPoint {
  /** Parameter values of this point, e.g. `{ policy: "thr", seed: 3 }`. */
  readonly params: Readonly<Record<string, string | number>>;
  readonly summary: DatacenterSummary;
}

/** Summary fields written by {@link sweepToCsv}, in column order. */
export const SWEEP_SUMMARY_COLUMNS: readonly (keyof DatacenterSummary)[] = [
  "scenario",
  "seed",
  "hosts",
  "vms",
  "simulatedSeconds",
  "energyKWh",
  "migrations",
  "slatah",
  "pdm",
  "slav",
  "esv",
  "hostShutdowns",
  "meanActiveHosts",
  "migrationModel",
  "unplacedVms",
  "migrationsCancelled",
  "vmsLost",
  "migrationBytes",
  "meanMigrationSeconds",
  "meanDowntimeSeconds",
  "p95DowntimeSeconds",
  "maxDowntimeSeconds",
  "downtimeShare",
  "meanQueueSeconds",
  "peakNicUtilisation",
  "peakUplinkUtilisation",
];

/** Parameter names in order of first appearance. */
function paramNames(points: readonly SweepPoint[]): string[] {
  const names: string[] = [];
  for (const p of points)
    for (const k of Object.keys(p.params)) if (!names.includes(k)) names.push(k);
  return names;
}

function checkPoints(points: readonly SweepPoint[]): void {
  if (!Array.isArray(points)) {
    throw new VxError("VX_SIM_BAD_RESULT", "expected an array of sweep points", { path: [] });
  }
  points.forEach((p, i) => {
    if (typeof p !== "object" || p === null || typeof p.params !== "object" || p.params === null) {
      throw new VxError("VX_SIM_BAD_RESULT", "a sweep point needs params", { path: [i, "params"] });
    }
    if (typeof p.summary !== "object" || p.summary === null) {
      throw new VxError("VX_SIM_BAD_RESULT", "a sweep point needs a summary", {
        path: [i, "summary"],
      });
    }
  });
}

/**
 * A sweep as CSV: one row per point; first a column per parameter (in order of first appearance;
 * named `param_<name>` when a summary field has the same name), then the summary fields of
 * {@link SWEEP_SUMMARY_COLUMNS}. Missing values are empty fields.
 *
 * @param points - the sweep's points, in grid order.
 * @returns CSV text with a header row.
 * @throws `VxError` `VX_SIM_BAD_RESULT` when a point lacks params or a summary.
 * @example
 * ```ts
 * sweepToCsv([{ params: { policy: "thr", seed: 1 }, summary }]);
 * // header: policy,param_seed,scenario,seed,hosts,vms,…
 * ```
 */
export function sweepToCsv(points: readonly SweepPoint[]): string {
  checkPoints(points);
  const names = paramNames(points);
  const summaryKeys = new Set<string>(SWEEP_SUMMARY_COLUMNS);
  const header = [
    ...names.map((n) => (summaryKeys.has(n) ? `param_${n}` : n)),
    ...SWEEP_SUMMARY_COLUMNS,
  ];
  const rows: (string | number)[][] = [header];
  for (const p of points) {
    const summary = p.summary as unknown as Readonly<Record<string, unknown>>;
    rows.push([
      ...names.map((n) => p.params[n] ?? ""),
      ...SWEEP_SUMMARY_COLUMNS.map((k) => {
        const v = summary[k];
        return typeof v === "number" || typeof v === "string" ? v : "";
      }),
    ]);
  }
  return toCsv(rows);
}

/** A metric compared across sweep points. */
interface Metric {
  readonly id: string;
  readonly title: string;
  readonly unit: string;
  readonly value: (s: DatacenterSummary) => number;
}

const METRICS: readonly Metric[] = [
  { id: "energy", title: "Energy", unit: "energy (kWh)", value: (s) => s.energyKWh },
  { id: "migrations", title: "Migrations", unit: "migrations", value: (s) => s.migrations },
  { id: "slatah", title: "SLATAH", unit: "SLATAH (%)", value: (s) => s.slatah * 100 },
  { id: "pdm", title: "PDM", unit: "PDM (%)", value: (s) => s.pdm * 100 },
  { id: "slav", title: "SLAV (SLATAH × PDM)", unit: "SLAV (%)", value: (s) => s.slav * 100 },
  { id: "esv", title: "ESV (energy × SLAV)", unit: "ESV (kWh)", value: (s) => s.esv },
  {
    id: "active-hosts",
    title: "Mean active hosts",
    unit: "hosts",
    value: (s) => s.meanActiveHosts,
  },
];

/** Names of the parameters that replicate a configuration rather than change it. */
const REPLICATE_PARAMS: ReadonlySet<string> = new Set(["seed"]);

interface Group {
  readonly label: string;
  readonly summaries: DatacenterSummary[];
}

function groupPoints(points: readonly SweepPoint[]): { groups: Group[]; by: string[] } {
  const names = paramNames(points);
  let by = names.filter((n) => !REPLICATE_PARAMS.has(n));
  if (by.length === 0) by = names;
  const groups = new Map<string, Group>();
  points.forEach((p, i) => {
    const label =
      by.length === 0 ? `point ${i + 1}` : by.map((n) => `${n}=${p.params[n] ?? "–"}`).join(", ");
    let g = groups.get(label);
    if (g === undefined) {
      g = { label, summaries: [] };
      groups.set(label, g);
    }
    g.summaries.push(p.summary);
  });
  return { groups: [...groups.values()], by };
}

function stats(values: readonly number[]): { mean: number; min: number; max: number } {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return { mean: Number.NaN, min: Number.NaN, max: Number.NaN };
  let sum = 0;
  for (const v of finite) sum += v;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const v of finite) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { mean: sum / finite.length, min, max };
}

/** Options of {@link renderSweepHtml}. */
export interface SweepHtmlOptions {
  /** Page title; default `vx sweep: <scenario name>`. */
  readonly title?: string;
}

/**
 * Renders a sweep as one self-contained HTML page comparing its points: a table and one bar
 * chart per metric (energy, migrations, SLATAH, PDM, SLAV, ESV, mean active hosts). Points that
 * differ only by `seed` form one bar: the mean over the seeds, with a whisker from min to max.
 *
 * @param points - the sweep's points, in grid order.
 * @param options - page title.
 * @returns the HTML text (deterministic: same points, same bytes).
 * @throws `VxError` `VX_SIM_BAD_RESULT` when a point lacks params or a summary.
 * @example
 * ```ts
 * writeFileSync("sweep.html", renderSweepHtml(points));
 * ```
 */
export function renderSweepHtml(
  points: readonly SweepPoint[],
  options: SweepHtmlOptions = {},
): string {
  checkPoints(points);
  const { groups, by } = groupPoints(points);
  const charts = METRICS.map((m) => {
    const bars: BarDatum[] = groups.map((g) => {
      const st = stats(g.summaries.map(m.value));
      return { label: g.label, ...st, n: g.summaries.length };
    });
    return barChart({
      id: `sweep-${m.id}`,
      title: m.title,
      xLabel: `${m.unit}${groups.some((g) => g.summaries.length > 1) ? ", mean over seeds (whisker: min–max)" : ""}`,
      bars,
      color: "#2563eb",
    });
  });
  const rows = groups.map((g) => {
    const e = stats(g.summaries.map((s) => s.energyKWh));
    const mig = stats(g.summaries.map((s) => s.migrations));
    const slav = stats(g.summaries.map((s) => s.slav * 100));
    const esv = stats(g.summaries.map((s) => s.esv));
    return [
      g.label,
      String(g.summaries.length),
      fixed(e.mean, 2),
      fixed(mig.mean, 1),
      fixed(slav.mean, 5),
      short(esv.mean),
    ];
  });
  const scenarios = [...new Set(points.map((p) => p.summary.scenario))];
  const subtitle = `${points.length} points · ${groups.length} configurations${by.length > 0 ? ` by ${by.join(", ")}` : ""} · scenario ${scenarios.join(", ") || "–"}`;
  let body = `<section><h2>Configurations</h2>${table(
    ["configuration", "runs", "energy (kWh)", "migrations", "SLAV (%)", "ESV"],
    rows,
    [false, true, true, true, true, true],
  )}<p class="meta">Means over the runs of each configuration; every point is in sweep.csv.</p></section>`;
  body += `<section><h2>Comparison</h2>${charts.map((svg) => `<figure>${svg}</figure>`).join("\n")}</section>`;
  return page(options.title ?? `vx sweep: ${scenarios[0] ?? "no points"}`, subtitle, body);
}
