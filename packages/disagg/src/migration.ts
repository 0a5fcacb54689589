/**
 * Migration in a disaggregated rack, in the two senses Bielski's thesis distinguishes: move the
 * compute and keep the memory (only CPU and device state crosses the fabric), or move the memory
 * (every section copied once, brick to brick, while the VM runs); and, for comparison, classic
 * live migration of the whole VM between servers of a clustered data center (`@vx/migration`).
 *
 * The closed forms here are what the rack engine's fluid transfers give on an idle fabric; the
 * engine adds contention.
 *
 * @module
 */

import { KiB, MiB, VxError, type VxPath } from "@vx/core";
import { type MigrationResult, migrate, type StrategyName } from "@vx/migration";

/** Which sense of migration. */
export type DisaggMigrationKind = "compute" | "memory";

/**
 * Defaults of the migration model.
 *
 * - `cpuStateBytesPerVcpu`: 16 KiB (*assumption*: a vCPU's registers, XSAVE area, local APIC
 *   page and MSRs are a few KiB in KVM's `kvm_run`/`KVM_GET_*` state; rounded up).
 * - `deviceStateBytes`: 1 MiB (*assumption*: the device models' state in QEMU's migration stream
 *   besides RAM, virtio rings and queues included).
 * - `pauseSeconds`: 1 ms to stop and restart the vCPUs (*assumption*).
 */
export const MIGRATION_DEFAULTS: {
  readonly cpuStateBytesPerVcpu: number;
  readonly deviceStateBytes: number;
  readonly pauseSeconds: number;
} = { cpuStateBytesPerVcpu: KiB(16), deviceStateBytes: MiB(1), pauseSeconds: 1e-3 };

/** The fabric path a migration uses (alone on it). */
export interface MigrationPath {
  /** Bandwidth, bytes/s; > 0. */
  readonly bytesPerSecond: number;
  /** One-way latency, seconds; ≥ 0. */
  readonly oneWaySeconds: number;
  /** Time to set up the circuits it needs (all set up in parallel), seconds; 0 on a packet fabric or when they exist. Default 0. */
  readonly setupSeconds?: number;
}

/** Options of {@link computeMigrationCost}. */
export interface ComputeMigrationOptions {
  /** The VM's vCPUs (integer ≥ 1). */
  readonly vcpus: number;
  /** State per vCPU, bytes. Default {@link MIGRATION_DEFAULTS}. */
  readonly cpuStateBytesPerVcpu?: number;
  /** Device models' state, bytes. Default {@link MIGRATION_DEFAULTS}. */
  readonly deviceStateBytes?: number;
  /** Time to pause and resume the vCPUs, seconds. Default {@link MIGRATION_DEFAULTS}. */
  readonly pauseSeconds?: number;
  /** From the old compute brick to the new one. */
  readonly path: MigrationPath;
}

/** Options of {@link memoryMigrationCost}. */
export interface MemoryMigrationOptions {
  /** Sections to move (integer ≥ 0). */
  readonly sections: number;
  /** Section size, bytes; > 0. */
  readonly sectionBytes: number;
  /** From the old memory brick to the new one. */
  readonly path: MigrationPath;
}

/** What a disaggregated migration costs. */
export interface DisaggMigrationCost {
  /** Which sense. */
  readonly kind: DisaggMigrationKind;
  /** Bytes over the fabric. */
  readonly bytes: number;
  /** Sections moved (0 for a compute migration). */
  readonly sections: number;
  /** From the decision to the end, seconds. */
  readonly timeSeconds: number;
  /** Time the VM is paused, seconds (a memory migration never pauses it). */
  readonly downtimeSeconds: number;
  /** Longest a write to one section waits while that section is copied, seconds (memory migrations). */
  readonly sectionFreezeSeconds: number;
}

function bad(message: string, path: VxPath): never {
  throw new VxError("VX_DISAGG_BAD_ARGUMENT", message, { path });
}

function checkPath(path: MigrationPath): number {
  if (!(path.bytesPerSecond > 0 && path.bytesPerSecond < Number.POSITIVE_INFINITY)) {
    bad(`bytesPerSecond must be finite and > 0, got ${String(path.bytesPerSecond)}.`, [
      "path",
      "bytesPerSecond",
    ]);
  }
  if (!(path.oneWaySeconds >= 0 && path.oneWaySeconds < Number.POSITIVE_INFINITY)) {
    bad(`oneWaySeconds must be finite and ≥ 0, got ${String(path.oneWaySeconds)}.`, [
      "path",
      "oneWaySeconds",
    ]);
  }
  const setup = path.setupSeconds ?? 0;
  if (!(setup >= 0 && setup < Number.POSITIVE_INFINITY)) {
    bad(`setupSeconds must be finite and ≥ 0, got ${String(setup)}.`, ["path", "setupSeconds"]);
  }
  return setup;
}

/**
 * Moves a VM's compute to another compute brick and keeps its memory where it is: the new brick
 * opens circuits to the VM's memory bricks first (while the VM runs), then the VM pauses, its CPU
 * and device state crosses the fabric, and it resumes on the new brick. No memory moves.
 *
 * @param options - vCPUs, state sizes, path.
 * @returns bytes (`vcpus × cpuStateBytesPerVcpu + deviceStateBytes`), time and downtime.
 * @throws {@link @vx/core!VxError} `VX_DISAGG_BAD_ARGUMENT` for a bad figure.
 * @example
 * ```ts
 * const c = computeMigrationCost({ vcpus: 4, path: { bytesPerSecond: 3.125e9, oneWaySeconds: 1e-6 } });
 * c.bytes; // 1_114_112: 4 × 16 KiB + 1 MiB
 * c.downtimeSeconds; // 0.00136: 1 ms pause + 1 µs + 1.11 MB at 3.125 GB/s
 * ```
 */
export function computeMigrationCost(options: ComputeMigrationOptions): DisaggMigrationCost {
  const setup = checkPath(options.path);
  if (!(Number.isInteger(options.vcpus) && options.vcpus >= 1)) {
    bad(`vcpus must be an integer ≥ 1, got ${String(options.vcpus)}.`, ["vcpus"]);
  }
  const perVcpu = options.cpuStateBytesPerVcpu ?? MIGRATION_DEFAULTS.cpuStateBytesPerVcpu;
  const device = options.deviceStateBytes ?? MIGRATION_DEFAULTS.deviceStateBytes;
  const pause = options.pauseSeconds ?? MIGRATION_DEFAULTS.pauseSeconds;
  for (const [key, x] of [
    ["cpuStateBytesPerVcpu", perVcpu],
    ["deviceStateBytes", device],
    ["pauseSeconds", pause],
  ] as const) {
    if (!(x >= 0 && x < Number.POSITIVE_INFINITY)) bad(`${key} must be finite and ≥ 0.`, [key]);
  }
  const bytes = options.vcpus * perVcpu + device;
  const downtime = pause + options.path.oneWaySeconds + bytes / options.path.bytesPerSecond;
  return {
    kind: "compute",
    bytes,
    sections: 0,
    timeSeconds: setup + downtime,
    downtimeSeconds: downtime,
    sectionFreezeSeconds: 0,
  };
}

/**
 * Moves a VM's memory to another memory brick while the VM runs: after the circuits are set up,
 * sections are copied one after the other, each exactly once (a section is write-protected while
 * it is copied, then the VM's mapping switches to the new copy), so nothing is sent twice and the
 * VM never pauses; a write to the section in flight waits for its copy.
 *
 * @param options - sections, section size, path.
 * @returns bytes (`sections × sectionBytes`), time and the per-section freeze.
 * @throws {@link @vx/core!VxError} `VX_DISAGG_BAD_ARGUMENT` for a bad figure.
 * @example
 * ```ts
 * const m = memoryMigrationCost({ sections: 8, sectionBytes: 2 ** 27, path: { bytesPerSecond: 3.125e9, oneWaySeconds: 1e-6 } });
 * m.bytes; // 1_073_741_824: 8 sections of 128 MiB, once each
 * ```
 */
export function memoryMigrationCost(options: MemoryMigrationOptions): DisaggMigrationCost {
  const setup = checkPath(options.path);
  if (!(Number.isInteger(options.sections) && options.sections >= 0)) {
    bad(`sections must be an integer ≥ 0, got ${String(options.sections)}.`, ["sections"]);
  }
  if (!(options.sectionBytes > 0 && options.sectionBytes < Number.POSITIVE_INFINITY)) {
    bad(`sectionBytes must be finite and > 0, got ${String(options.sectionBytes)}.`, [
      "sectionBytes",
    ]);
  }
  const perSection =
    options.path.oneWaySeconds + options.sectionBytes / options.path.bytesPerSecond;
  return {
    kind: "memory",
    bytes: options.sections * options.sectionBytes,
    sections: options.sections,
    timeSeconds: setup + options.sections * perSection,
    downtimeSeconds: 0,
    sectionFreezeSeconds: options.sections > 0 ? perSection : 0,
  };
}

/** Options of {@link compareMigrations}. */
export interface CompareMigrationsOptions {
  /** The VM. */
  readonly vm: {
    /** vCPUs. */
    readonly vcpus: number;
    /** RAM, bytes. */
    readonly memoryBytes: number;
    /** How fast it dirties memory, bytes/s (uniform); matters only to live migration. Default 0. */
    readonly dirtyBytesPerSecond?: number;
  };
  /** The rack: section size and the fabric path between the bricks involved. */
  readonly rack: {
    readonly sectionBytes: number;
    readonly path: MigrationPath;
  };
  /** The clustered data center: the network between the two servers and the live-migration strategy. */
  readonly cluster: {
    readonly bytesPerSecond: number;
    readonly oneWaySeconds?: number;
    /** A `@vx/migration` strategy. Default `"precopy-qemu"` with its bandwidth cap raised to the link. */
    readonly strategy?: StrategyName;
  };
}

/** The three migrations of one VM side by side. */
export interface MigrationComparison {
  /** Move the compute, keep the memory. */
  readonly compute: DisaggMigrationCost;
  /** Move the memory (every section once). */
  readonly memory: DisaggMigrationCost;
  /** Classic live migration between two servers (`@vx/migration`). */
  readonly live: {
    readonly strategy: StrategyName;
    readonly outcome: MigrationResult["outcome"];
    readonly bytes: number;
    readonly timeSeconds: number;
    readonly downtimeSeconds: number;
  };
}

/**
 * One VM's migration three ways: compute move and memory move in a disaggregated rack, and live
 * migration in a clustered data center with `@vx/migration` (pre-copy by QEMU's rules unless told
 * otherwise, its bandwidth cap raised to the link so the comparison is about the design, not a
 * default). Where disaggregation loses: a memory move of a VM that dirties little costs as much as
 * pre-copy's first round and gains nothing; a compute move leaves every access remote if the VM's
 * memory was local to its old brick.
 *
 * @param options - the VM, the rack's section size and path, the cluster's network.
 * @returns the three costs.
 * @throws {@link @vx/core!VxError} `VX_DISAGG_BAD_ARGUMENT` for bad figures; `VX_MIGRATION_BAD_OPTIONS`
 *   from `@vx/migration` for a bad strategy.
 * @example
 * ```ts
 * const c = compareMigrations({
 *   vm: { vcpus: 4, memoryBytes: GiB(16), dirtyBytesPerSecond: MiB(100) },
 *   rack: { sectionBytes: MiB(128), path: { bytesPerSecond: Gbps(25), oneWaySeconds: 1e-6 } },
 *   cluster: { bytesPerSecond: Gbps(10) },
 * });
 * [c.compute.bytes, c.memory.bytes, c.live.bytes]; // 1 MiB + 64 KiB, 16 GiB, > 16 GiB
 * ```
 */
export function compareMigrations(options: CompareMigrationsOptions): MigrationComparison {
  const { vm, rack, cluster } = options;
  if (!(vm.memoryBytes > 0 && vm.memoryBytes < Number.POSITIVE_INFINITY)) {
    bad(`memoryBytes must be finite and > 0, got ${String(vm.memoryBytes)}.`, [
      "vm",
      "memoryBytes",
    ]);
  }
  const compute = computeMigrationCost({ vcpus: vm.vcpus, path: rack.path });
  const sections = Math.ceil(vm.memoryBytes / rack.sectionBytes);
  const memory = memoryMigrationCost({
    sections,
    sectionBytes: rack.sectionBytes,
    path: rack.path,
  });
  const strategy = cluster.strategy ?? "precopy-qemu";
  const dirty = vm.dirtyBytesPerSecond ?? 0;
  const r = migrate(
    {
      ram: vm.memoryBytes,
      vcpus: vm.vcpus,
      dirty: dirty > 0 ? { model: "uniform", rate: dirty } : { model: "none" },
    },
    {
      strategy,
      fidelity: "fluid",
      link: { bandwidth: cluster.bytesPerSecond, latency: cluster.oneWaySeconds ?? 0 },
      qemu: { maxBandwidth: cluster.bytesPerSecond },
    },
  );
  return {
    compute,
    memory,
    live: {
      strategy,
      outcome: r.outcome,
      bytes: r.bytesSent.total,
      timeSeconds: r.totalTimeSeconds,
      downtimeSeconds: r.downtimeSeconds,
    },
  };
}
