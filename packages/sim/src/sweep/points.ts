/**
 * The point files of a sweep, `points/<id>.json`: a point's parameters, its key and its result.
 * A file counts as a finished point only when it is whole, of this format, and its key matches
 * the point as the sweep computes it now (same scenario content, values and vx version).
 *
 * @module
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { DatacenterResult } from "@vx/datacenter";
import type { GridPoint } from "./grid.js";
import { SWEEP_FORMAT } from "./identity.js";

/** What a point's file holds. */
export interface PointFile {
  readonly format: typeof SWEEP_FORMAT;
  /** The point's key (see `pointKey`): what the result was computed from. */
  readonly key: string;
  readonly point: GridPoint;
  readonly result: DatacenterResult;
}

/**
 * Where a point's file lives in a sweep folder.
 *
 * @param dir - the sweep's output folder.
 * @param id - the point's id.
 * @returns `<dir>/points/<id>.json`.
 */
export function pointFilePath(dir: string, id: string): string {
  return join(dir, "points", `${id}.json`);
}

/**
 * A point file's text: two-space JSON with a final newline, with no time, host or path in it, so
 * the same point gives the same bytes on any machine.
 *
 * @param file - the point file.
 * @returns its text.
 */
export function pointFileText(file: PointFile): string {
  return `${JSON.stringify(
    { format: file.format, key: file.key, point: file.point, result: file.result },
    null,
    2,
  )}\n`;
}

/**
 * Reads a point file.
 *
 * @param path - the file.
 * @returns the point file, or undefined when it is missing, damaged or of another format (a rerun
 * computes such a point again).
 */
export function readPointFile(path: string): PointFile | undefined {
  try {
    const data = JSON.parse(readFileSync(path, "utf8")) as Partial<PointFile>;
    if (
      data.format !== SWEEP_FORMAT ||
      typeof data.key !== "string" ||
      typeof data.point?.id !== "string" ||
      typeof data.result?.summary !== "object"
    ) {
      return undefined;
    }
    return data as PointFile;
  } catch {
    return undefined;
  }
}
