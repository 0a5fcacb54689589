/**
 * A generic CSV reader for CPU-utilisation time series, from text (browser-safe; the file-system
 * reader is `readCsvTraces` in `@vx/datacenter/node`).
 *
 * @module
 */

import { VxError } from "@vx/core";
import type { TraceTable } from "./trace.js";

/** Options of {@link parseCsvTraces}. */
export interface CsvTraceOptions {
  /** Name of the time column (seconds from the start of the run). Default `"time"`. */
  readonly timeColumn?: string;
  /** Value columns in VM order, or `"all"` (every column but the time column, in file order). Default `"all"`. */
  readonly columns?: readonly string[] | "all";
  /** Values are percentages (0..100) rather than fractions (0..1). Default false. */
  readonly percent?: boolean;
  /** Where the text comes from (a file name), for messages. Default `"<csv>"`. */
  readonly source?: string;
}

/** One record of the file: its cells and the line it starts on. */
interface CsvRecord {
  readonly cells: string[];
  readonly line: number;
}

function malformed(source: string, line: number, message: string, path: (string | number)[]) {
  return new VxError("VX_SIM_CSV_MALFORMED", `${source}:${line}: ${message}`, { path });
}

/**
 * Splits CSV text into records as RFC 4180 describes: cells separated by commas, records by CRLF
 * or LF; a cell may be enclosed in double quotes, and then holds commas, line breaks and quotes
 * written twice (`""`). Spaces around a cell are ignored; blank lines are skipped; a byte-order
 * mark is dropped.
 */
function records(text: string, source: string): CsvRecord[] {
  const out: CsvRecord[] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const n = text.length;
  let line = 1;
  while (i < n) {
    const start = line;
    const cells: string[] = [];
    let blank = true;
    for (;;) {
      // One cell.
      while (i < n && (text[i] === " " || text[i] === "\t")) i++;
      let cell: string;
      if (text[i] === '"') {
        blank = false;
        i++;
        let value = "";
        for (;;) {
          if (i >= n) {
            throw malformed(source, start, "a quoted cell is not closed by a double quote.", [
              "file",
              start,
            ]);
          }
          const ch = text[i] as string;
          if (ch === '"') {
            if (text[i + 1] === '"') {
              value += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (ch === "\n") line++;
          value += ch;
          i++;
        }
        while (i < n && (text[i] === " " || text[i] === "\t")) i++;
        if (i < n && text[i] !== "," && text[i] !== "\n" && text[i] !== "\r") {
          throw malformed(
            source,
            line,
            `text after the closing quote of a quoted cell (${JSON.stringify(text.slice(i, i + 10))}); inside quotes write a quote twice ("").`,
            ["file", line],
          );
        }
        cell = value;
      } else {
        let j = i;
        while (j < n && text[j] !== "," && text[j] !== "\n" && text[j] !== "\r") j++;
        cell = text.slice(i, j).trim();
        if (cell.includes('"')) {
          throw malformed(
            source,
            line,
            `a double quote inside an unquoted cell (${JSON.stringify(cell)}); quote the whole cell and write the quote twice, as RFC 4180 says.`,
            ["file", line],
          );
        }
        if (cell !== "") blank = false;
        i = j;
      }
      cells.push(cell);
      if (i < n && text[i] === ",") {
        blank = false;
        i++;
        continue;
      }
      break;
    }
    // End of record.
    if (i < n && text[i] === "\r") i++;
    if (i < n && text[i] === "\n") i++;
    line++;
    if (!blank) out.push({ cells, line: start });
  }
  return out;
}

/**
 * Reads CPU-utilisation series from CSV text: a header row, then one row per sample time.
 *
 * Cells follow RFC 4180 (quoted cells may hold commas, line breaks and doubled quotes); spaces
 * around cells are ignored and blank lines skipped. Column names must be distinct, and every row
 * must have exactly as many cells as the header. The time column holds strictly increasing
 * numbers ≥ 0 (seconds); every value is a number in [0, 1] (or [0, 100] with `percent`). When the
 * times are `0, Δ, 2Δ, …` the table has a regular grid (interpolated as PlanetLab traces are);
 * otherwise values are interpolated linearly between the given times and held before the first
 * and after the last.
 *
 * @param text - the CSV text.
 * @param options - time column, value columns, unit, source name.
 * @returns one column per selected CSV column.
 * @throws {@link @vx/core!VxError} `VX_SIM_CSV_BAD_COLUMN` (a missing or repeated column, path
 * `["timeColumn"]`, `["columns", j]` or `["file", 1, name]`), `VX_SIM_CSV_MALFORMED` (a bad cell,
 * a row with too few or too many cells, times not increasing, a broken quote; the message names
 * the line and the path is `["file", line, column]`).
 * @example
 * ```ts
 * const t = parseCsvTraces("time,web\n0,0.2\n600,0.4\n");
 * traceUtilisation(t, 0, 300); // 0.3
 * ```
 */
export function parseCsvTraces(text: string, options: CsvTraceOptions = {}): TraceTable {
  const source = options.source ?? "<csv>";
  const timeColumn = options.timeColumn ?? "time";
  const scale = options.percent === true ? 0.01 : 1;
  const max = options.percent === true ? 100 : 1;
  const rows = records(text, source);
  const headerRecord = rows[0];
  if (headerRecord === undefined) {
    throw new VxError(
      "VX_SIM_CSV_MALFORMED",
      `the CSV file ${JSON.stringify(source)} is empty; it needs a header row.`,
      { path: ["file"] },
    );
  }
  const header = headerRecord.cells;
  const seen = new Map<string, number>();
  header.forEach((name, c) => {
    const first = seen.get(name);
    if (first !== undefined) {
      throw new VxError(
        "VX_SIM_CSV_BAD_COLUMN",
        `${source}:${headerRecord.line}: the column name ${JSON.stringify(name)} appears twice (columns ${first + 1} and ${c + 1}); column names must be distinct.`,
        { path: ["file", headerRecord.line, name] },
      );
    }
    seen.set(name, c);
  });
  const shown = header.map((h) => JSON.stringify(h)).join(", ");
  const timeIndex = header.indexOf(timeColumn);
  if (timeIndex < 0) {
    throw new VxError(
      "VX_SIM_CSV_BAD_COLUMN",
      `the CSV file ${JSON.stringify(source)} has no column ${JSON.stringify(timeColumn)}; its columns are ${shown}.`,
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
      `the CSV file ${JSON.stringify(source)} has no utilisation column besides ${JSON.stringify(timeColumn)}.`,
      { path: ["columns"] },
    );
  }
  const indices = names.map((name, j) => {
    const i = header.indexOf(name);
    if (i < 0) {
      throw new VxError(
        "VX_SIM_CSV_BAD_COLUMN",
        `the CSV file ${JSON.stringify(source)} has no column ${JSON.stringify(name)}; its columns are ${shown}.`,
        { path: ["columns", j] },
      );
    }
    return i;
  });
  const samples = rows.length - 1;
  if (samples === 0) {
    throw new VxError(
      "VX_SIM_CSV_MALFORMED",
      `the CSV file ${JSON.stringify(source)} has a header but no data row.`,
      { path: ["file"] },
    );
  }
  const times = new Float64Array(samples);
  const stride = samples + 1;
  const values = new Float64Array(names.length * stride);
  for (let r = 0; r < samples; r++) {
    const { cells, line } = rows[r + 1] as CsvRecord;
    if (cells.length !== header.length) {
      throw malformed(
        source,
        line,
        `the row has ${cells.length} cells but the header has ${header.length}; every row needs one cell per column.`,
        ["file", line],
      );
    }
    const cell = (i: number, what: string): number => {
      const s = cells[i] as string;
      const x = s === "" ? Number.NaN : Number(s);
      if (!Number.isFinite(x)) {
        throw malformed(
          source,
          line,
          `column ${JSON.stringify(what)} holds ${JSON.stringify(s)}, not a number.`,
          ["file", line, what],
        );
      }
      return x;
    };
    const t = cell(timeIndex, timeColumn);
    const previous = r > 0 ? (times[r - 1] as number) : undefined;
    if (t < 0 || (previous !== undefined && t <= previous)) {
      throw malformed(
        source,
        line,
        `time ${t} must be ≥ 0 and greater than the previous row's (${previous ?? "none"}).`,
        ["file", line, timeColumn],
      );
    }
    times[r] = t;
    for (let j = 0; j < indices.length; j++) {
      const name = names[j] as string;
      const x = cell(indices[j] as number, name);
      if (x < 0 || x > max) {
        throw malformed(
          source,
          line,
          `column ${JSON.stringify(name)} holds ${x}, outside [0, ${max}]${options.percent === true ? " (percent)" : "; set percent: true for percentages"}.`,
          ["file", line, name],
        );
      }
      values[j * stride + r] = x * scale;
    }
  }
  for (let j = 0; j < names.length; j++) {
    values[j * stride + samples] = values[j * stride + samples - 1] as number;
  }
  // A regular grid 0, Δ, 2Δ, … uses the PlanetLab interpolation; anything else the general one.
  const dt = samples > 1 ? (times[1] as number) - (times[0] as number) : 0;
  let regular = samples > 1 && times[0] === 0 && dt > 0;
  for (let i = 0; regular && i < samples; i++) if (times[i] !== i * dt) regular = false;
  return {
    source,
    names,
    samples,
    intervalSeconds: regular ? dt : 0,
    times: regular ? undefined : times,
    values,
  };
}
