/**
 * The settings of a disaggregated rack run besides its layout and workload: the placement
 * policy, the guest's section size, the timings of slot assembly and hot-plug, the migration
 * state sizes. One zod schema ({@link rackSettingsSchema}) with every default exported
 * ({@link TIMING_DEFAULTS}, {@link MIGRATION_DEFAULTS}, {@link SECTION_DEFAULTS}).
 *
 * @module
 */

import { bytesSchema, durationSchema, ms, parseWith, type VxPath } from "@vx/core";
import { z } from "zod";
import type { QuantityInput } from "./layout.js";
import { MIGRATION_DEFAULTS } from "./migration.js";
import { ORCHESTRATOR_POLICY_NAMES, type OrchestratorPolicyName } from "./orchestrator.js";
import {
  PAGE_SIZES,
  type PageSize,
  SECTION_ARCHS,
  SECTION_DEFAULTS,
  type SectionArch,
  sectionRule,
} from "./sections.js";
import { REMOTE_MEMORY_DEFAULTS } from "./slowdown.js";

/**
 * Default timings of the orchestrator and the guest.
 *
 * - `plugSecondsPerGiB` 39 ms and `unplugSecondsPerGiB` 43 ms: a VM hot-plugged 256 GiB in 10 s
 *   and unplugged it in 11 s with virtio-mem on x86_64 (128 MiB blocks), as measured before the
 *   zone-contiguity optimisation of Y. Liu, "mm/memory hotplug/unplug: Optimize zone contiguous
 *   check when changing pfn range", linux-mm, March 2026 (3 s and 4 s after it). Per GiB rather
 *   than per section: onlining initialises the memory map page by page, so a 1 GiB arm64 section
 *   costs eight times a 128 MiB one.
 * - `decisionSeconds` 1 ms (*assumption*: the orchestrator's choice and its control messages).
 * - `sectionMapSeconds` 1 ms per section when a slot is assembled (*assumption*: the hypervisor
 *   maps a section of a remote bank into the new guest; no guest-side onlining at boot).
 * - `deviceAttachSeconds` 100 ms (*assumption*: attaching a remote device and the guest driver's
 *   probe).
 */
export const TIMING_DEFAULTS: {
  readonly decisionSeconds: number;
  readonly sectionMapSeconds: number;
  readonly plugSecondsPerGiB: number;
  readonly unplugSecondsPerGiB: number;
  readonly deviceAttachSeconds: number;
} = {
  decisionSeconds: ms(1),
  sectionMapSeconds: ms(1),
  plugSecondsPerGiB: 10 / 256,
  unplugSecondsPerGiB: 11 / 256,
  deviceAttachSeconds: ms(100),
};

/** Validated settings of a rack run. */
export interface RackSettings {
  /** Placement policy. */
  readonly policy: OrchestratorPolicyName;
  /** The guest architecture, kernel and page size the section size comes from. */
  readonly section: {
    readonly arch: SectionArch;
    readonly kernel: string;
    readonly pageSize: PageSize;
  };
  /** Section size, bytes (from `section`, unless given). */
  readonly sectionBytes: number;
  /** Take a VM's sections from its compute brick's local memory first. */
  readonly localFirst: boolean;
  /** Switch off bricks with nothing allocated (they draw nothing). */
  readonly powerOffIdle: boolean;
  /** Timings ({@link TIMING_DEFAULTS}). */
  readonly timings: typeof TIMING_DEFAULTS;
  /** Migration state sizes ({@link MIGRATION_DEFAULTS}). */
  readonly migration: typeof MIGRATION_DEFAULTS;
  /** Idle local DRAM latency, seconds. */
  readonly localLatencySeconds: number;
  /** Record time series. */
  readonly series: boolean;
}

/** Input form of {@link RackSettings}. */
export interface RackSettingsInput {
  readonly policy?: OrchestratorPolicyName;
  readonly memory?: {
    readonly arch?: SectionArch;
    readonly kernel?: string;
    readonly pageSize?: PageSize;
    /** A section size (a power of two ≥ 4 KiB) instead of the architecture's. */
    readonly sectionSize?: QuantityInput;
    readonly localFirst?: boolean;
  };
  readonly timings?: {
    readonly decision?: QuantityInput;
    readonly sectionMap?: QuantityInput;
    readonly plugPerGiB?: QuantityInput;
    readonly unplugPerGiB?: QuantityInput;
    readonly deviceAttach?: QuantityInput;
  };
  readonly migration?: {
    readonly cpuStatePerVcpu?: QuantityInput;
    readonly deviceState?: QuantityInput;
    readonly pause?: QuantityInput;
  };
  readonly localLatency?: QuantityInput;
  readonly powerOffIdle?: boolean;
  readonly series?: boolean;
}

const T = TIMING_DEFAULTS;
const M = MIGRATION_DEFAULTS;
const dur = (d: number): z.ZodDefault<z.ZodType<number, number | string>> =>
  durationSchema({ max: "1h" }).default(d);

const settingsSchema = z
  .strictObject({
    policy: z
      .enum(ORCHESTRATOR_POLICY_NAMES as [OrchestratorPolicyName, ...OrchestratorPolicyName[]])
      .default("first-fit"),
    memory: z
      .strictObject({
        arch: z
          .enum(SECTION_ARCHS as [SectionArch, ...SectionArch[]])
          .default(SECTION_DEFAULTS.arch),
        kernel: z
          .string()
          .regex(/^\d+\.\d+(\.\d+)?$/, 'a kernel version such as "5.11" or "6.1.12"')
          .default(SECTION_DEFAULTS.kernel),
        pageSize: z
          .enum(PAGE_SIZES as [PageSize, ...PageSize[]])
          .default(SECTION_DEFAULTS.pageSize),
        sectionSize: bytesSchema({ min: "4KiB", max: "64GiB" }).optional(),
        localFirst: z.boolean().default(true),
      })
      .prefault({}),
    timings: z
      .strictObject({
        decision: dur(T.decisionSeconds),
        sectionMap: dur(T.sectionMapSeconds),
        plugPerGiB: dur(T.plugSecondsPerGiB),
        unplugPerGiB: dur(T.unplugSecondsPerGiB),
        deviceAttach: dur(T.deviceAttachSeconds),
      })
      .prefault({}),
    migration: z
      .strictObject({
        cpuStatePerVcpu: bytesSchema({ max: "1GiB" }).default(M.cpuStateBytesPerVcpu),
        deviceState: bytesSchema({ max: "64GiB" }).default(M.deviceStateBytes),
        pause: dur(M.pauseSeconds),
      })
      .prefault({}),
    localLatency: durationSchema({ allowZero: false, max: "1ms" }).default(
      REMOTE_MEMORY_DEFAULTS.localLatencySeconds,
    ),
    powerOffIdle: z.boolean().default(true),
    series: z.boolean().default(true),
  })
  .prefault({})
  .superRefine((s, ctx) => {
    const size = s.memory.sectionSize;
    if (size !== undefined && !Number.isInteger(Math.log2(size))) {
      ctx.addIssue({
        code: "custom",
        message: `a section size is a power of two (2^SECTION_SIZE_BITS), got ${size} bytes.`,
        path: ["memory", "sectionSize"],
        params: { vxCode: "VX_SCHEMA_OUT_OF_RANGE" },
      });
    }
    if (size === undefined) {
      try {
        sectionRule(s.memory);
      } catch (error) {
        ctx.addIssue({
          code: "custom",
          message: (error as Error).message,
          path: ["memory", "pageSize"],
          params: { vxCode: "VX_DISAGG_NO_SECTION_RULE" },
        });
      }
    }
  })
  .transform((s): RackSettings => {
    const section = { arch: s.memory.arch, kernel: s.memory.kernel, pageSize: s.memory.pageSize };
    return {
      policy: s.policy,
      section,
      sectionBytes: s.memory.sectionSize ?? 2 ** sectionRule(section).bits,
      localFirst: s.memory.localFirst,
      powerOffIdle: s.powerOffIdle,
      timings: {
        decisionSeconds: s.timings.decision,
        sectionMapSeconds: s.timings.sectionMap,
        plugSecondsPerGiB: s.timings.plugPerGiB,
        unplugSecondsPerGiB: s.timings.unplugPerGiB,
        deviceAttachSeconds: s.timings.deviceAttach,
      },
      migration: {
        cpuStateBytesPerVcpu: s.migration.cpuStatePerVcpu,
        deviceStateBytes: s.migration.deviceState,
        pauseSeconds: s.migration.pause,
      },
      localLatencySeconds: s.localLatency,
      series: s.series,
    };
  });

/** The schema of the rack run's settings. Validate with {@link parseRackSettings}. */
export const rackSettingsSchema: z.ZodType<RackSettings, RackSettingsInput | undefined> =
  settingsSchema as z.ZodType<RackSettings, RackSettingsInput | undefined>;

/**
 * Validates the settings of a rack run and fills their defaults.
 *
 * @param input - policy, memory (section size), timings, migration state, power.
 * @param path - where they sit in a larger input, for errors.
 * @returns the settings.
 * @throws {@link @vx/core!VxError} `VX_DISAGG_BAD_SETTINGS` listing every bad field with its path.
 * @example
 * ```ts
 * parseRackSettings({ memory: { arch: "arm64", kernel: "5.10" } }).sectionBytes; // 1 GiB
 * ```
 */
export function parseRackSettings(input: RackSettingsInput = {}, path: VxPath = []): RackSettings {
  return parseWith(rackSettingsSchema, input, {
    code: "VX_DISAGG_BAD_SETTINGS",
    what: "disaggregated rack settings",
    path,
  });
}
