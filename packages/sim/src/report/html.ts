/**
 * The HTML report of one run: a self-contained page (no scripts, no external resources) with the
 * provenance, the summary table and charts as inline SVG.
 *
 * @module
 */

import { formatBytes, formatDuration } from "@vx/core";
import type { DatacenterResult } from "@vx/datacenter";
import type { Provenance } from "../scenario/internal/run-core.js";
import { checkResult, escapeHtml, fixed, percent, summaryRows } from "./internal/format.js";
import { page, table } from "./internal/page.js";
import { timeChart } from "./internal/svg.js";

/** Options of {@link renderReportHtml}. */
export interface ReportHtmlOptions {
  /** Page title; default `vx report: <scenario name>`. */
  readonly title?: string;
}

/** The charts every run report has, in page order: the test of the page counts them. */
export const REPORT_CHARTS: readonly string[] = [
  "active-hosts",
  "power",
  "utilisation",
  "migrations",
  "sla",
];

/**
 * Charts a run report has when they apply, in page order after {@link REPORT_CHARTS}: migrations
 * in flight (when any waited or overlapped a round), NIC and uplink utilisation (when the run
 * built a network; uplinks for a tree), the distributions of migration times and downtimes
 * (real migration models), and one chart per series an extension recorded.
 */
export const REPORT_OPTIONAL_CHARTS: readonly string[] = [
  "in-flight",
  "nic",
  "uplink",
  "migration-times",
  "downtimes",
];

/** A time unit for the horizontal axis that keeps tick labels short. */
function timeUnit(spanSeconds: number): { readonly unit: string; readonly seconds: number } {
  if (spanSeconds >= 3 * 86_400) return { unit: "d", seconds: 86_400 };
  if (spanSeconds >= 3 * 3600) return { unit: "h", seconds: 3600 };
  if (spanSeconds >= 3 * 60) return { unit: "min", seconds: 60 };
  return { unit: "s", seconds: 1 };
}

/** A power unit that keeps numbers readable. */
function powerUnit(maxWatts: number): { readonly unit: string; readonly watts: number } {
  if (maxWatts >= 1e6) return { unit: "MW", watts: 1e6 };
  if (maxWatts >= 1e4) return { unit: "kW", watts: 1e3 };
  return { unit: "W", watts: 1 };
}

/** The largest finite value (or `floor`), without spreading the array. */
function maxOf(values: readonly number[], floor: number): number {
  let m = floor;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (Number.isFinite(v) && v > m) m = v;
  }
  return m;
}

/**
 * A histogram of positive values in display units: `bins` equal bins from 0 to the maximum.
 *
 * @returns bin starts, counts and the end of the last bin.
 */
function histogram(
  values: readonly number[],
  bins: number,
): { readonly x: number[]; readonly counts: number[]; readonly end: number } {
  const max = maxOf(values, 0);
  const width = max > 0 ? max / bins : 1;
  const counts = new Array<number>(bins).fill(0);
  for (const v of values) {
    if (!Number.isFinite(v) || v < 0) continue;
    const k = Math.min(bins - 1, Math.floor(v / width));
    counts[k] = (counts[k] as number) + 1;
  }
  return { x: counts.map((_, k) => k * width), counts, end: bins * width };
}

/** A duration unit for a distribution's axis. */
function durationUnit(maxSeconds: number): { readonly unit: string; readonly seconds: number } {
  if (maxSeconds >= 3 * 3600) return { unit: "h", seconds: 3600 };
  if (maxSeconds >= 180) return { unit: "min", seconds: 60 };
  if (maxSeconds >= 1) return { unit: "s", seconds: 1 };
  return { unit: "ms", seconds: 1e-3 };
}

function provenanceSection(p: Provenance): string {
  const s = p.scenario;
  const rows: string[][] = [
    ["scenario", s.name],
    ["scenario hash (SHA-256)", p.scenarioHash],
    ["seed", String(p.seed)],
    ["migration model", s.migration.model],
    [
      "policy",
      `${s.policy.overload}${s.policy.parameter === undefined ? "" : ` ${s.policy.parameter}`} + ${s.policy.selection}, ${s.policy.placement}${s.policy.underload ? ", under-load evacuation" : ""}`,
    ],
    [
      "network",
      s.network.topology === "star"
        ? "star"
        : `tree, ${s.network.hostsPerRack} hosts per rack, ${s.network.oversubscription}:1`,
    ],
    [
      "versions",
      Object.entries(p.versions)
        .map(([k, v]) => `${k} ${v}`)
        .join(", "),
    ],
  ];
  return (
    `<section><h2>Provenance</h2>${table(["", ""], rows, [], "provenance")}` +
    `<details><summary>The scenario as run (base units, every default filled in)</summary><pre>${escapeHtml(JSON.stringify(s, null, 2))}</pre></details></section>`
  );
}

/**
 * Renders the report of a run as one HTML page: the provenance (when the result carries it), the
 * summary table, five charts over time (active hosts, power, mean CPU utilisation of active hosts,
 * migrations per round, hosts at 100 % CPU), then the charts that apply
 * ({@link REPORT_OPTIONAL_CHARTS}) and migrations by outcome.
 *
 * Use it for `report.html` (see {@link writeReport}). The page has no scripts and loads nothing:
 * it opens offline and prints. Long series are reduced (min/max envelopes) so the page stays
 * small whatever the run's length. The output depends only on `result`: the same result always
 * gives the same bytes.
 *
 * @param result - a data-center run (with `provenance` when it comes from `runScenario`).
 * @param options - page title.
 * @returns the HTML text.
 * @throws `VxError` `VX_SIM_BAD_RESULT` when a series is not as long as `series.time`.
 * @example
 * ```ts
 * writeFileSync("report.html", renderReportHtml(runScenario(scenario).result));
 * ```
 */
export function renderReportHtml(
  result: DatacenterResult & { readonly provenance?: Provenance },
  options: ReportHtmlOptions = {},
): string {
  checkResult(result);
  const { summary: s, series } = result;
  const n = series.time.length;
  const lastStart = n > 0 ? series.time[n - 1]! : 0;
  const step = n > 1 ? series.time[n - 1]! - series.time[n - 2]! : s.simulatedSeconds;
  const endSeconds =
    s.simulatedSeconds > lastStart ? s.simulatedSeconds : lastStart + (step > 0 ? step : 1);
  const startSeconds = n > 0 ? series.time[0]! : 0;
  const tu = timeUnit(endSeconds - startSeconds);
  const x = series.time.map((t) => t / tu.seconds);
  const xEnd = endSeconds / tu.seconds;
  const xLabel = `simulated time (${tu.unit})`;
  const pu = powerUnit(maxOf(series.powerWatts, 0));

  const charts = [
    timeChart({
      id: "active-hosts",
      title: "Active hosts",
      yLabel: "active hosts",
      xLabel,
      x,
      xEnd,
      values: series.activeHosts,
      style: "step",
      color: "#2563eb",
    }),
    timeChart({
      id: "power",
      title: "Power draw of all hosts",
      yLabel: `power (${pu.unit})`,
      xLabel,
      x,
      xEnd,
      values: series.powerWatts.map((w) => w / pu.watts),
      style: "step",
      color: "#dc2626",
    }),
    timeChart({
      id: "utilisation",
      title: "Mean CPU utilisation of active hosts",
      yLabel: "utilisation (%)",
      xLabel,
      x,
      xEnd,
      values: series.meanUtilisation.map((u) => u * 100),
      style: "step",
      color: "#16a34a",
      yMin: 0,
      yMax: maxOf(
        series.meanUtilisation.map((u) => u * 100),
        100,
      ),
    }),
    timeChart({
      id: "migrations",
      title: "Migrations decided per round",
      yLabel: "migrations",
      xLabel,
      x,
      xEnd,
      values: series.migrations,
      style: "bars",
      color: "#7c3aed",
    }),
    timeChart({
      id: "sla",
      title: "SLA violations: hosts at 100 % CPU",
      yLabel: "overloaded hosts",
      xLabel,
      x,
      xEnd,
      values: series.overloadedHosts,
      style: "step",
      color: "#ea580c",
    }),
  ];

  const inFlight = series.migrationsInFlight;
  if (inFlight !== undefined && maxOf(inFlight, 0) > 0) {
    charts.push(
      timeChart({
        id: "in-flight",
        title: "Migrations moving or queued at each round",
        yLabel: "migrations",
        xLabel,
        x,
        xEnd,
        values: inFlight,
        style: "step",
        color: "#0891b2",
      }),
    );
  }
  if (series.nicUtilisation !== undefined) {
    charts.push(
      timeChart({
        id: "nic",
        title: "Host NICs: mean utilisation (busiest NIC in the table)",
        yLabel: "utilisation (%)",
        xLabel,
        x,
        xEnd,
        values: series.nicUtilisation.map((u) => u * 100),
        style: "step",
        color: "#0d9488",
        yMin: 0,
      }),
    );
  }
  if (series.uplinkUtilisation !== undefined) {
    charts.push(
      timeChart({
        id: "uplink",
        title: "Rack uplinks: mean utilisation",
        yLabel: "utilisation (%)",
        xLabel,
        x,
        xEnd,
        values: series.uplinkUtilisation.map((u) => u * 100),
        style: "step",
        color: "#b45309",
        yMin: 0,
      }),
    );
  }
  const moved = result.migrationLog.filter((m) => m.outcome !== "unfinished");
  if (s.migrationModel !== "cloudsim" && moved.length > 0) {
    const times = moved.map((m) => m.durationSeconds);
    const mu = durationUnit(maxOf(times, 0));
    const th = histogram(
      times.map((t) => t / mu.seconds),
      20,
    );
    charts.push(
      timeChart({
        id: "migration-times",
        title: "Distribution of migration times",
        yLabel: "migrations",
        xLabel: `migration time (${mu.unit})`,
        x: th.x,
        xEnd: th.end,
        values: th.counts,
        style: "bars",
        color: "#7c3aed",
      }),
    );
    const downs = moved.map((m) => m.downtimeSeconds);
    const du = durationUnit(maxOf(downs, 0));
    const dh = histogram(
      downs.map((t) => t / du.seconds),
      20,
    );
    charts.push(
      timeChart({
        id: "downtimes",
        title: "Distribution of downtimes",
        yLabel: "migrations",
        xLabel: `downtime (${du.unit})`,
        x: dh.x,
        xEnd: dh.end,
        values: dh.counts,
        style: "bars",
        color: "#be123c",
      }),
    );
  }
  for (const [name, value] of Object.entries(result.extensions ?? {})) {
    const recorded = (value as { series?: unknown } | null)?.series;
    if (typeof recorded !== "object" || recorded === null) continue;
    for (const [key, data] of Object.entries(recorded)) {
      const d = data as { time?: unknown; value?: unknown };
      if (!Array.isArray(d.time) || !Array.isArray(d.value)) continue;
      const times = d.time as number[];
      charts.push(
        timeChart({
          id: `ext-${name}-${key}`.replace(/[^A-Za-z0-9_-]/g, "-"),
          title: `${name}: ${key}`,
          yLabel: key,
          xLabel,
          x: times.map((t) => t / tu.seconds),
          xEnd,
          values: d.value as number[],
          style: "step",
          color: "#475569",
        }),
      );
    }
  }

  const rows = summaryRows(s).map((r) => [r.label, r.value, r.note]);
  let body = result.provenance === undefined ? "" : provenanceSection(result.provenance);
  body += `<section><h2>Summary</h2>${table(["metric", "value", "meaning"], rows, [false, true, false], "summary")}</section>`;
  body += `<section><h2>Over time</h2>${charts.map((svg) => `<figure>${svg}</figure>`).join("\n")}</section>`;
  body += `<section><h2>Migrations by outcome</h2>${migrationTable(result)}</section>`;

  const subtitle = `seed ${s.seed} · ${s.hosts} hosts · ${s.vms} VMs · ${formatDuration(s.simulatedSeconds)} simulated · ${n} intervals · ${s.migrationModel} migrations`;
  return page(options.title ?? `vx report: ${s.scenario}`, subtitle, body);
}

function migrationTable(result: DatacenterResult): string {
  const log = result.migrationLog;
  if (log.length === 0) return "<p>No migrations.</p>";
  const byOutcome = new Map<
    string,
    { count: number; duration: number; downtime: number; bytes: number }
  >();
  for (const m of log) {
    const entry = byOutcome.get(m.outcome) ?? { count: 0, duration: 0, downtime: 0, bytes: 0 };
    entry.count++;
    entry.duration += m.durationSeconds;
    entry.downtime = Math.max(entry.downtime, m.downtimeSeconds);
    entry.bytes += m.bytes;
    byOutcome.set(m.outcome, entry);
  }
  const rows = [...byOutcome.entries()]
    .sort((a, b) => b[1].count - a[1].count || (a[0] < b[0] ? -1 : 1))
    .map(([outcome, e]) => [
      outcome,
      String(e.count),
      formatDuration(e.duration / e.count),
      formatDuration(e.downtime),
      formatBytes(e.bytes),
    ]);
  const s = result.summary;
  return (
    table(["outcome", "migrations", "mean duration", "max downtime", "bytes moved"], rows, [
      false,
      true,
      true,
      true,
      true,
    ]) +
    `<p class="meta">${escapeHtml(`${log.length} migrations in all; every one is in migrations.csv.`)} ${escapeHtml(`Mean per VM: ${fixed(log.length / Math.max(1, s.vms), 2)}.`)}${s.downtimeShare > 0 ? ` ${escapeHtml(`Downtime: ${percent(s.downtimeShare)} of the VMs' running time.`)}` : ""}</p>`
  );
}
