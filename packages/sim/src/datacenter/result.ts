/**
 * What a data-center run returns: plain JSON data. Reports (terminal table, CSV, HTML) are built
 * from it in `report/`; nothing else is needed to draw them. This file is the contract between the
 * model and the reports.
 *
 * @module
 */

/** Headline figures (Beloglazov & Buyya, CCPE 2012, §6). */
export interface DatacenterSummary {
  readonly scenario: string;
  readonly seed: number;
  readonly hosts: number;
  readonly vms: number;
  readonly simulatedSeconds: number;
  readonly energyKWh: number;
  readonly migrations: number;
  /** SLA violation time per active host: mean over hosts of (time at 100 % CPU) / (time active). */
  readonly slatah: number;
  /** Performance degradation due to migration: mean over VMs of (CPU lost to migration) / (CPU requested). */
  readonly pdm: number;
  /** SLATAH × PDM. */
  readonly slav: number;
  /** Energy × SLAV. */
  readonly esv: number;
  /** Times a host was switched off. */
  readonly hostShutdowns: number;
  /** Time-weighted mean of active hosts. */
  readonly meanActiveHosts: number;
  /** With a real migration model: bytes moved by all migrations, and mean / max downtime. */
  readonly migrationBytes?: number;
  readonly meanDowntimeSeconds?: number;
  readonly maxDowntimeSeconds?: number;
}

/** Per-step series for charts and CSV, all the same length as `time`. */
export interface DatacenterSeries {
  /** Start of each scheduling interval, seconds. */
  readonly time: readonly number[];
  readonly activeHosts: readonly number[];
  readonly powerWatts: readonly number[];
  /** Mean CPU utilisation of active hosts (0..1). */
  readonly meanUtilisation: readonly number[];
  readonly migrations: readonly number[];
  /** Hosts at 100 % CPU (SLA violation) during the interval. */
  readonly overloadedHosts: readonly number[];
}

/** One migration. */
export interface MigrationRecord {
  readonly time: number;
  readonly vm: number;
  readonly from: number;
  readonly to: number;
  readonly durationSeconds: number;
  readonly downtimeSeconds: number;
  readonly bytes: number;
  readonly outcome: string;
}

/** A whole run. */
export interface DatacenterResult {
  readonly summary: DatacenterSummary;
  readonly series: DatacenterSeries;
  readonly migrationLog: readonly MigrationRecord[];
  /**
   * Results of the feature sections the scenario holds (`pageflip`, `numa`, …), by section name:
   * plain JSON from each feature package (see `features/`). Absent when the scenario has none.
   */
  readonly extensions?: Readonly<Record<string, unknown>>;
}
