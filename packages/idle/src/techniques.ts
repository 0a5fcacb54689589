/**
 * The registry of idle-VM techniques: one entry per technique, with how long parking and
 * restoring take and what the first request pays. The per-VM timeline and the data-center
 * extension both read these entries; nothing else decides what a technique costs.
 *
 * @module
 */

import type { IdleParameters, IdleTechniqueName } from "./parameters.js";

/** One technique. */
export interface IdleTechniqueEntry {
  readonly name: IdleTechniqueName;
  /** One sentence for tables and help. */
  readonly description: string;
  /** Where its mechanism comes from. */
  readonly source: string;
  /** Whether it parks idle VMs at all (`none` does not: idle VMs keep their resources). */
  readonly parks: boolean;
  /** Whether a parked VM needs a proxy slot in a sink (SEaMLESS). */
  readonly proxy: boolean;
  /**
   * Whether the parked VM's process stays on its host (swap is that host's disk): the host stays
   * on and the VM resumes there.
   */
  readonly staysOnHost: boolean;
  /** Seconds from the decision to park until the VM holds nothing (it keeps its resources meanwhile). */
  convertSeconds(p: IdleParameters, ramBytes: number): number;
  /** Seconds from the start of a restore until the VM serves again (it holds its resources). */
  restoreSeconds(p: IdleParameters, ramBytes: number): number;
  /**
   * What a request waits, given the seconds from its arrival until the VM serves again; `null`
   * when the client gives up first (TCP without a proxy).
   */
  requestWait(p: IdleParameters, untilServing: number): number | null;
}

/** Seconds to write the whole RAM image to the disk, or read it back. */
function imageWrite(p: IdleParameters, ram: number): number {
  return p.disk.latencySeconds + ram / p.disk.writeBytesPerSecond;
}
function imageRead(p: IdleParameters, ram: number): number {
  return p.disk.latencySeconds + ram / p.disk.readBytesPerSecond;
}

/**
 * Swap faults needed to page the working set back: each reads 2^pageCluster pages and costs the
 * disk latency plus that transfer.
 */
export function swapInSeconds(p: IdleParameters, ramBytes: number): number {
  const s = p.swap;
  const cluster = s.pageBytes * 2 ** s.pageCluster;
  const faults = Math.ceil((ramBytes * s.workingSetShare) / cluster);
  return faults * (p.disk.latencySeconds + cluster / p.disk.readBytesPerSecond);
}

/**
 * When a client whose first SYN found no listener is answered, given the VM serves again
 * `untilServing` seconds after that SYN: at its first retransmission at or after that time (the
 * k-th is sent at RTO·(2^k − 1)), or `null` when it gave up (after `synRetries`, at
 * RTO·(2^(retries+1) − 1)). RFC 6298 §2 and §5.5; Linux `tcp_syn_retries`.
 */
export function synAnsweredAfter(p: IdleParameters, untilServing: number): number | null {
  const rto = p.tcp.initialRtoSeconds;
  if (untilServing <= 0) return 0;
  for (let k = 1; k <= p.tcp.synRetries; k++) {
    const at = rto * (2 ** k - 1);
    if (at >= untilServing) return at;
  }
  return null;
}

/**
 * The techniques: `none` (idle VMs keep their CPU and RAM: consolidation alone), plain
 * `suspend-to-disk`, `suspend-to-swap`, and `seamless`.
 */
export const IDLE_TECHNIQUES: Readonly<Record<IdleTechniqueName, IdleTechniqueEntry>> = {
  none: {
    name: "none",
    description: "Idle VMs keep their CPU and RAM; only consolidation by migration acts.",
    source: "Beloglazov & Buyya, CCPE 2012 (consolidation alone).",
    parks: false,
    proxy: false,
    staysOnHost: false,
    convertSeconds: () => 0,
    restoreSeconds: () => 0,
    requestWait: (_p, w) => Math.max(0, w),
  },
  "suspend-to-disk": {
    name: "suspend-to-disk",
    description:
      "The whole RAM image is written to disk and read back on the first request; no proxy answers meanwhile, so the client is served at its next SYN retransmission.",
    source: "QEMU/libvirt managed save; RFC 6298 (SYN retransmission); Linux tcp_syn_retries.",
    parks: true,
    proxy: false,
    staysOnHost: false,
    convertSeconds: imageWrite,
    restoreSeconds: imageRead,
    requestWait: synAnsweredAfter,
  },
  "suspend-to-swap": {
    name: "suspend-to-swap",
    description:
      "The hypervisor swaps the idle VM's memory out to its host's disk; on the first request the working set is paged back, one fault (latency + 2^page-cluster pages) at a time. The VM's process stays on its host, which stays on.",
    source: "Segalini's thesis (Université Côte d'Azur); Linux vm.page-cluster.",
    parks: true,
    proxy: false,
    staysOnHost: true,
    convertSeconds: (p, ram) => ram / p.disk.writeBytesPerSecond,
    restoreSeconds: swapInSeconds,
    requestWait: (_p, w) => Math.max(0, w),
  },
  seamless: {
    name: "seamless",
    description:
      "The gateway process is checkpointed into a proxy in a sink, traffic is rerouted, the VM is suspended to disk; the proxy holds the first request while the VM is restored and traffic switched back.",
    source: "Lopez Pacheco et al., SoCC 2017; Segalini et al., CCGRID 2018.",
    parks: true,
    proxy: true,
    staysOnHost: false,
    convertSeconds: (p, ram) =>
      p.seamless.checkpointSeconds + p.seamless.rerouteSeconds + imageWrite(p, ram),
    restoreSeconds: (p, ram) => imageRead(p, ram) + p.seamless.rerouteSeconds,
    requestWait: (_p, w) => Math.max(0, w),
  },
};

/** How many proxies one sink holds: ⌊sink RAM / proxy footprint⌋. */
export function sinkCapacity(p: IdleParameters): number {
  return Math.floor(p.seamless.sinkRamBytes / p.seamless.proxyBytes);
}
