/**
 * Presets for common NUMA hosts, with the public figures they come from.
 *
 * @module
 */

import { GiB, VxError } from "@vx/core";
import {
  DDR4_2666_CHANNEL_BYTES_PER_SECOND,
  IFIS_LINK_BYTES_PER_SECOND,
  IFOP_LINK_BYTES_PER_SECOND,
  STREAM_EFFICIENCY,
  UPI_LINK_BYTES_PER_SECOND,
} from "./internal/hardware.js";
import { createTopology, type LinkSpec, type Topology } from "./topology.js";

/** Names of the preset topologies. */
export type TopologyPresetName = "1-socket" | "2-socket" | "4-socket" | "8-node-epyc";

/** Every preset name, for validation and help texts. */
export const TOPOLOGY_PRESETS: readonly TopologyPresetName[] = [
  "1-socket",
  "2-socket",
  "4-socket",
  "8-node-epyc",
];

/** Intel Xeon Gold 6130 (Skylake-SP): 16 cores, 32 threads, 6 DDR4-2666 channels, 3 UPI links (Intel ARK). */
const XEON_THREADS = 32;
const XEON_CORES = 16;
const XEON_CHANNELS = 6;
/** 6 × 32 GiB RDIMMs, one per channel. */
const XEON_MEMORY = GiB(192);

/** AMD EPYC 7601 (Naples): 4 Zeppelin dies of 8 cores / 16 threads, 2 DDR4-2666 channels each (AMD product page). */
const EPYC_DIE_CORES = 8;
const EPYC_DIES_PER_SOCKET = 4;
const EPYC_CHANNELS_PER_DIE = 2;
/** 2 × 32 GiB RDIMMs per die. */
const EPYC_DIE_MEMORY = GiB(64);

/** Linux numbering: the first thread of every core in socket order, then the second threads. */
function xeonCpus(socket: number, sockets: number): number[] {
  const cpus: number[] = [];
  for (let t = 0; t < XEON_THREADS / XEON_CORES; t++) {
    for (let c = 0; c < XEON_CORES; c++)
      cpus.push(t * sockets * XEON_CORES + socket * XEON_CORES + c);
  }
  return cpus;
}

function xeon(name: string, sockets: number, linksPerPair: number): Topology {
  const links: LinkSpec[] = [];
  for (let a = 0; a < sockets; a++) {
    for (let b = a + 1; b < sockets; b++) {
      links.push({
        name: `upi${a}-${b}`,
        between: [a, b],
        bandwidth: linksPerPair * UPI_LINK_BYTES_PER_SECOND,
      });
    }
  }
  return createTopology({
    name,
    nodes: Array.from({ length: sockets }, (_, s) => ({
      cpus: xeonCpus(s, sockets),
      memory: XEON_MEMORY,
      memoryBandwidth: XEON_CHANNELS * DDR4_2666_CHANNEL_BYTES_PER_SECOND * STREAM_EFFICIENCY,
    })),
    distances: Array.from({ length: sockets }, (_, i) =>
      Array.from({ length: sockets }, (__, j) => (i === j ? 10 : 21)),
    ),
    links,
    localLatency: 90e-9,
  });
}

function epyc(): Topology {
  const sockets = 2;
  const dies = sockets * EPYC_DIES_PER_SOCKET;
  const totalCores = dies * EPYC_DIE_CORES;
  const links: LinkSpec[] = [];
  // On a package every die has an IFOP link to each of the other three.
  for (let s = 0; s < sockets; s++) {
    for (let i = 0; i < EPYC_DIES_PER_SOCKET; i++) {
      for (let j = i + 1; j < EPYC_DIES_PER_SOCKET; j++) {
        const a = s * EPYC_DIES_PER_SOCKET + i;
        const b = s * EPYC_DIES_PER_SOCKET + j;
        links.push({
          name: `ifop${a}-${b}`,
          between: [a, b],
          bandwidth: IFOP_LINK_BYTES_PER_SECOND,
        });
      }
    }
  }
  // Between packages, die i of one socket has an IFIS link to die i of the other.
  for (let i = 0; i < EPYC_DIES_PER_SOCKET; i++) {
    const b = EPYC_DIES_PER_SOCKET + i;
    links.push({ name: `ifis${i}-${b}`, between: [i, b], bandwidth: IFIS_LINK_BYTES_PER_SECOND });
  }
  return createTopology({
    name: "8-node-epyc",
    nodes: Array.from({ length: dies }, (_, d) => {
      const cpus: number[] = [];
      for (let c = 0; c < EPYC_DIE_CORES; c++) cpus.push(d * EPYC_DIE_CORES + c);
      for (let c = 0; c < EPYC_DIE_CORES; c++) cpus.push(totalCores + d * EPYC_DIE_CORES + c);
      return {
        cpus,
        memory: EPYC_DIE_MEMORY,
        memoryBandwidth:
          EPYC_CHANNELS_PER_DIE * DDR4_2666_CHANNEL_BYTES_PER_SECOND * STREAM_EFFICIENCY,
      };
    }),
    distances: Array.from({ length: dies }, (_, i) =>
      Array.from({ length: dies }, (__, j) =>
        i === j
          ? 10
          : Math.floor(i / EPYC_DIES_PER_SOCKET) === Math.floor(j / EPYC_DIES_PER_SOCKET)
            ? 16
            : 32,
      ),
    ),
    links,
    localLatency: 90e-9,
  });
}

/**
 * A preset host topology.
 *
 * Use it when a scenario names a common machine rather than importing a real one. Figures
 * (memory bandwidth is 80 % of the DDR4 channels' peak, see {@link TOPOLOGY_DEFAULTS}):
 *
 * - `1-socket`: one Intel Xeon Gold 6130 (Skylake-SP; 16 cores, 32 threads, Intel ARK), 192 GiB
 *   on 6 DDR4-2666 channels: 102.4 GB/s.
 * - `2-socket`: two of them, SLIT 10/21 (what such boards report, e.g. `numactl --hardware` on
 *   Dell R740 / Supermicro X11DPi), joined by 2 UPI links at 10.4 GT/s: 41.6 GB/s each way.
 * - `4-socket`: four of them fully connected (each has 3 UPI links: one to each other socket,
 *   20.8 GB/s each way), SLIT 10/21.
 * - `8-node-epyc`: two AMD EPYC 7601 (Naples), 4 dies per socket, each die a node with 8 cores /
 *   16 threads, 64 GiB on 2 DDR4-2666 channels (34.1 GB/s); SLIT 10 local, 16 same socket,
 *   32 other socket (as `numactl --hardware` shows on two-socket Naples servers); Infinity Fabric
 *   links between the dies of a package (IFOP, 21.3 GB/s each way) and between die i of each
 *   package (IFIS, 18.95 GB/s each way), Hot Chips 29 (2017).
 *
 * Idle local latency is 90 ns on all (AnandTech 2017, 89–98 ns measured on Skylake-SP); remote
 * latencies follow the SLIT with the default weight (1.66× for 21, 1.36× for 16, 2.32× for 32).
 *
 * @param name - one of {@link TOPOLOGY_PRESETS}.
 * @returns the topology.
 * @throws {@link @vx/core!VxError} `VX_NUMA_UNKNOWN_PRESET` for another name, listing the presets.
 * @example
 * ```ts
 * const host = presetTopology("2-socket");
 * host.nodes.length; // 2
 * ```
 */
export function presetTopology(name: string): Topology {
  switch (name) {
    case "1-socket":
      return xeon("1-socket", 1, 0);
    case "2-socket":
      return xeon("2-socket", 2, 2);
    case "4-socket":
      return xeon("4-socket", 4, 1);
    case "8-node-epyc":
      return epyc();
    default:
      throw new VxError(
        "VX_NUMA_UNKNOWN_PRESET",
        `unknown topology preset "${name}"; use one of ${TOPOLOGY_PRESETS.join(", ")}.`,
        { path: ["topology"] },
      );
  }
}
