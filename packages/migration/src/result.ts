/**
 * What a migration returns: plain, JSON-serialisable data (no class instances, no `Infinity`
 * or `NaN`: a quantity that does not apply is `null`).
 *
 * @module
 */
import type { Fidelity, StrategyName } from "./internal/resolved.js";

/**
 * How a migration ended.
 *
 * - `completed`: the VM runs on the destination.
 * - `did-not-converge`: the migration did not finish within its caps (`limits.maxRounds`,
 *   `limits.maxTime`): a pre-copy that could not meet its switch-over test (or was still in its
 *   stop-and-copy at the time cap) keeps the VM on the source; a post-copy still running at the
 *   time cap is stopped there, with the VM on the destination and the rest of its memory still on
 *   the source (`reason` says which).
 * - `aborted`: the migration stopped (link or destination failure, cancellation) and the VM
 *   keeps running on the source.
 * - `vm-lost`: the VM is gone (post-copy when the source, the destination or the link fails;
 *   any strategy when the source fails while the VM runs there).
 * - `paused`: post-copy with `postcopy-recovery` lost its network; both ends hold part of the VM
 *   and the migration can be resumed.
 */
export type MigrationOutcome = "completed" | "did-not-converge" | "aborted" | "vm-lost" | "paused";

/** The phase a round belongs to. */
export type RoundPhase = "precopy" | "stop-and-copy" | "postcopy";

/** One round of a migration (a pre-copy iteration, the stop-and-copy, or the post-copy phase). */
export interface RoundRecord {
  /** 0 for the first round. */
  readonly index: number;
  /** Pre-copy iteration, stop-and-copy (the VM is paused), or post-copy push and faults. */
  readonly phase: RoundPhase;
  /** When it started, in seconds since the migration started. */
  readonly startSeconds: number;
  /** How long it took. */
  readonly durationSeconds: number;
  /** Bytes sent in it. */
  readonly bytes: number;
  /** Pages sent in it (full pages, deltas and zero-page flags). */
  readonly pages: number;
  /** Bytes of pages the guest dirtied during it (found at the next bitmap sync). */
  readonly dirtyBytes: number;
  /** `dirtyBytes / durationSeconds` (0 for an instantaneous round). */
  readonly dirtyRateBytesPerSecond: number;
  /** Measured transfer rate: `bytes / durationSeconds` (0 for an instantaneous round). */
  readonly bandwidthBytesPerSecond: number;
  /** CPU throttle applied to the guest during it, a fraction. */
  readonly throttle: number;
  /** Bytes skipped because their pages were dirtied again during the round (Xen). */
  readonly skippedBytes: number;
}

/**
 * The rounds a result does not list one by one (past {@link ROUND_RECORDS_KEPT} rounds, the first
 * and last halves are listed and the rounds between are summed here).
 */
export interface OmittedRounds {
  /** Index of the first omitted round. */
  readonly fromIndex: number;
  /** How many rounds are omitted (indices `fromIndex` to `fromIndex + count − 1`). */
  readonly count: number;
  /** Their total duration. */
  readonly durationSeconds: number;
  /** Bytes sent in them. */
  readonly bytes: number;
  /** Pages sent in them. */
  readonly pages: number;
  /** Bytes dirtied during them. */
  readonly dirtyBytes: number;
  /** Bytes skipped in them (Xen). */
  readonly skippedBytes: number;
}

/** Bytes sent, by kind. */
export interface BytesSent {
  /** Everything. */
  readonly total: number;
  /** Full pages. */
  readonly fullPages: number;
  /** XBZRLE deltas of re-sent pages. */
  readonly deltas: number;
  /** Zero-page flags. */
  readonly zeroPageFlags: number;
}

/** Post-copy statistics (zeros for pure pre-copy). */
export interface PostcopyStats {
  /** Seconds since the start at which the VM switched to the destination; `null` if it never did. */
  readonly switchSeconds: number | null;
  /** Network page faults on the destination. */
  readonly faults: number;
  /** Seconds the guest's vCPU stalled waiting for faulted pages. */
  readonly stallSeconds: number;
  /** Bytes fetched by faults. */
  readonly faultBytes: number;
  /** Bytes sent by the background push. */
  readonly pushedBytes: number;
}

/** A CPU throttle change (QEMU auto-converge, CloudSim's migration CPU loss). */
export interface ThrottleStep {
  /** Seconds since the start of the migration. */
  readonly atSeconds: number;
  /** The throttle from then on, a fraction. */
  readonly value: number;
}

/** Page-level checks (`null` at fluid fidelity). */
export interface PageStats {
  /** Pages of the VM. */
  readonly pages: number;
  /** Pages sent, counting every send. */
  readonly sent: number;
  /** Pages whose current content is not at the destination at the end (0 when completed). */
  readonly lost: number;
  /** Pages received twice by a phase that must send each page once (post-copy). */
  readonly duplicated: number;
  /** Pages sent while the destination already held their current content (QEMU's re-sends of pages dirtied before their turn). */
  readonly redundant: number;
  /** Pages fetched by network faults. */
  readonly faulted: number;
}

/** Points for charts: the state after each round (and each post-copy step), from the start. */
export interface MigrationSeries {
  /** Seconds since the start. */
  readonly timesSeconds: number[];
  /** Cumulative bytes sent. */
  readonly bytesSent: number[];
  /** Bytes still to send at that time (dirty or never sent). */
  readonly remainingBytes: number[];
}

/** The result of one migration. */
export interface MigrationResult {
  /** A label (the migration's name). */
  readonly name: string;
  /** The strategy. */
  readonly strategy: StrategyName;
  /** The fidelity it ran at (`fluid` for the strategies that have no page model). */
  readonly fidelity: Fidelity;
  /** How it ended. */
  readonly outcome: MigrationOutcome;
  /** Why, in words. */
  readonly reason: string;
  /** Simulated time at which it started, in seconds. */
  readonly startSeconds: number;
  /** Seconds from start to end. */
  readonly totalTimeSeconds: number;
  /** Seconds the VM was running nowhere (0 if it never stopped). */
  readonly downtimeSeconds: number;
  /** Downtime the switch-over test expected (QEMU: dirty bytes at the last sync / bandwidth); `null` if none. */
  readonly expectedDowntimeSeconds: number | null;
  /** Bytes sent by kind. */
  readonly bytesSent: BytesSent;
  /**
   * The rounds, in order (each with its `index`). A run of more than {@link ROUND_RECORDS_KEPT}
   * rounds lists the first and the last halves; `omittedRounds` sums the ones between.
   */
  readonly rounds: RoundRecord[];
  /** Rounds in all, the stop-and-copy or post-copy phase included (≥ `rounds.length`). */
  readonly roundCount: number;
  /** The rounds not listed in `rounds`, summed; `null` when every round is listed. */
  readonly omittedRounds: OmittedRounds | null;
  /** Post-copy statistics. */
  readonly postcopy: PostcopyStats;
  /** Seconds since the start until the VM stopped using the source's CPU; `null` if it never did. */
  readonly sourceCpuReleasedSeconds: number | null;
  /** Seconds since the start until the source could free the VM's memory; `null` if it never could. */
  readonly sourceMemoryFreedSeconds: number | null;
  /** Throttle in force at the end. */
  readonly finalThrottle: number;
  /** Every throttle change. */
  readonly throttleSteps: ThrottleStep[];
  /** Page-level checks, `null` at fluid fidelity. */
  readonly pages: PageStats | null;
  /** A time series for charts (empty arrays when disabled). */
  readonly series: MigrationSeries;
}
