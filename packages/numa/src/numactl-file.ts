/**
 * Reading a `numactl --hardware` capture from a file (Node.js; exported by `@vx/numa/node`).
 *
 * @module
 */

import { readCappedText } from "./internal/read.js";
import { parseNumactlHardware } from "./numactl.js";
import type { ImportOptions, Topology } from "./topology.js";

/**
 * Reads a file holding the output of `numactl --hardware`.
 *
 * @param file - path of the text file.
 * @param options - figures the text does not hold.
 * @returns the topology, named after the file unless `options.name` is given.
 * @throws {@link @vx/core!VxError} `VX_NUMA_NOT_FOUND` when the file does not exist;
 *   `VX_NUMA_UNREADABLE` when it is a folder, a device, FIFO or socket (refused without reading or
 *   blocking), larger than 16 MiB, or cannot be read; otherwise as `parseNumactlHardware`,
 *   naming the file.
 * @example
 * ```ts
 * import { readNumactlFile } from "@vx/numa/node";
 * const t = readNumactlFile("fixtures/numactl-2node.txt");
 * ```
 */
export function readNumactlFile(file: string, options: ImportOptions = {}): Topology {
  const text = readCappedText(file, MAX_NUMACTL_BYTES);
  return parseNumactlHardware(text, { ...options, name: options.name ?? file });
}

/**
 * Largest `numactl --hardware` file read: Linux has at most 1024 nodes (`CONFIG_NODES_SHIFT` ≤ 10),
 * whose distance table is about 4 MiB of text.
 */
const MAX_NUMACTL_BYTES = 16 * 2 ** 20;
