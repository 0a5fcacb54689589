/**
 * The HTML report of one run: a self-contained page (no scripts, no external resources) with the
 * summary table and charts as inline SVG.
 *
 * @module
 */

import { formatBytes, formatDuration } from "@vx/core";
import type { DatacenterResult } from "../datacenter/result.js";
import { checkResult, escapeHtml, fixed, summaryRows } from "./internal/format.js";
import { page, table } from "./internal/page.js";
import { timeChart } from "./internal/svg.js";

/** Options of {@link renderReportHtml}. */
export interface ReportHtmlOptions {
  /** Page title; default `vx report: <scenario name>`. */
  readonly title?: string;
}

/** The charts of a run report, in page order: the test of the page counts them. */
export const REPORT_CHARTS: readonly string[] = [
  "active-hosts",
  "power",
  "utilisation",
  "migrations",
  "sla",
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

/**
 * Renders the report of a run as one HTML page: summary table, then five charts over time
 * (active hosts, power, mean CPU utilisation of active hosts, migrations per interval, hosts at
 * 100 % CPU), each with a title, axes, tick labels and units, then migrations by outcome.
 *
 * Use it for `report.html` (see {@link writeReport}). The page has no scripts and loads nothing:
 * it opens offline and prints. The output depends only on `result`: the same result always gives
 * the same bytes.
 *
 * @param result - a data-center run.
 * @param options - page title.
 * @returns the HTML text.
 * @throws `VxError` `VX_SIM_BAD_RESULT` when a series is not as long as `series.time`.
 * @example
 * ```ts
 * writeFileSync("report.html", renderReportHtml(runDatacenter(scenario)));
 * ```
 */
export function renderReportHtml(
  result: DatacenterResult,
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
  const maxPower = Math.max(0, ...series.powerWatts.filter(Number.isFinite));
  const pu = powerUnit(maxPower);

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
      yMax: Math.max(100, ...series.meanUtilisation.filter(Number.isFinite).map((u) => u * 100)),
    }),
    timeChart({
      id: "migrations",
      title: "Migrations per interval",
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

  const rows = summaryRows(s).map((r) => [r.label, r.value, r.note]);
  let body = `<section><h2>Summary</h2>${table(["metric", "value", "meaning"], rows, [false, true, false], "summary")}</section>`;
  body += `<section><h2>Over time</h2>${charts.map((svg) => `<figure>${svg}</figure>`).join("\n")}</section>`;
  body += `<section><h2>Migrations by outcome</h2>${migrationTable(result)}</section>`;

  const subtitle = `seed ${s.seed} · ${s.hosts} hosts · ${s.vms} VMs · ${formatDuration(s.simulatedSeconds)} simulated · ${n} intervals`;
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
  return (
    table(["outcome", "migrations", "mean duration", "max downtime", "bytes moved"], rows, [
      false,
      true,
      true,
      true,
      true,
    ]) +
    `<p class="meta">${escapeHtml(`${log.length} migrations in all; every one is in migrations.csv.`)} ${escapeHtml(`Mean per VM: ${fixed(log.length / Math.max(1, result.summary.vms), 2)}.`)}</p>`
  );
}
