/**
 * Importer for the text `numactl --hardware` prints (numactl's `hardware()` in `numactl.c`).
 *
 * @module
 */

import { VxError } from "@vx/core";
import { parseCpuList } from "./cpulist.js";
import { checkDistances, fileError, importSpec, withSource } from "./internal/import.js";
import { createTopology, type ImportOptions, type NodeSpec, type Topology } from "./topology.js";

interface PartialNode {
  cpus?: number[];
  memory?: number;
  line: number;
}

/**
 * Reads the output of `numactl --hardware` (also `numactl -H`) into a topology.
 *
 * Use it when all you have of a machine is that text. It reads the `available:` line, each
 * node's `cpus:` (as numactl prints them, one id after another, or compressed as `0-11,24-35 (24)`)
 * and `size:` lines (numactl's "MB" are MiB: it shifts bytes right by 20), and the `node
 * distances:` table. `free:` lines are checked but not used. Like sysfs, the text holds no memory
 * bandwidth, links or latencies: they come from `options` or the defaults
 * ({@link TOPOLOGY_DEFAULTS}); links are assumed to form a full mesh.
 *
 * @param text - the output of `numactl --hardware`.
 * @param options - figures the text does not hold; `name` also names the file in errors.
 * @returns the topology.
 * @throws {@link @vx/core!VxError} `VX_NUMA_NO_NUMA_INFO` for "No NUMA available on this system";
 *   `VX_NUMA_BAD_NUMACTL` naming the file and line of anything else it cannot read (an unknown
 *   line, a node without a `cpus:` or `size:` line, a node count that does not match, a
 *   distance row of the wrong length); `VX_NUMA_BAD_TOPOLOGY` when the pieces disagree.
 * @example
 * ```ts
 * const t = parseNumactlHardware(
 *   "available: 1 nodes (0)\nnode 0 cpus: 0 1 2 3\nnode 0 size: 15890 MB\nnode 0 free: 9000 MB\n" +
 *     "node distances:\nnode   0 \n  0:  10 \n",
 *   { name: "laptop.txt" },
 * );
 * t.nodes[0].memoryBytes; // 15890 MiB
 * ```
 */
export function parseNumactlHardware(text: string, options: ImportOptions = {}): Topology {
  const file = options.name ?? "numactl --hardware";
  const bad: (line: number, message: string) => never = (line, message) => {
    throw fileError("VX_NUMA_BAD_NUMACTL", file, line, message);
  };
  const all = text.split("\n").map((t, i) => ({ line: i + 1, text: t.trim() }));
  const ls = all.filter((l) => l.text !== "");
  if (ls.length === 0) bad(0, "empty; expected the output of `numactl --hardware`.");
  if (/^No NUMA available/i.test(ls[0]!.text)) {
    throw fileError(
      "VX_NUMA_NO_NUMA_INFO",
      file,
      ls[0]!.line,
      "numactl found no NUMA support on that machine.",
    );
  }
  const head = /^available:\s+(\d+)\s+nodes?\s+\(([^)]*)\)$/.exec(ls[0]!.text);
  if (head === null) {
    bad(ls[0]!.line, `expected "available: <n> nodes (<ids>)", got ${quote(ls[0]!.text)}.`);
  }
  const count = Number(head[1]);
  let listed: number[];
  try {
    listed = parseCpuList(head[2]!);
  } catch {
    return bad(ls[0]!.line, `"${head[2]}" is not a list of node ids.`);
  }
  if (listed.length !== count) {
    bad(ls[0]!.line, `says ${count} nodes but lists ${listed.length} (${head[2]}).`);
  }
  const nodes = new Map<number, PartialNode>();
  for (const id of listed) nodes.set(id, { line: ls[0]!.line });
  let distances: number[][] | undefined;

  for (let k = 1; k < ls.length; k++) {
    const { line, text: t } = ls[k]!;
    const m = /^node\s+(\d+)\s+(cpus|size|free):\s*(.*)$/.exec(t);
    if (m !== null) {
      const id = Number(m[1]);
      const node = nodes.get(id);
      if (node === undefined) bad(line, `node ${id} is not in the "available:" list.`);
      const rest = m[3]!;
      if (m[2] === "cpus") {
        if (node.cpus !== undefined) bad(line, `a second "cpus:" line for node ${id}.`);
        node.cpus = readCpus(rest, (message) => bad(line, message));
      } else {
        const size = /^(\d+)\s+MB$/.exec(rest);
        if (size === null && rest !== "<not available>") {
          bad(line, `expected "<n> MB" or "<not available>" after "${m[2]}:", got "${rest}".`);
        }
        if (m[2] === "size") {
          if (node.memory !== undefined) bad(line, `a second "size:" line for node ${id}.`);
          node.memory = size === null ? 0 : Number(size[1]) * 2 ** 20;
        }
      }
      continue;
    }
    if (/^No distance information available\.?$/.test(t)) continue;
    if (t === "node distances:") {
      const header = ls[k + 1];
      if (header === undefined || !/^node(\s+\d+)+$/.test(header.text)) {
        bad(header?.line ?? line, 'expected the header "node   0   1 …" after "node distances:".');
      }
      const columns = header.text.split(/\s+/).slice(1).map(Number);
      if (columns.join(",") !== listed.join(",")) {
        bad(
          header.line,
          `the columns (${columns.join(" ")}) are not the available nodes (${listed.join(" ")}).`,
        );
      }
      distances = [];
      for (let r = 0; r < listed.length; r++) {
        const row = ls[k + 2 + r];
        const rm = row === undefined ? null : /^(\d+):/.exec(row.text);
        const values = row === undefined || rm === null ? null : readInts(row.text, rm[0].length);
        if (row === undefined || rm === null || values === null || values.length === 0) {
          return bad(
            row?.line ?? header.line,
            `expected the distance row of node ${listed[r]} ("${listed[r]}:  10  21 …").`,
          );
        }
        if (Number(rm[1]) !== listed[r]) {
          bad(row.line, `expected the row of node ${listed[r]}, got node ${rm[1]}.`);
        }
        if (values.length !== listed.length) {
          bad(
            row.line,
            `the row holds ${values.length} distance${values.length === 1 ? "" : "s"} for ${listed.length} nodes.`,
          );
        }
        checkDistances(values, r, (message) => bad(row.line, message));
        distances.push(values);
      }
      k += 1 + listed.length;
      continue;
    }
    bad(line, `cannot read ${quote(t)} (not a line numactl --hardware prints).`);
  }

  const specs: NodeSpec[] = [];
  for (const [id, node] of nodes) {
    if (node.cpus === undefined) bad(node.line, `no "node ${id} cpus:" line.`);
    if (node.memory === undefined) bad(node.line, `no "node ${id} size:" line.`);
    specs.push(
      options.memoryBandwidth === undefined
        ? { id, cpus: node.cpus, memory: node.memory }
        : { id, cpus: node.cpus, memory: node.memory, memoryBandwidth: options.memoryBandwidth },
    );
  }
  return withSource(file, () =>
    createTopology(importSpec(options.name ?? "numactl", specs, distances, options)),
  );
}

/**
 * The integers separated by blanks in `text` from `from` on, or `null` when anything else is
 * there (one pass, no intermediate strings: a 1024-node table has a million entries).
 */
function readInts(text: string, from: number): number[] | null {
  const out: number[] = [];
  let i = from;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x09) {
      i++;
      continue;
    }
    if (c < 0x30 || c > 0x39) return null;
    let value = 0;
    for (let d = c; d >= 0x30 && d <= 0x39 && i < n; d = text.charCodeAt(++i)) {
      value = value * 10 + (d - 0x30);
    }
    out.push(value);
  }
  return out;
}

/** Quotes a line of the input for a message, shortening a long one. */
function quote(text: string): string {
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}...` : text);
}

/** The CPUs after "cpus:": ids one after another, or a compressed list with a count. */
function readCpus(rest: string, fail: (message: string) => never): number[] {
  if (rest === "") return [];
  const compressed = /^([\d,\s-]+?)\s*\((\d+)\)$/.exec(rest);
  try {
    if (compressed !== null) {
      const cpus = parseCpuList(compressed[1]!.replace(/\s+/g, ""));
      if (cpus.length !== Number(compressed[2])) {
        fail(`the list holds ${cpus.length} CPUs but says (${compressed[2]}).`);
      }
      return cpus;
    }
    if (!/^\d+(\s+\d+)*$/.test(rest)) fail(`"${rest}" is not a list of CPU ids.`);
    return parseCpuList(rest.split(/\s+/).join(","));
  } catch (error) {
    if (VxError.isInstance(error) && error.code === "VX_NUMA_BAD_CPULIST") {
      return fail(error.message);
    }
    throw error;
  }
}
