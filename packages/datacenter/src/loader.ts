/**
 * Where the traces of file workloads come from: a {@link TraceLoader} the caller gives
 * `runDatacenter` (the file system's in `@vx/datacenter/node`, a map of tables fetched over HTTP
 * in a browser).
 *
 * @module
 */

import { VxError } from "@vx/core";
import type { PlanetLabDayData } from "@vx/traces-planetlab";
import { parseCsvTraces } from "./workloads/csv.js";
import { planetLabDayTable } from "./workloads/planetlab.js";
import type { FileWorkload } from "./workloads/spec.js";
import type { TraceTable } from "./workloads/trace.js";

/**
 * Reads the traces of file workloads (PlanetLab folders, CSV files).
 *
 * Implementations should cache: validation reads every file workload once to count its traces,
 * and the run reads it again.
 */
export interface TraceLoader {
  /**
   * The traces of a file workload.
   *
   * @param workload - the workload after the schema (its `folder` or `file` as written).
   * @returns its traces: one column per VM (a CSV file with one column serves every VM).
   * @throws {@link @vx/core!VxError} with a path relative to the workload (`["folder"]`,
   * `["file", line, column]`, `["columns", j]`, …) when the traces cannot be read.
   */
  load(workload: FileWorkload): TraceTable;
}

/** What {@link memoryTraceLoader} serves. */
export interface MemoryTraces {
  /** PlanetLab tables by folder, as the spec writes the folder. */
  readonly folders?: Readonly<Record<string, TraceTable>>;
  /**
   * PlanetLab days of `@vx/traces-planetlab` by name (`"20110303"`), decoded (`decodePlanetLabDay`
   * on the fetched bytes of `planetLabDayUrl(day)`) or already a table.
   */
  readonly days?: Readonly<Record<string, PlanetLabDayData | TraceTable>>;
  /** CSV texts by file name, as the spec writes the file. */
  readonly files?: Readonly<Record<string, string>>;
}

/**
 * A loader of traces held in memory: PlanetLab days and tables already read (e.g. fetched and
 * decoded in a browser) and CSV texts, by the names the spec uses. Browser-safe.
 *
 * @param traces - the days, tables and texts.
 * @returns the loader (days and CSV texts are converted once per set of options).
 * @example
 * ```ts
 * const loader = memoryTraceLoader({ files: { "load.csv": "time,web\n0,0.2\n300,0.4\n" } });
 * runDatacenter(spec, { loader });
 * ```
 * @example A packaged PlanetLab day in a browser
 * ```ts
 * // spec.vms[0].workload: { kind: "planetlab", day: "20110303" }
 * import { decodePlanetLabDay, planetLabDayUrl } from "@vx/traces-planetlab";
 * const bytes = new Uint8Array(await (await fetch(planetLabDayUrl("20110303"))).arrayBuffer());
 * const loader = memoryTraceLoader({ days: { "20110303": decodePlanetLabDay(bytes, "20110303") } });
 * runDatacenter(spec, { loader });
 * ```
 */
export function memoryTraceLoader(traces: MemoryTraces): TraceLoader {
  const cache = new Map<string, TraceTable>();
  return {
    load(workload) {
      if (workload.kind === "planetlab" && workload.day !== undefined) {
        const given = traces.days?.[workload.day];
        if (given === undefined) {
          throw new VxError(
            "VX_SIM_TRACE_NOT_FOUND",
            `the PlanetLab day ${workload.day} was not given to the loader; fetch planetLabDayUrl("${workload.day}") of @vx/traces-planetlab, decode it and pass it as days["${workload.day}"].`,
            { path: ["day"] },
          );
        }
        if (!("percent" in given)) return given;
        const key = JSON.stringify(["day", workload.day, workload.interval]);
        let table = cache.get(key);
        if (table === undefined) {
          table = planetLabDayTable(given, workload.interval);
          cache.set(key, table);
        }
        return table;
      }
      if (workload.kind === "planetlab") {
        const folder = workload.folder ?? "";
        const table = traces.folders?.[folder];
        if (table === undefined) {
          throw new VxError(
            "VX_SIM_TRACE_NOT_FOUND",
            `no PlanetLab traces named ${JSON.stringify(folder)} were given to the loader.`,
            { path: ["folder"] },
          );
        }
        return table;
      }
      const text = traces.files?.[workload.file];
      if (text === undefined) {
        throw new VxError(
          "VX_SIM_CSV_NOT_FOUND",
          `no CSV file named ${JSON.stringify(workload.file)} was given to the loader.`,
          { path: ["file"] },
        );
      }
      const key = JSON.stringify([
        workload.file,
        workload.timeColumn,
        workload.columns,
        workload.percent,
      ]);
      let table = cache.get(key);
      if (table === undefined) {
        table = parseCsvTraces(text, {
          source: workload.file,
          timeColumn: workload.timeColumn,
          columns: workload.columns,
          percent: workload.percent,
        });
        cache.set(key, table);
      }
      return table;
    },
  };
}
