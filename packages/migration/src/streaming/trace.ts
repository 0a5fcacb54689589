/**
 * Block-access traces of a virtual appliance: which blocks of its state (disk image and memory
 * snapshot) a session touched, and when. The generator ({@link createAppliance}) makes them; real
 * ones are read from vx's text format ({@link parseAccessTraces}) and written back
 * ({@link formatAccessTraces}). Mining ({@link mineAccessModel}) learns from them, and the
 * streaming strategies replay them.
 *
 * @module
 */
import { KiB, parseBytes, parseDuration, VxError } from "@vx/core";
import { BAD_ACCESS_TRACE } from "./errors.js";

/**
 * One area of an appliance's state (a disk image, a memory snapshot): a run of blocks laid out
 * after the areas before it.
 */
export interface StateArea {
  /** Its name (`disk`, `memory`): the block-device id of trace lines. */
  readonly name: string;
  /** Its first block in the appliance's block space. */
  readonly firstBlock: number;
  /** Its size in blocks (its bytes rounded up to whole blocks). */
  readonly blockCount: number;
  /** Its size in bytes. */
  readonly bytes: number;
}

/**
 * The state of a virtual appliance as blocks: its block size and its areas, laid out one after
 * the other in one block space `0 .. blockCount - 1`.
 */
export interface StateLayout {
  /** Bytes per block (a power of two, at least 512). */
  readonly blockBytes: number;
  /** Blocks in all. */
  readonly blockCount: number;
  /** The areas, in order. */
  readonly areas: readonly StateArea[];
}

/**
 * What one session of an appliance accessed: extents of consecutive blocks, each at the VM time
 * (seconds of execution with every block local) it was first needed, in time order. Plain typed
 * arrays: a session touching 1 GiB in 128 KiB requests is 8192 entries.
 */
export interface AccessTrace {
  /** A label (the session's name in a file). */
  readonly name: string;
  /** The layout the block numbers refer to. */
  readonly layout: StateLayout;
  /** VM time of each access, seconds, non-decreasing. */
  readonly times: Float64Array;
  /** First block of each access. */
  readonly firstBlocks: Uint32Array;
  /** Blocks of each access (≥ 1). */
  readonly blockCounts: Uint32Array;
  /** Accesses in all. */
  readonly length: number;
  /** VM time the session lasts (≥ its last access): when the user leaves. */
  readonly durationSeconds: number;
}

/** A file of traces: one layout and the sessions recorded on it. */
export interface AccessTraceSet {
  /** Where it came from (a file name), for messages. */
  readonly source: string;
  /** The appliance's state layout. */
  readonly layout: StateLayout;
  /** The sessions, in file order. */
  readonly sessions: readonly AccessTrace[];
}

/** Default block size of trace files without a `block-size` line: 4 KiB. */
export const DEFAULT_TRACE_BLOCK_BYTES: number = KiB(4);

/**
 * Builds a state layout from area sizes.
 *
 * @param blockBytes - bytes per block: a power of two ≥ 512.
 * @param areas - name and size in bytes of each area, in order (at least one; names unique).
 * @returns the layout.
 * @throws {@link @vx/core!VxError} `VX_MIGRATION_BAD_ACCESS_TRACE` for a bad block size, no area,
 * an empty or duplicate name, a size ≤ 0, or more than 2^32 − 1 blocks.
 * @example
 * ```ts
 * const layout = stateLayout(4096, [{ name: "disk", bytes: 7 * 2 ** 30 }, { name: "memory", bytes: 2 ** 30 }]);
 * layout.blockCount; // 2_097_152
 * ```
 */
export function stateLayout(
  blockBytes: number,
  areas: readonly { readonly name: string; readonly bytes: number }[],
): StateLayout {
  if (
    !(Number.isInteger(blockBytes) && blockBytes >= 512 && (blockBytes & (blockBytes - 1)) === 0)
  ) {
    throw new VxError(
      BAD_ACCESS_TRACE,
      `the block size must be a power of two ≥ 512 bytes, got ${String(blockBytes)}.`,
      { path: ["blockBytes"] },
    );
  }
  if (areas.length === 0) {
    throw new VxError(BAD_ACCESS_TRACE, "a layout needs at least one area.", { path: ["areas"] });
  }
  const out: StateArea[] = [];
  const names = new Set<string>();
  let next = 0;
  areas.forEach((a, i) => {
    if (a.name === "" || /\s|#/.test(a.name) || names.has(a.name)) {
      throw new VxError(
        BAD_ACCESS_TRACE,
        `area names must be unique words without spaces or "#", got ${JSON.stringify(a.name)}.`,
        { path: ["areas", i, "name"] },
      );
    }
    if (!(a.bytes > 0 && Number.isFinite(a.bytes))) {
      throw new VxError(BAD_ACCESS_TRACE, `an area needs a size > 0, got ${String(a.bytes)}.`, {
        path: ["areas", i, "bytes"],
      });
    }
    names.add(a.name);
    const blockCount = Math.ceil(a.bytes / blockBytes);
    out.push({ name: a.name, firstBlock: next, blockCount, bytes: a.bytes });
    next += blockCount;
  });
  if (next > 0xffffffff) {
    throw new VxError(BAD_ACCESS_TRACE, `the layout has ${next} blocks; at most 2^32 − 1.`, {
      path: ["areas"],
    });
  }
  return { blockBytes, blockCount: next, areas: out };
}

/** The area holding a block (binary search over the areas). */
export function areaOf(layout: StateLayout, block: number): StateArea {
  const areas = layout.areas;
  let lo = 0;
  let hi = areas.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (areas[mid]!.firstBlock <= block) lo = mid;
    else hi = mid - 1;
  }
  return areas[lo]!;
}

/**
 * Grows the arrays of one trace while it is built, then freezes them into an {@link AccessTrace}.
 *
 * @internal
 */
export class TraceBuilder {
  private times = new Float64Array(256);
  private firsts = new Uint32Array(256);
  private counts = new Uint32Array(256);
  private n = 0;

  /** Accesses so far. */
  get length(): number {
    return this.n;
  }

  /** VM time of the last access (0 when empty). */
  get lastTime(): number {
    return this.n === 0 ? 0 : this.times[this.n - 1]!;
  }

  /** Appends an access (the caller keeps times non-decreasing). */
  push(time: number, firstBlock: number, blockCount: number): void {
    if (this.n === this.times.length) {
      const size = this.n * 2;
      const t = new Float64Array(size);
      t.set(this.times);
      this.times = t;
      const f = new Uint32Array(size);
      f.set(this.firsts);
      this.firsts = f;
      const c = new Uint32Array(size);
      c.set(this.counts);
      this.counts = c;
    }
    this.times[this.n] = time;
    this.firsts[this.n] = firstBlock;
    this.counts[this.n] = blockCount;
    this.n++;
  }

  /** The trace (its arrays trimmed to length). */
  build(name: string, layout: StateLayout, durationSeconds: number): AccessTrace {
    const n = this.n;
    return {
      name,
      layout,
      times: this.times.slice(0, n),
      firstBlocks: this.firsts.slice(0, n),
      blockCounts: this.counts.slice(0, n),
      length: n,
      durationSeconds: Math.max(durationSeconds, this.lastTime),
    };
  }
}

function fail(source: string, line: number, message: string): never {
  throw new VxError(BAD_ACCESS_TRACE, `${source}:${line}: ${message}`, { path: [source, line] });
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A number of seconds (`12.5`) or a duration string (`12.5s`, `300ms`). */
function readTime(text: string, source: string, line: number, what: string): number {
  let value: number;
  if (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text)) value = Number(text);
  else {
    try {
      value = parseDuration(text);
    } catch (error) {
      fail(source, line, `bad ${what} ${JSON.stringify(text)}: ${message(error)}`);
    }
  }
  if (!(value >= 0 && Number.isFinite(value))) {
    fail(source, line, `the ${what} must be a finite number of seconds ≥ 0, got ${text}`);
  }
  return value;
}

/** A number of bytes (`4096`) or a size string (`4KiB`). */
function readBytes(text: string, source: string, line: number, what: string): number {
  let value: number;
  if (/^\d+$/.test(text)) value = Number(text);
  else {
    try {
      value = parseBytes(text);
    } catch (error) {
      fail(source, line, `bad ${what} ${JSON.stringify(text)}: ${message(error)}`);
    }
  }
  if (!Number.isSafeInteger(value)) {
    fail(source, line, `the ${what} must be a whole number of bytes, got ${text}`);
  }
  return value;
}

interface OpenSession {
  readonly name: string;
  readonly line: number;
  readonly builder: TraceBuilder;
  readonly duration: number | undefined;
}

/**
 * Parses block-access traces in vx's text format. One record per line; `#` starts a comment.
 *
 * ```text
 * # vx access trace: the header lays out the appliance's state, then one session after another
 * block-size 4KiB              # optional (default 4 KiB), before the first area
 * area disk 7GiB               # block devices, in order: they form one block space
 * area memory 1GiB
 * session alice-1 930          # a session, with its length (VM seconds; default: its last access)
 * 0.000   memory 0       128KiB    # <time> <area> <offset> [<length>]
 * 0.004   memory 131072  128KiB
 * 12.5    disk   1.5GiB            # length default: one block
 * session bob-1
 * ...
 * ```
 *
 * An access line gives the VM time (seconds, or a duration such as `300ms`: execution time with
 * every block local), the block device (a declared area), the byte offset in it and the length
 * (bytes or a size; default: the rest of the block at the offset); it touches every block the
 * byte range overlaps. Times are
 * non-decreasing within a session. Such traces come from a block-layer trace of the VMM (QEMU's
 * `trace-events` on block reads) and from the first touches of memory pages (userfaultfd or a
 * dirty log) of past sessions.
 *
 * @param text - the file's content.
 * @param source - its name, for messages (default `"trace"`).
 * @returns the layout and the sessions.
 * @throws {@link @vx/core!VxError} `VX_MIGRATION_BAD_ACCESS_TRACE` naming the file and line (message
 * `file:line: ...`, path `[file, line]`) for: an unknown directive or area, a malformed field, an
 * area after the first session, a block size after an area or not a power of two ≥ 512, an access
 * before any session, a time that goes backwards, a range outside its area, a session length
 * shorter than its last access, a duplicate session name, or a file with no area or no session.
 * @example
 * ```ts
 * const set = parseAccessTraces("area disk 1GiB\nsession s1 10\n0 disk 0 128KiB\n2.5 disk 1MiB\n", "a.trace");
 * set.sessions[0]!.length; // 2
 * set.sessions[0]!.blockCounts[0]; // 32
 * ```
 */
export function parseAccessTraces(text: string, source = "trace"): AccessTraceSet {
  let blockBytes = DEFAULT_TRACE_BLOCK_BYTES;
  let blockSizeSet = false;
  const areaSpecs: { name: string; bytes: number }[] = [];
  let layout: StateLayout | undefined;
  const areaByName = new Map<string, StateArea>();
  const sessions: AccessTrace[] = [];
  const sessionNames = new Set<string>();
  let open: OpenSession | undefined;

  const close = (): void => {
    if (open === undefined) return;
    const b = open.builder;
    if (open.duration !== undefined && open.duration < b.lastTime) {
      fail(
        source,
        open.line,
        `session "${open.name}" lasts ${open.duration} s but its last access is at ${b.lastTime} s`,
      );
    }
    sessions.push(b.build(open.name, layout!, open.duration ?? b.lastTime));
    open = undefined;
  };

  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const raw = lines[i]!;
    const hash = raw.indexOf("#");
    const line = (hash >= 0 ? raw.slice(0, hash) : raw).trim();
    if (line === "") continue;
    const parts = line.split(/\s+/);
    const head = parts[0]!;
    if (head === "block-size") {
      if (parts.length !== 2)
        fail(source, lineNo, 'expected "block-size <size>", e.g. block-size 4KiB');
      if (areaSpecs.length > 0 || blockSizeSet) {
        fail(source, lineNo, "block-size must come once, before the first area");
      }
      blockBytes = readBytes(parts[1]!, source, lineNo, "block size");
      if (!(blockBytes >= 512 && (blockBytes & (blockBytes - 1)) === 0)) {
        fail(source, lineNo, `the block size must be a power of two ≥ 512 bytes, got ${parts[1]}`);
      }
      blockSizeSet = true;
    } else if (head === "area") {
      if (parts.length !== 3)
        fail(source, lineNo, 'expected "area <name> <size>", e.g. area disk 8GiB');
      if (layout !== undefined)
        fail(source, lineNo, "areas must all come before the first session");
      const name = parts[1]!;
      if (areaSpecs.some((a) => a.name === name)) {
        fail(source, lineNo, `area "${name}" is declared twice`);
      }
      const bytes = readBytes(parts[2]!, source, lineNo, "area size");
      if (bytes <= 0) fail(source, lineNo, `area "${name}" needs a size > 0`);
      areaSpecs.push({ name, bytes });
    } else if (head === "session") {
      if (parts.length < 2 || parts.length > 3) {
        fail(source, lineNo, 'expected "session <name> [<length>]", e.g. session alice-1 600');
      }
      if (layout === undefined) {
        if (areaSpecs.length === 0)
          fail(source, lineNo, "declare the areas before the first session");
        try {
          layout = stateLayout(blockBytes, areaSpecs);
        } catch (error) {
          fail(source, lineNo, message(error));
        }
        for (const a of layout.areas) areaByName.set(a.name, a);
      }
      close();
      const name = parts[1]!;
      if (sessionNames.has(name)) fail(source, lineNo, `session "${name}" appears twice`);
      sessionNames.add(name);
      const duration =
        parts[2] === undefined ? undefined : readTime(parts[2], source, lineNo, "session length");
      open = { name, line: lineNo, builder: new TraceBuilder(), duration };
    } else {
      if (open === undefined || layout === undefined) {
        fail(
          source,
          lineNo,
          `expected "block-size", "area" or "session" before accesses, got ${JSON.stringify(head)}`,
        );
      }
      if (parts.length < 3 || parts.length > 4) {
        fail(
          source,
          lineNo,
          `expected "<time> <area> <offset> [<length>]", got ${JSON.stringify(line)}`,
        );
      }
      const time = readTime(parts[0]!, source, lineNo, "time");
      const area = areaByName.get(parts[1]!);
      if (area === undefined) {
        fail(
          source,
          lineNo,
          `unknown area ${JSON.stringify(parts[1])}; declared: ${[...areaByName.keys()].join(", ")}`,
        );
      }
      const offset = readBytes(parts[2]!, source, lineNo, "offset");
      // The default length is the rest of the block at the offset (the last block may be short).
      const length =
        parts[3] === undefined
          ? Math.min(
              layout.blockBytes - (offset % layout.blockBytes),
              Math.max(1, area.bytes - offset),
            )
          : readBytes(parts[3], source, lineNo, "length");
      if (length <= 0) fail(source, lineNo, "the length must be > 0");
      if (offset + length > area.bytes) {
        fail(
          source,
          lineNo,
          `bytes ${offset}..${offset + length} lie outside area "${area.name}" (${area.bytes} bytes)`,
        );
      }
      if (time < open.builder.lastTime) {
        fail(
          source,
          lineNo,
          `time ${time} s goes back (the previous access is at ${open.builder.lastTime} s)`,
        );
      }
      const bs = layout.blockBytes;
      const first = Math.floor(offset / bs);
      const last = Math.floor((offset + length - 1) / bs);
      open.builder.push(time, area.firstBlock + first, last - first + 1);
    }
  }
  close();
  if (layout === undefined) {
    throw new VxError(
      BAD_ACCESS_TRACE,
      `${source}: no session found; a trace file declares its areas, then "session <name>" and accesses.`,
      { path: [source] },
    );
  }
  return { source, layout, sessions };
}

/**
 * Writes traces in the text format of {@link parseAccessTraces} (which reads them back to equal
 * traces). Offsets and lengths are written in bytes, times in seconds (shortest exact form).
 *
 * @param set - the layout and the sessions (each on that layout).
 * @returns the text.
 * @throws {@link @vx/core!VxError} `VX_MIGRATION_BAD_ACCESS_TRACE` when a session's layout differs
 * from the set's.
 * @example
 * ```ts
 * const appliance = createAppliance({ image: "1GiB", memory: "128MiB" });
 * const text = formatAccessTraces({ source: "gen", layout: appliance.layout, sessions: appliance.sessions(0, 2) });
 * parseAccessTraces(text).sessions.length; // 2
 * ```
 */
export function formatAccessTraces(set: AccessTraceSet): string {
  const { layout } = set;
  const out: string[] = [
    "# vx access trace: <time> <area> <offset> [<length>] per access",
    `block-size ${layout.blockBytes}`,
  ];
  for (const a of layout.areas) out.push(`area ${a.name} ${a.bytes}`);
  set.sessions.forEach((s, i) => {
    if (!sameLayout(s.layout, layout)) {
      throw new VxError(BAD_ACCESS_TRACE, `session "${s.name}" is on another layout.`, {
        path: ["sessions", i],
      });
    }
    out.push(`session ${s.name} ${String(s.durationSeconds)}`);
    const bs = layout.blockBytes;
    for (let k = 0; k < s.length; k++) {
      let first = s.firstBlocks[k]!;
      let left = s.blockCounts[k]!;
      const t = String(s.times[k]!);
      // An access that crosses an area boundary is written as one line per area.
      while (left > 0) {
        const area = areaOf(layout, first);
        const inArea = Math.min(left, area.firstBlock + area.blockCount - first);
        const offset = (first - area.firstBlock) * bs;
        const length = Math.min(inArea * bs, area.bytes - offset);
        out.push(`${t} ${area.name} ${offset} ${length}`);
        first += inArea;
        left -= inArea;
      }
    }
  });
  return `${out.join("\n")}\n`;
}

/** Whether two layouts describe the same block space. */
export function sameLayout(a: StateLayout, b: StateLayout): boolean {
  if (a === b) return true;
  if (a.blockBytes !== b.blockBytes || a.blockCount !== b.blockCount) return false;
  if (a.areas.length !== b.areas.length) return false;
  return a.areas.every((x, i) => {
    const y = b.areas[i]!;
    return x.name === y.name && x.bytes === y.bytes;
  });
}
