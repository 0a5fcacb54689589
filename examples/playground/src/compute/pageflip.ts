/**
 * Page-flip drift: a guest on node 0 of a two-socket host receives a steady stream of packets
 * through a pVM whose netback runs on node 1 (`comparePaths` of `@vx/netio-pageflip`). With page
 * flipping the guest's memory drifts to the pVM's node; informed and NUMA-aware flipping stop the
 * drift; grant copy never moves a page. Pure: the page's worker and the Node check run it.
 */
import { comparePaths } from "@vx/netio-pageflip";

/** What the panel asks for (strings as typed: "1Gbps", "64MiB/s", "30s"). */
export interface PageflipParams {
  readonly offeredRate: string;
  readonly churn: string;
  readonly duration: string;
}

/** The defaults: the pageflip-drift example's first case (1 Gbit/s for 30 s, 64 MiB/s churn). */
export const PAGEFLIP_PARAMS: PageflipParams = {
  offeredRate: "1Gbps",
  churn: "64MiB/s",
  duration: "30s",
};

/** One delivery path's figures. */
export interface PageflipRow {
  readonly path: string;
  readonly remoteFraction: number;
  readonly remoteBytes: number;
  readonly workloadRemoteFraction: number;
  readonly slowdown: number;
  readonly bitsPerSecond: number;
  readonly pvmCyclesPerPacket: number;
  readonly time: readonly number[];
  readonly remoteFractionOverTime: readonly number[];
}

/**
 * Runs every delivery path on the two-socket preset: guest on node 0 (4 GiB, half in use), pVM
 * on node 1 (4 GiB, a quarter in use), sampled every second.
 *
 * @param p - offered rate, the guest's memory churn, duration.
 * @returns one row per path.
 * @throws VxError from `@vx/netio-pageflip` for a bad field (its path names it).
 */
export function comparePageflip(p: PageflipParams): PageflipRow[] {
  const cmp = comparePaths({
    host: { preset: "2-socket" },
    offeredRate: p.offeredRate,
    duration: p.duration,
    sampleInterval: "1s",
    guest: { node: 0, memory: "4GiB", inUse: "50%", churn: p.churn },
    pvm: { node: 1, memory: "4GiB", inUse: "25%" },
  });
  return cmp.results.map((r) => ({
    path: r.path,
    remoteFraction: r.summary.remoteFraction,
    remoteBytes: r.summary.remoteBytes,
    workloadRemoteFraction: r.summary.workloadRemoteFraction,
    slowdown: r.summary.slowdown,
    bitsPerSecond: r.summary.bitsPerSecond,
    pvmCyclesPerPacket: r.summary.pvmCyclesPerPacket,
    time: r.samples.time,
    remoteFractionOverTime: r.samples.remoteFraction,
  }));
}
