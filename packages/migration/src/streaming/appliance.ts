/**
 * A synthetic virtual appliance and the sessions users run on it: the generator of access traces
 * with the structure vTube mines (Abe et al., SoCC 2013, §2–3): every session resumes the
 * appliance the same way (a start phase that reads the memory snapshot and the disk's start-up
 * files), then the user moves between application phases (a level of a game, a tool of an
 * interactive book), each reading its own files, choosing the next phase among a few (user-driven
 * branches, some more popular than others) after a think time. Sessions differ in the path taken,
 * in their length, in the files of a phase they skip, and in a little unpredictable I/O.
 *
 * No published trace set gives these figures: every parameter is an assumption with a default,
 * listed in {@link APPLIANCE_DEFAULTS}, except the 128 KiB request size (Linux's default
 * read-ahead window, `/sys/block/<dev>/queue/read_ahead_kb` = 128).
 *
 * @module
 */
import {
  bytesSchema,
  createRandom,
  durationSchema,
  GiB,
  KiB,
  logNormalParams,
  MiB,
  parseWith,
  percentSchema,
  type RandomStream,
  VxError,
} from "@vx/core";
import { z } from "zod";
import type { BytesInput, DurationInput, FractionInput } from "../options.js";
import { BAD_STREAM_OPTIONS } from "./errors.js";
import { type AccessTrace, type StateLayout, stateLayout, TraceBuilder } from "./trace.js";

/** Options of {@link createAppliance}; every field has a default ({@link APPLIANCE_DEFAULTS}). */
export interface ApplianceOptions {
  /** All its state: disk image plus memory snapshot. Default 8 GiB. */
  readonly image?: BytesInput;
  /** The memory snapshot's part of `image` (0: a cold boot, no snapshot). Default 1 GiB. */
  readonly memory?: BytesInput;
  /** Block size: the unit of tracking and of demand fetches (a power of two ≥ 512). Default 4 KiB. */
  readonly blockSize?: BytesInput;
  /** Size of one read request (a multiple of the block size). Default 128 KiB. */
  readonly requestSize?: BytesInput;
  /** The start phase every session runs first. */
  readonly boot?: {
    /** Bytes it reads. Default 256 MiB. */
    readonly size?: BytesInput;
    /** VM time it takes. Default 30 s. */
    readonly duration?: DurationInput;
    /** Share of its bytes in the memory snapshot. Default 50 %. */
    readonly memoryShare?: FractionInput;
  };
  /** The application phases. */
  readonly phases?: {
    /** How many. Default 24. */
    readonly count?: number;
    /** Mean bytes a phase reads (log-normal, coefficient of variation 0.5). Default 48 MiB. */
    readonly size?: BytesInput;
    /** Mean VM time a phase lasts (log-normal, cv 0.5). Default 60 s. */
    readonly duration?: DurationInput;
    /** Mean size of the files it reads (log-normal, cv 1). Default 4 MiB. */
    readonly fileSize?: BytesInput;
    /** Share of its bytes in the memory snapshot. Default 20 %. */
    readonly memoryShare?: FractionInput;
    /** Share of its disk files shared with other phases (libraries). Default 20 %. */
    readonly sharedShare?: FractionInput;
    /** Phases a user can go to next from each phase. Default 3. */
    readonly branching?: number;
  };
  /** How users run it. */
  readonly sessions?: {
    /** Mean number of phases a session visits after the start (geometric). Default 8. */
    readonly phases?: number;
    /** Mean think time before each phase (exponential). Default 10 s. */
    readonly thinkTime?: DurationInput;
    /** Share of a phase's files a session reads. Default 90 %. */
    readonly coverage?: FractionInput;
    /** Extra reads nobody can predict (logs, temporary files), as a share of a phase's reads. Default 1 %. */
    readonly noise?: FractionInput;
  };
  /** Seed of the layout and of every session. Default 1. */
  readonly seed?: number | string;
}

/** An appliance's parameters in base units, every default filled in. */
export interface ApplianceSpec {
  /** State bytes. */
  readonly imageBytes: number;
  /** Memory-snapshot bytes (part of `imageBytes`). */
  readonly memoryBytes: number;
  /** Block size. */
  readonly blockBytes: number;
  /** Read request size. */
  readonly requestBytes: number;
  /** The start phase. */
  readonly boot: {
    readonly bytes: number;
    readonly seconds: number;
    readonly memoryShare: number;
  };
  /** The application phases. */
  readonly phases: {
    readonly count: number;
    readonly bytes: number;
    readonly seconds: number;
    readonly fileBytes: number;
    readonly memoryShare: number;
    readonly sharedShare: number;
    readonly branching: number;
  };
  /** The users. */
  readonly sessions: {
    readonly phases: number;
    readonly thinkSeconds: number;
    readonly coverage: number;
    readonly noise: number;
  };
  /** The seed. */
  readonly seed: number | string;
}

/**
 * The defaults of {@link ApplianceOptions}: an 8 GiB appliance (7 GiB disk, 1 GiB memory
 * snapshot) in 4 KiB blocks read 128 KiB at a time; a 256 MiB, 30 s start; 24 phases of about
 * 48 MiB and 60 s, with 3 branches each; sessions of about 8 phases with 10 s think times, reading
 * 90 % of a phase's files plus 1 % unpredictable reads. A session touches about 600 MiB. All
 * assumptions except the request size (Linux read-ahead, 128 KiB).
 */
export const APPLIANCE_DEFAULTS: ApplianceSpec = {
  imageBytes: GiB(8),
  memoryBytes: GiB(1),
  blockBytes: KiB(4),
  requestBytes: KiB(128),
  boot: { bytes: MiB(256), seconds: 30, memoryShare: 0.5 },
  phases: {
    count: 24,
    bytes: MiB(48),
    seconds: 60,
    fileBytes: MiB(4),
    memoryShare: 0.2,
    sharedShare: 0.2,
    branching: 3,
  },
  sessions: { phases: 8, thinkSeconds: 10, coverage: 0.9, noise: 0.01 },
  seed: 1,
};

const D = APPLIANCE_DEFAULTS;
const fraction = (): z.ZodType<number, number | string> => percentSchema({ min: 0, max: 1 });

function custom(ctx: z.RefinementCtx, path: (string | number)[], message: string): void {
  ctx.addIssue({ code: "custom", message, path, params: { vxCode: "VX_SCHEMA_OUT_OF_RANGE" } });
}

/** The zod schema of {@link ApplianceOptions}: input as users write it, output an {@link ApplianceSpec}. @internal */
export const applianceSchema: z.ZodType<ApplianceSpec, unknown> = z
  .strictObject({
    image: bytesSchema({ allowZero: false }).default(D.imageBytes),
    memory: bytesSchema().default(D.memoryBytes),
    blockSize: bytesSchema({ min: 512, max: "1GiB" }).default(D.blockBytes),
    requestSize: bytesSchema({ min: 512, max: "1GiB" }).default(D.requestBytes),
    boot: z
      .strictObject({
        size: bytesSchema().default(D.boot.bytes),
        duration: durationSchema().default(D.boot.seconds),
        memoryShare: fraction().default(D.boot.memoryShare),
      })
      .prefault({}),
    phases: z
      .strictObject({
        count: z.int().min(1).max(100_000).default(D.phases.count),
        size: bytesSchema({ allowZero: false }).default(D.phases.bytes),
        duration: durationSchema({ allowZero: false }).default(D.phases.seconds),
        fileSize: bytesSchema({ allowZero: false }).default(D.phases.fileBytes),
        memoryShare: fraction().default(D.phases.memoryShare),
        sharedShare: fraction().default(D.phases.sharedShare),
        branching: z.int().min(1).max(64).default(D.phases.branching),
      })
      .prefault({}),
    sessions: z
      .strictObject({
        phases: z.number().min(1).max(10_000).default(D.sessions.phases),
        thinkTime: durationSchema().default(D.sessions.thinkSeconds),
        coverage: percentSchema({ min: 0, max: 1, allowZero: false }).default(D.sessions.coverage),
        noise: fraction().default(D.sessions.noise),
      })
      .prefault({}),
    seed: z.union([z.int(), z.string()]).default(D.seed),
  })
  .superRefine((o, ctx) => {
    const bs = o.blockSize;
    if ((bs & (bs - 1)) !== 0) custom(ctx, ["blockSize"], `expected a power of two, got ${bs}`);
    if (o.requestSize % bs !== 0) {
      custom(ctx, ["requestSize"], `expected a multiple of the block size (${bs} bytes)`);
    }
    if (o.memory >= o.image) {
      custom(ctx, ["memory"], "the memory snapshot must be smaller than the whole image");
    }
    if (o.image / bs > 0xffffffff) {
      custom(ctx, ["image"], "at most 2^32 − 1 blocks: use a larger block size");
    }
    if (o.boot.size > o.image)
      custom(ctx, ["boot", "size"], "the start phase reads more than the image");
    if (o.phases.branching > Math.max(1, o.phases.count - 1) && o.phases.count > 1) {
      custom(ctx, ["phases", "branching"], `at most count − 1 (${o.phases.count - 1}) branches`);
    }
  })
  .transform(
    (o): ApplianceSpec => ({
      imageBytes: o.image,
      memoryBytes: o.memory,
      blockBytes: o.blockSize,
      requestBytes: o.requestSize,
      boot: { bytes: o.boot.size, seconds: o.boot.duration, memoryShare: o.boot.memoryShare },
      phases: {
        count: o.phases.count,
        bytes: o.phases.size,
        seconds: o.phases.duration,
        fileBytes: o.phases.fileSize,
        memoryShare: o.phases.memoryShare,
        sharedShare: o.phases.sharedShare,
        branching: o.phases.count === 1 ? 1 : o.phases.branching,
      },
      sessions: {
        phases: o.sessions.phases,
        thinkSeconds: o.sessions.thinkTime,
        coverage: o.sessions.coverage,
        noise: o.sessions.noise,
      },
      seed: o.seed,
    }),
  );

/** Files (extents of blocks) in CSR form: `files[offsets[p] .. offsets[p + 1])` belong to group p. */
interface FileTable {
  readonly offsets: Int32Array;
  readonly first: Uint32Array;
  readonly blocks: Uint32Array;
}

/**
 * A virtual appliance: its state layout (a `disk` and a `memory` area) and the structure of its
 * use (start phase, application phases and the branches between them), built once from a seed.
 * Sessions are generated on demand: session `i` depends only on the seed and `i`.
 *
 * @example
 * ```ts
 * const appliance = createAppliance({ image: "8GiB" });
 * const training = appliance.sessions(0, 20);
 * const next = appliance.session(20);
 * next.length; // its read requests
 * ```
 */
export class Appliance {
  /** The parameters, defaults filled in. */
  readonly spec: ApplianceSpec;
  /** The state's block layout: `disk`, then `memory` (when the snapshot is > 0). */
  readonly layout: StateLayout;
  private readonly boot: FileTable;
  private readonly phases: FileTable;
  private readonly phaseSeconds: Float64Array;
  private readonly successors: Int32Array;
  private readonly entry: Int32Array;
  private readonly weights: Float64Array;
  private readonly requestBlocks: number;

  /** @internal use {@link createAppliance} */
  constructor(spec: ApplianceSpec) {
    this.spec = spec;
    const areas = [{ name: "disk", bytes: spec.imageBytes - spec.memoryBytes }];
    if (spec.memoryBytes > 0) areas.push({ name: "memory", bytes: spec.memoryBytes });
    this.layout = stateLayout(spec.blockBytes, areas);
    this.requestBlocks = spec.requestBytes / spec.blockBytes;
    const rng = createRandom(spec.seed).stream("appliance");
    const layoutRng = rng.stream("layout");
    this.boot = this.placeBoot(layoutRng.stream("boot"));
    const { table, seconds } = this.placePhases(layoutRng.stream("phases"));
    this.phases = table;
    this.phaseSeconds = seconds;
    const branching = spec.phases.branching;
    // Zipf-like popularity of the branches: the first is chosen twice as often as the second.
    this.weights = new Float64Array(branching);
    let sum = 0;
    for (let k = 0; k < branching; k++) sum += 1 / (k + 1);
    for (let k = 0; k < branching; k++) this.weights[k] = 1 / (k + 1) / sum;
    const graphRng = rng.stream("graph");
    const n = spec.phases.count;
    this.successors = new Int32Array(n * branching);
    for (let p = 0; p < n; p++) this.pickDistinct(graphRng, p, this.successors, p * branching);
    this.entry = new Int32Array(branching);
    this.pickDistinct(graphRng, -1, this.entry, 0);
  }

  /** Number of application phases. */
  get phaseCount(): number {
    return this.spec.phases.count;
  }

  /**
   * The trace of session `index`.
   *
   * @param index - a session number ≥ 0; the same number gives the same trace.
   * @returns its accesses, in time order.
   * @throws {@link @vx/core!VxError} `VX_MIGRATION_BAD_STREAM_OPTIONS` for an index that is not an
   * integer ≥ 0.
   */
  session(index: number): AccessTrace {
    if (!(Number.isSafeInteger(index) && index >= 0)) {
      throw new VxError(
        BAD_STREAM_OPTIONS,
        `a session index is an integer ≥ 0, got ${String(index)}.`,
        {
          path: ["index"],
        },
      );
    }
    return new SessionGenerator(this, createRandom(this.spec.seed).stream(`session/${index}`)).run(
      `session-${index}`,
    );
  }

  /**
   * Sessions `from .. from + count − 1`.
   *
   * @param from - the first index.
   * @param count - how many.
   * @returns the traces.
   */
  sessions(from: number, count: number): AccessTrace[] {
    const out: AccessTrace[] = [];
    for (let i = 0; i < count; i++) out.push(this.session(from + i));
    return out;
  }

  /** @internal */
  _boot(): FileTable {
    return this.boot;
  }
  /** @internal */
  _phases(): FileTable {
    return this.phases;
  }
  /** @internal */
  _phaseSeconds(p: number): number {
    return this.phaseSeconds[p]!;
  }
  /** @internal the phase a user goes to next from `from` (-1: after the start). */
  _next(from: number, rng: RandomStream): number {
    const b = this.spec.phases.branching;
    const u = rng.next();
    let acc = 0;
    for (let k = 0; k < b; k++) {
      acc += this.weights[k]!;
      if (u < acc || k === b - 1) return from < 0 ? this.entry[k]! : this.successors[from * b + k]!;
    }
    return 0;
  }
  /** @internal */
  get _requestBlocks(): number {
    return this.requestBlocks;
  }

  private pickDistinct(rng: RandomStream, self: number, out: Int32Array, at: number): void {
    const n = this.spec.phases.count;
    const b = this.spec.phases.branching;
    for (let k = 0; k < b; k++) {
      // Rejection sampling: n > b (checked), so a phase not yet taken always exists.
      let p = rng.int(0, n - 1);
      while (n > 1 && (p === self || out.subarray(at, at + k).includes(p))) p = rng.int(0, n - 1);
      out[at + k] = p;
    }
  }

  private area(name: "disk" | "memory"): { first: number; blocks: number } {
    const a = this.layout.areas.find((x) => x.name === name) ?? this.layout.areas[0]!;
    return { first: a.firstBlock, blocks: a.blockCount };
  }

  /** Files totalling `bytes` in an area, sizes log-normal around the mean file size. */
  private placeFiles(
    rng: RandomStream,
    bytes: number,
    where: "disk" | "memory",
    first: number[],
    blocks: number[],
  ): void {
    const area = this.area(where);
    const bs = this.spec.blockBytes;
    const rb = this.requestBlocks;
    const { mu, sigma } = logNormalParams(this.spec.phases.fileBytes, this.spec.phases.fileBytes);
    let left = Math.ceil(bytes / bs);
    while (left > 0) {
      let n = Math.max(1, Math.round(rng.logNormal(mu, sigma) / bs));
      n = Math.min(n, left, area.blocks);
      // Files start on a request boundary, as file systems align extents.
      const slots = Math.max(1, Math.floor((area.blocks - n) / rb) + 1);
      const start = area.first + rng.int(0, slots - 1) * rb;
      first.push(start);
      blocks.push(Math.min(n, area.first + area.blocks - start));
      left -= n;
    }
  }

  private placeBoot(rng: RandomStream): FileTable {
    const first: number[] = [];
    const blocks: number[] = [];
    const b = this.spec.boot;
    const memory = this.spec.memoryBytes > 0 ? b.bytes * b.memoryShare : 0;
    // Resuming reads the memory snapshot's hot pages first, then the disk's start-up files.
    if (memory > 0) this.placeFiles(rng, memory, "memory", first, blocks);
    if (b.bytes - memory > 0) this.placeFiles(rng, b.bytes - memory, "disk", first, blocks);
    return {
      offsets: Int32Array.of(0, first.length),
      first: Uint32Array.from(first),
      blocks: Uint32Array.from(blocks),
    };
  }

  private placePhases(rng: RandomStream): { table: FileTable; seconds: Float64Array } {
    const p = this.spec.phases;
    const n = p.count;
    const first: number[] = [];
    const blocks: number[] = [];
    const offsets = new Int32Array(n + 1);
    const seconds = new Float64Array(n);
    const size = logNormalParams(p.bytes, p.bytes / 2);
    const time = logNormalParams(p.seconds, p.seconds / 2);
    // The shared pool: files several phases read (libraries, common assets).
    const poolFirst: number[] = [];
    const poolBlocks: number[] = [];
    if (p.sharedShare > 0) {
      this.placeFiles(
        rng.stream("shared"),
        p.bytes * Math.max(1, n / 4),
        "disk",
        poolFirst,
        poolBlocks,
      );
    }
    for (let i = 0; i < n; i++) {
      offsets[i] = first.length;
      const r = rng.stream(`phase/${i}`);
      const bytes = r.logNormal(size.mu, size.sigma);
      seconds[i] = r.logNormal(time.mu, time.sigma);
      const memory = this.spec.memoryBytes > 0 ? bytes * p.memoryShare : 0;
      if (memory > 0) this.placeFiles(r, memory, "memory", first, blocks);
      const start = first.length;
      if (bytes - memory > 0) this.placeFiles(r, bytes - memory, "disk", first, blocks);
      // Replace a share of the disk files by files of the shared pool.
      if (poolFirst.length > 0) {
        for (let f = start; f < first.length; f++) {
          if (r.next() < p.sharedShare) {
            const k = r.int(0, poolFirst.length - 1);
            first[f] = poolFirst[k]!;
            blocks[f] = poolBlocks[k]!;
          }
        }
      }
    }
    offsets[n] = first.length;
    return {
      table: { offsets, first: Uint32Array.from(first), blocks: Uint32Array.from(blocks) },
      seconds,
    };
  }
}

/** Generates one session: the start phase, then phases along the user's branches. */
class SessionGenerator {
  private readonly builder = new TraceBuilder();
  private t = 0;
  private readonly noiseTimes: number[] = [];

  constructor(
    private readonly appliance: Appliance,
    private readonly rng: RandomStream,
  ) {}

  run(name: string): AccessTrace {
    const a = this.appliance;
    const spec = a.spec;
    const boot = a._boot();
    this.phase(boot, 0, spec.boot.seconds, 1, 0);
    const s = spec.sessions;
    // Geometric number of phases with mean s.phases (capped at 100× the mean).
    const cont = 1 - 1 / s.phases;
    const cap = Math.ceil(100 * s.phases);
    let current = -1;
    for (let j = 0; j < cap; j++) {
      if (j > 0 && !(this.rng.next() < cont)) break;
      if (s.thinkSeconds > 0) this.t += this.rng.exponential(1 / s.thinkSeconds);
      current = a._next(current, this.rng);
      const duration = a._phaseSeconds(current) * this.rng.uniform(0.75, 1.25);
      this.phase(a._phases(), current, duration, s.coverage, s.noise);
    }
    const leave = s.thinkSeconds > 0 ? this.rng.exponential(1 / s.thinkSeconds) : 0;
    return this.builder.build(name, a.layout, this.t + leave);
  }

  /** Reads the files of group `g` of `table` over `duration` seconds, plus noise. */
  private phase(
    table: FileTable,
    g: number,
    duration: number,
    coverage: number,
    noise: number,
  ): void {
    const rb = this.appliance._requestBlocks;
    const from = table.offsets[g]!;
    const to = table.offsets[g + 1]!;
    // Which files this session reads, and how many requests that makes.
    const chosen: number[] = [];
    let requests = 0;
    for (let f = from; f < to; f++) {
      if (coverage >= 1 || this.rng.next() < coverage) {
        chosen.push(f);
        requests += Math.ceil(table.blocks[f]! / rb);
      }
    }
    // Unpredictable reads: single requests anywhere on the disk, at random times in the phase.
    const noiseCount = noise > 0 ? Math.round(requests * noise * this.rng.uniform(0.5, 1.5)) : 0;
    const times = this.noiseTimes;
    times.length = 0;
    for (let k = 0; k < noiseCount; k++) times.push(this.t + this.rng.next() * duration);
    times.sort((x, y) => x - y);
    const disk = this.appliance.layout.areas[0]!;
    const gap = requests > 0 ? duration / requests : 0;
    let i = 0;
    let nk = 0;
    const emitNoiseUntil = (t: number): void => {
      while (nk < times.length && times[nk]! <= t) {
        const slots = Math.max(1, Math.floor((disk.blockCount - rb) / rb) + 1);
        const start = disk.firstBlock + this.rng.int(0, slots - 1) * rb;
        this.builder.push(times[nk]!, start, Math.min(rb, disk.blockCount));
        nk++;
      }
    };
    for (const f of chosen) {
      const first = table.first[f]!;
      const blocks = table.blocks[f]!;
      for (let off = 0; off < blocks; off += rb) {
        // Evenly spread with jitter; each time stays in its own slot, so times never go back.
        const t = this.t + gap * (i + 0.5 * this.rng.next());
        emitNoiseUntil(t);
        this.builder.push(t, first + off, Math.min(rb, blocks - off));
        i++;
      }
    }
    emitNoiseUntil(Number.POSITIVE_INFINITY);
    this.t += duration;
  }
}

/**
 * Builds a synthetic virtual appliance: its state layout and the structure of its sessions, from
 * a seed. Every parameter is optional ({@link APPLIANCE_DEFAULTS}).
 *
 * @param options - sizes, phases, users and seed.
 * @returns the appliance; generate sessions with `session(i)` or `sessions(from, count)`.
 * @throws {@link @vx/core!VxError} `VX_MIGRATION_BAD_STREAM_OPTIONS` listing every bad field with
 * its path (an unknown key, a size that is not a size, a memory snapshot not smaller than the
 * image, a block size that is not a power of two, a request size that is not a multiple of it,
 * more branches than other phases, …), before anything is built.
 * @example
 * ```ts
 * const appliance = createAppliance({ image: "8GiB", memory: "1GiB", seed: 7 });
 * const [first] = appliance.sessions(0, 1);
 * first!.durationSeconds; // VM seconds the user stayed
 * ```
 */
export function createAppliance(options: ApplianceOptions = {}): Appliance {
  const spec = parseWith(applianceSchema, options, {
    code: BAD_STREAM_OPTIONS,
    what: "appliance options",
  });
  return new Appliance(spec);
}
