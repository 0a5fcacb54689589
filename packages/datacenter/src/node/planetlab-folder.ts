/**
 * Reading PlanetLab trace folders from the file system.
 *
 * @module
 */

import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { VxError } from "@vx/core";
import { type PlanetLabFile, parsePlanetLabTraces } from "../workloads/planetlab.js";
import type { TraceTable } from "../workloads/trace.js";

/** Options of {@link readPlanetLabTraces}. */
export interface PlanetLabFolderOptions {
  /** Seconds between two samples. Default 300 (CoMon sampled every 5 minutes). */
  readonly intervalSeconds?: number;
  /** Read only the first `limit` files (after sorting by name). Default: all. */
  readonly limit?: number;
}

/**
 * Lists the trace files of a PlanetLab folder, sorted by name: regular files (or links to them)
 * whose names do not start with `.`.
 *
 * @param folder - the folder.
 * @returns the file names, sorted by UTF-16 code units (locale-independent).
 * @throws {@link @vx/core!VxError} `VX_SIM_TRACE_NOT_FOUND` when the folder is missing or not a folder,
 * `VX_SIM_TRACE_EMPTY` when it holds no trace file.
 * @example
 * ```ts
 * listPlanetLabFiles("traces/20110303").length; // 1052
 * ```
 */
export function listPlanetLabFiles(folder: string): string[] {
  let names: string[];
  try {
    if (!statSync(folder).isDirectory()) {
      throw new VxError(
        "VX_SIM_TRACE_NOT_FOUND",
        `${JSON.stringify(folder)} is not a folder; give the folder of PlanetLab trace files (one file per VM).`,
        { path: ["folder"] },
      );
    }
    names = [];
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      if (!entry.name.startsWith(".") && (entry.isFile() || entry.isSymbolicLink())) {
        names.push(entry.name);
      }
    }
  } catch (error) {
    if (VxError.isInstance(error)) throw error;
    throw new VxError(
      "VX_SIM_TRACE_NOT_FOUND",
      `the PlanetLab trace folder ${JSON.stringify(folder)} cannot be read (${describe(error)}); check the path (relative paths start from the scenario file's folder).`,
      { path: ["folder"], cause: error },
    );
  }
  if (names.length === 0) {
    throw new VxError(
      "VX_SIM_TRACE_EMPTY",
      `the PlanetLab trace folder ${JSON.stringify(folder)} holds no trace file; it should hold one file of integer percentages per VM.`,
      { path: ["folder"] },
    );
  }
  return names.sort();
}

/**
 * Reads a folder of PlanetLab CPU traces: one file per VM, one integer percentage per line (see
 * {@link parsePlanetLabTraces} for the format and the order).
 *
 * @param folder - the folder (absolute, or relative to the working directory).
 * @param options - sample interval (default 300 s) and an optional limit on the number of files.
 * @returns one column per file, named after it.
 * @throws {@link @vx/core!VxError} `VX_SIM_TRACE_NOT_FOUND` (missing folder or unreadable file),
 * `VX_SIM_TRACE_EMPTY` (no file), `VX_SIM_TRACE_MALFORMED` (a bad line, an empty file, files of
 * different lengths), `VX_SIM_BAD_OPTION` (a bad interval or limit).
 * @example
 * ```ts
 * const day = readPlanetLabTraces("traces/20110303");
 * day.names.length; // 1052
 * ```
 */
export function readPlanetLabTraces(
  folder: string,
  options: PlanetLabFolderOptions = {},
): TraceTable {
  const intervalSeconds = options.intervalSeconds ?? 300;
  if (!(intervalSeconds > 0 && Number.isFinite(intervalSeconds))) {
    throw new VxError(
      "VX_SIM_BAD_OPTION",
      `intervalSeconds must be a finite number > 0; got ${String(intervalSeconds)}.`,
      { path: ["intervalSeconds"] },
    );
  }
  let names = listPlanetLabFiles(folder);
  if (options.limit !== undefined) {
    if (!(Number.isInteger(options.limit) && options.limit >= 1)) {
      throw new VxError(
        "VX_SIM_BAD_OPTION",
        `limit must be an integer ≥ 1; got ${String(options.limit)}.`,
        { path: ["limit"] },
      );
    }
    names = names.slice(0, options.limit);
  }
  const files: PlanetLabFile[] = names.map((name) => {
    const path = join(folder, name);
    try {
      return { name, text: readFileSync(path, "latin1") };
    } catch (error) {
      throw new VxError(
        "VX_SIM_TRACE_NOT_FOUND",
        `the trace file ${JSON.stringify(path)} cannot be read (${describe(error)}).`,
        { path: ["folder", name], cause: error },
      );
    }
  });
  return parsePlanetLabTraces(files, { intervalSeconds, source: folder });
}

function describe(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === "ENOENT" || code === "ENOTDIR") return "it does not exist";
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  return error instanceof Error ? error.message : String(error);
}
