// Test helpers: an independent reader of PlanetLab text folders, and a way to re-seal a file's
// CRC after a test has tampered with its content on purpose.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { crc32 } from "../src/internal/crc32.js";
import { CRC_OFFSET, HEADER_BYTES } from "../src/internal/format.js";

export const FIXTURES: string = fileURLToPath(new URL("./fixtures/", import.meta.url));

/** A folder of text traces, read the plain way: sorted names, one integer per line. */
export function readTextFolder(folder: string): { names: string[]; columns: number[][] } {
  const names = readdirSync(folder).sort();
  const columns = names.map((name) =>
    readFileSync(join(folder, name), "utf8")
      .trim()
      .split("\n")
      .map((line) => Number.parseInt(line, 10)),
  );
  return { names, columns };
}

/** Recomputes the CRC-32 of a file (and optionally its body length) after an edit. */
export function reseal(bytes: Uint8Array): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  view.setUint32(16, bytes.length - HEADER_BYTES, true);
  const crc = crc32(crc32(0, bytes, 0, CRC_OFFSET), bytes, HEADER_BYTES, bytes.length);
  view.setUint32(CRC_OFFSET, crc, true);
  return bytes;
}

/** The error thrown by `fn`, or a failure when it does not throw. */
export function thrown(fn: () => unknown): { code?: string; path?: unknown; message: string } {
  try {
    fn();
  } catch (error) {
    return error as { code?: string; path?: unknown; message: string };
  }
  throw new Error("expected an error, but nothing was thrown");
}
