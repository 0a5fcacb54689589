/**
 * CSV exports of a run: the per-step series and the migration log.
 *
 * @module
 */

import type { DatacenterResult } from "@vx/datacenter";
import { checkResult, toCsv } from "./internal/format.js";

/**
 * Columns of {@link seriesToCsv}, with their units; the network columns
 * ({@link SERIES_CSV_NETWORK_COLUMNS}) follow when the run built a network.
 */
export const SERIES_CSV_COLUMNS: readonly string[] = [
  "time_s",
  "active_hosts",
  "power_w",
  "mean_utilisation",
  "migrations",
  "overloaded_hosts",
  "migrations_in_flight",
];

/** Network columns of {@link seriesToCsv}: mean and busiest-link utilisation (0..1) per interval. */
export const SERIES_CSV_NETWORK_COLUMNS: readonly string[] = [
  "nic_utilisation",
  "nic_peak_utilisation",
  "uplink_utilisation",
  "uplink_peak_utilisation",
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
  "queue_s",
  "origin",
];

/**
 * The per-step series of a run as CSV: one row per scheduling interval, columns `time_s`
 * (interval start, seconds), `active_hosts`, `power_w` (watts), `mean_utilisation` (fraction of
 * active hosts' CPU, 0..1), `migrations` (decided in the round), `overloaded_hosts` (at 100 %
 * CPU), `migrations_in_flight` (moving or queued at the round); then, when the run built a network,
 * the NIC and uplink utilisation (mean and busiest link, 0..1; empty without uplinks).
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
  const network = s.nicUtilisation !== undefined;
  const rows: (string | number)[][] = [
    network ? [...SERIES_CSV_COLUMNS, ...SERIES_CSV_NETWORK_COLUMNS] : SERIES_CSV_COLUMNS.slice(),
  ];
  const at = (values: readonly number[] | undefined, i: number): string | number =>
    values === undefined ? "" : (values[i] ?? "");
  for (let i = 0; i < s.time.length; i++) {
    const row: (string | number)[] = [
      s.time[i]!,
      s.activeHosts[i]!,
      s.powerWatts[i]!,
      s.meanUtilisation[i]!,
      s.migrations[i]!,
      s.overloadedHosts[i]!,
      at(s.migrationsInFlight, i),
    ];
    if (network) {
      row.push(
        at(s.nicUtilisation, i),
        at(s.nicPeakUtilisation, i),
        at(s.uplinkUtilisation, i),
        at(s.uplinkPeakUtilisation, i),
      );
    }
    rows.push(row);
  }
  return toCsv(rows);
}

/**
 * The migration log of a run as CSV: one row per migration, columns `time_s` (decided), `vm`,
 * `from_host`, `to_host`, `duration_s`, `downtime_s`, `bytes`, `outcome`, `queue_s` (wait for a
 * slot), `origin` (`consolidation` or an extension's name).
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
      m.queueSeconds ?? 0,
      m.origin ?? "consolidation",
    ]);
  }
  return toCsv(rows);
}
