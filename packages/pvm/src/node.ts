/**
 * `@vx/pvm/node`: reading hosts captured from Linux (sysfs node folders, `numactl --hardware`
 * files) from disk, for Node.js. The main entry stays browser-safe.
 *
 * @packageDocumentation
 */

import type { VxPath } from "@vx/core";
import type { Topology } from "@vx/numa";
import { readNumactlFile, readSysfsTopology } from "@vx/numa/node";
import type { TopologyFileReader } from "./simulate.js";

/**
 * Reads `{ sysfs: folder }` with `readSysfsTopology` and `{ numactl: file }` with
 * `readNumactlFile` (both of `@vx/numa/node`). Pass it as `readTopology` to `simulatePvm` or
 * `comparePvmPolicies`.
 *
 * @param source - the captured host.
 * @param _path - where the source sits in the input (the numa readers name the file instead).
 * @returns the topology.
 * @throws {@link @vx/core!VxError} `VX_NUMA_NOT_FOUND`, `VX_NUMA_UNREADABLE`, `VX_NUMA_BAD_SYSFS`,
 *   `VX_NUMA_BAD_NUMACTL` from `@vx/numa/node`.
 * @example
 * ```ts
 * import { comparePvmPolicies } from "@vx/pvm";
 * import { nodeTopologyReader } from "@vx/pvm/node";
 * comparePvmPolicies({ topology: { sysfs: "host-nodes" } }, { readTopology: nodeTopologyReader });
 * ```
 */
export const nodeTopologyReader: TopologyFileReader = (
  source: { readonly sysfs: string } | { readonly numactl: string },
  _path: VxPath,
): Topology =>
  "sysfs" in source ? readSysfsTopology(source.sysfs) : readNumactlFile(source.numactl);
