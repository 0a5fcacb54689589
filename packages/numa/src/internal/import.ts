/**
 * Pieces shared by the Linux importers.
 *
 * @module
 */

import { VxError } from "@vx/core";
import type { ImportOptions, NodeSpec, TopologySpec } from "../topology.js";

/** A topology spec from imported nodes and distances, with the optional figures given. */
export function importSpec(
  name: string,
  nodes: readonly NodeSpec[],
  distances: readonly (readonly number[])[] | undefined,
  options: ImportOptions,
): TopologySpec {
  return {
    name,
    nodes,
    ...(distances === undefined ? {} : { distances }),
    ...(options.linkBandwidth === undefined ? {} : { linkBandwidth: options.linkBandwidth }),
    ...(options.localLatency === undefined ? {} : { localLatency: options.localLatency }),
    ...(options.slitLatencyWeight === undefined
      ? {}
      : { slitLatencyWeight: options.slitLatencyWeight }),
  };
}

/** Checks one row of a SLIT as Linux shows it; calls `fail` with a message on the first problem. */
export function checkDistances(
  row: readonly number[],
  self: number,
  fail: (message: string) => never,
): void {
  for (let j = 0; j < row.length; j++) {
    const d = row[j]!;
    if (j === self && d !== 10)
      fail(`the distance of node to itself (column ${j}) is ${d}; the SLIT says 10.`);
    if (j !== self && (d < 10 || d > 254)) {
      fail(`distance ${d} in column ${j} is outside 10–254 (ACPI SLIT).`);
    }
  }
}

/**
 * An error about a line of an input file: the message reads `file:line: …` (the way compilers
 * name places), the path is `[file, line]` (`[file]` when `line` is 0: the file as a whole).
 */
export function fileError(code: string, file: string, line: number, message: string): VxError {
  const path = line > 0 ? [file, line] : [file];
  const text = `${line > 0 ? `${file}:${line}` : file}: ${message}`;
  return new VxError(code, text, { path, issues: [{ code, message: text, path }] });
}

/** Runs `build`; a topology error it throws is re-thrown naming the source file or folder. */
export function withSource<T>(source: string, build: () => T): T {
  try {
    return build();
  } catch (error) {
    if (VxError.isInstance(error) && error.code === "VX_NUMA_BAD_TOPOLOGY") {
      throw fileError(error.code, source, 0, error.message);
    }
    throw error;
  }
}
