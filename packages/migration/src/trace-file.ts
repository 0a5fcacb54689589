/**
 * Reading a dirty-page trace from a file (Node.js).
 *
 * @module
 */
import { readFileSync } from "node:fs";
import { VxError } from "@vx/core";
import { type DirtyTrace, parseDirtyTrace } from "./trace.js";

/**
 * Reads and parses a dirty-page trace file in the format of {@link parseDirtyTrace}.
 *
 * @param path - the file.
 * @returns the trace, with `source` set to `path`.
 * @throws {@link @vx/core!VxError} `VX_MIGRATION_BAD_TRACE` when the file cannot be read
 * (path `[path]`) or a line is malformed (message `path:line: ...`, path `[path, line]`).
 * @example
 * ```ts
 * import { readDirtyTrace } from "@vx/migration/node";
 * const trace = readDirtyTrace("traces/web.trace");
 * migrate({ ram: "4GiB", dirty: { model: "trace", trace } }, { strategy: "precopy-qemu", link: { bandwidth: "10Gbps" } });
 * ```
 */
export function readDirtyTrace(path: string): DirtyTrace {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new VxError(
      "VX_MIGRATION_BAD_TRACE",
      `${path}: cannot read the trace file (${reason}).`,
      {
        path: [path],
        cause: error,
      },
    );
  }
  return parseDirtyTrace(text, path);
}
