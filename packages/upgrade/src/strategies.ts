/**
 * The upgrade strategies: one registry entry each (name, kind, what it promises, sources), and
 * the settings of all of them in one object with documented defaults.
 *
 * @module
 */

import { durationSchema } from "@vx/core";
import { z } from "zod";
import {
  type CprRebootSettings,
  type CprTransferSettings,
  cprRebootSchema,
  cprTransferSchema,
  type HyfixSettings,
  type HyperfreshSettings,
  hyfixSchema,
  hyperfreshSchema,
  type InPlaceName,
  type MultifixSettings,
  multifixSchema,
} from "./in-place.js";

/** Every strategy's name. */
export type StrategyName = "evacuate" | "terminate" | InPlaceName;

/** How a strategy treats the VMs of a host it upgrades. */
export type StrategyKind = "evacuate" | "terminate" | "in-place";

/** One strategy: a registry entry. */
export interface StrategyEntry {
  readonly name: StrategyName;
  readonly kind: StrategyKind;
  /** One sentence: what it does. */
  readonly description: string;
  /** Whether the VMs' running state survives (false: they are restarted from their disks). */
  readonly keepsState: boolean;
  /** Whether it moves VMs over the network. */
  readonly usesNetwork: boolean;
  /** Where its model and figures come from. */
  readonly source: string;
}

/**
 * Evacuation settings.
 *
 * - `rebootSeconds` 7.6: the emptied host reboots as fast as Hy-FiX's (an assumption that favours
 *   no strategy; a firmware reboot takes minutes: set it).
 * - `maxAttempts` 3: migrations of one VM that may fail to converge before its host's upgrade is
 *   given up (an assumption, the way operators retry).
 */
export const EVACUATE_DEFAULTS: { readonly rebootSeconds: number; readonly maxAttempts: number } = {
  rebootSeconds: 7.6,
  maxAttempts: 3,
};

/** Where terminated VMs restart. */
export type RestartPlace = "same-host" | "elsewhere";

/**
 * Terminate-and-restart settings (for replicated, stateless services).
 *
 * - `rebootSeconds` 7.6: as {@link EVACUATE_DEFAULTS}.
 * - `vmBootSeconds` 30: a guest OS boot and service start (an assumption).
 * - `restart` `"same-host"`: the VMs restart on their host once it is back (no spare capacity
 *   needed); `"elsewhere"` restarts them at once on another host with room.
 */
export const TERMINATE_DEFAULTS: {
  readonly rebootSeconds: number;
  readonly vmBootSeconds: number;
  readonly restart: RestartPlace;
} = { rebootSeconds: 7.6, vmBootSeconds: 30, restart: "same-host" };

/** Evacuation settings (after the schema). */
export interface EvacuateSettings {
  readonly rebootSeconds: number;
  readonly maxAttempts: number;
}

/** Terminate-and-restart settings (after the schema). */
export interface TerminateSettings {
  readonly rebootSeconds: number;
  readonly vmBootSeconds: number;
  readonly restart: RestartPlace;
}

/** Every strategy's settings (after the schema). */
export interface StrategySettings {
  readonly evacuate: EvacuateSettings;
  readonly terminate: TerminateSettings;
  readonly hyfix: HyfixSettings;
  readonly multifix: MultifixSettings;
  readonly hyperfresh: HyperfreshSettings;
  readonly "cpr-reboot": CprRebootSettings;
  readonly "cpr-transfer": CprTransferSettings;
}

/** Every strategy's settings as written (each key optional, each field optional). */
export type StrategySettingsInput = {
  readonly [K in StrategyName]?: Readonly<Record<string, unknown>> | undefined;
};

/** The registry: every strategy, in the order `vx upgrade --strategy all` shows them. */
export const UPGRADE_STRATEGIES: Readonly<Record<StrategyName, StrategyEntry>> = {
  evacuate: {
    name: "evacuate",
    kind: "evacuate",
    description:
      "Every VM leaves by live migration (the data center's migration model, on its network) to hosts with room; the empty host reboots.",
    keepsState: true,
    usesNetwork: true,
    source: "@vx/migration (QEMU pre-copy and others); Segalini et al., IEEE TCC 2021, §1",
  },
  terminate: {
    name: "terminate",
    kind: "terminate",
    description:
      "VMs are shut down and restarted (replicated, stateless services): downtime is the restart.",
    keepsState: false,
    usesNetwork: false,
    source: "Segalini et al., IEEE TCC 2021 (the baseline Hy-FiX replaces)",
  },
  hyfix: {
    name: "hyfix",
    kind: "in-place",
    description:
      "Hy-FiX: VM memory kept in RAM across the host reboot; checkpoint, constant-time reboot, restore.",
    keepsState: true,
    usesNetwork: false,
    source: "Segalini et al., Hy-FiX, IEEE TCC 10(4) 2022: 2.31 s for 256 GB, 7.6 s reboot",
  },
  multifix: {
    name: "multifix",
    kind: "in-place",
    description:
      "Multi-FiX (explicit variant, assumptions stated): Hy-FiX with every VM of the host checkpointed and restored at once by zero-copy handover.",
    keepsState: true,
    usesNetwork: false,
    source: "no text found; assumptions in docs/upgrade.md",
  },
  hyperfresh: {
    name: "hyperfresh",
    kind: "in-place",
    description:
      "HyperFresh-like live hypervisor replacement: guest memory remapped to a new hypervisor in about 10 ms; no host reboot.",
    keepsState: true,
    usesNetwork: false,
    source: "Bagdi et al., HyperFresh, VEE 2019",
  },
  "cpr-reboot": {
    name: "cpr-reboot",
    kind: "in-place",
    description:
      "QEMU cpr-reboot: VM state saved to a file, guest RAM kept in place (DAX), host rebooted, QEMU restarted.",
    keepsState: true,
    usesNetwork: false,
    source: "QEMU docs/devel/migration/CPR.rst",
  },
  "cpr-transfer": {
    name: "cpr-transfer",
    kind: "in-place",
    description:
      "QEMU cpr-transfer: a new QEMU on the same host takes over guest RAM by file descriptors; the host kernel is not upgraded.",
    keepsState: true,
    usesNetwork: false,
    source: "QEMU docs/devel/migration/CPR.rst",
  },
};

/** Every strategy name, in registry order. */
export const STRATEGY_NAMES: readonly StrategyName[] = Object.keys(
  UPGRADE_STRATEGIES,
) as StrategyName[];

const evacuateSchema: z.ZodType<EvacuateSettings, unknown> = z
  .strictObject({
    rebootSeconds: durationSchema()
      .default(EVACUATE_DEFAULTS.rebootSeconds)
      .describe("Reboot of the emptied host. Default 7.6 s."),
    maxAttempts: z
      .number()
      .int()
      .min(1)
      .max(100)
      .default(EVACUATE_DEFAULTS.maxAttempts)
      .describe("Migrations of one VM that may fail before its host is given up. Default 3."),
  })
  .prefault({});

const terminateSchema: z.ZodType<TerminateSettings, unknown> = z
  .strictObject({
    rebootSeconds: durationSchema()
      .default(TERMINATE_DEFAULTS.rebootSeconds)
      .describe("Reboot of the host. Default 7.6 s."),
    vmBootSeconds: durationSchema()
      .default(TERMINATE_DEFAULTS.vmBootSeconds)
      .describe("Boot of a restarted VM (an assumption). Default 30 s."),
    restart: z
      .enum(["same-host", "elsewhere"])
      .default(TERMINATE_DEFAULTS.restart)
      .describe('Where VMs restart: "same-host" once it is back, or "elsewhere" at once.'),
  })
  .prefault({});

/**
 * The zod schema of every strategy's settings: one optional object per strategy name, each field
 * with its default.
 *
 * @example
 * ```ts
 * strategySettingsSchema.parse({ hyfix: { ramExponent: 0 } }).hyfix.rebootSeconds; // 7.6
 * ```
 */
export const strategySettingsSchema: z.ZodType<StrategySettings, unknown> = z.strictObject({
  evacuate: evacuateSchema,
  terminate: terminateSchema,
  hyfix: hyfixSchema,
  multifix: multifixSchema,
  hyperfresh: hyperfreshSchema,
  "cpr-reboot": cprRebootSchema,
  "cpr-transfer": cprTransferSchema,
});
