/**
 * How a live migration is modelled in the data center: CloudSim's fixed delay, or a real
 * `@vx/migration` session (pre-copy with QEMU's or SimGrid's rules, post-copy, hybrid) whose
 * transfers cross the spec's network, so concurrent migrations contend. One registry entry per
 * model, and the zod schema of `migration`.
 *
 * @module
 */

import { bytesSchema, durationSchema, rateSchema } from "@vx/core";
import type { StrategyName } from "@vx/migration";
import { z } from "zod";
import { doc, tag } from "./internal/doc.js";
import type { QuantityInput } from "./quantity.js";

/** The migration models, by name (`migration.model`). */
export type MigrationModelName = "cloudsim" | "precopy" | "precopy-simgrid" | "postcopy" | "hybrid";

/** One migration model: a registry entry. */
export interface MigrationModelEntry {
  /** Its name in specs and scenario files (`migration.model`). */
  readonly name: MigrationModelName;
  /** Short label for tables and summaries. */
  readonly label: string;
  /** One sentence for the docs and the JSON Schema. */
  readonly description: string;
  /** The `@vx/migration` strategy a migration runs, or `undefined` for CloudSim's delay. */
  readonly strategy: StrategyName | undefined;
  /**
   * CloudSim's CPU accounting of a migrating VM: 90 % of its demand on the source (the 10 %
   * lost is the PDM), 10 % reserved on the destination. Only the CloudSim-compatible model uses
   * it; the real models lose what the VM actually does not execute (downtime, throttling).
   */
  readonly cloudsimCpuRule: boolean;
  /** Where the model comes from. */
  readonly source: string;
}

/**
 * The migration models: the only place one is defined. The spec's `migration.model` enum, the
 * docs table and the summary labels derive from it.
 */
export const MIGRATION_MODELS: Readonly<Record<MigrationModelName, MigrationModelEntry>> = {
  cloudsim: {
    name: "cloudsim",
    label: "CloudSim delay",
    description:
      "CloudSim's delay: RAM / (50 % of the destination's NIC); no network, no dirtying, no downtime; the VM loses 10 % of its CPU meanwhile.",
    strategy: undefined,
    cloudsimCpuRule: true,
    source: "CloudSim 4.0 PowerDatacenter; Beloglazov & Buyya, CCPE 2012, §5",
  },
  precopy: {
    name: "precopy",
    label: "pre-copy (QEMU)",
    description:
      "Pre-copy with QEMU's rules (rounds, switch-over test against the downtime limit, max-bandwidth, auto-converge, multifd, xbzrle) on the spec's network.",
    strategy: "precopy-qemu",
    cloudsimCpuRule: false,
    source: "QEMU migration/ (ram.c, migration.c, options.c); @vx/migration precopy-qemu",
  },
  "precopy-simgrid": {
    name: "precopy-simgrid",
    label: "pre-copy (SimGrid)",
    description:
      "Pre-copy with SimGrid's validated rules (stages 1-3, 30 ms target downtime) on the spec's network.",
    strategy: "precopy-simgrid",
    cloudsimCpuRule: false,
    source:
      "Hirofuchi, Lèbre & Pouilloux, IEEE TCC 2015; SimGrid VmLiveMigration.cpp; @vx/migration precopy-simgrid",
  },
  postcopy: {
    name: "postcopy",
    label: "post-copy",
    description:
      "Post-copy: the VM switches to the destination at once; pages follow by demand faults and a background push; a network failure loses the VM.",
    strategy: "postcopy",
    cloudsimCpuRule: false,
    source: "Hines & Gopalan, VEE 2009; QEMU postcopy-ram; @vx/migration postcopy",
  },
  hybrid: {
    name: "hybrid",
    label: "hybrid",
    description: "Hybrid: pre-copy rounds with QEMU's rules, then post-copy.",
    strategy: "hybrid",
    cloudsimCpuRule: false,
    source: "Hines & Gopalan, VEE 2009, §3; @vx/migration hybrid",
  },
};

/** The migration model names in registry order. */
export const MIGRATION_MODEL_NAMES: readonly MigrationModelName[] = Object.keys(
  MIGRATION_MODELS,
) as MigrationModelName[];

/** A concurrency limit: a count ≥ 1, or no limit. */
export type ConcurrencyLimit = number | "unlimited";

/**
 * Defaults of the migration models, in base units.
 *
 * - `downtimeLimit` 300 ms and `maxBandwidth` 128 MiB/s: QEMU's `downtime-limit` and
 *   `max-bandwidth` since 5.2 (`migration/options.c`).
 * - `multifdChannels` 2, `xbzrleCacheSize` 64 MiB: QEMU's defaults.
 * - `simgridMaxDowntime` 30 ms: hard-coded in SimGrid's `VmLiveMigration.cpp`.
 * - `maxOutgoing` 2 per host, `completionTimeoutPerGiB` 800 s: KubeVirt's
 *   `parallelOutboundMigrationsPerNode` and `completionTimeoutPerGiB` (KubeVirt live-migration
 *   configuration; OpenShift Virtualization documents the same defaults). CloudSim has no limit:
 *   the `cloudsim` model defaults to `unlimited`, which keeps CloudSim's results.
 * - `maxIncoming` unlimited: neither KubeVirt nor OpenStack Nova limits incoming migrations per
 *   host.
 * - `precopyRounds` 1: hybrid migration as Hines & Gopalan describe it (one pre-copy round).
 */
export const MIGRATION_DEFAULTS: {
  readonly downtimeLimit: number;
  readonly maxBandwidth: number;
  readonly autoConverge: boolean;
  readonly multifd: boolean;
  readonly multifdChannels: number;
  readonly xbzrle: boolean;
  readonly xbzrleCacheSize: number;
  readonly simgridMaxDowntime: number;
  readonly completionTimeoutPerGiB: number;
  readonly maxOutgoing: ConcurrencyLimit;
  readonly maxIncoming: ConcurrencyLimit;
  readonly precopyRounds: number;
  readonly postcopyRecovery: boolean;
} = {
  downtimeLimit: 0.3,
  maxBandwidth: 134_217_728,
  autoConverge: false,
  multifd: false,
  multifdChannels: 2,
  xbzrle: false,
  xbzrleCacheSize: 67_108_864,
  simgridMaxDowntime: 0.03,
  completionTimeoutPerGiB: 800,
  maxOutgoing: 2,
  maxIncoming: "unlimited",
  precopyRounds: 1,
  postcopyRecovery: false,
};

interface Limits {
  /** Most migrations leaving one host at once (more wait in a FIFO queue). */
  readonly maxOutgoing: ConcurrencyLimit;
  /** Most migrations entering one host at once. */
  readonly maxIncoming: ConcurrencyLimit;
}

interface Timeout {
  /** A migration still running after this many seconds per GiB of the VM's RAM is cancelled. */
  readonly completionTimeoutPerGiB: number;
}

/** CloudSim's delay model. */
export interface CloudsimMigrationSpec extends Limits {
  readonly model: "cloudsim";
}

/** Pre-copy with QEMU's rules. */
export interface PrecopyMigrationSpec extends Limits, Timeout {
  readonly model: "precopy";
  readonly downtimeLimit: number;
  readonly maxBandwidth: number;
  readonly autoConverge: boolean;
  readonly multifd: boolean;
  readonly multifdChannels: number;
  readonly xbzrle: boolean;
  readonly xbzrleCacheSize: number;
}

/** Pre-copy with SimGrid's rules. */
export interface SimgridMigrationSpec extends Limits, Timeout {
  readonly model: "precopy-simgrid";
  /** SimGrid's migration speed (`sg_vm_set_migration_speed`), bytes/s, or no cap. */
  readonly maxBandwidth: number | "unlimited";
  readonly maxDowntime: number;
}

/** Post-copy. */
export interface PostcopyMigrationSpec extends Limits, Timeout {
  readonly model: "postcopy";
  /** QEMU's `max-postcopy-bandwidth`, bytes/s, or no cap. */
  readonly maxBandwidth: number | "unlimited";
  /** `postcopy-recovery`: a network failure pauses the migration instead of losing the VM. */
  readonly recovery: boolean;
}

/** Hybrid: pre-copy rounds with QEMU's rules, then post-copy. */
export interface HybridMigrationSpec extends Limits, Timeout {
  readonly model: "hybrid";
  readonly downtimeLimit: number;
  readonly maxBandwidth: number;
  readonly precopyRounds: number;
  readonly recovery: boolean;
}

/** How migrations are modelled (after the schema: base units, defaults filled). */
export type MigrationSpec =
  | CloudsimMigrationSpec
  | PrecopyMigrationSpec
  | SimgridMigrationSpec
  | PostcopyMigrationSpec
  | HybridMigrationSpec;

/** A migration model as written. */
export type MigrationInput =
  | {
      model: "cloudsim";
      maxOutgoing?: number | "unlimited" | undefined;
      maxIncoming?: number | "unlimited" | undefined;
    }
  | {
      model: "precopy";
      downtimeLimit?: QuantityInput | undefined;
      maxBandwidth?: QuantityInput | undefined;
      autoConverge?: boolean | undefined;
      multifd?: boolean | undefined;
      multifdChannels?: number | undefined;
      xbzrle?: boolean | undefined;
      xbzrleCacheSize?: QuantityInput | undefined;
      completionTimeoutPerGiB?: QuantityInput | undefined;
      maxOutgoing?: number | "unlimited" | undefined;
      maxIncoming?: number | "unlimited" | undefined;
    }
  | {
      model: "precopy-simgrid";
      maxBandwidth?: (QuantityInput | undefined) | "unlimited";
      maxDowntime?: QuantityInput | undefined;
      completionTimeoutPerGiB?: QuantityInput | undefined;
      maxOutgoing?: number | "unlimited" | undefined;
      maxIncoming?: number | "unlimited" | undefined;
    }
  | {
      model: "postcopy";
      maxBandwidth?: (QuantityInput | undefined) | "unlimited";
      recovery?: boolean | undefined;
      completionTimeoutPerGiB?: QuantityInput | undefined;
      maxOutgoing?: number | "unlimited" | undefined;
      maxIncoming?: number | "unlimited" | undefined;
    }
  | {
      model: "hybrid";
      downtimeLimit?: QuantityInput | undefined;
      maxBandwidth?: QuantityInput | undefined;
      precopyRounds?: number | undefined;
      recovery?: boolean | undefined;
      completionTimeoutPerGiB?: QuantityInput | undefined;
      maxOutgoing?: number | "unlimited" | undefined;
      maxIncoming?: number | "unlimited" | undefined;
    };

const M = MIGRATION_DEFAULTS;

const limit = (what: string, value: ConcurrencyLimit) =>
  doc(z.union([z.number().int().min(1).max(1_000_000), z.literal("unlimited")]).default(value), {
    description: `Most migrations ${what} one host at once; more wait in a first-in first-out queue (their destination stays reserved). A count or "unlimited". Default ${JSON.stringify(value)}.`,
    default: value,
  });

const timeout = doc(durationSchema({ allowZero: false }).default(M.completionTimeoutPerGiB), {
  description:
    "A migration still running after this long per GiB of the VM's RAM is cancelled (pre-copy: the VM stays on its source; the result counts it). Seconds or a duration. Default \"800s\" (KubeVirt's completionTimeoutPerGiB).",
  default: "800s",
});

const downtimeLimit = doc(durationSchema({ allowZero: false }).default(M.downtimeLimit), {
  description: 'Largest acceptable downtime (QEMU downtime-limit). Default "300ms".',
  default: "300ms",
});

const qemuBandwidth = doc(rateSchema({ allowZero: false }).default(M.maxBandwidth), {
  description: 'Bandwidth cap of one migration (QEMU max-bandwidth). Default "128MiB/s".',
  default: "128MiB/s",
});

const uncapped = (description: string) =>
  doc(z.union([z.literal("unlimited"), rateSchema({ allowZero: false })]).default("unlimited"), {
    description: `${description} A rate such as "1GiB/s", or "unlimited". Default "unlimited".`,
    default: "unlimited",
  });

const recovery = doc(z.boolean().default(M.postcopyRecovery), {
  description:
    "QEMU postcopy-recovery: a network failure during post-copy pauses the migration instead of losing the VM. Default false.",
  default: false,
});

const cloudsim = z
  .strictObject({
    model: tag("cloudsim", "Migration model."),
    maxOutgoing: limit("leaving", "unlimited"),
    maxIncoming: limit("entering", "unlimited"),
  })
  .describe(MIGRATION_MODELS.cloudsim.description);

const precopy = z
  .strictObject({
    model: tag("precopy", "Migration model."),
    downtimeLimit,
    maxBandwidth: qemuBandwidth,
    autoConverge: doc(z.boolean().default(M.autoConverge), {
      description:
        "QEMU auto-converge: throttle the vCPUs (20 %, then +10 % per step) when dirtying outpaces the transfer. Default false.",
      default: false,
    }),
    multifd: doc(z.boolean().default(M.multifd), {
      description: "QEMU multifd: parallel migration channels. Default false.",
      default: false,
    }),
    multifdChannels: doc(z.number().int().min(1).max(256).default(M.multifdChannels), {
      description: "QEMU multifd-channels. Default 2.",
      default: 2,
    }),
    xbzrle: doc(z.boolean().default(M.xbzrle), {
      description:
        "QEMU xbzrle: delta-encode re-sent pages found in a source-side cache (not with multifd). Default false.",
      default: false,
    }),
    xbzrleCacheSize: doc(bytesSchema({ allowZero: false }).default(M.xbzrleCacheSize), {
      description: 'QEMU xbzrle-cache-size. Default "64MiB".',
      default: "64MiB",
    }),
    completionTimeoutPerGiB: timeout,
    maxOutgoing: limit("leaving", M.maxOutgoing),
    maxIncoming: limit("entering", M.maxIncoming),
  })
  .describe(MIGRATION_MODELS.precopy.description);

const simgrid = z
  .strictObject({
    model: tag("precopy-simgrid", "Migration model."),
    maxBandwidth: uncapped("SimGrid's migration speed (sg_vm_set_migration_speed)."),
    maxDowntime: doc(durationSchema({ allowZero: false }).default(M.simgridMaxDowntime), {
      description: 'Target downtime (SimGrid hard-codes 30 ms). Default "30ms".',
      default: "30ms",
    }),
    completionTimeoutPerGiB: timeout,
    maxOutgoing: limit("leaving", M.maxOutgoing),
    maxIncoming: limit("entering", M.maxIncoming),
  })
  .describe(MIGRATION_MODELS["precopy-simgrid"].description);

const postcopy = z
  .strictObject({
    model: tag("postcopy", "Migration model."),
    maxBandwidth: uncapped("QEMU max-postcopy-bandwidth."),
    recovery,
    completionTimeoutPerGiB: timeout,
    maxOutgoing: limit("leaving", M.maxOutgoing),
    maxIncoming: limit("entering", M.maxIncoming),
  })
  .describe(MIGRATION_MODELS.postcopy.description);

const hybrid = z
  .strictObject({
    model: tag("hybrid", "Migration model."),
    downtimeLimit,
    maxBandwidth: qemuBandwidth,
    precopyRounds: doc(z.number().int().min(1).max(1000).default(M.precopyRounds), {
      description: "Pre-copy rounds before switching to post-copy. Default 1.",
      default: 1,
    }),
    recovery,
    completionTimeoutPerGiB: timeout,
    maxOutgoing: limit("leaving", M.maxOutgoing),
    maxIncoming: limit("entering", M.maxIncoming),
  })
  .describe(MIGRATION_MODELS.hybrid.description);

const CLOUDSIM_DEFAULT: MigrationSpec = {
  model: "cloudsim",
  maxOutgoing: "unlimited",
  maxIncoming: "unlimited",
};

/**
 * The zod schema of `migration`: a discriminated union on `model`, each variant with its options
 * and their defaults.
 *
 * @example
 * ```ts
 * migrationSchema.parse({ model: "precopy" }).maxBandwidth; // 134217728 (128 MiB/s)
 * ```
 */
export const migrationSchema: z.ZodType<MigrationSpec, MigrationInput | undefined> = doc(
  z
    .discriminatedUnion("model", [cloudsim, precopy, simgrid, postcopy, hybrid])
    .default(() => ({ ...CLOUDSIM_DEFAULT })),
  {
    description:
      'How a migration is modelled: cloudsim (CloudSim\'s delay), precopy (QEMU), precopy-simgrid, postcopy or hybrid, each a @vx/migration session on the network. Default { model: "cloudsim" }.',
    default: { model: "cloudsim" },
  },
);
