/**
 * A generic CSV reader for CPU-utilisation time series.
 *
 * @module
 */

import { readFileSync } from "node:fs";
import { VxError } from "@vx/core";
import type { TraceTable } from "./trace.js";

/** Options of {@link readCsvTraces}. */
export interface CsvTraceOptions {
  /** Name of the time column (seconds from the start of the run). Default `"time"`. */
  readonly timeColumn?: string;
  /** Value columns in VM order, or `"all"` (every column but the time column, in file order). Default `"all"`. */
  readonly columns?: readonly string[] | "all";
  /** Values are percentages (0..100) rather than fractions (0..1). Default false. */
  readonly percent?: boolean;
}

/**
 * Reads CPU-utilisation series from a CSV file: a header row, then one row per sample time.
 *
 * Cells are separated by commas; surrounding spaces and double quotes around a header name are
 * ignored; blank lines are skipped. The time column must hold strictly increasing numbers ≥ 0
 * (seconds); every value must be a number in [0, 1] (or [0, 100] with `percent`). When the times
 * are `0, Δ, 2Δ, …` the table has a regular grid (interpolated as PlanetLab traces are);
 * otherwise values are interpolated linearly between the given times and held before the first
 * and after the last.
 *
 * @param file - the CSV file.
 * @param options - time column, value columns and unit.
 * @returns one column per selected CSV column.
 * @throws {@link @vx/core!VxError} `VX_SIM_CSV_NOT_FOUND` (unreadable file), `VX_SIM_CSV_BAD_COLUMN` (a
 * missing column), `VX_SIM_CSV_MALFORMED` (a bad cell, a short row, times not increasing; the
 * message names the file, line and column).
 * @example
 * ```ts
 * // time,web,db
 * // 0,0.2,0.5
 * // 600,0.4,0.5
 * const t = readCsvTraces("load.csv");
 * traceUtilisation(t, 0, 300); // 0.3
 * ```
 */
export function readCsvTraces(file: string, options: CsvTraceOptions = {}): TraceTable {
  const timeColumn = options.timeColumn ?? "time";
  const scale = options.percent === true ? 0.01 : 1;
  const max = options.percent === true ? 100 : 1;
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    throw new VxError(
      "VX_SIM_CSV_NOT_FOUND",
      `the CSV file ${JSON.stringify(file)} ${code === "ENOENT" ? "does not exist" : "cannot be read"}; check the path (relative paths start from the scenario file's folder).`,
      { path: ["file"], cause: error },
    );
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const lines = text.split(/\r?\n/);
  let first = 0;
  while (first < lines.length && (lines[first] as string).trim() === "") first++;
  if (first >= lines.length) {
    throw new VxError(
      "VX_SIM_CSV_MALFORMED",
      `the CSV file ${JSON.stringify(file)} is empty; it needs a header row.`,
      {
        path: ["file"],
      },
    );
  }
  const header = (lines[first] as string).split(",").map((c) => c.trim().replace(/^"(.*)"$/, "$1"));
  const timeIndex = header.indexOf(timeColumn);
  if (timeIndex < 0) {
    throw new VxError(
      "VX_SIM_CSV_BAD_COLUMN",
      `the CSV file ${JSON.stringify(file)} has no column ${JSON.stringify(timeColumn)}; its columns are ${header.map((h) => JSON.stringify(h)).join(", ")}.`,
      { path: ["timeColumn"] },
    );
  }
  const names =
    options.columns === undefined || options.columns === "all"
      ? header.filter((_, i) => i !== timeIndex)
      : [...options.columns];
  if (names.length === 0) {
    throw new VxError(
      "VX_SIM_CSV_BAD_COLUMN",
      `the CSV file ${JSON.stringify(file)} has no utilisation column besides ${JSON.stringify(timeColumn)}.`,
      { path: ["columns"] },
    );
  }
  const indices = names.map((name, j) => {
    const i = header.indexOf(name);
    if (i < 0) {
      throw new VxError(
        "VX_SIM_CSV_BAD_COLUMN",
        `the CSV file ${JSON.stringify(file)} has no column ${JSON.stringify(name)}; its columns are ${header.map((h) => JSON.stringify(h)).join(", ")}.`,
        { path: ["columns", j] },
      );
    }
    return i;
  });
  const times: number[] = [];
  const rows: number[][] = [];
  for (let l = first + 1; l < lines.length; l++) {
    const raw = lines[l] as string;
    if (raw.trim() === "") continue;
    const cells = raw.split(",");
    const lineNo = l + 1;
    const cell = (i: number, what: string): number => {
      const s = cells[i];
      if (s === undefined) {
        throw new VxError(
          "VX_SIM_CSV_MALFORMED",
          `${file}:${lineNo}: the row has ${cells.length} cells but the header has ${header.length}; column ${JSON.stringify(what)} is missing.`,
          { path: ["file", lineNo, what] },
        );
      }
      const trimmed = s.trim();
      const x = trimmed === "" ? Number.NaN : Number(trimmed);
      if (!Number.isFinite(x)) {
        throw new VxError(
          "VX_SIM_CSV_MALFORMED",
          `${file}:${lineNo}: column ${JSON.stringify(what)} holds ${JSON.stringify(trimmed)}, not a number.`,
          { path: ["file", lineNo, what] },
        );
      }
      return x;
    };
    const t = cell(timeIndex, timeColumn);
    if (t < 0 || (times.length > 0 && t <= (times[times.length - 1] as number))) {
      throw new VxError(
        "VX_SIM_CSV_MALFORMED",
        `${file}:${lineNo}: time ${t} must be ≥ 0 and greater than the previous row's (${times.length > 0 ? times[times.length - 1] : "none"}).`,
        { path: ["file", lineNo, timeColumn] },
      );
    }
    const row: number[] = [];
    for (let j = 0; j < indices.length; j++) {
      const name = names[j] as string;
      const x = cell(indices[j] as number, name);
      if (x < 0 || x > max) {
        throw new VxError(
          "VX_SIM_CSV_MALFORMED",
          `${file}:${lineNo}: column ${JSON.stringify(name)} holds ${x}, outside [0, ${max}]${options.percent === true ? " (percent)" : "; set percent: true for percentages"}.`,
          { path: ["file", lineNo, name] },
        );
      }
      row.push(x * scale);
    }
    times.push(t);
    rows.push(row);
  }
  const samples = rows.length;
  if (samples === 0) {
    throw new VxError(
      "VX_SIM_CSV_MALFORMED",
      `the CSV file ${JSON.stringify(file)} has a header but no data row.`,
      {
        path: ["file"],
      },
    );
  }
  const stride = samples + 1;
  const values = new Float64Array(names.length * stride);
  for (let j = 0; j < names.length; j++) {
    for (let i = 0; i < samples; i++) values[j * stride + i] = (rows[i] as number[])[j] as number;
    values[j * stride + samples] = values[j * stride + samples - 1] as number;
  }
  // A regular grid 0, Δ, 2Δ, … uses the PlanetLab interpolation; anything else the general one.
  const dt = samples > 1 ? (times[1] as number) - (times[0] as number) : 0;
  let regular = samples > 1 && times[0] === 0 && dt > 0;
  for (let i = 0; regular && i < samples; i++) if (times[i] !== i * dt) regular = false;
  return {
    source: file,
    names,
    samples,
    intervalSeconds: regular ? dt : 0,
    times: regular ? undefined : Float64Array.from(times),
    values,
  };
}
