/**
 * Dirty-page traces: what a guest dirtied, interval by interval, recorded on a real system (for
 * example from QEMU's `calc-dirty-rate` or KVM's dirty log) and replayed by the `trace` dirtying
 * model.
 *
 * @module
 */
import { parseDuration, parseRate, VxError } from "@vx/core";

/** One interval of a trace in which the guest dirtied pages at a rate. */
export interface DirtyTraceRateInterval {
  /** Always `"rate"`. */
  readonly kind: "rate";
  /** Length of the interval in seconds (> 0). */
  readonly durationSeconds: number;
  /** Bytes of distinct pages dirtied per second, spread uniformly over the guest's pages. */
  readonly bytesPerSecond: number;
}

/** One interval of a trace that lists the pages the guest dirtied. */
export interface DirtyTracePagesInterval {
  /** Always `"pages"`. */
  readonly kind: "pages";
  /** Length of the interval in seconds (> 0); the pages are dirtied evenly over it, in order. */
  readonly durationSeconds: number;
  /** Page numbers (0-based, in units of the VM's page size), in the order they were dirtied. */
  readonly pages: Uint32Array | readonly number[];
}

/** One interval of a {@link DirtyTrace}. */
export type DirtyTraceInterval = DirtyTraceRateInterval | DirtyTracePagesInterval;

/** A dirty-page trace: intervals replayed one after the other from the start of the migration. */
export interface DirtyTrace {
  /** Where it came from (a file name), for messages. */
  readonly source: string;
  /** The intervals, in order; at least one. */
  readonly intervals: readonly DirtyTraceInterval[];
}

const BAD_TRACE = "VX_MIGRATION_BAD_TRACE";

function fail(source: string, line: number, message: string): never {
  throw new VxError(BAD_TRACE, `${source}:${line}: ${message}`, { path: [source, line] });
}

/**
 * Parses a dirty-page trace in vx's text format: one interval per line, `#` starts a comment.
 *
 * ```text
 * # duration  kind   value
 * 1s          rate   200MiB/s
 * 500ms       pages  0-1023,4096,5000-5099
 * ```
 *
 * A `rate` line dirties distinct pages at that rate, uniformly over the guest; a `pages` line
 * lists the pages dirtied during the interval (single numbers or inclusive ranges `a-b`).
 * Durations and rates take any unit that `parseDuration`/`parseRate` of `@vx/core` read.
 *
 * @param text - the file's content.
 * @param source - its name, used in error messages (default `"trace"`).
 * @returns the trace.
 * @throws {@link @vx/core!VxError} `VX_MIGRATION_BAD_TRACE` naming the file and line (message
 * `file:line: ...`, path `[file, line]`) for a malformed line, a duration ≤ 0, a negative rate, a
 * bad page list, or a trace with no interval.
 * @example
 * ```ts
 * const trace = parseDirtyTrace("1s rate 100MiB/s\n2s pages 0-255\n", "web.trace");
 * trace.intervals.length; // 2
 * ```
 */
export function parseDirtyTrace(text: string, source = "trace"): DirtyTrace {
  const intervals: DirtyTraceInterval[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const hash = lines[i]!.indexOf("#");
    const line = (hash >= 0 ? lines[i]!.slice(0, hash) : lines[i]!).trim();
    if (line === "") continue;
    const parts = line.split(/\s+/);
    if (parts.length !== 3) {
      fail(
        source,
        lineNo,
        `expected "<duration> rate <rate>" or "<duration> pages <list>", got ${JSON.stringify(line)}`,
      );
    }
    const [durationText, kind, value] = parts as [string, string, string];
    let durationSeconds: number;
    try {
      durationSeconds = parseDuration(durationText);
    } catch (error) {
      fail(source, lineNo, `bad duration ${JSON.stringify(durationText)}: ${message(error)}`);
    }
    if (!(durationSeconds > 0)) {
      fail(source, lineNo, `the duration must be > 0, got ${JSON.stringify(durationText)}`);
    }
    if (kind === "rate") {
      let bytesPerSecond: number;
      try {
        bytesPerSecond = parseRate(value);
      } catch (error) {
        fail(source, lineNo, `bad rate ${JSON.stringify(value)}: ${message(error)}`);
      }
      intervals.push({ kind: "rate", durationSeconds, bytesPerSecond });
    } else if (kind === "pages") {
      intervals.push({
        kind: "pages",
        durationSeconds,
        pages: parsePageList(value, source, lineNo),
      });
    } else {
      fail(source, lineNo, `unknown kind ${JSON.stringify(kind)}; use "rate" or "pages"`);
    }
  }
  if (intervals.length === 0) {
    throw new VxError(BAD_TRACE, `${source}: the trace has no interval.`, { path: [source] });
  }
  return { source, intervals };
}

function parsePageList(text: string, source: string, line: number): Uint32Array {
  const out: number[] = [];
  for (const item of text.split(",")) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(item);
    if (m === null) {
      fail(source, line, `bad page list item ${JSON.stringify(item)}; use numbers or ranges a-b`);
    }
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    if (to < from || to > 0xfffffffe) {
      fail(source, line, `bad page range ${JSON.stringify(item)}`);
    }
    for (let p = from; p <= to; p++) out.push(p);
  }
  return Uint32Array.from(out);
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
