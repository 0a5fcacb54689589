/**
 * The data-center spec: hosts, VMs and their workloads, the network, the consolidation policy and
 * the migration model, as one plain object. One zod schema validates it, whether it comes from
 * TypeScript (`runDatacenter(spec)`) or from a scenario file (`@vx/sim` composes this schema with
 * file-level concerns). Quantities are numbers in base units or human strings (`"4GiB"`,
 * `"1Gbps"`, `"300s"`, `"80%"`); after the schema every quantity is in base units and every
 * default is filled in, under the same keys, so a parsed spec is itself a valid spec.
 *
 * @module
 */

import { bytesSchema, durationSchema, percentSchema, rateSchema } from "@vx/core";
import { z } from "zod";
import { type CloudsimInput, type CloudsimSpec, cloudsimSpecSchema } from "./compat.js";
import { doc } from "./internal/doc.js";
import { type MigrationInput, type MigrationSpec, migrationSchema } from "./migration-models.js";
import { type NetworkInput, type NetworkSpec, networkSchema } from "./network-spec.js";
import { type PolicyInput, type PolicySpec, policySchema } from "./policy.js";
import type { QuantityInput } from "./quantity.js";
import { type WorkloadInput, type WorkloadSpec, workloadSchema } from "./workloads/spec.js";

/**
 * Defaults of the top level and of host and VM types, in base units.
 *
 * - `hostNic` 1 Gbit/s and `vmNic` 100 Mbit/s: the hosts and VMs of Beloglazov & Buyya's
 *   PlanetLab experiments (CCPE 2012, §6.1; CloudSim's `Constants.java`).
 * - `duration` 24 h and `step` 300 s: CloudSim's PlanetLab runs (one day of 5-minute samples).
 * - `dirtyRate` 32 MiB/s per fully busy vCPU: an assumption (the dirty rate of the worked example
 *   of Akoush et al., MASCOTS 2010); dirtying follows the CPU the VM executes, as in SimGrid
 *   (Hirofuchi et al., IEEE TCC 2015), so a VM at 25 % of one core dirties 8 MiB/s.
 * - `workingSet` 90 % of RAM: the most one round can find dirty, SimGrid's default
 *   (`sg_vm_create_migratable`).
 */
export const DATACENTER_DEFAULTS: {
  readonly name: string;
  readonly seed: number;
  readonly duration: number;
  readonly step: number;
  readonly hostNic: number;
  readonly vmCores: number;
  readonly vmNic: number;
  readonly dirtyRate: number;
  readonly workingSet: number;
} = {
  name: "datacenter",
  seed: 1,
  duration: 86_400,
  step: 300,
  hostNic: 125_000_000,
  vmCores: 1,
  vmNic: 12_500_000,
  dirtyRate: 33_554_432,
  workingSet: 0.9,
};

/**
 * Guards against typos and runaway inputs, not model limits: the largest `count` of one group,
 * the most hosts and VMs in all, the most scheduling steps (`duration / step`), the longest
 * duration (100 years: beyond it energy sums lose their meaning), and the most memory a run is
 * estimated to need ({@link estimateMemoryBytes}).
 */
export const SPEC_LIMITS: {
  readonly groupCount: number;
  readonly hosts: number;
  readonly vms: number;
  readonly steps: number;
  readonly durationSeconds: number;
  readonly memoryBytes: number;
} = {
  groupCount: 10_000_000,
  hosts: 1_000_000,
  vms: 10_000_000,
  steps: 10_000_000,
  durationSeconds: 100 * 365.25 * 86_400,
  memoryBytes: 4 * 2 ** 30,
};

/** What a host or VM type name looks like. */
export const TYPE_NAME_PATTERN: RegExp = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;

/** A kind of physical host (after the schema). */
export interface HostTypeSpec {
  /** Cores (CloudSim's processing elements). */
  readonly cores: number;
  /** Speed of one core in MIPS. */
  readonly mips: number;
  /** Memory, bytes. */
  readonly ram: number;
  /** Network interface, bytes per second (each direction). */
  readonly nic: number;
  /** SPECpower table: watts at 0 %, 10 %, …, 100 % CPU load (11 values), linear in between. */
  readonly power: readonly number[];
}

/** A kind of VM (after the schema). */
export interface VmTypeSpec {
  readonly cores: number;
  /** Speed of one virtual core in MIPS: the VM's CPU demand at 100 % utilisation. */
  readonly mips: number;
  /** Memory, bytes. */
  readonly ram: number;
  /** Virtual NIC, bytes per second. */
  readonly nic: number;
  /** Bytes a fully busy vCPU dirties per second (CPU-coupled dirtying, SimGrid's p × S). */
  readonly dirtyRate: number;
  /** Most bytes one migration round finds dirty, a share of RAM (SimGrid's working-set cap). */
  readonly workingSet: number;
}

/** Hosts of one type. */
export interface HostGroupSpec {
  readonly type: string;
  readonly count: number;
}

/** VMs of one or several types sharing a workload source (after the schema). */
export interface VmGroupSpec {
  /** VM types, assigned by blocks as CloudSim does: VM i gets types[floor(i / ceil(count / types.length))]. */
  readonly types: readonly string[];
  /** Number of VMs; for file workloads, omitted means one per trace. */
  readonly count?: number | undefined;
  readonly workload: WorkloadSpec;
}

/** A spec after the schema, before file workloads are read: counts of trace groups may be absent. */
export interface ParsedDatacenterSpec {
  readonly name: string;
  readonly seed: number;
  /** Simulated seconds. */
  readonly duration: number;
  /** Seconds between scheduling rounds. */
  readonly step: number;
  readonly hostTypes: Readonly<Record<string, HostTypeSpec>>;
  readonly hosts: readonly HostGroupSpec[];
  readonly vmTypes: Readonly<Record<string, VmTypeSpec>>;
  readonly vms: readonly VmGroupSpec[];
  readonly network: NetworkSpec;
  readonly policy: PolicySpec;
  readonly migration: MigrationSpec;
  readonly cloudsim: CloudsimSpec;
}

/**
 * A validated spec: base units, every default filled in, every VM group's `count` known (file
 * workloads read). What {@link parseDatacenterSpec} returns and the engine runs; being made of
 * the same keys as the input, it is itself a valid {@link DatacenterSpecInput}.
 */
export interface DatacenterSpec extends ParsedDatacenterSpec {
  readonly vms: readonly (VmGroupSpec & { readonly count: number })[];
}

/** A host type as written. */
export interface HostTypeInput {
  cores: number;
  mips: number;
  ram: QuantityInput;
  nic?: QuantityInput | undefined;
  power: readonly number[];
}

/** A VM type as written. */
export interface VmTypeInput {
  cores?: number | undefined;
  mips: number;
  ram: QuantityInput;
  nic?: QuantityInput | undefined;
  dirtyRate?: QuantityInput | undefined;
  workingSet?: QuantityInput | undefined;
}

/** A VM group as written. */
export interface VmGroupInput {
  types: string | readonly string[];
  count?: number | undefined;
  workload: WorkloadInput;
}

/**
 * A data-center spec as written in TypeScript or a scenario file: quantities as base-unit numbers
 * or human strings, optional fields omitted.
 */
export interface DatacenterSpecInput {
  name?: string | undefined;
  seed?: number | undefined;
  duration?: QuantityInput | undefined;
  step?: QuantityInput | undefined;
  hostTypes: Readonly<Record<string, HostTypeInput>>;
  hosts: readonly { type: string; count: number }[];
  vmTypes: Readonly<Record<string, VmTypeInput>>;
  vms: readonly VmGroupInput[];
  network?: NetworkInput | undefined;
  policy?: PolicyInput | undefined;
  migration?: MigrationInput | undefined;
  cloudsim?: CloudsimInput | undefined;
}

const typeName = z
  .string()
  .regex(TYPE_NAME_PATTERN)
  .describe(
    "A type name: a letter, then letters, digits, '_', '.' or '-' (at most 64 characters).",
  );

const count = z.number().int().min(1).max(SPEC_LIMITS.groupCount);

function nonDecreasing(values: readonly number[]): boolean {
  for (let i = 1; i < values.length; i++) {
    if ((values[i] as number) < (values[i - 1] as number)) return false;
  }
  return true;
}

const D = DATACENTER_DEFAULTS;

const hostType = z.strictObject({
  cores: doc(z.number().int().min(1).max(4096), {
    description: "Number of cores (CloudSim's processing elements).",
    examples: [2],
  }),
  mips: doc(z.number().positive().max(1e9), {
    description: "Speed of one core in MIPS (CloudSim's unit of CPU capacity).",
    examples: [1860, 2660],
  }),
  ram: doc(bytesSchema({ allowZero: false }), {
    description: 'Memory: bytes or a size such as "4GiB" or "4096MB".',
    examples: ["4GiB", "4096MB"],
  }),
  nic: doc(rateSchema({ allowZero: false }).default(D.hostNic), {
    description:
      'Network interface rate (each direction): bytes per second or a rate such as "1Gbps". Default "1Gbps".',
    default: "1Gbps",
    examples: ["1Gbps", "10Gbps"],
  }),
  power: doc(
    z
      .array(z.number().min(0).max(1e6))
      .length(11)
      .refine(nonDecreasing, {
        message: "power must not decrease as load grows: give watts at 0 %, 10 %, …, 100 % load",
        params: { vxCode: "VX_SIM_BAD_POWER_TABLE" },
      }),
    {
      description:
        "SPECpower table: watts at 0 %, 10 %, …, 100 % CPU load (11 numbers, non-decreasing), linear in between. A switched-off host draws 0 W.",
      examples: [[86, 89.4, 92.6, 96, 99.5, 102, 106, 108, 112, 114, 117]],
    },
  ),
});

const vmType = z.strictObject({
  cores: doc(z.number().int().min(1).max(4096).default(D.vmCores), {
    description: "Number of virtual cores. Default 1.",
    default: 1,
  }),
  mips: doc(z.number().positive().max(1e9), {
    description: "Speed of one virtual core in MIPS: the VM's CPU demand at 100 % utilisation.",
    examples: [2500, 2000, 1000, 500],
  }),
  ram: doc(bytesSchema({ allowZero: false }), {
    description: 'Memory: bytes or a size such as "870MB" or "2GiB".',
    examples: ["870MB", "1740MB", "613MB"],
  }),
  nic: doc(rateSchema().default(D.vmNic), {
    description:
      'Virtual NIC rate: bytes per second or a rate such as "100Mbps"; a host holds VMs whose NICs add up to at most its own. Default "100Mbps".',
    default: "100Mbps",
  }),
  dirtyRate: doc(rateSchema().default(D.dirtyRate), {
    description:
      'Bytes a fully busy vCPU dirties per second; a VM dirties in proportion to the CPU it executes (SimGrid\'s CPU-coupled dirtying). Used by the real migration models. Default "32MiB/s" (an assumption: the worked example of Akoush et al., MASCOTS 2010).',
    default: "32MiB/s",
  }),
  workingSet: doc(percentSchema({ max: "100%" }).default(D.workingSet), {
    description:
      'Writable working set: the most one migration round finds dirty, a share of RAM (SimGrid\'s default cap). Default "90%".',
    default: "90%",
  }),
});

const hostGroup = z.strictObject({
  type: doc(typeName, { description: "Host type: a key of `hostTypes`." }),
  count: doc(count, { description: "Number of hosts of this type.", examples: [400] }),
});

const vmGroup = z.strictObject({
  types: doc(
    z
      .union([typeName, z.array(typeName).min(1)])
      .transform((t): readonly string[] => (typeof t === "string" ? [t] : t)),
    {
      description:
        "VM type (a key of `vmTypes`) or a list of them, assigned round-robin by blocks as CloudSim does: VM i gets types[floor(i / ceil(count / types.length))].",
      examples: ["small", ["high-cpu", "medium", "small", "micro"]],
    },
  ),
  count: doc(count.optional(), {
    description:
      "Number of VMs. Required for synthetic workloads; for planetlab and csv at most the number of traces (default: all of them).",
  }),
  workload: workloadSchema,
});

/**
 * The fields of the spec, by key, in documentation order: the pieces `@vx/sim` composes into the
 * scenario-file schema.
 */
const fields = {
  name: doc(z.string().min(1).max(200).default(D.name), {
    description:
      'Name of the run, shown in reports. Default: the scenario file\'s name without extension, else "datacenter".',
  }),
  seed: doc(z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(D.seed), {
    description:
      "Seed of every random stream (synthetic workloads, random selection). Same seed and inputs give byte-identical results. Default 1.",
    default: 1,
  }),
  duration: doc(
    durationSchema({ allowZero: false, max: SPEC_LIMITS.durationSeconds }).default(D.duration),
    {
      description: 'Simulated time: seconds or a duration such as "24h". Default "24h".',
      default: "24h",
    },
  ),
  step: doc(durationSchema({ allowZero: false }).default(D.step), {
    description:
      'Scheduling interval: utilisation is sampled and policies run every step (CloudSim: 300 s). At most `duration`. Default "300s".',
    default: "300s",
  }),
  hostTypes: doc(
    z.record(typeName, hostType).refine((r) => Object.keys(r).length > 0, {
      message: "define at least one host type",
    }),
    { description: "Kinds of physical host, by name." },
  ),
  hosts: doc(z.array(hostGroup).min(1), { description: "The hosts: groups of one type each." }),
  vmTypes: doc(
    z.record(typeName, vmType).refine((r) => Object.keys(r).length > 0, {
      message: "define at least one VM type",
    }),
    { description: "Kinds of VM, by name." },
  ),
  vms: doc(z.array(vmGroup).min(1), {
    description: "The VMs: groups sharing a workload source.",
  }),
  network: networkSchema,
  policy: policySchema,
  migration: migrationSchema,
  cloudsim: cloudsimSpecSchema,
};

/** The keys of the spec, in documentation order. */
export const SPEC_KEYS: readonly (keyof DatacenterSpecInput)[] = Object.keys(
  fields,
) as (keyof DatacenterSpecInput)[];

/**
 * The spec's field schemas by key (for composing the scenario-file schema in `@vx/sim`).
 *
 * @example
 * ```ts
 * z.strictObject({ ...SPEC_FIELDS, $schema: z.string().optional() });
 * ```
 */
export const SPEC_FIELDS: Readonly<Record<keyof DatacenterSpecInput, z.ZodType>> = fields;

/**
 * The zod schema of a whole spec (strict: unknown keys are errors). It checks each field alone;
 * the rules between fields (references, fits, counts, files) are {@link checkDatacenterSpec}'s.
 *
 * @example
 * ```ts
 * const parsed = datacenterSpecSchema.parse({ hostTypes, hosts, vmTypes, vms });
 * parsed.step; // 300
 * ```
 */
export const datacenterSpecSchema: z.ZodType<ParsedDatacenterSpec, DatacenterSpecInput> =
  z.strictObject(fields);
