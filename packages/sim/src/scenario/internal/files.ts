/**
 * Reads scenario files with a byte cap, and looks at the files a scenario refers to (trace
 * folders, CSV files) before anything runs, so a missing or unusable file is reported with the
 * path of its field.
 */

import {
  closeSync,
  constants,
  fstatSync,
  openSync,
  readdirSync,
  readSync,
  statSync,
} from "node:fs";
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

/** The result of reading a text file with a cap. */
export type TextRead =
  | { readonly ok: true; readonly text: string }
  | {
      readonly ok: false;
      /** `missing`: no such file; `folder`: a folder; `unusable`: any other reason. */
      readonly reason: "missing" | "folder" | "unusable";
      /** What is wrong, without the file's name (the caller adds it). */
      readonly message: string;
      readonly cause?: unknown;
    };

/**
 * Reads a UTF-8 text file of at most `maxBytes` bytes, safely for any path a user may give: the
 * file is opened without blocking (a FIFO with no writer would block `open` forever) and
 * anything but a regular file is refused before a byte is read (`/dev/zero` and `/dev/urandom`
 * say their size is 0 and never end); the read stops one byte past the cap (a file growing
 * while read, a `/proc` file reporting size 0); bytes that are not UTF-8 are refused (a binary
 * file).
 */
export function readTextCapped(path: string, maxBytes: number): TextRead {
  let fd: number;
  try {
    // O_NONBLOCK is 0 where the platform has none (Windows has no FIFOs to block on).
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (code === "ENOENT" || code === "ENOTDIR") {
      return { ok: false, reason: "missing", message: "does not exist", cause: error };
    }
    if (code === "EISDIR") return { ok: false, reason: "folder", message: "is a folder" };
    return unusable(`cannot be read (${messageOf(error)})`, error);
  }
  try {
    const stats = fstatSync(fd);
    if (stats.isDirectory()) return { ok: false, reason: "folder", message: "is a folder" };
    if (!stats.isFile()) {
      return unusable(
        "is not a regular file (a device, FIFO or socket) and is not read; save the scenario to a file",
      );
    }
    const tooLarge = (): TextRead =>
      unusable(
        `is larger than ${maxBytes} bytes, more than a scenario file can be; is it a trace?`,
      );
    if (stats.size > maxBytes) return tooLarge();
    const chunks: Buffer[] = [];
    let total = 0;
    const chunk = Buffer.alloc(Math.min(maxBytes + 1, 1 << 20));
    for (;;) {
      const read = readSync(fd, chunk, 0, chunk.length, null);
      if (read === 0) break;
      total += read;
      if (total > maxBytes) return tooLarge();
      chunks.push(Buffer.from(chunk.subarray(0, read)));
    }
    const bytes = Buffer.concat(chunks, total);
    try {
      return { ok: true, text: new TextDecoder("utf-8", { fatal: true }).decode(bytes) };
    } catch {
      return unusable(
        `is not UTF-8 text (byte ${firstInvalidUtf8(bytes)} is not valid UTF-8); is it a binary file? Scenario files are YAML or JSON text`,
      );
    }
  } catch (error) {
    return unusable(`cannot be read (${messageOf(error)})`, error);
  } finally {
    closeSync(fd);
  }
}

function unusable(message: string, cause?: unknown): TextRead {
  return cause === undefined
    ? { ok: false, reason: "unusable", message }
    : { ok: false, reason: "unusable", message, cause };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Offset of the first byte that does not decode as UTF-8 (binary search over prefixes). */
function firstInvalidUtf8(bytes: Uint8Array): number {
  const valid = (end: number): boolean => {
    try {
      // A prefix may cut a valid sequence in two: streaming leaves its start pending.
      new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(0, end), { stream: true });
      return true;
    } catch {
      return false;
    }
  };
  let lo = 0;
  let hi = bytes.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (valid(mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
