/**
 * What a pVM sizing run returns: plain, JSON-serialisable data (summary, series, per-guest
 * figures, the pVM's pages per node over time).
 *
 * @module
 */

import type { TimeSeriesJSON } from "@vx/core";

/** A pVM sizing policy. */
export type PvmPolicy = "static" | "closer";

/** Headline figures of one run (means are over the simulated time). */
export interface PvmSummary {
  /** The policy. */
  readonly policy: PvmPolicy;
  /** The host's name. */
  readonly topology: string;
  /** Number of guests. */
  readonly guests: number;
  /** Simulated time, seconds. */
  readonly simulatedSeconds: number;
  /** I/O the guests asked for (network payload + block + device-model bytes), bytes/s. */
  readonly demandBytesPerSecond: number;
  /** I/O the backends served, bytes/s. */
  readonly throughputBytesPerSecond: number;
  /** `throughput / demand` (1 when nothing was asked). */
  readonly servedFraction: number;
  /** Mean latency of a served item (packet or request) through its backend, seconds; null when none was served. */
  readonly meanLatencySeconds: number | null;
  /** Median item latency, seconds (from a histogram of 8 bins per octave: within 5 %); null when none was served. */
  readonly p50LatencySeconds: number | null;
  /** 99th-percentile item latency, seconds (same histogram, within 5 %); null when none was served. */
  readonly p99LatencySeconds: number | null;
  /** Share of the pVM's memory accesses (bytes copied and touched by its vCPUs) that were remote. */
  readonly remoteAccessFraction: number;
  /** Mean CPUs the pVM's vCPUs kept busy. */
  readonly cpuUsedMean: number;
  /** Mean vCPUs the pVM held (pinned, dedicated). */
  readonly cpuReservedMean: number;
  /** `cpuReservedMean − cpuUsedMean`: CPUs held but idle. */
  readonly cpuIdleReservedMean: number;
  /** Most vCPUs held at once. */
  readonly cpuReservedMax: number;
  /** Mean memory the pVM used (base + buffers of active backends), bytes. */
  readonly memoryUsedMeanBytes: number;
  /** Mean memory the pVM held, bytes. */
  readonly memoryReservedMeanBytes: number;
  /** `memoryReservedMean − memoryUsedMean` (0 when the pVM is short of memory), bytes. */
  readonly memoryIdleReservedMeanBytes: number;
  /** Most memory held at once, bytes. */
  readonly memoryReservedMaxBytes: number;
  /** Share of time the backends needed more memory than the pVM held (an outcome: a static pVM that is too small). */
  readonly memoryShortFraction: number;
  /** Share of steps in which some memory controller or interconnect channel was oversubscribed. */
  readonly fabricSaturatedFraction: number;
  /** Mean CPUs the guests' own work asked for (`vcpus × cpuUtilisation`, summed). */
  readonly guestCpuDemandMean: number;
  /**
   * Mean CPUs the guests' own work got: each node's CPUs, less the pVM's dedicated vCPUs there,
   * shared max-min among its guests; under Closer the backend work done for a guest is charged to
   * it and competes with its own work.
   */
  readonly guestCpuServedMean: number;
  /** `guestCpuServedMean / guestCpuDemandMean` (1 when nothing was asked). */
  readonly guestCpuServedFraction: number;
}

/** Series sampled every `sampleSeconds`, each the mean over its interval; all the same length as `time`. */
export interface PvmSeries {
  /** Start of each interval, seconds. */
  readonly time: number[];
  /** I/O asked for, bytes/s. */
  readonly demandBytesPerSecond: number[];
  /** I/O served, bytes/s. */
  readonly throughputBytesPerSecond: number[];
  /** Mean item latency, seconds; null in an interval with nothing served. */
  readonly meanLatencySeconds: (number | null)[];
  /** Share of the pVM's memory accesses that were remote. */
  readonly remoteAccessFraction: number[];
  /** CPUs busy with backend work. */
  readonly cpuUsed: number[];
  /** vCPUs held. */
  readonly cpuReserved: number[];
  /** Memory used, bytes. */
  readonly memoryUsedBytes: number[];
  /** Memory held, bytes. */
  readonly memoryReservedBytes: number[];
  /** CPUs the guests' own work got. */
  readonly guestCpuServed: number[];
  /** vCPUs held on each node: `vcpusPerNode[i][node]` for interval `i`. */
  readonly vcpusPerNode: number[][];
}

/** One guest's figures. */
export interface GuestResult {
  /** `<group name>-<i>`. */
  readonly name: string;
  /** Node holding most of its vCPUs. */
  readonly node: number;
  /** Mean I/O asked for, bytes/s. */
  readonly demandBytesPerSecond: number;
  /** Mean I/O served, bytes/s. */
  readonly throughputBytesPerSecond: number;
  /** Mean item latency, seconds; null when nothing was served. */
  readonly meanLatencySeconds: number | null;
  /** CPUs its own work asks for (`vcpus × cpuUtilisation`). */
  readonly cpuDemand: number;
  /** Mean CPUs its own work got (see {@link PvmSummary.guestCpuServedMean}). */
  readonly cpuServed: number;
}

/** The result of one policy's run. */
export interface PvmRunResult {
  /** Headline figures. */
  readonly summary: PvmSummary;
  /** Figures over time. */
  readonly series: PvmSeries;
  /** Per guest, in order. */
  readonly guests: GuestResult[];
  /** The pVM's pages on each node over time (change points; page size in `pageBytes`). */
  readonly pvmPagesPerNode: TimeSeriesJSON[];
  /** Page size of `pvmPagesPerNode`, bytes. */
  readonly pageBytes: number;
}

/** What {@link comparePvmPolicies} returns: one result per policy run, in order static, closer. */
export interface PvmComparison {
  /** The host's name. */
  readonly topology: string;
  /** Number of guests. */
  readonly guests: number;
  /** Simulated time, seconds. */
  readonly simulatedSeconds: number;
  /** The runs. */
  readonly results: PvmRunResult[];
}
