/**
 * The options of a migration: the VM (memory image and how it gets dirty), the strategy and its
 * rules, fidelity, limits. Every field has a documented default; sizes, rates and durations take
 * numbers in base units or strings such as `"64GiB"`, `"10Gbps"`, `"300ms"`, `"5%"`.
 *
 * @module
 */
import {
  bytesSchema,
  durationSchema,
  percentSchema,
  rateSchema,
  type VxIssue,
  type VxPath,
} from "@vx/core";
import { z } from "zod";
import {
  CLOUDSIM_DEFAULTS,
  HYBRID_DEFAULTS,
  LIMIT_DEFAULTS,
  MAX_ROUNDS_LIMIT,
  MIGRATION_DEFAULTS,
  POSTCOPY_DEFAULTS,
  QEMU_DEFAULTS,
  SIMGRID_DEFAULTS,
  VM_DEFAULTS,
  XEN_DEFAULTS,
} from "./defaults.js";
import type {
  Fidelity,
  ResolvedDirty,
  ResolvedPlan,
  ResolvedVm,
  StrategyName,
} from "./internal/resolved.js";
import { addVxIssue, Issues, omitKeys } from "./internal/validate.js";
import type { DirtyTrace } from "./trace.js";

export type { Fidelity, StrategyName };

/** A size: bytes, or a string such as `"64GiB"`. */
export type BytesInput = number | string;
/** A rate: bytes per second, or a string such as `"10Gbps"` or `"128MiB/s"`. */
export type RateInput = number | string;
/** A duration: seconds, or a string such as `"300ms"`. */
export type DurationInput = number | string;
/** A fraction: a number in [0, 1], or a string such as `"5%"`. */
export type FractionInput = number | string;

/** Every strategy, in the order `vx migrate --strategy all` shows them. */
export const STRATEGIES: readonly StrategyName[] = [
  "precopy-qemu",
  "precopy-xen",
  "precopy-simgrid",
  "cloudsim",
  "postcopy",
  "hybrid",
  "postcopy-enlightened",
  "analytic",
];

/** Strategies that have no page-level model (a page-level request runs them at fluid level). */
export const FLUID_ONLY_STRATEGIES: readonly StrategyName[] = [
  "precopy-simgrid",
  "cloudsim",
  "analytic",
];

/** No dirtying: an idle guest. */
export interface NoDirtying {
  /** Always `"none"`. */
  readonly model: "none";
}

/**
 * Uniform dirtying: distinct pages become dirty at `rate` bytes per second, spread over all the
 * guest's pages except its free pages, until every page is dirty (the "dirty rate" QEMU and the
 * closed-form models use: bytes found dirty per second of the round).
 */
export interface UniformDirtying {
  /** Always `"uniform"`. */
  readonly model: "uniform";
  /** Bytes of distinct pages dirtied per second (> 0). */
  readonly rate: RateInput;
}

/** Sequential scan: a pointer sweeps the guest's pages in address order at `rate`, wrapping around. */
export interface ScanDirtying {
  /** Always `"scan"`. */
  readonly model: "scan";
  /** Bytes swept per second (> 0). */
  readonly rate: RateInput;
}

/**
 * Hot/cold: the writable working set (`VmOptions.workingSet`, which must be > 0) receives
 * `hotShare` of the dirtying, the other pages the rest; each part saturates when all its pages
 * are dirty. With `hotShare` 1 this is the WWS model of Akoush et al. (MASCOTS 2010):
 * dirty bytes after `t` seconds = `min(rate·t, W)`.
 */
export interface HotColdDirtying {
  /** Always `"hot-cold"`. */
  readonly model: "hot-cold";
  /** Bytes of distinct pages dirtied per second (> 0). */
  readonly rate: RateInput;
  /** Share of the dirtying that goes to the working set. Default 1 (all of it, as in the WWS model). */
  readonly hotShare?: FractionInput;
}

/**
 * Zipf: page writes at `rate` (bytes per second of writes), each landing on a page drawn with
 * probability ∝ rank^-exponent (ranks scattered over the guest's pages by a seeded permutation).
 * Rewrites of a page already dirty add nothing, so distinct dirty bytes grow sublinearly.
 */
export interface ZipfDirtying {
  /** Always `"zipf"`. */
  readonly model: "zipf";
  /** Page writes per second, in bytes (> 0). */
  readonly rate: RateInput;
  /** Zipf exponent (> 0). Default 1. */
  readonly exponent?: number;
}

/**
 * CPU-coupled, as SimGrid does (Hirofuchi et al., IEEE TCC 2015; SimGrid
 * `src/plugins/vm/dirty_page_tracking.cpp`): bytes dirtied ∝ the CPU work the VM actually
 * executes: a fully busy vCPU dirties `intensity × speedCap` bytes per second, a VM given half a
 * core half as much, an idle VM nothing. Bytes dirtied per round are capped at
 * `workingSetCap × RAM`.
 */
export interface CpuCoupledDirtying {
  /** Always `"cpu-coupled"`. */
  readonly model: "cpu-coupled";
  /** Dirty-page intensity: the share of `speedCap` a busy vCPU dirties per second, in [0, 1]. */
  readonly intensity: FractionInput;
  /** The migration speed cap the intensity refers to (> 0), e.g. `"1000MiB/s"`. */
  readonly speedCap: RateInput;
  /** Cap of the bytes dirtied per round, as a share of RAM. Default 0.9 (SimGrid's `sg_vm_create_migratable`). */
  readonly workingSetCap?: FractionInput;
}

/** Trace replay: the intervals of a {@link DirtyTrace}, from the start of the migration. */
export interface TraceDirtying {
  /** Always `"trace"`. */
  readonly model: "trace";
  /** The trace (see {@link parseDirtyTrace}, or `readDirtyTrace` of `@vx/migration/node`). */
  readonly trace: DirtyTrace;
  /** Start over at the end of the trace. Default true (otherwise the guest goes idle). */
  readonly loop?: boolean;
}

/** How the guest dirties its memory. */
export type DirtyModelOptions =
  | NoDirtying
  | UniformDirtying
  | ScanDirtying
  | HotColdDirtying
  | ZipfDirtying
  | CpuCoupledDirtying
  | TraceDirtying;

/** The VM to migrate: its memory image and how it dirties it. */
export interface VmOptions {
  /** RAM size (> 0). At page fidelity it must be a whole number of pages. */
  readonly ram: BytesInput;
  /** Page size: 4 KiB (default), or huge pages of 2 MiB or 1 GiB (any power of two ≥ 512 B). */
  readonly pageSize?: BytesInput;
  /** Share of RAM in zero pages at the start (sent as a flag by QEMU). Default 0. */
  readonly zeroPages?: FractionInput;
  /** Share of RAM the guest knows is free (never sent by enlightened post-copy). Default 0. */
  readonly freePages?: FractionInput;
  /** The (writable) working set: the pages the guest keeps using. Default 0. */
  readonly workingSet?: BytesInput;
  /** How the guest dirties its memory. Default `{ model: "none" }` (idle). */
  readonly dirty?: DirtyModelOptions;
  /** Virtual CPUs (integer ≥ 1). Default 1. */
  readonly vcpus?: number;
  /**
   * Share of its vCPUs the VM executes, when no {@link GuestCpu} is attached (CPU-coupled
   * dirtying scales with it). Default 1.
   */
  readonly cpuShare?: FractionInput;
}

/**
 * QEMU pre-copy rules (QEMU `migration/`, defaults of QEMU 5.2 and later; see
 * docs/migration/precopy-qemu.md).
 */
export interface QemuOptions {
  /** `downtime-limit`: the switch-over test's target downtime. Default 300 ms. */
  readonly downtimeLimit?: DurationInput;
  /** `max-bandwidth`: rate cap of the pre-copy stream. Default 128 MiB/s (32 MiB/s before QEMU 5.2). */
  readonly maxBandwidth?: RateInput;
  /** The `auto-converge` capability: throttle the vCPUs when dirtying outpaces the transfer. Default false. */
  readonly autoConverge?: boolean;
  /** `cpu-throttle-initial`. Default 20 %. */
  readonly throttleInitial?: FractionInput;
  /** `cpu-throttle-increment`. Default 10 %. */
  readonly throttleIncrement?: FractionInput;
  /** `max-cpu-throttle`. Default 99 %. */
  readonly throttleMax?: FractionInput;
  /** `throttle-trigger-threshold`: dirtied/transferred ratio that counts as too fast. Default 50 %. */
  readonly throttleTriggerThreshold?: FractionInput;
  /** Minimum time between two throttle checks (QEMU checks at bitmap syncs at least 1 s apart). Default 1 s. */
  readonly syncInterval?: DurationInput;
  /** Shortest window over which the bandwidth of the switch-over test is measured. Default 100 ms (QEMU's `BUFFER_DELAY`). */
  readonly iterationPeriod?: DurationInput;
  /** The `xbzrle` capability: delta-encode re-sent pages found in a source-side cache. Default false. */
  readonly xbzrle?: boolean;
  /** `xbzrle-cache-size`. Default 64 MiB. */
  readonly xbzrleCacheSize?: BytesInput;
  /** Size of an XBZRLE delta as a share of the page (inferred: workload dependent). Default 25 %. */
  readonly xbzrleDeltaRatio?: FractionInput;
  /** The `multifd` capability: parallel channels (not with xbzrle). Default false. */
  readonly multifd?: boolean;
  /** `multifd-channels`. Default 2. */
  readonly multifdChannels?: number;
  /**
   * Throughput of one migration stream when its thread is CPU-bound (inferred: a single stream
   * is commonly reported to top out near 10 Gbit/s). Default 10 Gbit/s.
   */
  readonly streamRate?: RateInput;
  /** Send zero pages as a flag. Default true (QEMU always detects them). */
  readonly zeroPageDetection?: boolean;
  /** Bytes sent for a zero page: QEMU's 8-byte page header plus a 1-byte fill value. Default 9. */
  readonly zeroPageBytes?: number;
  /** virtio-balloon free page hinting: skip the guest's free pages in the first round. Default false. */
  readonly freePageHinting?: boolean;
}

/** Legacy Xen pre-copy rules (Clark et al., NSDI 2005; `tools/libxc/xc_domain_save.c`). */
export interface XenOptions {
  /** Rate of the first round. Default 100 Mbit/s. */
  readonly initialRate?: RateInput;
  /** Highest rate. Default 500 Mbit/s. */
  readonly maxRate?: RateInput;
  /** Added to the previous round's dirty rate. Default 50 Mbit/s. */
  readonly rateIncrement?: RateInput;
  /** Pre-copy rounds before stop-and-copy. Default 30. */
  readonly maxIterations?: number;
  /** Stop once more than `maxFactor × RAM` has been sent. Default 3. */
  readonly maxFactor?: number;
  /** Stop when fewer pages than this are left to send. Default 50. */
  readonly stopPages?: number;
  /** Skip pages dirtied again during the current round. Default true. */
  readonly skipRedirtied?: boolean;
}

/** SimGrid-compatible pre-copy (SimGrid `src/plugins/vm/VmLiveMigration.cpp`). */
export interface SimGridOptions {
  /**
   * Migration speed cap (`sg_vm_set_migration_speed`). Default: the `speedCap` of a
   * `cpu-coupled` dirtying model if there is one, else no cap.
   */
  readonly speedCap?: RateInput;
  /** Target downtime: SimGrid hard-codes 30 ms. Default 30 ms. */
  readonly maxDowntime?: DurationInput;
}

/** CloudSim / CloudSim Plus migration model (`PowerVmAllocationPolicyMigrationAbstract`). */
export interface CloudSimOptions {
  /** Share of the host bandwidth a migration uses. Default 50 %. */
  readonly bandwidthShare?: FractionInput;
  /** CPU the VM loses while it migrates (charged as PDM). Default 10 %. */
  readonly cpuLoss?: FractionInput;
}

/** Post-copy (Hines & Gopalan, VEE 2009; QEMU `postcopy-ram`), also used by hybrid and enlightened post-copy. */
export interface PostcopyOptions {
  /** Rate cap of the post-copy phase (`max-postcopy-bandwidth`). Default none. */
  readonly maxBandwidth?: RateInput;
  /** `postcopy-recovery`: a network failure pauses the migration instead of losing the VM. Default false. */
  readonly recovery?: boolean;
  /** Pre-paging: the background push restarts from the faulting address. Default true. */
  readonly prepaging?: boolean;
  /** Distinct page touches per distinct page dirtied (reads as well as writes). Default 1. */
  readonly accessFactor?: number;
  /** CPU and device state sent while the VM is stopped. Default 0 B. */
  readonly cpuStateBytes?: BytesInput;
}

/** Hybrid migration: a few pre-copy rounds (QEMU rules), then post-copy. */
export interface HybridOptions {
  /** Pre-copy rounds before switching to post-copy (Hines & Gopalan use one). Default 1. */
  readonly precopyRounds?: number;
}

/** Caps that make every migration end. */
export interface LimitOptions {
  /** Give up (`did-not-converge`) after this long. Default 1 day. */
  readonly maxTime?: DurationInput;
  /** Give up after this many pre-copy rounds. Default 1000. */
  readonly maxRounds?: number;
}

/** What to migrate and how. */
export interface MigrationOptions {
  /** The strategy. */
  readonly strategy: StrategyName;
  /** `"fluid"` (byte counts, default) or `"page"` (bitmaps over the pages). */
  readonly fidelity?: Fidelity;
  /** Seed of the page layout and the random page choices. Default 1. */
  readonly seed?: number | string;
  /** Round-trip time of a post-copy page fault. Default twice the route's latency. */
  readonly rtt?: DurationInput;
  /** Caps that make a non-converging migration end. */
  readonly limits?: LimitOptions;
  /** Step of the in-round model (page level, Xen's skip rule, post-copy faults). Default: 1/200 of the round, 1 ms to 100 ms. */
  readonly tick?: DurationInput;
  /** Record a time series for charts. Default true. */
  readonly series?: boolean;
  /** Page level: keep the bitmap of the pages sent in each round. Default false. */
  readonly roundBitmaps?: boolean;
  /**
   * Rounds the result lists one by one, an integer in [0, 100000]: the first `⌈n/2⌉` and the last
   * `⌊n/2⌋` rounds are listed, the ones between are summed in `omittedRounds`. `0` lists none
   * (every round is summed; `roundCount` still counts them): what a storm of thousands of
   * migrations whose rounds are not read wants, since a round record is an object per round in
   * every result. Default 1000 (`ROUND_RECORDS_KEPT`).
   */
  readonly roundRecords?: number;
  /** QEMU pre-copy rules (also the pre-copy phase of `hybrid`, and the rates of `analytic`). */
  readonly qemu?: QemuOptions;
  /** Legacy Xen rules. */
  readonly xen?: XenOptions;
  /** SimGrid-compatible rules. */
  readonly simgrid?: SimGridOptions;
  /** CloudSim rules. */
  readonly cloudsim?: CloudSimOptions;
  /** Post-copy rules. */
  readonly postcopy?: PostcopyOptions;
  /** Hybrid rules. */
  readonly hybrid?: HybridOptions;
}

// ---- schemas ------------------------------------------------------------------------------------
// One zod schema per options object; defaults come from the constants of ./defaults.ts.

const fraction = (): z.ZodType<number, number | string> => percentSchema({ max: 1 });
const OUT_OF_RANGE = "VX_SCHEMA_OUT_OF_RANGE";

const requiredRate = rateSchema({ allowZero: false });

const traceSchema = z.custom<DirtyTrace>(isTrace, {
  message: "expected a DirtyTrace (from parseDirtyTrace or readDirtyTrace)",
});

const dirtySchema = z.discriminatedUnion("model", [
  z.strictObject({ model: z.literal("none") }),
  z.strictObject({ model: z.literal("uniform"), rate: requiredRate }),
  z.strictObject({ model: z.literal("scan"), rate: requiredRate }),
  z.strictObject({
    model: z.literal("hot-cold"),
    rate: requiredRate,
    hotShare: fraction().default(VM_DEFAULTS.hotShare),
  }),
  z.strictObject({
    model: z.literal("zipf"),
    rate: requiredRate,
    exponent: z.number().gt(0).default(VM_DEFAULTS.zipfExponent),
  }),
  z.strictObject({
    model: z.literal("cpu-coupled"),
    intensity: fraction(),
    speedCap: requiredRate,
    workingSetCap: fraction().default(VM_DEFAULTS.workingSetCap),
  }),
  z
    .strictObject({
      model: z.literal("trace"),
      trace: traceSchema,
      loop: z.boolean().default(VM_DEFAULTS.traceLoop),
    })
    .superRefine((d, ctx) => {
      d.trace.intervals.forEach((iv, i) => {
        const ip = ["trace", "intervals", i];
        if (!(iv.durationSeconds > 0 && Number.isFinite(iv.durationSeconds))) {
          addVxIssue(
            ctx,
            OUT_OF_RANGE,
            `expected a duration > 0, got ${String(iv.durationSeconds)}`,
            [...ip, "durationSeconds"],
            iv.durationSeconds,
          );
        }
        if (iv.kind === "rate" && !(iv.bytesPerSecond >= 0 && Number.isFinite(iv.bytesPerSecond))) {
          addVxIssue(
            ctx,
            OUT_OF_RANGE,
            `expected a rate ≥ 0, got ${String(iv.bytesPerSecond)}`,
            [...ip, "bytesPerSecond"],
            iv.bytesPerSecond,
          );
        }
      });
    }),
]);

const vmSchema = z
  .strictObject({
    ram: bytesSchema({ allowZero: false }),
    pageSize: bytesSchema({ min: 512 })
      .refine(isPowerOfTwo, {
        message: "expected a power of two such as 4KiB, 2MiB or 1GiB",
        params: { vxCode: OUT_OF_RANGE },
      })
      .default(VM_DEFAULTS.pageSize),
    zeroPages: fraction().default(VM_DEFAULTS.zeroPages),
    freePages: fraction().default(VM_DEFAULTS.freePages),
    workingSet: bytesSchema().default(VM_DEFAULTS.workingSet),
    dirty: dirtySchema.prefault({ model: "none" }),
    vcpus: z.int().min(1).max(4096).default(VM_DEFAULTS.vcpus),
    cpuShare: fraction().default(VM_DEFAULTS.cpuShare),
  })
  .superRefine((v, ctx) => {
    if (v.zeroPages + v.freePages + v.workingSet / v.ram > 1 + 1e-12) {
      addVxIssue(
        ctx,
        OUT_OF_RANGE,
        "zero pages, free pages and the working set are disjoint parts of RAM: together they must not exceed it",
        ["workingSet"],
        v.workingSet,
      );
    }
    if (v.dirty.model === "hot-cold" && v.workingSet <= 0) {
      addVxIssue(
        ctx,
        OUT_OF_RANGE,
        "the hot-cold model needs a working set > 0 (the hot pages)",
        ["workingSet"],
        v.workingSet,
      );
    }
    if (v.dirty.model === "trace") {
      const pages = Math.ceil(v.ram / v.pageSize);
      v.dirty.trace.intervals.forEach((iv, i) => {
        if (iv.kind !== "pages") return;
        for (let k = 0; k < iv.pages.length; k++) {
          const p = iv.pages[k]!;
          if (!(Number.isInteger(p) && p >= 0 && p < pages)) {
            addVxIssue(
              ctx,
              OUT_OF_RANGE,
              `page ${String(p)} is outside the VM's ${pages} pages`,
              ["dirty", "trace", "intervals", i, "pages", k],
              p,
            );
            break;
          }
        }
      });
    }
  })
  .transform((v): ResolvedVm => {
    const d = v.dirty;
    let dirty: ResolvedDirty;
    switch (d.model) {
      case "cpu-coupled":
        dirty = {
          model: d.model,
          intensity: d.intensity,
          speedCap: d.speedCap,
          capFraction: d.workingSetCap,
        };
        break;
      default:
        dirty = d;
    }
    return {
      ramBytes: v.ram,
      pageBytes: v.pageSize,
      pages: Math.ceil(v.ram / v.pageSize),
      zeroFraction: v.zeroPages,
      freeFraction: v.freePages,
      workingSetBytes: v.workingSet,
      dirty,
      vcpus: v.vcpus,
      cpuShare: v.cpuShare,
    };
  });

function isTrace(value: unknown): value is DirtyTrace {
  if (typeof value !== "object" || value === null) return false;
  const intervals = (value as { intervals?: unknown }).intervals;
  if (!Array.isArray(intervals) || intervals.length === 0) return false;
  return intervals.every(
    (iv: unknown) =>
      typeof iv === "object" &&
      iv !== null &&
      (((iv as { kind?: unknown }).kind === "rate" &&
        typeof (iv as { bytesPerSecond?: unknown }).bytesPerSecond === "number") ||
        ((iv as { kind?: unknown }).kind === "pages" &&
          (Array.isArray((iv as { pages?: unknown }).pages) ||
            (iv as { pages?: unknown }).pages instanceof Uint32Array))) &&
      typeof (iv as { durationSeconds?: unknown }).durationSeconds === "number",
  );
}

function isPowerOfTwo(n: number): boolean {
  return Number.isInteger(n) && n > 0 && 2 ** Math.round(Math.log2(n)) === n;
}

const Q = QEMU_DEFAULTS;
const qemuSchema = z
  .strictObject({
    downtimeLimit: durationSchema({ allowZero: false }).default(Q.downtimeLimit),
    maxBandwidth: rateSchema({ allowZero: false }).default(Q.maxBandwidth),
    autoConverge: z.boolean().default(Q.autoConverge),
    throttleInitial: percentSchema({ max: 0.99 }).default(Q.throttleInitial),
    throttleIncrement: fraction().default(Q.throttleIncrement),
    throttleMax: percentSchema({ max: 0.99 }).default(Q.throttleMax),
    throttleTriggerThreshold: percentSchema({ allowZero: false, max: 1 }).default(
      Q.throttleTriggerThreshold,
    ),
    syncInterval: durationSchema().default(Q.syncInterval),
    iterationPeriod: durationSchema().default(Q.iterationPeriod),
    xbzrle: z.boolean().default(Q.xbzrle),
    xbzrleCacheSize: bytesSchema().default(Q.xbzrleCacheSize),
    xbzrleDeltaRatio: fraction().default(Q.xbzrleDeltaRatio),
    multifd: z.boolean().default(Q.multifd),
    multifdChannels: z.int().min(1).max(256).default(Q.multifdChannels),
    streamRate: rateSchema({ allowZero: false }).default(Q.streamRate),
    zeroPageDetection: z.boolean().default(Q.zeroPageDetection),
    zeroPageBytes: z.number().min(0).default(Q.zeroPageBytes),
    freePageHinting: z.boolean().default(Q.freePageHinting),
  })
  .superRefine((q, ctx) => {
    if (q.xbzrle && q.multifd) {
      addVxIssue(
        ctx,
        "VX_SCHEMA_INVALID_VALUE",
        "xbzrle cannot be combined with multifd (QEMU refuses it); enable one of them",
        ["xbzrle"],
        q.xbzrle,
      );
    }
  })
  .prefault({});

const X = XEN_DEFAULTS;
const xenSchema = z
  .strictObject({
    initialRate: rateSchema({ allowZero: false }).default(X.initialRate),
    maxRate: rateSchema({ allowZero: false }).default(X.maxRate),
    rateIncrement: rateSchema().default(X.rateIncrement),
    maxIterations: z.int().min(1).max(MAX_ROUNDS_LIMIT).default(X.maxIterations),
    maxFactor: z.number().gt(0).default(X.maxFactor),
    stopPages: z.int().min(0).default(X.stopPages),
    skipRedirtied: z.boolean().default(X.skipRedirtied),
  })
  .superRefine((x, ctx) => {
    if (x.maxRate < x.initialRate) {
      addVxIssue(
        ctx,
        OUT_OF_RANGE,
        "the maximum rate must be at least the initial rate",
        ["maxRate"],
        x.maxRate,
      );
    }
  })
  .prefault({});

const simgridSchema = z
  .strictObject({
    speedCap: rateSchema({ allowZero: false }).optional(),
    maxDowntime: durationSchema({ allowZero: false }).default(SIMGRID_DEFAULTS.maxDowntime),
  })
  .prefault({});

const cloudsimSchema = z
  .strictObject({
    bandwidthShare: percentSchema({ allowZero: false, max: 1 }).default(
      CLOUDSIM_DEFAULTS.bandwidthShare,
    ),
    cpuLoss: fraction().default(CLOUDSIM_DEFAULTS.cpuLoss),
  })
  .prefault({});

const P = POSTCOPY_DEFAULTS;
const postcopySchema = z
  .strictObject({
    maxBandwidth: rateSchema({ allowZero: false }).optional(),
    recovery: z.boolean().default(P.recovery),
    prepaging: z.boolean().default(P.prepaging),
    accessFactor: z.number().min(0).default(P.accessFactor),
    cpuStateBytes: bytesSchema().default(P.cpuStateBytes),
  })
  .prefault({});

const limitsSchema = z
  .strictObject({
    maxTime: durationSchema({ allowZero: false }).default(LIMIT_DEFAULTS.maxTime),
    maxRounds: z
      .int()
      .min(1)
      .refine((n) => n <= MAX_ROUNDS_LIMIT, {
        message: `expected at most ${MAX_ROUNDS_LIMIT} rounds: a pre-copy that has not converged after that many never will (raise limits.maxTime for a longer watch)`,
        params: { vxCode: OUT_OF_RANGE },
      })
      .default(LIMIT_DEFAULTS.maxRounds),
  })
  .prefault({});

/** The fields of {@link MigrationOptions}, in the order their problems are listed. */
const optionsShape = {
  strategy: z.enum(STRATEGIES as unknown as readonly [StrategyName, ...StrategyName[]]),
  fidelity: z.enum(["fluid", "page"]).default(MIGRATION_DEFAULTS.fidelity),
  seed: z.union([z.number(), z.string()]).default(MIGRATION_DEFAULTS.seed),
  rtt: durationSchema().optional(),
  limits: limitsSchema,
  tick: durationSchema({ allowZero: false }).optional(),
  series: z.boolean().default(MIGRATION_DEFAULTS.series),
  roundBitmaps: z.boolean().default(MIGRATION_DEFAULTS.roundBitmaps),
  roundRecords: z.int().min(0).max(MAX_ROUNDS_LIMIT).default(MIGRATION_DEFAULTS.roundRecords),
  qemu: qemuSchema,
  xen: xenSchema,
  simgrid: simgridSchema,
  cloudsim: cloudsimSchema,
  postcopy: postcopySchema,
  hybrid: z
    .strictObject({
      precopyRounds: z.int().min(1).max(MAX_ROUNDS_LIMIT).default(HYBRID_DEFAULTS.precopyRounds),
    })
    .prefault({}),
};

const optionsSchema = z.strictObject(optionsShape);

/**
 * Validates a VM description into `issues` (paths under `path`).
 *
 * @internal
 */
export function resolveVm(vm: unknown, issues: Issues, path: VxPath): ResolvedVm | undefined {
  return issues.parse(vmSchema, vm, path);
}

/**
 * Validates migration options (all problems at once, the VM's first) and fills in every default.
 *
 * @param vm - the VM.
 * @param options - the options.
 * @param extraKeys - further top-level keys the caller reads itself (e.g. `link`).
 * @returns the resolved plan.
 * @throws {@link VxError} `VX_MIGRATION_BAD_OPTIONS`.
 * @internal
 */
export function resolvePlan(
  vm: unknown,
  options: unknown,
  extraKeys: readonly string[] = [],
): ResolvedPlan {
  const issues = new Issues();
  const plan = collectPlan(vm, options, extraKeys, issues);
  issues.throwIfAny("migration options");
  return plan!;
}

/**
 * As {@link resolvePlan}, collecting the problems in `issues` instead of throwing.
 *
 * @internal
 */
export function collectPlan(
  vm: unknown,
  options: unknown,
  extraKeys: readonly string[],
  issues: Issues,
): ResolvedPlan | undefined {
  const before = issues.list.length;
  const resolvedVm = resolveVm(vm, issues, ["vm"]);
  const o = issues.parse(optionsSchema, omitKeys(options, extraKeys));
  if (resolvedVm === undefined || o === undefined) return undefined;
  let fidelity: Fidelity = o.fidelity;
  if (FLUID_ONLY_STRATEGIES.includes(o.strategy)) fidelity = "fluid";
  const pageIssues: VxIssue[] = [];
  if (fidelity === "page" && resolvedVm.ramBytes % resolvedVm.pageBytes !== 0) {
    pageIssues.push({
      code: OUT_OF_RANGE,
      message: `at page fidelity the RAM must be a whole number of pages (${resolvedVm.pageBytes} B each)`,
      path: ["vm", "ram"],
    });
  }
  if (fidelity === "page" && resolvedVm.pages > 2 ** 31 - 1) {
    pageIssues.push({
      code: OUT_OF_RANGE,
      message: "at page fidelity a VM has at most 2^31 - 1 pages; use huge pages or fluid fidelity",
      path: ["vm", "ram"],
    });
  }
  for (const issue of pageIssues) issues.list.push(issue);
  if (issues.list.length > before) return undefined;
  const dirty = resolvedVm.dirty;
  return {
    strategy: o.strategy,
    fidelity,
    seed: o.seed,
    rtt: o.rtt,
    maxTime: o.limits.maxTime,
    maxRounds: o.limits.maxRounds,
    tick: o.tick,
    series: o.series,
    roundBitmaps: o.roundBitmaps,
    roundRecords: o.roundRecords,
    vm: resolvedVm,
    qemu: o.qemu,
    xen: o.xen,
    simgrid: {
      speedCap:
        o.simgrid.speedCap ??
        (dirty.model === "cpu-coupled" ? dirty.speedCap : SIMGRID_DEFAULTS.speedCap),
      maxDowntime: o.simgrid.maxDowntime,
    },
    cloudsim: o.cloudsim,
    postcopy: { ...o.postcopy, maxBandwidth: o.postcopy.maxBandwidth ?? P.maxBandwidth },
    hybridRounds: o.hybrid.precopyRounds,
  };
}
