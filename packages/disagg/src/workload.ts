/**
 * A workload for a disaggregated rack: VM demands over time (vCPUs and CPU utilisation, memory
 * that grows and shrinks, devices, shared regions), plus migrations to perform. The same shape
 * serves a hand-written scenario, a synthetic mix ({@link syntheticWorkload}) and, through a
 * converter, the traces a clustered data center replays.
 *
 * @module
 */

import {
  bytesSchema,
  createRandom,
  durationSchema,
  GiB,
  MiB,
  parseWith,
  percentSchema,
  rateSchema,
  VxError,
} from "@vx/core";
import { z } from "zod";
import type { DeviceKind, QuantityInput } from "./layout.js";
import { SERIALISATION_METHOD_NAMES, type SerialisationMethod } from "./shared-region.js";
import { REMOTE_MEMORY_DEFAULTS } from "./slowdown.js";

/** A VM's use of a device by remote passthrough. */
export interface DeviceDemand {
  /** What kind of device brick serves it. */
  readonly kind: DeviceKind;
  /** I/O it moves at full speed, bytes/s. */
  readonly bytesPerSecond: number;
  /** Share of that I/O flowing from the VM to the device, 0–1. */
  readonly writeFraction: number;
}

/** A VM's use of a shared region. */
export interface SharedUse {
  /** The region's name. */
  readonly region: string;
  /** Accesses (critical sections) per second. */
  readonly accessesPerSecond: number;
  /** Work inside one access, seconds. */
  readonly criticalSectionSeconds: number;
  /** Share of accesses that write, 0–1. */
  readonly writeFraction: number;
  /** Bytes a writing access modifies. */
  readonly writeBytes: number;
}

/** A change of a VM's demand at a time. */
export interface Step {
  /** When, seconds from the start of the run. */
  readonly atSeconds: number;
  /** The new value (bytes for memory, a fraction for CPU utilisation). */
  readonly value: number;
}

/** One VM: a slot request and its demands over time. */
export interface VmRequest {
  /** Unique name. */
  readonly name: string;
  /** When it asks for a slot, seconds. */
  readonly arrivalSeconds: number;
  /** When it leaves, seconds; `null`: it stays to the end of the run. */
  readonly departureSeconds: number | null;
  /** vCPUs, all on one compute brick. */
  readonly vcpus: number;
  /** Memory at arrival, bytes (rounded up to sections). */
  readonly memoryBytes: number;
  /** Later memory sizes (hot-plug when larger, unplug when smaller), in time order. */
  readonly memorySteps: readonly Step[];
  /** Share of its vCPUs it keeps busy at arrival, 0–1. */
  readonly cpuUtilisation: number;
  /** Later CPU utilisations, in time order. */
  readonly cpuSteps: readonly Step[];
  /** Share of run time stalled on memory with all memory local, 0–1. */
  readonly memoryStallFraction: number;
  /** Memory traffic at full speed, bytes/s. */
  readonly memoryBytesPerSecond: number;
  /** Share of memory traffic that is writes, 0–1. */
  readonly writeFraction: number;
  /** Devices it attaches. */
  readonly devices: readonly DeviceDemand[];
  /** Shared regions it uses. */
  readonly shared: readonly SharedUse[];
}

/** A memory region shared by VMs. */
export interface SharedRegionSpec {
  /** Unique name. */
  readonly name: string;
  /** Size, bytes (rounded up to sections). */
  readonly memoryBytes: number;
  /** How accesses are serialised. */
  readonly method: SerialisationMethod;
}

/** A migration to perform during the run. */
export interface MigrationRequest {
  /** When, seconds. */
  readonly atSeconds: number;
  /** The VM's name. */
  readonly vm: string;
  /** Move the compute (keep the memory) or move the memory. */
  readonly kind: "compute" | "memory";
  /** The destination brick's name; `null`: the orchestrator picks one. */
  readonly to: string | null;
}

/** A validated workload. */
export interface Workload {
  /** The VMs, by arrival time (ties in input order). */
  readonly vms: readonly VmRequest[];
  /** Shared regions. */
  readonly regions: readonly SharedRegionSpec[];
  /** Migrations, by time. */
  readonly migrations: readonly MigrationRequest[];
}

/** Input form of {@link VmRequest}. */
export interface VmRequestInput {
  readonly name: string;
  readonly arrival?: QuantityInput;
  /** Departure time; or give `lifetime`. */
  readonly departure?: QuantityInput;
  readonly lifetime?: QuantityInput;
  readonly vcpus?: number;
  readonly memory: QuantityInput;
  readonly memorySteps?: readonly { readonly at: QuantityInput; readonly memory: QuantityInput }[];
  readonly cpuUtilisation?: QuantityInput;
  readonly cpuSteps?: readonly {
    readonly at: QuantityInput;
    readonly utilisation: QuantityInput;
  }[];
  readonly memoryStallFraction?: QuantityInput;
  readonly memoryBandwidth?: QuantityInput;
  readonly writeFraction?: QuantityInput;
  readonly devices?: readonly {
    readonly kind: DeviceKind;
    readonly bandwidth?: QuantityInput;
    readonly writeFraction?: QuantityInput;
  }[];
  readonly shared?: readonly {
    readonly region: string;
    readonly accessesPerSecond?: number;
    readonly criticalSection?: QuantityInput;
    readonly writeFraction?: QuantityInput;
    readonly writeBytes?: QuantityInput;
  }[];
}

/** Input form of {@link Workload}. */
export interface WorkloadInput {
  readonly vms: readonly VmRequestInput[];
  readonly regions?: readonly {
    readonly name: string;
    readonly memory: QuantityInput;
    readonly method?: SerialisationMethod;
  }[];
  readonly migrations?: readonly {
    readonly at: QuantityInput;
    readonly vm: string;
    readonly kind: "compute" | "memory";
    readonly to?: string;
  }[];
}

/**
 * Defaults of a VM request: 1 vCPU at 50 % CPU, the remote-memory defaults
 * ({@link REMOTE_MEMORY_DEFAULTS}), devices moving 1 GB/s half each way, shared accesses of
 * 10 µs, 1000 per second, all writes of 4 KiB, regions serialised by a lock.
 */
export const VM_DEFAULTS: {
  readonly vcpus: number;
  readonly cpuUtilisation: number;
  readonly memoryStallFraction: number;
  readonly memoryBytesPerSecond: number;
  readonly writeFraction: number;
  readonly deviceBytesPerSecond: number;
  readonly deviceWriteFraction: number;
  readonly accessesPerSecond: number;
  readonly criticalSectionSeconds: number;
  readonly sharedWriteFraction: number;
  readonly sharedWriteBytes: number;
  readonly regionMethod: SerialisationMethod;
} = {
  vcpus: 1,
  cpuUtilisation: 0.5,
  memoryStallFraction: REMOTE_MEMORY_DEFAULTS.memoryStallFraction,
  memoryBytesPerSecond: REMOTE_MEMORY_DEFAULTS.memoryBytesPerSecond,
  writeFraction: REMOTE_MEMORY_DEFAULTS.writeFraction,
  deviceBytesPerSecond: 1e9,
  deviceWriteFraction: 0.5,
  accessesPerSecond: 1000,
  criticalSectionSeconds: 10e-6,
  sharedWriteFraction: 1,
  sharedWriteBytes: 4096,
  regionMethod: "lock",
};

const D = VM_DEFAULTS;
const fraction = (): z.ZodType<number, number | string> => percentSchema({ max: 1 });
const time = (): z.ZodType<number, number | string> => durationSchema({ max: "3650d" });
const name = z.string().min(1).max(200);

const vmSchema = z.strictObject({
  name,
  arrival: time().default(0),
  departure: time().optional(),
  lifetime: durationSchema({ allowZero: false, max: "3650d" }).optional(),
  vcpus: z.int().min(1).max(4096).default(D.vcpus),
  memory: bytesSchema({ allowZero: false, max: "64TiB" }),
  memorySteps: z
    .array(z.strictObject({ at: time(), memory: bytesSchema({ allowZero: false, max: "64TiB" }) }))
    .default([]),
  cpuUtilisation: fraction().default(D.cpuUtilisation),
  cpuSteps: z.array(z.strictObject({ at: time(), utilisation: fraction() })).default([]),
  memoryStallFraction: fraction().default(D.memoryStallFraction),
  memoryBandwidth: rateSchema().default(D.memoryBytesPerSecond),
  writeFraction: fraction().default(D.writeFraction),
  devices: z
    .array(
      z.strictObject({
        kind: z.enum(["accelerator", "nic", "storage"]),
        bandwidth: rateSchema().default(D.deviceBytesPerSecond),
        writeFraction: fraction().default(D.deviceWriteFraction),
      }),
    )
    .max(64)
    .default([]),
  shared: z
    .array(
      z.strictObject({
        region: name,
        accessesPerSecond: z.number().min(0).max(1e9).default(D.accessesPerSecond),
        criticalSection: durationSchema({ max: "1h" }).default(D.criticalSectionSeconds),
        writeFraction: fraction().default(D.sharedWriteFraction),
        writeBytes: bytesSchema({ max: "64GiB" }).default(D.sharedWriteBytes),
      }),
    )
    .max(64)
    .default([]),
});

const workloadSchema = z
  .strictObject({
    vms: z.array(vmSchema).max(10_000_000),
    regions: z
      .array(
        z.strictObject({
          name,
          memory: bytesSchema({ allowZero: false, max: "64TiB" }),
          method: z
            .enum(SERIALISATION_METHOD_NAMES as [SerialisationMethod, ...SerialisationMethod[]])
            .default(D.regionMethod),
        }),
      )
      .default([]),
    migrations: z
      .array(
        z.strictObject({
          at: time(),
          vm: name,
          kind: z.enum(["compute", "memory"]),
          to: name.optional(),
        }),
      )
      .default([]),
  })
  .superRefine((w, ctx) => {
    const issue = (message: string, path: (string | number)[], vxCode: string): void => {
      ctx.addIssue({ code: "custom", message, path, params: { vxCode } });
    };
    const names = new Map<string, number>();
    const regions = new Set<string>();
    w.regions.forEach((r, i) => {
      if (regions.has(r.name)) {
        issue(
          `region "${r.name}" is defined twice.`,
          ["regions", i, "name"],
          "VX_DISAGG_DUPLICATE",
        );
      }
      regions.add(r.name);
    });
    w.vms.forEach((vm, i) => {
      if (names.has(vm.name)) {
        issue(`VM name "${vm.name}" is used twice.`, ["vms", i, "name"], "VX_DISAGG_DUPLICATE");
      }
      names.set(vm.name, i);
      if (vm.departure !== undefined && vm.lifetime !== undefined) {
        issue(
          "give departure or lifetime, not both.",
          ["vms", i, "lifetime"],
          "VX_DISAGG_CONFLICT",
        );
      }
      const end =
        vm.departure ??
        (vm.lifetime !== undefined ? vm.arrival + vm.lifetime : Number.POSITIVE_INFINITY);
      if (!(end > vm.arrival)) {
        issue(
          `departure (${end} s) must come after arrival (${vm.arrival} s).`,
          ["vms", i, "departure"],
          "VX_SCHEMA_OUT_OF_RANGE",
        );
      }
      const checkSteps = (steps: readonly { at: number }[], key: string): void => {
        let last = vm.arrival;
        steps.forEach((s, k) => {
          if (!(s.at > last || (k === 0 && s.at >= last))) {
            issue(
              `steps must be in time order, from the arrival on; step ${k} is at ${s.at} s.`,
              ["vms", i, key, k, "at"],
              "VX_SCHEMA_OUT_OF_RANGE",
            );
          }
          if (s.at >= end) {
            issue(
              `step ${k} at ${s.at} s is not before the departure (${end} s).`,
              ["vms", i, key, k, "at"],
              "VX_SCHEMA_OUT_OF_RANGE",
            );
          }
          last = s.at;
        });
      };
      checkSteps(vm.memorySteps, "memorySteps");
      checkSteps(vm.cpuSteps, "cpuSteps");
      const seen = new Set<string>();
      vm.shared.forEach((s, k) => {
        if (!regions.has(s.region)) {
          issue(
            `unknown region "${s.region}"; define it under regions.`,
            ["vms", i, "shared", k, "region"],
            "VX_DISAGG_UNKNOWN_REGION",
          );
        }
        if (seen.has(s.region)) {
          issue(
            `region "${s.region}" is listed twice.`,
            ["vms", i, "shared", k, "region"],
            "VX_DISAGG_DUPLICATE",
          );
        }
        seen.add(s.region);
      });
    });
    w.migrations.forEach((m, i) => {
      const v = names.get(m.vm);
      if (v === undefined) {
        issue(`unknown VM "${m.vm}".`, ["migrations", i, "vm"], "VX_DISAGG_UNKNOWN_VM");
      }
    });
  })
  .transform((w): Workload => {
    const vms = w.vms.map(
      (vm): VmRequest => ({
        name: vm.name,
        arrivalSeconds: vm.arrival,
        departureSeconds:
          vm.departure ?? (vm.lifetime !== undefined ? vm.arrival + vm.lifetime : null),
        vcpus: vm.vcpus,
        memoryBytes: vm.memory,
        memorySteps: vm.memorySteps.map((s) => ({ atSeconds: s.at, value: s.memory })),
        cpuUtilisation: vm.cpuUtilisation,
        cpuSteps: vm.cpuSteps.map((s) => ({ atSeconds: s.at, value: s.utilisation })),
        memoryStallFraction: vm.memoryStallFraction,
        memoryBytesPerSecond: vm.memoryBandwidth,
        writeFraction: vm.writeFraction,
        devices: vm.devices.map((d) => ({
          kind: d.kind,
          bytesPerSecond: d.bandwidth,
          writeFraction: d.writeFraction,
        })),
        shared: vm.shared.map((s) => ({
          region: s.region,
          accessesPerSecond: s.accessesPerSecond,
          criticalSectionSeconds: s.criticalSection,
          writeFraction: s.writeFraction,
          writeBytes: s.writeBytes,
        })),
      }),
    );
    return {
      vms: sortByArrival(vms),
      regions: w.regions.map((r) => ({ name: r.name, memoryBytes: r.memory, method: r.method })),
      migrations: w.migrations
        .map((m, i) => ({ m, i }))
        .sort((a, b) => a.m.at - b.m.at || a.i - b.i)
        .map(({ m }) => ({ atSeconds: m.at, vm: m.vm, kind: m.kind, to: m.to ?? null })),
    };
  });

function sortByArrival(vms: VmRequest[]): VmRequest[] {
  const order = vms.map((_, i) => i);
  order.sort((a, b) => vms[a]!.arrivalSeconds - vms[b]!.arrivalSeconds || a - b);
  return order.map((i) => vms[i]!);
}

/**
 * The schema of a workload. Validate with {@link parseWorkload}; the output is a {@link Workload}.
 */
export const workloadInputSchema: z.ZodType<Workload, WorkloadInput> = workloadSchema as z.ZodType<
  Workload,
  WorkloadInput
>;

/**
 * Validates a workload and fills its defaults.
 *
 * @param input - VMs, shared regions, migrations.
 * @param path - where it sits in a larger input, for errors.
 * @returns the workload, VMs by arrival time.
 * @throws {@link @vx/core!VxError} `VX_DISAGG_BAD_WORKLOAD` listing every bad field with its path
 *   (unknown regions and VMs, steps out of order, duplicate names, departures before arrivals).
 * @example
 * ```ts
 * const w = parseWorkload({
 *   vms: [{ name: "db", vcpus: 4, memory: "16GiB", memorySteps: [{ at: "1h", memory: "24GiB" }] }],
 * });
 * w.vms[0]!.memorySteps; // [{ atSeconds: 3600, value: 25769803776 }]
 * ```
 */
export function parseWorkload(
  input: WorkloadInput,
  path: readonly (string | number)[] = [],
): Workload {
  return parseWith(workloadInputSchema, input, {
    code: "VX_DISAGG_BAD_WORKLOAD",
    what: "disaggregated workload",
    path,
  });
}

// ---------------------------------------------------------------------------------------------
// Synthetic mixes

/** The synthetic mixes. */
export type WorkloadMix = "cpu-heavy" | "memory-heavy" | "balanced";

/** Options of {@link syntheticWorkload}. */
export interface SyntheticWorkloadOptions {
  /** Number of VMs (slot requests). */
  readonly vms: number;
  /** Span over which they arrive, seconds (> 0). */
  readonly durationSeconds: number;
  /** The mix of VM shapes. Default `"balanced"`. */
  readonly mix?: WorkloadMix;
  /** Mean lifetime (exponential), seconds. Default a quarter of the duration. */
  readonly meanLifetimeSeconds?: number;
  /** Memory resizes per VM, at uniform times in its life (hot-plug or unplug). Default 2. */
  readonly resizes?: number;
  /** Seed. Default 1. */
  readonly seed?: number;
}

/**
 * The shape families: memory per vCPU as in AWS EC2's compute-optimised (c5: 2 GiB per vCPU),
 * general-purpose (m5: 4 GiB) and memory-optimised (r5: 8 GiB) instance families; the share of
 * each family by mix; stall fractions and memory traffic per family (*assumptions*: 0.1, 0.2, 0.3
 * of run time stalled on memory; 250 MB/s of memory traffic per vCPU).
 */
export const SYNTHETIC_MIXES: Readonly<
  Record<WorkloadMix, { readonly weights: readonly [number, number, number] }>
> = {
  "cpu-heavy": { weights: [0.7, 0.2, 0.1] },
  "memory-heavy": { weights: [0.1, 0.2, 0.7] },
  balanced: { weights: [1 / 3, 1 / 3, 1 / 3] },
};

const FAMILY_GIB_PER_VCPU = [2, 4, 8] as const;
const FAMILY_STALL = [0.1, 0.2, 0.3] as const;
const VCPU_CHOICES = [1, 2, 4, 8, 16] as const;

/**
 * A synthetic workload: `vms` slot requests arriving uniformly at random over the duration (a
 * Poisson process conditioned on its count), each living an exponential time, drawn from the
 * mix's families (vCPUs 1–16, memory 2, 4 or 8 GiB per vCPU), resized `resizes` times to between
 * half and 1.5 times its initial memory (rounded to 256 MiB), with a constant CPU utilisation
 * uniform in [0.1, 0.9]. Every draw comes from its own named stream of the seed, so changing one
 * option does not reshuffle the others.
 *
 * @param options - count, duration, mix, lifetimes, resizes, seed.
 * @returns a validated workload (no regions, no migrations).
 * @throws {@link @vx/core!VxError} `VX_DISAGG_BAD_ARGUMENT` for a count or duration out of range.
 * @example
 * ```ts
 * const w = syntheticWorkload({ vms: 1000, durationSeconds: 86_400, mix: "memory-heavy" });
 * w.vms.length; // 1000
 * ```
 */
export function syntheticWorkload(options: SyntheticWorkloadOptions): Workload {
  const n = options.vms;
  const duration = options.durationSeconds;
  if (!(Number.isInteger(n) && n >= 0 && n <= 10_000_000)) {
    throw new VxError("VX_DISAGG_BAD_ARGUMENT", `vms must be an integer 0–10,000,000, got ${n}.`, {
      path: ["vms"],
    });
  }
  if (!(duration > 0 && duration < Number.POSITIVE_INFINITY)) {
    throw new VxError("VX_DISAGG_BAD_ARGUMENT", `durationSeconds must be > 0, got ${duration}.`, {
      path: ["durationSeconds"],
    });
  }
  const mix = options.mix ?? "balanced";
  if (!(mix in SYNTHETIC_MIXES)) {
    throw new VxError("VX_DISAGG_BAD_ARGUMENT", `unknown mix ${JSON.stringify(mix)}.`, {
      path: ["mix"],
    });
  }
  const meanLife = options.meanLifetimeSeconds ?? duration / 4;
  const resizes = options.resizes ?? 2;
  if (!(meanLife > 0) || !(Number.isInteger(resizes) && resizes >= 0 && resizes <= 1000)) {
    throw new VxError(
      "VX_DISAGG_BAD_ARGUMENT",
      "meanLifetimeSeconds must be > 0 and resizes an integer 0–1000.",
      {
        path: [meanLife > 0 ? "resizes" : "meanLifetimeSeconds"],
      },
    );
  }
  const root = createRandom(options.seed ?? 1).stream("disagg-synthetic");
  const arrivalsRng = root.stream("arrivals");
  const shapeRng = root.stream("shapes");
  const lifeRng = root.stream("lifetimes");
  const resizeRng = root.stream("resizes");
  const cpuRng = root.stream("cpu");
  const arrivals = new Float64Array(n);
  for (let i = 0; i < n; i++) arrivals[i] = arrivalsRng.uniform(0, duration);
  arrivals.sort();
  const w = SYNTHETIC_MIXES[mix].weights;
  const step = MiB(256);
  const vms: VmRequest[] = [];
  for (let i = 0; i < n; i++) {
    const u = shapeRng.next();
    const f = u < w[0] ? 0 : u < w[0] + w[1] ? 1 : 2;
    const vcpus = VCPU_CHOICES[shapeRng.int(0, VCPU_CHOICES.length - 1)]!;
    const memory = vcpus * GiB(FAMILY_GIB_PER_VCPU[f]);
    const arrival = arrivals[i]!;
    const life = lifeRng.exponential(1 / meanLife);
    const departure = arrival + life < duration ? arrival + life : null;
    const end = departure ?? duration;
    const times: number[] = [];
    for (let k = 0; k < resizes; k++) times.push(resizeRng.uniform(arrival, end));
    times.sort((a, b) => a - b);
    const memorySteps: Step[] = [];
    let last = arrival;
    for (const t of times) {
      const factor = resizeRng.uniform(0.5, 1.5);
      if (!(t > last) || !(t < end)) continue;
      memorySteps.push({
        atSeconds: t,
        value: Math.max(step, Math.round((memory * factor) / step) * step),
      });
      last = t;
    }
    vms.push({
      name: `vm${i}`,
      arrivalSeconds: arrival,
      departureSeconds: departure,
      vcpus,
      memoryBytes: memory,
      memorySteps,
      cpuUtilisation: cpuRng.uniform(0.1, 0.9),
      cpuSteps: [],
      memoryStallFraction: FAMILY_STALL[f],
      memoryBytesPerSecond: vcpus * 250e6,
      writeFraction: VM_DEFAULTS.writeFraction,
      devices: [],
      shared: [],
    });
  }
  return { vms, regions: [], migrations: [] };
}
