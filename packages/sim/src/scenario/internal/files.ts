/**
 * Looks at the files a scenario refers to (trace folders, CSV files) before anything runs, so a
 * missing or unusable file is reported with the path of its field.
 */

import { closeSync, openSync, readdirSync, readSync, statSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";

/** The result of looking at a trace folder. */
export type FolderProbe =
  | { readonly ok: true; readonly files: number }
  | { readonly ok: false; readonly message: string };

/** The result of reading a CSV file's header. */
export type CsvProbe =
  | { readonly ok: true; readonly header: readonly string[] }
  | { readonly ok: false; readonly message: string };

/** Resolves a path of a scenario file against the scenario's folder. */
export function resolveFrom(baseDir: string, path: string): string {
  return isAbsolute(path) ? path : resolve(baseDir, path);
}

/**
 * Counts the trace files of a PlanetLab folder: regular files whose names do not start with `.`
 * (the reader takes the same files, sorted by name).
 */
export function probeTraceFolder(baseDir: string, written: string): FolderProbe {
  const path = resolveFrom(baseDir, written);
  const shown = show(written, path);
  try {
    if (!statSync(path).isDirectory()) {
      return { ok: false, message: `${shown} is not a folder; give the folder of trace files` };
    }
    let files = 0;
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      if (!entry.name.startsWith(".") && (entry.isFile() || entry.isSymbolicLink())) files++;
    }
    if (files === 0) return { ok: false, message: `the trace folder ${shown} has no files` };
    return { ok: true, files };
  } catch (error) {
    return { ok: false, message: describeFsError(error, shown, "trace folder") };
  }
}

/** Largest header line read from a CSV file. */
const MAX_HEADER_BYTES = 1 << 20;

/** Reads the header (first line) of a CSV file: column names, trimmed and unquoted. */
export function probeCsvHeader(baseDir: string, written: string): CsvProbe {
  const path = resolveFrom(baseDir, written);
  const shown = show(written, path);
  let fd: number | undefined;
  try {
    if (!statSync(path).isFile()) return { ok: false, message: `${shown} is not a file` };
    fd = openSync(path, "r");
    const buffer = Buffer.alloc(MAX_HEADER_BYTES);
    const read = readSync(fd, buffer, 0, MAX_HEADER_BYTES, 0);
    let text = buffer.subarray(0, read).toString("utf8");
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    // The header is the first non-blank line (as the CSV reader takes it).
    const line = text.split(/\r?\n/).find((l) => l.trim() !== "") ?? "";
    if (line === "") {
      return { ok: false, message: `the CSV file ${shown} has no header row` };
    }
    const header = line.split(",").map((cell) => cell.trim().replace(/^"(.*)"$/, "$1"));
    return { ok: true, header };
  } catch (error) {
    return { ok: false, message: describeFsError(error, shown, "CSV file") };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** A path as written, with its resolved form when they differ. */
function show(written: string, resolved: string): string {
  return written === resolved
    ? JSON.stringify(written)
    : `${JSON.stringify(written)} (${resolved})`;
}

function describeFsError(error: unknown, path: string, what: string): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === "ENOENT" || code === "ENOTDIR") {
    return `the ${what} ${path} does not exist; paths are relative to the scenario file's folder`;
  }
  if (code === "EACCES" || code === "EPERM")
    return `the ${what} ${path} cannot be read (permission denied)`;
  const detail = error instanceof Error ? error.message : String(error);
  return `the ${what} ${path} cannot be read: ${detail}`;
}
