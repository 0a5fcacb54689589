/**
 * The PlanetLab trace reader: a folder of files of integer CPU percentages, one file per VM.
 *
 * @module
 */

import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { VxError } from "@vx/core";
import type { TraceTable } from "./trace.js";

/** Options of {@link readPlanetLabTraces}. */
export interface PlanetLabOptions {
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
 * listPlanetLabFiles("../shared/data/planetlab/20110303").length; // 1052
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
  // Default sort compares UTF-16 code units: the same order on every machine and locale.
  return names.sort();
}

/**
 * Reads a folder of PlanetLab CPU traces (CoMon, March–April 2011, as shipped with CloudSim): one
 * file per VM, one integer percentage (0..100) per line, one line per sample.
 *
 * Files are sorted by name, so VM `i` is always the `i`-th file (CloudSim takes them in the
 * order the file system lists them, which differs between machines). Every file must have the
 * same number of samples. Values become fractions (percent / 100) in a {@link TraceTable} whose
 * interpolation is CloudSim's (`UtilizationModelPlanetLabInMemory`).
 *
 * Source: Beloglazov & Buyya, "Optimal online deterministic algorithms and adaptive heuristics
 * for energy and performance efficient dynamic consolidation of virtual machines in cloud data
 * centers", CCPE 24(13), 2012 (workload data); CloudSim 4.0 `PlanetLabHelper` and
 * `UtilizationModelPlanetLabInMemory`.
 *
 * @param folder - the folder (absolute, or relative to the working directory).
 * @param options - sample interval (default 300 s) and an optional limit on the number of files.
 * @returns one column per file, named after it.
 * @throws {@link @vx/core!VxError} `VX_SIM_TRACE_NOT_FOUND` (missing folder), `VX_SIM_TRACE_EMPTY` (no
 * file), `VX_SIM_TRACE_MALFORMED` (a line that is not an integer 0..100, an empty file, or files of
 * different lengths; the message names the file and line).
 * @example
 * ```ts
 * const day = readPlanetLabTraces("../shared/data/planetlab/20110303");
 * day.names.length; // 1052
 * traceUtilisation(day, 0, 450); // VM 0 halfway between its samples 1 and 2
 * ```
 */
export function readPlanetLabTraces(folder: string, options: PlanetLabOptions = {}): TraceTable {
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
  let samples = -1;
  let firstFile = "";
  let values = new Float64Array(0);
  for (let c = 0; c < names.length; c++) {
    const name = names[c] as string;
    const path = join(folder, name);
    let text: string;
    try {
      text = readFileSync(path, "latin1");
    } catch (error) {
      throw new VxError(
        "VX_SIM_TRACE_NOT_FOUND",
        `the trace file ${JSON.stringify(path)} cannot be read (${describe(error)}).`,
        { path: ["folder", name], cause: error },
      );
    }
    if (samples < 0) {
      samples = countSamples(text, path, name);
      firstFile = name;
      values = new Float64Array(names.length * (samples + 1));
    }
    const base = c * (samples + 1);
    const got = parseInto(text, path, name, values, base, samples);
    if (got !== samples) {
      throw new VxError(
        "VX_SIM_TRACE_MALFORMED",
        `the trace file ${JSON.stringify(path)} has ${got} samples but ${JSON.stringify(firstFile)} has ${samples}; every file of a folder must cover the same period.`,
        { path: ["folder", name] },
      );
    }
    values[base + samples] = values[base + samples - 1] as number;
  }
  return { source: folder, names, samples, intervalSeconds, times: undefined, values };
}

/** Counts the non-empty lines of the first file (its sample count). */
function countSamples(text: string, path: string, name: string): number {
  let n = 0;
  let lineHasText = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 10) {
      if (lineHasText) n++;
      lineHasText = false;
    } else if (ch !== 13 && ch !== 32 && ch !== 9) {
      lineHasText = true;
    }
  }
  if (lineHasText) n++;
  if (n === 0) {
    throw new VxError(
      "VX_SIM_TRACE_MALFORMED",
      `the trace file ${JSON.stringify(path)} is empty; it should hold one integer percentage per line.`,
      { path: ["folder", name] },
    );
  }
  return n;
}

/**
 * Parses integer percentages, one per line, into `out[base..]` as fractions. Blank lines are
 * allowed only at the end. Returns the number of samples read (stops counting past `max`).
 */
function parseInto(
  text: string,
  path: string,
  name: string,
  out: Float64Array,
  base: number,
  max: number,
): number {
  let count = 0;
  let line = 1;
  let i = 0;
  let sawBlank = false;
  const len = text.length;
  while (i < len) {
    // One line: optional spaces, digits, optional spaces, then \r?\n or end.
    let j = i;
    while (j < len && (text.charCodeAt(j) === 32 || text.charCodeAt(j) === 9)) j++;
    let value = 0;
    let digits = 0;
    while (j < len) {
      const ch = text.charCodeAt(j);
      if (ch < 48 || ch > 57) break;
      value = value * 10 + (ch - 48);
      digits++;
      j++;
    }
    while (j < len && (text.charCodeAt(j) === 32 || text.charCodeAt(j) === 9)) j++;
    if (j < len && text.charCodeAt(j) === 13) j++;
    const atEnd = j >= len || text.charCodeAt(j) === 10;
    if (!atEnd) {
      let k = j;
      while (k < len && text.charCodeAt(k) !== 10) k++;
      throw malformed(path, name, line, text.slice(i, k));
    }
    if (digits === 0) {
      sawBlank = true;
    } else {
      if (sawBlank) throw malformed(path, name, line - 1, "");
      if (value > 100) throw malformed(path, name, line, text.slice(i, j).trim());
      if (count < max) out[base + count] = value / 100;
      count++;
    }
    i = j + 1;
    line++;
  }
  return count;
}

function malformed(path: string, name: string, line: number, text: string): VxError {
  return new VxError(
    "VX_SIM_TRACE_MALFORMED",
    `${path}:${line}: ${JSON.stringify(text)} is not a CPU utilisation; each line of a PlanetLab trace must be one integer percentage from 0 to 100 (blank lines only at the end).`,
    { path: ["folder", name, line] },
  );
}

function describe(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === "ENOENT" || code === "ENOTDIR") return "it does not exist";
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  return error instanceof Error ? error.message : String(error);
}
