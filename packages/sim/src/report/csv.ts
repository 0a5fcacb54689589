/**
 * CSV exports of a run: the per-step series and the migration log.
 *
 * @module
 */

import type { DatacenterResult } from "../datacenter/result.js";
import { checkResult, toCsv } from "./internal/format.js";

/** Columns of {@link seriesToCsv}, with their units. */
export const SERIES_CSV_COLUMNS: readonly string[] = [
  "time_s",
  "active_hosts",
  "power_w",
  "mean_utilisation",
  "migrations",
  "overloaded_hosts",
];

/** Columns of {@link migrationsToCsv}, with their units. */
export const MIGRATIONS_CSV_COLUMNS: readonly string[] = [
  "time_s",
  "vm",
  "from_host",
  "to_host",
  "duration_s",
  "downtime_s",
  "bytes",
  "outcome",
];

/**
 * The per-step series of a run as CSV: one row per scheduling interval, columns `time_s`
 * (interval start, seconds), `active_hosts`, `power_w` (watts), `mean_utilisation` (fraction of
 * active hosts' CPU, 0..1), `migrations` (started in the interval), `overloaded_hosts` (at 100 %
 * CPU).
 *
 * Numbers are written in full precision (they read back to the same values); a non-finite value
 * is an empty field. Use it for `series.csv`, or to plot with your own tools.
 *
 * @param result - a data-center run.
 * @returns CSV text with a header row, `\n` line ends.
 * @throws `VxError` `VX_SIM_BAD_RESULT` when a series is not as long as `series.time`.
 * @example
 * ```ts
 * writeFileSync("series.csv", seriesToCsv(result));
 * ```
 */
export function seriesToCsv(result: DatacenterResult): string {
  checkResult(result);
  const s = result.series;
  const rows: (string | number)[][] = [SERIES_CSV_COLUMNS.slice()];
  for (let i = 0; i < s.time.length; i++) {
    rows.push([
      s.time[i]!,
      s.activeHosts[i]!,
      s.powerWatts[i]!,
      s.meanUtilisation[i]!,
      s.migrations[i]!,
      s.overloadedHosts[i]!,
    ]);
  }
  return toCsv(rows);
}

/**
 * The migration log of a run as CSV: one row per migration, columns `time_s` (start), `vm`,
 * `from_host`, `to_host`, `duration_s`, `downtime_s`, `bytes`, `outcome`.
 *
 * @param result - a data-center run.
 * @returns CSV text with a header row (only the header when there were no migrations).
 * @example
 * ```ts
 * writeFileSync("migrations.csv", migrationsToCsv(result));
 * ```
 */
export function migrationsToCsv(result: DatacenterResult): string {
  checkResult(result);
  const rows: (string | number)[][] = [MIGRATIONS_CSV_COLUMNS.slice()];
  for (const m of result.migrationLog) {
    rows.push([
      m.time,
      m.vm,
      m.from,
      m.to,
      m.durationSeconds,
      m.downtimeSeconds,
      m.bytes,
      m.outcome,
    ]);
  }
  return toCsv(rows);
}
