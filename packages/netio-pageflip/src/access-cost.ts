/**
 * What remote memory costs the receive path and the guest: the latency of an access from a node's
 * CPUs to another node's memory relative to a local one, and the slowdown that follows for a
 * memory-bound workload, from `@vx/numa`'s access-cost model.
 *
 * @module
 */

import { ensure } from "@vx/core";
import type { Topology } from "@vx/numa";
import { accessCost, latencyFactor } from "@vx/numa";

/**
 * The access-cost model a receive-path run uses: how much slower an access to a node's memory is
 * than a local one, and what a page layout does to a memory-bound workload.
 *
 * The default is {@link numaAccessCostModel} on the run's host; pass another to
 * `simulatePageflip` or `comparePaths` to try a different one.
 */
export interface AccessCostModel {
  /**
   * Latency of an access from `cpuNode`'s CPUs to `memoryNode`'s memory, over a local access.
   *
   * @param cpuNode - where the accessing CPU is.
   * @param memoryNode - where the page is.
   * @returns 1 for local, above 1 for remote.
   */
  latencyRatio(cpuNode: number, memoryNode: number): number;
  /**
   * How much longer a memory-bound workload on `cpuNode` takes with its pages spread as
   * `pagesPerNode` than with all of them local.
   *
   * @param cpuNode - the node of the workload's vCPUs.
   * @param pagesPerNode - the workload's pages on each node.
   * @returns 1 when all pages are local (or there are none), above 1 otherwise.
   */
  slowdown(cpuNode: number, pagesPerNode: ArrayLike<number>): number;
}

/** Options of {@link numaAccessCostModel}. */
export interface NumaAccessCostOptions {
  /**
   * Fraction of the workload's run time stalled on memory when all its pages are local, 0–1.
   * Default 1: a fully memory-bound workload (pointer chasing), the worst case.
   */
  readonly memoryStallFraction?: number | undefined;
}

/**
 * The default {@link AccessCostModel}: `@vx/numa`'s, on a topology.
 *
 * The latency ratio is the topology's idle latency from the CPU's node to the memory's node over
 * the local one (`latencyFactor`); by default `@vx/numa` derives latencies from the SLIT as
 * local × (1 + 0.6 × (d / 10 − 1)), so the two-socket distance of 21 gives 1.66, close to the
 * 1.63× measured on a two-socket Xeon (F. Denneman, "NUMA Deep Dive Part 4", 2016: 190 vs 310
 * cycles). The slowdown is `accessCost(...).slowdown`:
 * (1 − s) + s × the page-weighted mean latency ratio, for a stall fraction s. Both are the
 * model of the whole vx suite, so page flipping's drift and the pVM placement studies of
 * `@vx/pvm` price remote memory the same way.
 *
 * @param topology - the host (`presetTopology("2-socket")`, `createTopology(...)`, or imported).
 * @param options - the workload's memory stall fraction.
 * @returns the model.
 * @throws {@link @vx/core!VxError} `VX_PAGEFLIP_BAD_ARGUMENT` when `memoryStallFraction` is outside 0–1.
 * @example
 * ```ts
 * const cost = numaAccessCostModel(presetTopology("2-socket"));
 * cost.latencyRatio(0, 1); // 1.66
 * cost.slowdown(0, [750, 250]); // 1.165: a quarter of the pages remote
 * ```
 */
export function numaAccessCostModel(
  topology: Topology,
  options: NumaAccessCostOptions = {},
): AccessCostModel {
  const stall = options.memoryStallFraction ?? 1;
  ensure(
    stall >= 0 && stall <= 1,
    `expected a memory stall fraction in 0–1, got ${stall}`,
    ["memoryStallFraction"],
    "VX_PAGEFLIP_BAD_ARGUMENT",
  );
  const nodes = topology.nodes.length;
  const ratio = new Float64Array(nodes * nodes);
  for (let i = 0; i < nodes; i++) {
    for (let j = 0; j < nodes; j++) ratio[i * nodes + j] = latencyFactor(topology, i, j);
  }
  return {
    latencyRatio(cpuNode: number, memoryNode: number): number {
      return ratio[cpuNode * nodes + memoryNode]!;
    },
    slowdown(cpuNode: number, pagesPerNode: ArrayLike<number>): number {
      let pages = 0;
      for (let n = 0; n < pagesPerNode.length; n++) pages += pagesPerNode[n]!;
      if (pages === 0) return 1;
      return accessCost(topology, { cpuNode, pages: pagesPerNode, memoryStallFraction: stall })
        .slowdown;
    },
  };
}
