/**
 * The scenario-file schema: one zod definition that validates a YAML or JSON scenario and, through
 * {@link scenarioJsonSchema}, gives the JSON Schema that editors use for completion. Quantities are
 * numbers in base units or human strings read by `@vx/core` (`"4GiB"`, `"1Gbps"`, `"300s"`,
 * `"80%"`); every field carries a description that says its unit and default.
 *
 * Cross-field rules (references between sections, a VM larger than every host, trace files on
 * disk) are checked after the schema, in `internal/checks.ts`.
 *
 * @module
 */

import { bytesSchema, durationSchema, percentSchema, rateSchema } from "@vx/core";
import { z } from "zod";
import type { ScenarioSection } from "./section.js";

/** Largest `count` of a host or VM group: a guard against typos, not a model limit. */
export const MAX_GROUP_COUNT = 10_000_000;
/** Largest number of scheduling steps (`duration / step`) a scenario may ask for. */
export const MAX_STEPS = 10_000_000;

/** Metadata a field carries into the JSON Schema. */
interface FieldDoc {
  readonly description: string;
  /** The default as written in a file (e.g. `"300s"`); shown by editors. */
  readonly default?: unknown;
  readonly examples?: readonly unknown[];
}

/**
 * Attaches documentation to a schema. Quantity schemas are pipes whose input side is
 * `number | string`: zod drops `default`/`examples` of pipes when emitting the input schema, so
 * they are kept under `x-vx-*` keys and restored by {@link scenarioJsonSchema}'s override.
 */
function doc<T extends z.ZodType>(schema: T, field: FieldDoc): T {
  const meta: Record<string, unknown> = { description: field.description };
  if (field.default !== undefined) meta["x-vx-default"] = field.default;
  if (field.examples !== undefined) meta["x-vx-examples"] = field.examples;
  return schema.meta(meta);
}

/** What a host or VM type name looks like. */
export const TYPE_NAME_PATTERN: RegExp = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;

const typeName = z
  .string()
  .regex(TYPE_NAME_PATTERN)
  .describe(
    "A type name: a letter, then letters, digits, '_', '.' or '-' (at most 64 characters).",
  );

/** A discriminator value with a description for editors. */
function tag<const V extends string>(value: V, description: string): z.ZodLiteral<V> {
  return z.literal(value).describe(description);
}

const count = z.number().int().min(1).max(MAX_GROUP_COUNT);

// ---------------------------------------------------------------------------------------------
// Hosts and VMs

/** A host type as written in a file. */
export const hostTypeSchema: z.ZodType<HostTypeInput, unknown> = z.strictObject({
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
  nic: doc(rateSchema({ allowZero: false }), {
    description:
      'Network interface rate: bytes per second or a rate such as "1Gbps". Default "1Gbps".',
    default: "1Gbps",
    examples: ["1Gbps", "10Gbps"],
  }).optional(),
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

/** A VM type as written in a file. */
export const vmTypeSchema: z.ZodType<VmTypeInput, unknown> = z.strictObject({
  cores: doc(z.number().int().min(1).max(4096), {
    description: "Number of virtual cores. Default 1.",
    default: 1,
  }).optional(),
  mips: doc(z.number().positive().max(1e9), {
    description: "Speed of one virtual core in MIPS: the VM's CPU demand at 100 % utilisation.",
    examples: [2500, 2000, 1000, 500],
  }),
  ram: doc(bytesSchema({ allowZero: false }), {
    description: 'Memory: bytes or a size such as "870MB" or "2GiB".',
    examples: ["870MB", "1740MB", "613MB"],
  }),
  nic: doc(rateSchema({ allowZero: false }), {
    description:
      'Virtual NIC rate: bytes per second or a rate such as "100Mbps". Default "100Mbps".',
    default: "100Mbps",
  }).optional(),
});

/** A group of hosts as written in a file. */
export const hostGroupSchema: z.ZodType<HostGroupInput, unknown> = z.strictObject({
  type: doc(typeName, { description: "Host type: a key of `hostTypes`." }),
  count: doc(count, { description: "Number of hosts of this type.", examples: [400] }),
});

const fraction = (description: string, dflt: string): z.ZodType<number, number | string> =>
  doc(percentSchema({ max: "100%" }), {
    description: `${description} A fraction (0..1) or a percentage such as "${dflt}". Default "${dflt}".`,
    default: dflt,
  });

const positiveDuration = (description: string, dflt: string): z.ZodType<number, number | string> =>
  doc(durationSchema({ allowZero: false }), {
    description: `${description} Seconds or a duration such as "${dflt}". Default "${dflt}".`,
    default: dflt,
  });

const planetlabWorkload = z
  .strictObject({
    kind: tag("planetlab", "Workload kind."),
    folder: doc(z.string().min(1), {
      description:
        "Folder of PlanetLab trace files (one VM per file, sorted by name; each 288 integer percentages at 300 s), relative to the scenario file.",
      examples: ["../../../shared/data/planetlab/20110303"],
    }),
    interval: positiveDuration("Time between two samples of a trace.", "300s").optional(),
  })
  .describe("PlanetLab CPU traces (Beloglazov & Buyya, CCPE 2012): one VM per file of a folder.");

const constantWorkload = z
  .strictObject({
    kind: tag("constant", "Workload kind."),
    utilisation: fraction("CPU utilisation of every VM, all the time.", "50%").optional(),
  })
  .describe("The same CPU utilisation all the time.");

const diurnalWorkload = z
  .strictObject({
    kind: tag("diurnal", "Workload kind."),
    mean: fraction("Mean utilisation.", "50%").optional(),
    amplitude: fraction("Half the peak-to-trough swing of the sinusoid.", "30%").optional(),
    period: positiveDuration("Period of the cycle.", "24h").optional(),
    noise: fraction(
      "Standard deviation of the seeded noise added to each sample.",
      "5%",
    ).optional(),
  })
  .describe("A daily sinusoid around `mean`, with a seeded phase per VM and noise.");

const burstyWorkload = z
  .strictObject({
    kind: tag("bursty", "Workload kind."),
    base: fraction("Utilisation between bursts.", "20%").optional(),
    peak: fraction("Utilisation during a burst (at least `base`).", "90%").optional(),
    meanGap: positiveDuration(
      "Mean time between bursts (Poisson arrivals, seeded).",
      "1h",
    ).optional(),
    meanBurst: positiveDuration("Mean burst length (exponential, seeded).", "10min").optional(),
  })
  .describe("A base load with bursts arriving as a Poisson process.");

const idleSpikesWorkload = z
  .strictObject({
    kind: tag("idle-spikes", "Workload kind."),
    idle: fraction("Utilisation when idle.", "2%").optional(),
    spike: fraction("Utilisation during a spike (at least `idle`).", "60%").optional(),
    meanGap: positiveDuration(
      "Mean time between spikes (Poisson arrivals, seeded).",
      "6h",
    ).optional(),
    spikeDuration: positiveDuration("Length of each spike.", "5min").optional(),
  })
  .describe("Mostly idle, with rare short spikes (the idle VMs that SEaMLESS parks).");

const csvWorkload = z
  .strictObject({
    kind: tag("csv", "Workload kind."),
    file: doc(z.string().min(1), {
      description:
        "CSV file with a header row, relative to the scenario file: a time column in seconds and one utilisation column per VM (or one column shared by all).",
      examples: ["traces/utilisation.csv"],
    }),
    timeColumn: doc(z.string().min(1), {
      description: 'Name of the time column (seconds). Default "time".',
      default: "time",
    }).optional(),
    columns: doc(z.union([z.literal("all"), z.array(z.string().min(1)).min(1)]), {
      description:
        'Utilisation columns to use, in VM order, or "all" (every column but the time column, in file order). Default "all".',
      default: "all",
    }).optional(),
    percent: doc(z.boolean(), {
      description:
        "Whether values are percentages (0..100) rather than fractions (0..1). Default false.",
      default: false,
    }).optional(),
  })
  .describe("A generic CSV time series.");

const workloadSchema = z
  .discriminatedUnion("kind", [
    planetlabWorkload,
    constantWorkload,
    diurnalWorkload,
    burstyWorkload,
    idleSpikesWorkload,
    csvWorkload,
  ])
  .describe(
    "Where the VMs' CPU utilisation over time comes from: `kind` is planetlab, constant, diurnal, bursty, idle-spikes or csv.",
  );

/** A group of VMs as written in a file. */
export const vmGroupSchema: z.ZodType<VmGroupInput, unknown> = z.strictObject({
  types: doc(z.union([typeName, z.array(typeName).min(1)]), {
    description:
      "VM type (a key of `vmTypes`) or a list of them, assigned round-robin by blocks as CloudSim does: VM i gets types[floor(i / ceil(count / types.length))].",
    examples: ["small", ["high-cpu", "medium", "small", "micro"]],
  }),
  count: doc(count, {
    description:
      "Number of VMs. Required for synthetic workloads; for planetlab and csv at most the number of traces (default: all of them).",
  }).optional(),
  workload: workloadSchema,
});

// ---------------------------------------------------------------------------------------------
// Network, policy, migration

const latency = doc(durationSchema(), {
  description:
    'One-way latency between two hosts: seconds or a duration such as "100us". Default "100us".',
  default: "100us",
});

const networkSchema = z
  .discriminatedUnion("topology", [
    z
      .strictObject({ topology: tag("star", "Network topology."), latency: latency.optional() })
      .describe("Every host's NIC on one non-blocking switch."),
    z
      .strictObject({
        topology: tag("tree", "Network topology."),
        hostsPerRack: doc(z.number().int().min(1).max(100_000), {
          description: "Hosts under each top-of-rack switch. Default 40.",
          default: 40,
        }).optional(),
        oversubscription: doc(z.number().min(1).max(1000), {
          description:
            "Ratio of a rack's host bandwidth to its uplink bandwidth (1 = non-blocking). Default 4.",
          default: 4,
        }).optional(),
        latency: latency.optional(),
      })
      .describe("Two levels: racks under top-of-rack switches, uplinks to one core switch."),
  ])
  .describe('The network between hosts. Default { topology: "star" }.');

const policySchema = z
  .strictObject({
    overload: doc(z.enum(["thr", "iqr", "mad", "lr", "lrr", "none", "dvfs"]), {
      description:
        "Overload detection (Beloglazov & Buyya, CCPE 2012): thr (static threshold), iqr, mad, lr, lrr; none = non-power-aware baseline (no consolidation, hosts always on at full power); dvfs = power follows load, no migration. Default thr.",
      default: "thr",
    }).optional(),
    parameter: doc(z.number().positive().max(100), {
      description:
        "Parameter of the overload detection: the threshold for thr (default 0.8, at most 1); the safety parameter s for iqr (1.5), mad (2.5), lr and lrr (1.2). Not allowed with none or dvfs.",
    }).optional(),
    selection: doc(z.enum(["mmt", "mc", "mu", "rs"]), {
      description:
        "VM selection on an overloaded host: mmt (minimum migration time), mc (maximum correlation), mu (minimum utilisation), rs (random, seeded). Default mmt.",
      default: "mmt",
    }).optional(),
    placement: doc(z.literal("pabfd"), {
      description:
        "Placement of migrating VMs: pabfd (power-aware best-fit decreasing). Default pabfd.",
      default: "pabfd",
    }).optional(),
    underload: doc(z.boolean(), {
      description: "Evacuate under-loaded hosts and switch them off. Default true.",
      default: true,
    }).optional(),
  })
  .describe(
    "Consolidation policies. Default THR 0.8 with MMT, PABFD placement, under-load evacuation.",
  );

const migrationSchema = z
  .discriminatedUnion("model", [
    z
      .strictObject({ model: tag("cloudsim", "Migration model.") })
      .describe(
        "CloudSim's delay model: RAM / (50 % of the host bandwidth); the VM loses 10 % of its CPU meanwhile.",
      ),
    z
      .strictObject({
        model: tag("precopy", "Migration model."),
        rules: doc(z.enum(["qemu", "xen", "simgrid"]), {
          description: "Whose pre-copy rules (rounds, stop condition) to follow. Default qemu.",
          default: "qemu",
        }).optional(),
        downtimeLimit: doc(durationSchema({ allowZero: false }), {
          description: 'Largest acceptable downtime (QEMU downtime-limit). Default "300ms".',
          default: "300ms",
        }).optional(),
        maxBandwidth: doc(rateSchema({ allowZero: false }), {
          description: 'Bandwidth cap of one migration (QEMU max-bandwidth). Default "128MiB/s".',
          default: "128MiB/s",
        }).optional(),
        dirtyRateAtFullLoad: doc(rateSchema(), {
          description:
            'Bytes a VM dirties per second at 100 % CPU; proportional to its CPU use (SimGrid\'s CPU-coupled dirtying). Default "32MiB/s" (an assumption: the worked example of Akoush et al., MASCOTS 2010).',
          default: "32MiB/s",
        }).optional(),
      })
      .describe(
        "Real pre-copy from @vx/migration on the shared network: dirtying, contention, downtime.",
      ),
  ])
  .describe('How a migration is modelled. Default { model: "cloudsim" }.');

// ---------------------------------------------------------------------------------------------
// The whole file

/** The core (non-extension) top-level fields of a scenario file, in documentation order. */
export const coreFields: {
  readonly name: z.ZodType<string | undefined, unknown>;
  readonly seed: z.ZodType<number | undefined, unknown>;
  readonly duration: z.ZodType<number | undefined, unknown>;
  readonly step: z.ZodType<number | undefined, unknown>;
  readonly hostTypes: z.ZodType<Record<string, HostTypeInput>, unknown>;
  readonly hosts: z.ZodType<HostGroupInput[], unknown>;
  readonly vmTypes: z.ZodType<Record<string, VmTypeInput>, unknown>;
  readonly vms: z.ZodType<VmGroupInput[], unknown>;
  readonly network: z.ZodType<NetworkInput | undefined, unknown>;
  readonly policy: z.ZodType<PolicyInput | undefined, unknown>;
  readonly migration: z.ZodType<MigrationInput | undefined, unknown>;
} = {
  name: doc(z.string().min(1).max(200), {
    description:
      "Name of the scenario, shown in reports. Default: the file name without extension.",
  }).optional(),
  seed: doc(z.number().int().min(0).max(Number.MAX_SAFE_INTEGER), {
    description:
      "Seed of every random stream (synthetic workloads, random selection). Same seed and inputs give byte-identical results. Default 1.",
    default: 1,
  }).optional(),
  duration: doc(durationSchema({ allowZero: false }), {
    description: 'Simulated time: seconds or a duration such as "24h". Default "24h".',
    default: "24h",
  }).optional(),
  step: doc(durationSchema({ allowZero: false }), {
    description:
      'Scheduling interval: utilisation is sampled and policies run every step (CloudSim: 300 s). At most `duration`. Default "300s".',
    default: "300s",
  }).optional(),
  hostTypes: doc(z.record(typeName, hostTypeSchema), {
    description: "Kinds of physical host, by name.",
  }).refine((r) => Object.keys(r).length > 0, { message: "define at least one host type" }),
  hosts: doc(z.array(hostGroupSchema).min(1), {
    description: "The hosts: groups of one type each.",
  }),
  vmTypes: doc(z.record(typeName, vmTypeSchema), { description: "Kinds of VM, by name." }).refine(
    (r) => Object.keys(r).length > 0,
    { message: "define at least one VM type" },
  ),
  vms: doc(z.array(vmGroupSchema).min(1), {
    description: "The VMs: groups sharing a workload source.",
  }),
  network: networkSchema.optional(),
  policy: policySchema.optional(),
  migration: migrationSchema.optional(),
};

/**
 * Builds the zod schema of a whole scenario file: the core fields plus one optional top-level
 * field per extension section.
 *
 * @param sections - the extension sections to accept.
 * @returns a strict object schema (unknown keys are errors).
 */
export function buildScenarioFileSchema(
  sections: readonly ScenarioSection[],
): z.ZodType<ScenarioFileInput, unknown> {
  const shape: Record<string, z.ZodType> = {
    $schema: doc(z.string(), {
      description: "URL or path of this JSON Schema, for editors; ignored by vx.",
    }).optional(),
  };
  for (const [key, schema] of Object.entries(coreFields)) shape[key] = schema;
  for (const section of sections) {
    shape[section.name] = section.schema.meta({ description: section.description }).optional();
  }
  return z.strictObject(shape).meta({
    title: "vx scenario",
    description:
      "A vx data-center scenario: hosts, VMs and their workloads, network, consolidation policy and migration model. See docs/scenarios.md.",
  }) as unknown as z.ZodType<ScenarioFileInput, unknown>;
}

function nonDecreasing(values: readonly number[]): boolean {
  for (let i = 1; i < values.length; i++) if (values[i]! < values[i - 1]!) return false;
  return true;
}

// ---------------------------------------------------------------------------------------------
// Parsed (schema output) types: quantities in base units, optional fields still optional.

/** A host type after the schema (base units, defaults not yet filled). */
export interface HostTypeInput {
  cores: number;
  mips: number;
  ram: number;
  nic?: number | undefined;
  power: number[];
}
/** A VM type after the schema. */
export interface VmTypeInput {
  cores?: number | undefined;
  mips: number;
  ram: number;
  nic?: number | undefined;
}
/** A host group after the schema. */
export interface HostGroupInput {
  type: string;
  count: number;
}
/** A workload after the schema. */
export type WorkloadInput =
  | { kind: "planetlab"; folder: string; interval?: number | undefined }
  | { kind: "constant"; utilisation?: number | undefined }
  | {
      kind: "diurnal";
      mean?: number | undefined;
      amplitude?: number | undefined;
      period?: number | undefined;
      noise?: number | undefined;
    }
  | {
      kind: "bursty";
      base?: number | undefined;
      peak?: number | undefined;
      meanGap?: number | undefined;
      meanBurst?: number | undefined;
    }
  | {
      kind: "idle-spikes";
      idle?: number | undefined;
      spike?: number | undefined;
      meanGap?: number | undefined;
      spikeDuration?: number | undefined;
    }
  | {
      kind: "csv";
      file: string;
      timeColumn?: string | undefined;
      columns?: "all" | string[] | undefined;
      percent?: boolean | undefined;
    };
/** A VM group after the schema. */
export interface VmGroupInput {
  types: string | string[];
  count?: number | undefined;
  workload: WorkloadInput;
}
/** A network after the schema. */
export type NetworkInput =
  | { topology: "star"; latency?: number | undefined }
  | {
      topology: "tree";
      hostsPerRack?: number | undefined;
      oversubscription?: number | undefined;
      latency?: number | undefined;
    };
/** A policy after the schema. */
export interface PolicyInput {
  overload?: "thr" | "iqr" | "mad" | "lr" | "lrr" | "none" | "dvfs" | undefined;
  parameter?: number | undefined;
  selection?: "mmt" | "mc" | "mu" | "rs" | undefined;
  placement?: "pabfd" | undefined;
  underload?: boolean | undefined;
}
/** A migration model after the schema. */
export type MigrationInput =
  | { model: "cloudsim" }
  | {
      model: "precopy";
      rules?: "qemu" | "xen" | "simgrid" | undefined;
      downtimeLimit?: number | undefined;
      maxBandwidth?: number | undefined;
      dirtyRateAtFullLoad?: number | undefined;
    };
/** A whole scenario file after the schema; extension sections under their own names. */
export interface ScenarioFileInput {
  name?: string | undefined;
  seed?: number | undefined;
  duration?: number | undefined;
  step?: number | undefined;
  hostTypes: Record<string, HostTypeInput>;
  hosts: HostGroupInput[];
  vmTypes: Record<string, VmTypeInput>;
  vms: VmGroupInput[];
  network?: NetworkInput | undefined;
  policy?: PolicyInput | undefined;
  migration?: MigrationInput | undefined;
  readonly [section: string]: unknown;
}
