/**
 * The file-system trace loader.
 *
 * @module
 */

import { statSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { loadPlanetLabDay } from "@vx/traces-planetlab/node";
import type { TraceLoader } from "../loader.js";
import { planetLabDayTable } from "../workloads/planetlab.js";
import type { FileWorkload } from "../workloads/spec.js";
import type { TraceTable } from "../workloads/trace.js";
import { readCsvTraces } from "./csv-file.js";
import { readPlanetLabTraces } from "./planetlab-folder.js";

/** Options of {@link nodeTraceLoader}. */
export interface NodeTraceLoaderOptions {
  /** Folder relative paths resolve against (a scenario file's folder). Default: the working directory. */
  readonly baseDir?: string;
}

/** Tables read in this process, by path, options and the file's identity (size and mtime). */
const cache = new Map<string, TraceTable>();
/** Most tables kept: a sweep reads the same few files again and again. */
const CACHE_SIZE = 16;

function identity(path: string): string {
  try {
    const s = statSync(path);
    return `${s.size}:${s.mtimeMs}`;
  } catch {
    return "missing";
  }
}

function remember(key: string, table: TraceTable): void {
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  cache.set(key, table);
}

/**
 * A loader that reads PlanetLab days (packaged in `@vx/traces-planetlab`), PlanetLab folders and
 * CSV files from the file system, resolving relative paths against `baseDir`. Tables are cached
 * per process (by day or path, options, size and modification time), so validating a spec and
 * running it read each file once.
 *
 * @param options - the base folder.
 * @returns the loader.
 * @example
 * ```ts
 * const result = runDatacenter(spec, { loader: nodeTraceLoader({ baseDir: "scenarios" }) });
 * ```
 */
export function nodeTraceLoader(options: NodeTraceLoaderOptions = {}): TraceLoader {
  const baseDir = resolve(options.baseDir ?? ".");
  const at = (p: string): string => (isAbsolute(p) ? p : resolve(baseDir, p));
  return {
    load(workload: FileWorkload): TraceTable {
      if (workload.kind === "planetlab" && workload.day !== undefined) {
        const key = JSON.stringify(["planetlab-day", workload.day, workload.interval]);
        const hit = cache.get(key);
        if (hit !== undefined) return hit;
        const table = planetLabDayTable(loadPlanetLabDay(workload.day), workload.interval);
        remember(key, table);
        return table;
      }
      const path = at(workload.kind === "planetlab" ? (workload.folder ?? "") : workload.file);
      const key =
        workload.kind === "planetlab"
          ? JSON.stringify(["planetlab", path, workload.interval, identity(path)])
          : JSON.stringify([
              "csv",
              path,
              workload.timeColumn,
              workload.columns,
              workload.percent,
              identity(path),
            ]);
      const hit = cache.get(key);
      if (hit !== undefined) return hit;
      const table =
        workload.kind === "planetlab"
          ? readPlanetLabTraces(path, { intervalSeconds: workload.interval })
          : readCsvTraces(path, {
              timeColumn: workload.timeColumn,
              columns: workload.columns,
              percent: workload.percent,
            });
      remember(key, table);
      return table;
    },
  };
}
