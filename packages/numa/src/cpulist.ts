/**
 * Linux CPU lists: the `0-15,32-47` form of `/sys/devices/system/node/node*\/cpulist`, the
 * kernel's `cpulist_parse()` / `%*pbl` format.
 *
 * @module
 */

import { VxError, type VxPath } from "@vx/core";

/** Largest CPU id accepted (Linux's `NR_CPUS` is at most 8192 on x86-64). */
const MAX_CPU_ID = 1 << 16;

/**
 * Reads a Linux CPU list (`"0-3,8,10-11"`) into sorted, distinct CPU ids.
 *
 * Use it on `cpulist` files and on CPU lists typed by users. An empty or blank string is the
 * empty list (a node without CPUs, e.g. a memory-only node). Parts are single ids (`8`) or
 * inclusive ranges (`0-3`); the kernel's strided form (`0-15:2/4`) is not read.
 *
 * @param text - the list, as the kernel prints it (surrounding whitespace is ignored).
 * @param path - where the text came from, for the error.
 * @returns the CPU ids in increasing order, without duplicates.
 * @throws {@link @vx/core!VxError} `VX_NUMA_BAD_CPULIST` naming the part that is not a CPU id or range.
 * @example
 * ```ts
 * parseCpuList("0-3,8"); // [0, 1, 2, 3, 8]
 * ```
 */
export function parseCpuList(text: string, path: VxPath = []): number[] {
  const trimmed = text.trim();
  if (trimmed === "") return [];
  const seen = new Set<number>();
  for (const part of trimmed.split(",")) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (m === null) {
      throw new VxError(
        "VX_NUMA_BAD_CPULIST",
        `"${part}" in "${trimmed}" is not a CPU id or range; a CPU list reads like 0-15,32-47.`,
        { path },
      );
    }
    const lo = Number(m[1]);
    const hi = m[2] === undefined ? lo : Number(m[2]);
    if (hi < lo || hi > MAX_CPU_ID) {
      throw new VxError(
        "VX_NUMA_BAD_CPULIST",
        `range "${part}" in "${trimmed}" ${hi < lo ? "ends before it starts" : `goes past CPU ${MAX_CPU_ID}`}.`,
        { path },
      );
    }
    for (let c = lo; c <= hi; c++) seen.add(c);
  }
  return [...seen].sort((a, b) => a - b);
}

/**
 * Writes CPU ids in the kernel's compact form (`[0, 1, 2, 3, 8]` → `"0-3,8"`).
 *
 * @param cpus - CPU ids, in any order (duplicates are ignored).
 * @returns the compact list; `""` for no CPU.
 * @example
 * ```ts
 * formatCpuList([0, 1, 2, 3, 8]); // "0-3,8"
 * ```
 */
export function formatCpuList(cpus: readonly number[]): string {
  const sorted = [...new Set(cpus)].sort((a, b) => a - b);
  const parts: string[] = [];
  let i = 0;
  while (i < sorted.length) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    parts.push(j === i ? String(sorted[i]) : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(",");
}
