/**
 * The PlanetLab trace format: files of integer CPU percentages, one file per VM (browser-safe;
 * reading a folder is `readPlanetLabTraces` in `@vx/datacenter/node`).
 *
 * @module
 */

import { VxError } from "@vx/core";
import type { PlanetLabDayData } from "@vx/traces-planetlab";
import type { TraceTable } from "./trace.js";

/** One trace file: its name (the VM's) and its text. */
export interface PlanetLabFile {
  readonly name: string;
  readonly text: string;
}

/** Options of {@link parsePlanetLabTraces}. */
export interface PlanetLabOptions {
  /** Seconds between two samples. Default 300 (CoMon sampled every 5 minutes). */
  readonly intervalSeconds?: number;
  /** Where the files come from (a folder), for messages. Default `"<planetlab>"`. */
  readonly source?: string;
}

/**
 * Reads PlanetLab CPU traces (CoMon, March–April 2011, as shipped with CloudSim) from the texts
 * of their files: one file per VM, one integer percentage (0..100) per line, one line per sample.
 *
 * Files are sorted by name, so VM `i` is always the `i`-th name (CloudSim takes them in the
 * order the file system lists them, which differs between machines). Every file must have the
 * same number of samples. Values become fractions (percent / 100) in a {@link TraceTable} whose
 * interpolation is CloudSim's (`UtilizationModelPlanetLabInMemory`).
 *
 * Source: Beloglazov & Buyya, "Optimal online deterministic algorithms and adaptive heuristics
 * for energy and performance efficient dynamic consolidation of virtual machines in cloud data
 * centers", CCPE 24(13), 2012 (workload data); CloudSim 4.0 `PlanetLabHelper` and
 * `UtilizationModelPlanetLabInMemory`.
 *
 * @param files - the files (any order).
 * @param options - sample interval (default 300 s) and the source's name.
 * @returns one column per file, named after it.
 * @throws {@link @vx/core!VxError} `VX_SIM_TRACE_EMPTY` (no file), `VX_SIM_TRACE_MALFORMED` (a line
 * that is not an integer 0..100, an empty file, or files of different lengths; the message names
 * the file and line, the path is `["folder", name, line]`), `VX_SIM_BAD_OPTION` (a bad interval).
 * @example
 * ```ts
 * const t = parsePlanetLabTraces([{ name: "a", text: "10\n30\n" }]);
 * traceUtilisation(t, 0, 150); // 0.2
 * ```
 */
export function parsePlanetLabTraces(
  files: readonly PlanetLabFile[],
  options: PlanetLabOptions = {},
): TraceTable {
  const intervalSeconds = options.intervalSeconds ?? 300;
  const source = options.source ?? "<planetlab>";
  if (!(intervalSeconds > 0 && Number.isFinite(intervalSeconds))) {
    throw new VxError(
      "VX_SIM_BAD_OPTION",
      `intervalSeconds must be a finite number > 0; got ${String(intervalSeconds)}.`,
      { path: ["intervalSeconds"] },
    );
  }
  if (files.length === 0) {
    throw new VxError(
      "VX_SIM_TRACE_EMPTY",
      `the PlanetLab traces ${JSON.stringify(source)} hold no trace file; there should be one file of integer percentages per VM.`,
      { path: ["folder"] },
    );
  }
  // Default sort compares UTF-16 code units: the same order on every machine and locale.
  const sorted = [...files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const names = sorted.map((f) => f.name);
  let samples = -1;
  let firstFile = "";
  let values = new Float64Array(0);
  for (let c = 0; c < sorted.length; c++) {
    const { name, text } = sorted[c] as PlanetLabFile;
    const path = `${source}/${name}`;
    if (samples < 0) {
      samples = countSamples(text, path, name);
      firstFile = name;
      values = new Float64Array(sorted.length * (samples + 1));
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
  return { source, names, samples, intervalSeconds, times: undefined, values };
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

/**
 * Turns a decoded day of `@vx/traces-planetlab` (`loadPlanetLabDay` in Node, `decodePlanetLabDay`
 * after a `fetch` in a browser) into the {@link TraceTable} the data-center model reads: one
 * column per VM in the day's name order, percentages as fractions, the last sample repeated
 * (CloudSim's padding). The values are exactly those {@link parsePlanetLabTraces} reads from the
 * day's text files.
 *
 * Source: the day's own data (Beloglazov & Buyya, CCPE 24(13), 2012; CoMon traces as shipped with
 * CloudSim 4.0).
 *
 * @param data - the decoded day.
 * @param intervalSeconds - seconds between two samples. Default: the day's (300).
 * @returns the table (its source is `planetlab day <day>`).
 * @throws {@link @vx/core!VxError} `VX_SIM_BAD_OPTION` (path `["interval"]`) for an interval that is
 * not a finite number > 0; `VX_SIM_TRACE_MALFORMED` (path `["day"]`) when the data's sizes do not
 * agree (names × samples ≠ values).
 * @example
 * ```ts
 * import { loadPlanetLabDay } from "@vx/traces-planetlab/node";
 * const table = planetLabDayTable(loadPlanetLabDay("20110303"));
 * table.names.length; // 1052
 * traceUtilisation(table, 0, 0); // 0.24
 * ```
 */
export function planetLabDayTable(data: PlanetLabDayData, intervalSeconds?: number): TraceTable {
  const interval = intervalSeconds ?? data.intervalSeconds;
  if (!(interval > 0 && Number.isFinite(interval))) {
    throw new VxError(
      "VX_SIM_BAD_OPTION",
      `the interval must be a finite number > 0; got ${String(interval)}.`,
      { path: ["interval"] },
    );
  }
  const vms = data.names.length;
  const samples = data.samplesPerVm;
  const source = `planetlab day ${data.day}`;
  if (!(Number.isInteger(samples) && samples >= 1) || data.percent.length !== vms * samples) {
    throw new VxError(
      "VX_SIM_TRACE_MALFORMED",
      `${source}: ${vms} VMs of ${samples} samples need ${vms * samples} values; got ${data.percent.length}.`,
      { path: ["day"] },
    );
  }
  const stride = samples + 1;
  const values = new Float64Array(vms * stride);
  const percent = data.percent;
  for (let c = 0; c < vms; c++) {
    const from = c * samples;
    const base = c * stride;
    for (let i = 0; i < samples; i++) values[base + i] = (percent[from + i] as number) / 100;
    values[base + samples] = values[base + samples - 1] as number;
  }
  return {
    source,
    names: data.names,
    samples,
    intervalSeconds: interval,
    times: undefined,
    values,
  };
}
