/**
 * Every default of `@vx/migration`, once: the option schemas fill missing fields from these
 * constants, and help texts and docs read them. Values are in base units (bytes, bytes per
 * second, seconds, fractions); the field names are those of the options they fill.
 *
 * @module
 */
import { Gbps, KiB, Mbps, MiB, MiBps } from "@vx/core";

/** QEMU pre-copy rules, resolved (base units). See {@link QemuOptions} for each field. */
export interface QemuSettings {
  /** `downtime-limit`, seconds. */
  readonly downtimeLimit: number;
  /** `max-bandwidth`, bytes per second. */
  readonly maxBandwidth: number;
  /** The `auto-converge` capability. */
  readonly autoConverge: boolean;
  /** `cpu-throttle-initial`, a fraction. */
  readonly throttleInitial: number;
  /** `cpu-throttle-increment`, a fraction. */
  readonly throttleIncrement: number;
  /** `max-cpu-throttle`, a fraction. */
  readonly throttleMax: number;
  /** `throttle-trigger-threshold`, a fraction. */
  readonly throttleTriggerThreshold: number;
  /** Minimum time between two throttle checks, seconds. */
  readonly syncInterval: number;
  /** Shortest bandwidth-measurement window of the switch-over test, seconds. */
  readonly iterationPeriod: number;
  /** The `xbzrle` capability. */
  readonly xbzrle: boolean;
  /** `xbzrle-cache-size`, bytes. */
  readonly xbzrleCacheSize: number;
  /** Size of an XBZRLE delta as a share of the page. */
  readonly xbzrleDeltaRatio: number;
  /** The `multifd` capability. */
  readonly multifd: boolean;
  /** `multifd-channels`. */
  readonly multifdChannels: number;
  /** Throughput of one CPU-bound migration stream, bytes per second. */
  readonly streamRate: number;
  /** Zero pages sent as a flag. */
  readonly zeroPageDetection: boolean;
  /** Bytes sent for a zero page. */
  readonly zeroPageBytes: number;
  /** virtio-balloon free page hinting. */
  readonly freePageHinting: boolean;
}

/**
 * QEMU's defaults (QEMU 5.2 and later, `migration/options.c`; see docs/migration/precopy-qemu.md):
 * downtime-limit 300 ms, max-bandwidth 128 MiB/s, auto-converge off with throttle 20 % + 10 % up to
 * 99 % triggered at 50 %, xbzrle off with a 64 MiB cache, multifd off with 2 channels. Two are
 * inferred, not QEMU's: a 25 % XBZRLE delta and a 10 Gbit/s stream rate (documented as assumptions).
 */
export const QEMU_DEFAULTS: QemuSettings = {
  downtimeLimit: 0.3,
  maxBandwidth: MiBps(128),
  autoConverge: false,
  throttleInitial: 0.2,
  throttleIncrement: 0.1,
  throttleMax: 0.99,
  throttleTriggerThreshold: 0.5,
  syncInterval: 1,
  iterationPeriod: 0.1,
  xbzrle: false,
  xbzrleCacheSize: MiB(64),
  xbzrleDeltaRatio: 0.25,
  multifd: false,
  multifdChannels: 2,
  streamRate: Gbps(10),
  zeroPageDetection: true,
  zeroPageBytes: 9,
  freePageHinting: false,
};

/** Legacy Xen pre-copy rules, resolved (base units). See {@link XenOptions}. */
export interface XenSettings {
  /** Rate of the first round, bytes per second. */
  readonly initialRate: number;
  /** Highest rate, bytes per second. */
  readonly maxRate: number;
  /** Added to the previous round's dirty rate, bytes per second. */
  readonly rateIncrement: number;
  /** Pre-copy rounds before stop-and-copy. */
  readonly maxIterations: number;
  /** Stop once more than `maxFactor × RAM` has been sent. */
  readonly maxFactor: number;
  /** Stop when fewer pages than this are left to send. */
  readonly stopPages: number;
  /** Skip pages dirtied again during the current round. */
  readonly skipRedirtied: boolean;
}

/**
 * Legacy Xen's rules (Clark et al., NSDI 2005; Xen 3/4 `tools/libxc/xc_domain_save.c`): 100 Mbit/s
 * first round, dirty rate + 50 Mbit/s up to 500 Mbit/s, 30 rounds, 3 × RAM, 50 pages.
 */
export const XEN_DEFAULTS: XenSettings = {
  initialRate: Mbps(100),
  maxRate: Mbps(500),
  rateIncrement: Mbps(50),
  maxIterations: 30,
  maxFactor: 3,
  stopPages: 50,
  skipRedirtied: true,
};

/** SimGrid-compatible pre-copy rules, resolved. See {@link SimGridOptions}. */
export interface SimGridSettings {
  /** Migration speed cap, bytes per second; `Infinity` for none. */
  readonly speedCap: number;
  /** Target downtime, seconds. */
  readonly maxDowntime: number;
}

/**
 * SimGrid's defaults (`src/plugins/vm/VmLiveMigration.cpp`): no speed cap of its own (a
 * `cpu-coupled` dirtying model's `speedCap` is used when there is one, as SimGrid uses one
 * migration speed for both) and the hard-coded 30 ms target downtime.
 */
export const SIMGRID_DEFAULTS: SimGridSettings = {
  speedCap: Number.POSITIVE_INFINITY,
  maxDowntime: 0.03,
};

/** CloudSim's migration model, resolved. See {@link CloudSimOptions}. */
export interface CloudSimSettings {
  /** Share of the host bandwidth a migration uses. */
  readonly bandwidthShare: number;
  /** CPU the VM loses while it migrates. */
  readonly cpuLoss: number;
}

/** CloudSim's constants (`PowerVmAllocationPolicyMigrationAbstract`): half the bandwidth, 10 % CPU. */
export const CLOUDSIM_DEFAULTS: CloudSimSettings = {
  bandwidthShare: 0.5,
  cpuLoss: 0.1,
};

/** Post-copy rules, resolved (base units). See {@link PostcopyOptions}. */
export interface PostcopySettings {
  /** `max-postcopy-bandwidth`, bytes per second; `Infinity` for none. */
  readonly maxBandwidth: number;
  /** `postcopy-recovery`. */
  readonly recovery: boolean;
  /** Pre-paging from the faulting address. */
  readonly prepaging: boolean;
  /** Distinct page touches per distinct page dirtied. */
  readonly accessFactor: number;
  /** CPU and device state sent while the VM is stopped, bytes. */
  readonly cpuStateBytes: number;
}

/**
 * Post-copy defaults (QEMU `postcopy-ram`: no `max-postcopy-bandwidth`, recovery off; Hines &
 * Gopalan's pre-paging on; one touch per page dirtied and no CPU state, both assumptions).
 */
export const POSTCOPY_DEFAULTS: PostcopySettings = {
  maxBandwidth: Number.POSITIVE_INFINITY,
  recovery: false,
  prepaging: true,
  accessFactor: 1,
  cpuStateBytes: 0,
};

/** Hybrid migration rules. See {@link HybridOptions}. */
export interface HybridSettings {
  /** Pre-copy rounds before post-copy. */
  readonly precopyRounds: number;
}

/** Hybrid's default: one pre-copy round, as Hines & Gopalan (VEE 2009). */
export const HYBRID_DEFAULTS: HybridSettings = { precopyRounds: 1 };

/** Caps that make every migration end, resolved. See {@link LimitOptions}. */
export interface LimitSettings {
  /** Seconds after which a migration that has not ended stops (`did-not-converge`). */
  readonly maxTime: number;
  /** Pre-copy rounds after which a migration gives up. */
  readonly maxRounds: number;
}

/** One day and 1000 rounds (vx's choice: no real system has these caps; QEMU loops forever). */
export const LIMIT_DEFAULTS: LimitSettings = { maxTime: 86_400, maxRounds: 1000 };

/**
 * The largest `limits.maxRounds` accepted. A pre-copy that has not converged after this many
 * rounds will not; the cap keeps a run's cost and its result bounded (a larger value is refused
 * before anything runs).
 */
export const MAX_ROUNDS_LIMIT = 100_000;

/**
 * Rounds a result lists one by one by default (option `roundRecords`): beyond this many, the first
 * and last halves are kept and the rounds between are summed in `MigrationResult.omittedRounds`.
 */
export const ROUND_RECORDS_KEPT = 1000;

/** Defaults of a VM description (base units). See {@link VmOptions}. */
export interface VmDefaults {
  /** Page size, bytes. */
  readonly pageSize: number;
  /** Share of RAM in zero pages. */
  readonly zeroPages: number;
  /** Share of RAM the guest knows is free. */
  readonly freePages: number;
  /** Writable working set, bytes. */
  readonly workingSet: number;
  /** Virtual CPUs. */
  readonly vcpus: number;
  /** Share of its vCPUs the VM executes without a {@link GuestCpu}. */
  readonly cpuShare: number;
  /** Hot/cold: share of the dirtying on the working set. */
  readonly hotShare: number;
  /** Zipf exponent. */
  readonly zipfExponent: number;
  /** CPU-coupled: cap of the bytes dirtied per round, a share of RAM (SimGrid's `sg_vm_create_migratable`). */
  readonly workingSetCap: number;
  /** Trace replay: start over at the end. */
  readonly traceLoop: boolean;
}

/** An idle 1-vCPU VM with 4 KiB pages, no zero or free pages and no working set. */
export const VM_DEFAULTS: VmDefaults = {
  pageSize: KiB(4),
  zeroPages: 0,
  freePages: 0,
  workingSet: 0,
  vcpus: 1,
  cpuShare: 1,
  hotShare: 1,
  zipfExponent: 1,
  workingSetCap: 0.9,
  traceLoop: true,
};

/** Defaults of the top-level migration options. See {@link MigrationOptions}. */
export interface MigrationDefaults {
  /** Fluid (byte counts) or page (bitmaps). */
  readonly fidelity: "fluid" | "page";
  /** Seed of the page layout and the random page choices. */
  readonly seed: number;
  /** Record a time series. */
  readonly series: boolean;
  /** Keep the pages sent in each round. */
  readonly roundBitmaps: boolean;
  /** Rounds a result lists one by one (the rest are summed). */
  readonly roundRecords: number;
}

/** Fluid fidelity, seed 1, a time series, no round bitmaps, {@link ROUND_RECORDS_KEPT} round records. */
export const MIGRATION_DEFAULTS: MigrationDefaults = {
  fidelity: "fluid",
  seed: 1,
  series: true,
  roundBitmaps: false,
  roundRecords: ROUND_RECORDS_KEPT,
};
