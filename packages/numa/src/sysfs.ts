/**
 * Importer for a copy of Linux's `/sys/devices/system/node`: one `node<N>` folder per node, each
 * with `cpulist`, `meminfo` and `distance` (Documentation/ABI/stable/sysfs-devices-node).
 *
 * @module
 */

import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { VxError } from "@vx/core";
import { parseCpuList } from "./cpulist.js";
import { checkDistances, fileError, importSpec, withSource } from "./internal/import.js";
import { readCappedText } from "./internal/read.js";
import { createTopology, type ImportOptions, type NodeSpec, type Topology } from "./topology.js";

/** The default place Linux shows its NUMA topology. */
export const LINUX_NODE_SYSFS = "/sys/devices/system/node";

function bad(file: string, line: number, message: string): never {
  throw fileError("VX_NUMA_BAD_SYSFS", file, line, message);
}

function readText(file: string): string {
  if (!existsSync(file)) {
    bad(
      file,
      0,
      `missing; each node<N> folder of a copy of ${LINUX_NODE_SYSFS} needs cpulist, meminfo and distance.`,
    );
  }
  return readCappedText(file, MAX_SYSFS_FILE_BYTES);
}

/** Largest sysfs file read (a distance line of 1024 nodes is 4 KiB). */
const MAX_SYSFS_FILE_BYTES = 2 ** 20;

/** Lines of a file, with their 1-based numbers, skipping blank ones. */
function lines(text: string): { line: number; text: string }[] {
  return text
    .split("\n")
    .map((t, i) => ({ line: i + 1, text: t.trim() }))
    .filter((l) => l.text !== "");
}

function parseCpulistFile(file: string, text: string): number[] {
  const ls = lines(text);
  if (ls.length > 1) bad(file, ls[1]!.line, "a cpulist file holds one line.");
  const first = ls[0];
  if (first === undefined) return [];
  try {
    return parseCpuList(first.text);
  } catch (error) {
    if (!VxError.isInstance(error)) throw error;
    return bad(file, first.line, error.message);
  }
}

const MEMINFO_LINE = /^Node\s+(\d+)\s+([A-Za-z0-9_()]+):\s+(\d+)(\s+kB)?$/;

function parseMeminfo(file: string, text: string, id: number): number {
  let total: number | undefined;
  for (const l of lines(text)) {
    const m = MEMINFO_LINE.exec(l.text);
    if (m === null) {
      bad(
        file,
        l.line,
        `"${l.text}" is not a meminfo line (expected e.g. "Node ${id} MemTotal: 65870148 kB").`,
      );
    }
    if (Number(m[1]) !== id) {
      bad(file, l.line, `the line is about node ${m[1]}, but the file is in node${id}.`);
    }
    if (m[2] === "MemTotal") {
      if (m[4] === undefined) bad(file, l.line, "MemTotal must be in kB.");
      total = Number(m[3]) * 1024;
    }
  }
  if (total === undefined) bad(file, 0, `no "Node ${id} MemTotal: … kB" line.`);
  return total;
}

function parseDistance(file: string, text: string, count: number, self: number): number[] {
  const ls = lines(text);
  const first = ls[0];
  if (first === undefined)
    bad(file, 1, "the distance file is empty; it lists one SLIT distance per node.");
  if (ls.length > 1) bad(file, ls[1]!.line, "a distance file holds one line.");
  const parts = first.text.split(/\s+/);
  const out = parts.map((p) => {
    if (!/^\d+$/.test(p))
      bad(file, first.line, `"${p}" is not a distance (an integer such as 10 or 21).`);
    return Number(p);
  });
  if (out.length !== count) {
    bad(
      file,
      first.line,
      `${out.length} distances for ${count} node folders; the copy must hold every online node.`,
    );
  }
  checkDistances(out, self, (message) => bad(file, first.line, message));
  return out;
}

/**
 * Reads a topology from a copy of `/sys/devices/system/node` (or the live folder on Linux).
 *
 * Use it to simulate a real machine: copy the folder with `cp -rL /sys/devices/system/node
 * host-nodes` (or `tar` the `node*\/{cpulist,meminfo,distance}` files) and point this at the copy.
 * CPU lists come from `cpulist`, memory from `MemTotal` in `meminfo`, the SLIT from `distance`.
 * Sysfs does not hold memory bandwidth, interconnect links or latencies: they take the values in
 * `options`, else the defaults (`TOPOLOGY_DEFAULTS` of `@vx/numa`), listed in {@link Topology.assumed};
 * links are assumed to form a full mesh.
 *
 * @param folder - the folder holding `node0`, `node1`, …
 * @param options - figures sysfs does not hold.
 * @returns the topology, nodes in order of their ids.
 * @throws {@link @vx/core!VxError} `VX_NUMA_NOT_FOUND` when the folder does not exist;
 *   `VX_NUMA_NO_NUMA_INFO` when it holds no `node<N>` folder; `VX_NUMA_BAD_SYSFS` naming the file
 *   and line of a missing or malformed file; `VX_NUMA_UNREADABLE` for a file that is not a regular
 *   file (a FIFO, a device) or is larger than 1 MiB; `VX_NUMA_BAD_TOPOLOGY` when the pieces
 *   disagree (a CPU in two nodes, a diagonal distance other than 10).
 * @example
 * ```ts
 * const here = readSysfsTopology("/sys/devices/system/node");
 * const copy = readSysfsTopology("fixtures/sysfs-2node", { memoryBandwidth: "100GB/s" });
 * ```
 */
export function readSysfsTopology(folder: string, options: ImportOptions = {}): Topology {
  if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    throw fileError(
      "VX_NUMA_NOT_FOUND",
      folder,
      0,
      `not a folder; give a copy of ${LINUX_NODE_SYSFS}.`,
    );
  }
  const ids = readdirSync(folder)
    .map((name) => /^node(\d+)$/.exec(name))
    .filter((m): m is RegExpExecArray => m !== null && statSync(join(folder, m[0])).isDirectory())
    .map((m) => Number(m[1]))
    .sort((a, b) => a - b);
  if (ids.length === 0) {
    throw fileError(
      "VX_NUMA_NO_NUMA_INFO",
      folder,
      0,
      "holds no node<N> folder, so it carries no NUMA information.",
    );
  }
  const nodes: NodeSpec[] = [];
  const distances: number[][] = [];
  for (const id of ids) {
    const dir = join(folder, `node${id}`);
    const cpulistFile = join(dir, "cpulist");
    const meminfoFile = join(dir, "meminfo");
    const distanceFile = join(dir, "distance");
    const cpus = parseCpulistFile(cpulistFile, readText(cpulistFile));
    const memory = parseMeminfo(meminfoFile, readText(meminfoFile), id);
    distances.push(parseDistance(distanceFile, readText(distanceFile), ids.length, nodes.length));
    nodes.push(
      options.memoryBandwidth === undefined
        ? { id, cpus, memory }
        : { id, cpus, memory, memoryBandwidth: options.memoryBandwidth },
    );
  }
  return withSource(folder, () =>
    createTopology(importSpec(options.name ?? folder, nodes, distances, options)),
  );
}
