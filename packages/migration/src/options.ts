/**
 * The options of a migration: the VM (memory image and how it gets dirty), the strategy and its
 * rules, fidelity, limits. Every field has a documented default; sizes, rates and durations take
 * numbers in base units or strings such as `"64GiB"`, `"10Gbps"`, `"300ms"`, `"5%"`.
 *
 * @module
 */
import { Gbps, GiB, KiB, Mbps, MiB, MiBps } from "@vx/core";
import type {
  Fidelity,
  ResolvedDirty,
  ResolvedPlan,
  ResolvedVm,
  StrategyName,
} from "./internal/resolved.js";
import { Issues, Reader } from "./internal/validate.js";
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
  /** The trace (see {@link parseDirtyTrace}, {@link readDirtyTrace}). */
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

const VM_KEYS = [
  "ram",
  "pageSize",
  "zeroPages",
  "freePages",
  "workingSet",
  "dirty",
  "vcpus",
  "cpuShare",
] as const;

function resolveDirty(value: unknown, vmReader: Reader): ResolvedDirty {
  const path = [...vmReader.path, "dirty"];
  const issues = vmReader.issues;
  if (value === undefined) return { model: "none" };
  const model =
    typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as { model?: unknown }).model
      : undefined;
  const models = ["none", "uniform", "scan", "hot-cold", "zipf", "cpu-coupled", "trace"] as const;
  if (typeof model !== "string" || !(models as readonly string[]).includes(model)) {
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      new Reader(value, path, issues, []);
    } else {
      issues.add(
        "VX_SCHEMA_INVALID_VALUE",
        `expected one of ${models.map((m) => `"${m}"`).join(", ")}, got ${model === undefined ? "nothing" : JSON.stringify(model)}`,
        [...path, "model"],
      );
    }
    return { model: "none" };
  }
  switch (model) {
    case "none":
      new Reader(value, path, issues, ["model"]);
      return { model: "none" };
    case "uniform":
    case "scan": {
      const r = new Reader(value, path, issues, ["model", "rate"]);
      if (!r.has("rate"))
        r.fail("rate", 'a dirty rate is required, e.g. "200MiB/s"', "VX_SCHEMA_INVALID_TYPE");
      return { model, rate: r.rate("rate", 1, { allowZero: false }) };
    }
    case "hot-cold": {
      const r = new Reader(value, path, issues, ["model", "rate", "hotShare"]);
      if (!r.has("rate"))
        r.fail("rate", 'a dirty rate is required, e.g. "200MiB/s"', "VX_SCHEMA_INVALID_TYPE");
      return {
        model,
        rate: r.rate("rate", 1, { allowZero: false }),
        hotShare: r.fraction("hotShare", 1, { max: 1 }),
      };
    }
    case "zipf": {
      const r = new Reader(value, path, issues, ["model", "rate", "exponent"]);
      if (!r.has("rate"))
        r.fail("rate", 'a write rate is required, e.g. "200MiB/s"', "VX_SCHEMA_INVALID_TYPE");
      return {
        model,
        rate: r.rate("rate", 1, { allowZero: false }),
        exponent: r.number("exponent", 1, 0, true),
      };
    }
    case "cpu-coupled": {
      const r = new Reader(value, path, issues, [
        "model",
        "intensity",
        "speedCap",
        "workingSetCap",
      ]);
      if (!r.has("intensity"))
        r.fail("intensity", 'the dirty intensity is required, e.g. "5%"', "VX_SCHEMA_INVALID_TYPE");
      if (!r.has("speedCap"))
        r.fail("speedCap", 'the speed cap is required, e.g. "1000MiB/s"', "VX_SCHEMA_INVALID_TYPE");
      return {
        model,
        intensity: r.fraction("intensity", 0, { max: 1 }),
        speedCap: r.rate("speedCap", 1, { allowZero: false }),
        capFraction: r.fraction("workingSetCap", 0.9, { max: 1 }),
      };
    }
    case "trace": {
      const r = new Reader(value, path, issues, ["model", "trace", "loop"]);
      const trace = r.raw("trace");
      const loop = r.bool("loop", true);
      if (!isTrace(trace)) {
        r.fail(
          "trace",
          "expected a DirtyTrace (from parseDirtyTrace or readDirtyTrace)",
          "VX_SCHEMA_INVALID_TYPE",
        );
        return { model: "none" };
      }
      trace.intervals.forEach((iv, i) => {
        const ip = ["trace", "intervals", i];
        if (!(iv.durationSeconds > 0 && Number.isFinite(iv.durationSeconds))) {
          issues.add(
            "VX_SCHEMA_OUT_OF_RANGE",
            `expected a duration > 0, got ${String(iv.durationSeconds)}`,
            [...path, ...ip, "durationSeconds"],
          );
        }
        if (iv.kind === "rate" && !(iv.bytesPerSecond >= 0 && Number.isFinite(iv.bytesPerSecond))) {
          issues.add(
            "VX_SCHEMA_OUT_OF_RANGE",
            `expected a rate ≥ 0, got ${String(iv.bytesPerSecond)}`,
            [...path, ...ip, "bytesPerSecond"],
          );
        }
      });
      return { model, trace, loop };
    }
    default:
      return { model: "none" };
  }
}

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

/**
 * Validates a VM description.
 *
 * @internal
 */
export function resolveVm(
  vm: unknown,
  issues: Issues,
  path: readonly (string | number)[],
): ResolvedVm {
  const r = new Reader(vm, path, issues, VM_KEYS);
  if (vm === undefined)
    r.fail(undefined, 'a VM is required, e.g. { ram: "4GiB" }', "VX_SCHEMA_INVALID_TYPE");
  if (r.ok && vm !== undefined && !r.has("ram")) {
    r.fail("ram", 'the RAM size is required, e.g. "4GiB"', "VX_SCHEMA_INVALID_TYPE");
  }
  const ramBytes = r.bytes("ram", GiB(1), { allowZero: false });
  const pageBytes = r.bytes("pageSize", KiB(4), { min: 512 });
  if (r.has("pageSize") && !isPowerOfTwo(pageBytes)) {
    r.fail(
      "pageSize",
      `expected a power of two such as 4KiB, 2MiB or 1GiB, got ${String(r.raw("pageSize"))}`,
      "VX_SCHEMA_OUT_OF_RANGE",
    );
  }
  const zeroFraction = r.fraction("zeroPages", 0, { max: 1 });
  const freeFraction = r.fraction("freePages", 0, { max: 1 });
  const workingSetBytes = r.bytes("workingSet", 0);
  if (zeroFraction + freeFraction + workingSetBytes / ramBytes > 1 + 1e-12) {
    r.fail(
      "workingSet",
      "zero pages, free pages and the working set are disjoint parts of RAM: together they must not exceed it",
      "VX_SCHEMA_OUT_OF_RANGE",
    );
  }
  const dirty = resolveDirty(r.raw("dirty"), r);
  if (dirty.model === "hot-cold" && workingSetBytes <= 0 && r.ok) {
    r.fail(
      "workingSet",
      "the hot-cold model needs a working set > 0 (the hot pages)",
      "VX_SCHEMA_OUT_OF_RANGE",
    );
  }
  const vcpus = r.int("vcpus", 1, 1, 4096);
  const cpuShare = r.fraction("cpuShare", 1, { max: 1 });
  const pages = Math.ceil(ramBytes / pageBytes);
  if (dirty.model === "trace") {
    dirty.trace.intervals.forEach((iv, i) => {
      if (iv.kind !== "pages") return;
      for (let k = 0; k < iv.pages.length; k++) {
        const p = iv.pages[k]!;
        if (!(Number.isInteger(p) && p >= 0 && p < pages)) {
          issues.add(
            "VX_SCHEMA_OUT_OF_RANGE",
            `page ${String(p)} is outside the VM's ${pages} pages`,
            [...path, "dirty", "trace", "intervals", i, "pages", k],
          );
          break;
        }
      }
    });
  }
  return {
    ramBytes,
    pageBytes,
    pages,
    zeroFraction,
    freeFraction,
    workingSetBytes,
    dirty,
    vcpus,
    cpuShare,
  };
}

function isPowerOfTwo(n: number): boolean {
  return Number.isInteger(n) && n > 0 && 2 ** Math.round(Math.log2(n)) === n;
}

const OPTION_KEYS = [
  "strategy",
  "fidelity",
  "seed",
  "rtt",
  "limits",
  "tick",
  "series",
  "roundBitmaps",
  "qemu",
  "xen",
  "simgrid",
  "cloudsim",
  "postcopy",
  "hybrid",
] as const;

/**
 * Validates migration options (all problems at once) and fills in every default.
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
  const resolvedVm = resolveVm(vm, issues, ["vm"]);
  const r = new Reader(options, [], issues, [...OPTION_KEYS, ...extraKeys]);
  if (options === undefined)
    r.fail(undefined, "options with a strategy are required", "VX_SCHEMA_INVALID_TYPE");
  if (r.ok && options !== undefined && !r.has("strategy")) {
    r.fail(
      "strategy",
      `a strategy is required: one of ${STRATEGIES.join(", ")}`,
      "VX_SCHEMA_INVALID_TYPE",
    );
  }
  const strategy = r.oneOf("strategy", STRATEGIES, "precopy-qemu");
  let fidelity = r.oneOf<Fidelity>("fidelity", ["fluid", "page"], "fluid");
  if (FLUID_ONLY_STRATEGIES.includes(strategy)) fidelity = "fluid";
  if (fidelity === "page" && resolvedVm.ramBytes % resolvedVm.pageBytes !== 0) {
    issues.add(
      "VX_SCHEMA_OUT_OF_RANGE",
      `at page fidelity the RAM must be a whole number of pages (${resolvedVm.pageBytes} B each)`,
      ["vm", "ram"],
    );
  }
  if (fidelity === "page" && resolvedVm.pages > 2 ** 31 - 1) {
    issues.add(
      "VX_SCHEMA_OUT_OF_RANGE",
      "at page fidelity a VM has at most 2^31 - 1 pages; use huge pages or fluid fidelity",
      ["vm", "ram"],
    );
  }
  const seedRaw = r.raw("seed");
  let seed: number | string = 1;
  if (seedRaw !== undefined) {
    if ((typeof seedRaw === "number" && Number.isFinite(seedRaw)) || typeof seedRaw === "string")
      seed = seedRaw;
    else r.fail("seed", "expected a finite number or a string", "VX_SCHEMA_INVALID_TYPE");
  }
  const rtt = r.has("rtt") ? r.duration("rtt", 0) : undefined;
  const tick = r.has("tick") ? r.duration("tick", 0.01, { allowZero: false }) : undefined;
  const series = r.bool("series", true);
  const roundBitmaps = r.bool("roundBitmaps", false);

  const limits = new Reader(r.raw("limits"), ["limits"], issues, ["maxTime", "maxRounds"]);
  const maxTime = limits.duration("maxTime", 86_400, { allowZero: false });
  const maxRounds = limits.int("maxRounds", 1000, 1, 10_000_000);

  const q = new Reader(r.raw("qemu"), ["qemu"], issues, [
    "downtimeLimit",
    "maxBandwidth",
    "autoConverge",
    "throttleInitial",
    "throttleIncrement",
    "throttleMax",
    "throttleTriggerThreshold",
    "syncInterval",
    "iterationPeriod",
    "xbzrle",
    "xbzrleCacheSize",
    "xbzrleDeltaRatio",
    "multifd",
    "multifdChannels",
    "streamRate",
    "zeroPageDetection",
    "zeroPageBytes",
    "freePageHinting",
  ]);
  const qemu = {
    downtimeLimit: q.duration("downtimeLimit", 0.3, { allowZero: false }),
    maxBandwidth: q.rate("maxBandwidth", MiBps(128), { allowZero: false }),
    autoConverge: q.bool("autoConverge", false),
    throttleInitial: q.fraction("throttleInitial", 0.2, { max: 0.99 }),
    throttleIncrement: q.fraction("throttleIncrement", 0.1, { max: 1 }),
    throttleMax: q.fraction("throttleMax", 0.99, { max: 0.99 }),
    throttleTrigger: q.fraction("throttleTriggerThreshold", 0.5, { allowZero: false, max: 1 }),
    syncInterval: q.duration("syncInterval", 1),
    iterationPeriod: q.duration("iterationPeriod", 0.1),
    xbzrle: q.bool("xbzrle", false),
    xbzrleCacheBytes: q.bytes("xbzrleCacheSize", MiB(64)),
    xbzrleDeltaRatio: q.fraction("xbzrleDeltaRatio", 0.25, { max: 1 }),
    multifd: q.bool("multifd", false),
    multifdChannels: q.int("multifdChannels", 2, 1, 256),
    streamRate: q.rate("streamRate", Gbps(10), { allowZero: false }),
    zeroPageDetection: q.bool("zeroPageDetection", true),
    zeroPageBytes: q.number("zeroPageBytes", 9, 0, false),
    freePageHinting: q.bool("freePageHinting", false),
  };
  if (qemu.xbzrle && qemu.multifd) {
    q.fail(
      "xbzrle",
      "xbzrle cannot be combined with multifd (QEMU refuses it); enable one of them",
      "VX_SCHEMA_INVALID_VALUE",
    );
  }

  const x = new Reader(r.raw("xen"), ["xen"], issues, [
    "initialRate",
    "maxRate",
    "rateIncrement",
    "maxIterations",
    "maxFactor",
    "stopPages",
    "skipRedirtied",
  ]);
  const xen = {
    initialRate: x.rate("initialRate", Mbps(100), { allowZero: false }),
    maxRate: x.rate("maxRate", Mbps(500), { allowZero: false }),
    rateIncrement: x.rate("rateIncrement", Mbps(50)),
    maxIterations: x.int("maxIterations", 30, 1, 1_000_000),
    maxFactor: x.number("maxFactor", 3, 0, true),
    stopPages: x.int("stopPages", 50, 0),
    skipRedirtied: x.bool("skipRedirtied", true),
  };
  if (xen.maxRate < xen.initialRate) {
    x.fail(
      "maxRate",
      "the maximum rate must be at least the initial rate",
      "VX_SCHEMA_OUT_OF_RANGE",
    );
  }

  const s = new Reader(r.raw("simgrid"), ["simgrid"], issues, ["speedCap", "maxDowntime"]);
  const dirty = resolvedVm.dirty;
  const simgrid = {
    speedCap: s.has("speedCap")
      ? s.rate("speedCap", Number.POSITIVE_INFINITY, { allowZero: false })
      : dirty.model === "cpu-coupled"
        ? dirty.speedCap
        : Number.POSITIVE_INFINITY,
    maxDowntime: s.duration("maxDowntime", 0.03, { allowZero: false }),
  };

  const c = new Reader(r.raw("cloudsim"), ["cloudsim"], issues, ["bandwidthShare", "cpuLoss"]);
  const cloudsim = {
    bandwidthShare: c.fraction("bandwidthShare", 0.5, { allowZero: false, max: 1 }),
    cpuLoss: c.fraction("cpuLoss", 0.1, { max: 1 }),
  };

  const p = new Reader(r.raw("postcopy"), ["postcopy"], issues, [
    "maxBandwidth",
    "recovery",
    "prepaging",
    "accessFactor",
    "cpuStateBytes",
  ]);
  const postcopy = {
    maxBandwidth: p.rate("maxBandwidth", Number.POSITIVE_INFINITY, { allowZero: false }),
    recovery: p.bool("recovery", false),
    prepaging: p.bool("prepaging", true),
    accessFactor: p.number("accessFactor", 1, 0, false),
    cpuStateBytes: p.bytes("cpuStateBytes", 0),
  };

  const h = new Reader(r.raw("hybrid"), ["hybrid"], issues, ["precopyRounds"]);
  const hybridRounds = h.int("precopyRounds", 1, 1, 1_000_000);

  issues.throwIfAny("migration options");
  return {
    strategy,
    fidelity,
    seed,
    rtt,
    maxTime,
    maxRounds,
    tick,
    series,
    roundBitmaps,
    vm: resolvedVm,
    qemu,
    xen,
    simgrid,
    cloudsim,
    postcopy,
    hybridRounds,
  };
}
