/**
 * Reading a text file with a byte cap, for the importers: a device (`/dev/zero`), a FIFO or a
 * huge file given by mistake is refused instead of read without end or blocking.
 *
 * @module
 */

import { closeSync, constants, fstatSync, openSync, readSync } from "node:fs";
import { VxError } from "@vx/core";
import { fileError } from "./import.js";

/**
 * Reads `file` as UTF-8 text of at most `maxBytes` bytes. The file is opened without blocking
 * (a FIFO with no writer would block `open`), and anything but a regular file is refused.
 *
 * @throws `VxError` `VX_NUMA_NOT_FOUND` when the file does not exist; `VX_NUMA_UNREADABLE` when
 *   it is a folder, a device, FIFO or socket, larger than `maxBytes`, or cannot be read.
 */
export function readCappedText(file: string, maxBytes: number): string {
  let fd: number;
  try {
    // O_NONBLOCK is 0 where the platform has none (Windows has no FIFOs to block on).
    fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === "ENOENT" || code === "ENOTDIR") {
      throw fileError("VX_NUMA_NOT_FOUND", file, 0, "does not exist.");
    }
    throw fileError("VX_NUMA_UNREADABLE", file, 0, `cannot be read (${messageOf(error)}).`);
  }
  try {
    const stats = fstatSync(fd);
    if (stats.isDirectory()) {
      throw fileError("VX_NUMA_UNREADABLE", file, 0, "is a folder, not a file.");
    }
    if (!stats.isFile()) {
      throw fileError(
        "VX_NUMA_UNREADABLE",
        file,
        0,
        "is not a regular file (a device, FIFO or socket); give a file saved from the command's output.",
      );
    }
    const tooLarge = () =>
      fileError(
        "VX_NUMA_UNREADABLE",
        file,
        0,
        `is larger than ${maxBytes} bytes, more than such a file holds; is it the right file?`,
      );
    // The size a regular file says it has; /proc-like files say 0, so the read below counts too.
    if (stats.size > maxBytes) throw tooLarge();
    const chunks: Buffer[] = [];
    let total = 0;
    const chunk = Buffer.alloc(Math.min(maxBytes + 1, 1 << 20));
    for (;;) {
      const read = readSync(fd, chunk, 0, chunk.length, null);
      if (read === 0) break;
      total += read;
      if (total > maxBytes) throw tooLarge();
      chunks.push(Buffer.from(chunk.subarray(0, read)));
    }
    return Buffer.concat(chunks, total).toString("utf8");
  } catch (error) {
    if (VxError.isInstance(error)) throw error;
    throw fileError("VX_NUMA_UNREADABLE", file, 0, `cannot be read (${messageOf(error)}).`);
  } finally {
    closeSync(fd);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
