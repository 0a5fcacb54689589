/**
 * What a data-center run returns: plain JSON data. Reports (terminal table, CSV, HTML) are built
 * from it in `@vx/sim`; nothing else is needed to draw them. This file is the contract between the
 * model and the reports.
 *
 * @module
 */

import type { ExtensionResult } from "./extension.js";

/** Headline figures (Beloglazov & Buyya, CCPE 2012, §6, as CloudSim's `Helper` computes them). */
export interface DatacenterSummary {
  readonly scenario: string;
  readonly seed: number;
  readonly hosts: number;
  readonly vms: number;
  readonly simulatedSeconds: number;
  /** The migration model (`migration.model`). */
  readonly migrationModel: string;
  readonly energyKWh: number;
  /** Migrations decided (every entry of the migration log, whatever its outcome). */
  readonly migrations: number;
  /**
   * SLA violation Time per Active Host, as CloudSim computes it: a ratio of sums, Σ over hosts of
   * the time at 100 % CPU / Σ over hosts of the time active (CCPE 2012 defines a mean of
   * per-host ratios; CloudSim's `Helper` and vx use this ratio).
   */
  readonly slatah: number;
  /**
   * Performance Degradation due to Migration, as CloudSim computes it: a ratio of sums, Σ over
   * VMs of the CPU lost to migration / Σ over VMs of the CPU requested. With the `cloudsim`
   * model the loss is CloudSim's 10 % during each migration; with the real models, what the
   * migrating VMs did not execute (downtime, auto-converge throttling).
   */
  readonly pdm: number;
  /** SLATAH × PDM. */
  readonly slav: number;
  /** Energy × SLAV. */
  readonly esv: number;
  /** Times a host was switched off. */
  readonly hostShutdowns: number;
  /** Time-weighted mean of active hosts. */
  readonly meanActiveHosts: number;
  /**
   * VMs that fit no host at the start (the run goes on without them; each is an SLA violation
   * for the whole run).
   */
  readonly unplacedVms: number;
  /** Share of all the CPU the VMs asked for that went unserved because they were unplaced or lost. */
  readonly unservedCpuShare: number;
  /** Migrations by outcome. */
  readonly migrationsCompleted: number;
  /** Pre-copy that did not converge within its cap, or aborted: the VM stayed on its source. */
  readonly migrationsCancelled: number;
  /** VMs lost by a migration (post-copy under a failure) or with a host taken out of service. */
  readonly vmsLost: number;
  /** Migrations still running (or queued) when the run ended. */
  readonly migrationsUnfinished: number;
  /** Bytes moved by all migrations. */
  readonly migrationBytes: number;
  /** Σ of migration times (start to end), and their mean and maximum, seconds. */
  readonly totalMigrationSeconds: number;
  readonly meanMigrationSeconds: number;
  readonly maxMigrationSeconds: number;
  /** Σ of downtimes, and their mean, 95th percentile and maximum, seconds. */
  readonly totalDowntimeSeconds: number;
  readonly meanDowntimeSeconds: number;
  readonly p95DowntimeSeconds: number;
  readonly maxDowntimeSeconds: number;
  /** Share of the VMs' running time lost to migration downtime. */
  readonly downtimeShare: number;
  /** Seconds migrations waited for a slot (concurrency limits): mean and maximum. */
  readonly meanQueueSeconds: number;
  readonly maxQueueSeconds: number;
  /**
   * Utilisation of the host NICs over the run: mean over all NIC directions, and the busiest
   * one's; `null` when the run built no network (the `cloudsim` model without VM traffic).
   */
  readonly meanNicUtilisation: number | null;
  readonly peakNicUtilisation: number | null;
  /** The same for rack uplinks (tree topology only, else `null`). */
  readonly meanUplinkUtilisation: number | null;
  readonly peakUplinkUtilisation: number | null;
}

/** Per-step series for charts and CSV, all the same length as `time`. */
export interface DatacenterSeries {
  /** Start of each scheduling interval, seconds. */
  readonly time: readonly number[];
  readonly activeHosts: readonly number[];
  readonly powerWatts: readonly number[];
  /** Mean CPU utilisation of active hosts (0..1). */
  readonly meanUtilisation: readonly number[];
  /** Migrations decided in the round. */
  readonly migrations: readonly number[];
  /** Hosts at 100 % CPU (SLA violation) during the interval. */
  readonly overloadedHosts: readonly number[];
  /** Migrations moving or queued at the round. */
  readonly migrationsInFlight: readonly number[];
  /**
   * Mean and peak (busiest link) utilisation of NICs and rack uplinks over each interval; absent
   * when the run built no network (uplinks: tree only).
   */
  readonly nicUtilisation?: readonly number[];
  readonly nicPeakUtilisation?: readonly number[];
  readonly uplinkUtilisation?: readonly number[];
  readonly uplinkPeakUtilisation?: readonly number[];
}

/** How a migration ended. */
export type MigrationRecordOutcome =
  | "completed"
  | "did-not-converge"
  | "aborted"
  | "vm-lost"
  | "paused"
  | "unfinished";

/** One migration. */
export interface MigrationRecord {
  /** When it was decided (its destination reserved), seconds. */
  readonly time: number;
  readonly vm: number;
  readonly from: number;
  readonly to: number;
  /** Seconds it waited for a slot before moving (concurrency limits). */
  readonly queueSeconds: number;
  /** Seconds from its start to its end (or, unfinished, as planned or until the end of the run). */
  readonly durationSeconds: number;
  readonly downtimeSeconds: number;
  readonly bytes: number;
  readonly outcome: MigrationRecordOutcome;
  /** Who asked for it: `consolidation`, or an extension's name. */
  readonly origin: string;
}

/** A whole run. */
export interface DatacenterResult {
  readonly summary: DatacenterSummary;
  readonly series: DatacenterSeries;
  readonly migrationLog: readonly MigrationRecord[];
  /**
   * What each extension contributed (`@vx/sim` also stores its standalone feature sections
   * here), by name. Absent when there is none.
   */
  readonly extensions?: Readonly<Record<string, ExtensionResult | unknown>>;
}
