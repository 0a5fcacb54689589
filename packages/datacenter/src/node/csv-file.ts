/**
 * Reading CSV trace files from the file system.
 *
 * @module
 */

import { closeSync, openSync, readSync } from "node:fs";
import { VxError } from "@vx/core";
import { type CsvTraceOptions, parseCsvTraces } from "../workloads/csv.js";
import type { TraceTable } from "../workloads/trace.js";

/** Largest CSV file read: a guard against reading a device or a huge file by mistake. */
export const MAX_CSV_BYTES: number = 256 * 2 ** 20;

/**
 * Reads a file as UTF-8 text, at most `cap` bytes (a device such as `/dev/zero` reports size 0,
 * so the cap is enforced while reading, not from `stat`).
 *
 * @returns the text, or `undefined` when the file is longer than `cap`.
 * @internal
 */
export function readTextCapped(path: string, cap: number): string | undefined {
  const fd = openSync(path, "r");
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    const chunk = Buffer.allocUnsafe(1 << 20);
    for (;;) {
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      total += n;
      if (total > cap) return undefined;
      chunks.push(Buffer.from(chunk.subarray(0, n)));
    }
    return Buffer.concat(chunks, total).toString("utf8");
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads CPU-utilisation series from a CSV file (see {@link parseCsvTraces} for the format).
 *
 * @param file - the CSV file.
 * @param options - time column, value columns and unit.
 * @returns one column per selected CSV column.
 * @throws {@link @vx/core!VxError} `VX_SIM_CSV_NOT_FOUND` (unreadable file, or larger than
 * {@link MAX_CSV_BYTES}), and the errors of {@link parseCsvTraces}.
 * @example
 * ```ts
 * const t = readCsvTraces("load.csv", { percent: true });
 * ```
 */
export function readCsvTraces(
  file: string,
  options: Omit<CsvTraceOptions, "source"> = {},
): TraceTable {
  let text: string | undefined;
  try {
    text = readTextCapped(file, MAX_CSV_BYTES);
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    const why =
      code === "ENOENT" || code === "ENOTDIR"
        ? "does not exist"
        : code === "EISDIR"
          ? "is a folder"
          : "cannot be read";
    throw new VxError(
      "VX_SIM_CSV_NOT_FOUND",
      `the CSV file ${JSON.stringify(file)} ${why}; check the path (relative paths start from the scenario file's folder).`,
      { path: ["file"], cause: error },
    );
  }
  if (text === undefined) {
    throw new VxError(
      "VX_SIM_CSV_NOT_FOUND",
      `the CSV file ${JSON.stringify(file)} is larger than ${MAX_CSV_BYTES / 2 ** 20} MiB; is it the right file?`,
      { path: ["file"] },
    );
  }
  return parseCsvTraces(text, { ...options, source: file });
}
