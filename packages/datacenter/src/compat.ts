/**
 * CloudSim-compatibility switches of the data-center model (the spec's `cloudsim` field).
 *
 * @module
 */

import { z } from "zod";

/**
 * Behaviours of CloudSim 4.0 that vx does not follow by default, each of which can be switched on
 * to reproduce CloudSim's published numbers. All default to false (vx semantics).
 */
export interface CloudsimQuirks {
  /**
   * CloudSim's clock: the first policy round at 300.1 s (VM creation acknowledgements take
   * 0.1 s, then one scheduling interval), rounds every step after that (300.1, 600.1, …), no
   * energy counted before the first round (host utilisation is not computed before it), and
   * nothing counted after the last round's migrations (events at or after the duration are
   * dropped). vx: rounds at 0, step, 2·step, … and every second of [0, duration] counted.
   */
  readonly timeline: boolean;
  /**
   * A VM whose CPU demand is exactly 0 at a processing time is considered finished and destroyed
   * for good (CloudSim's `HostDynamicWorkload.getCompletedVms`). On PlanetLab traces this removes
   * every VM at its first two consecutive zero samples: 532 of the 1052 VMs of 20110303. vx: VMs
   * live for the whole run.
   */
  readonly finishIdleVms: boolean;
  /**
   * A host is active (draws power, may receive VMs, counts in SLATAH) only while its CPU
   * utilisation is above 0, even if it holds idle VMs (CloudSim's `getSwitchedOffHosts` and
   * `getEnergyLinearInterpolation`). vx: a host is active while it holds a VM, and then draws at
   * least its idle power.
   */
  readonly activeByUtilisation: boolean;
  /**
   * A host receiving a VM counts as violating its SLA during the migration: it is asked for the
   * VM's whole demand but allocates 10 % of it (CloudSim's `HostDynamicWorkload` requested-MIPS
   * sum). vx: the destination is asked only for the 10 % it reserves.
   */
  readonly incomingMigrationViolates: boolean;
  /**
   * A VM needs its RAM and NIC bandwidth only when it is created: afterwards it asks for none, so
   * memory never limits consolidation (CloudSim's PlanetLab cloudlets use `UtilizationModelNull`
   * for RAM and bandwidth, and `Vm.getCurrentRequestedRam()` scales the VM's RAM by it). vx: a
   * VM always occupies its RAM and NIC share on its host, and a host takes only VMs that fit.
   */
  readonly memoryOnlyAtCreation: boolean;
}

/** vx semantics: every quirk off. */
export const VX_SEMANTICS: CloudsimQuirks = {
  timeline: false,
  finishIdleVms: false,
  activeByUtilisation: false,
  incomingMigrationViolates: false,
  memoryOnlyAtCreation: false,
};

/** CloudSim 4.0 semantics: every quirk on. */
export const CLOUDSIM_QUIRKS: CloudsimQuirks = {
  timeline: true,
  finishIdleVms: true,
  activeByUtilisation: true,
  incomingMigrationViolates: true,
  memoryOnlyAtCreation: true,
};

/** A choice of quirks: those set to true are on, the others off. */
export type CloudsimQuirkChoice = {
  readonly [K in keyof CloudsimQuirks]?: boolean | undefined;
};

/** The spec's `cloudsim` field. */
export interface CloudsimSpec {
  /** `true` for all of {@link CLOUDSIM_QUIRKS}, `false` for none, or a choice of them. */
  readonly quirks: boolean | CloudsimQuirkChoice;
}

/** The `cloudsim` field as written. */
export interface CloudsimInput {
  quirks?: boolean | { [K in keyof CloudsimQuirks]?: boolean | undefined } | undefined;
}

const quirkFlag = (description: string) => z.boolean().optional().describe(description);

/** The zod schema of the spec's `cloudsim` field. */
export const cloudsimSpecSchema: z.ZodType<CloudsimSpec, CloudsimInput | undefined> = z
  .strictObject({
    quirks: z
      .union([
        z.boolean(),
        z.strictObject({
          timeline: quirkFlag(
            "CloudSim's clock: rounds at 300.1 s, 600.1 s, …; nothing counted before the first round or after the last.",
          ),
          finishIdleVms: quirkFlag(
            "Destroy a VM for good when its CPU demand is exactly 0 (CloudSim getCompletedVms).",
          ),
          activeByUtilisation: quirkFlag(
            "A host is on only while its CPU utilisation is above 0, even if it holds idle VMs.",
          ),
          incomingMigrationViolates: quirkFlag(
            "A host receiving a VM violates its SLA during the migration (asked 100 %, gets 10 %).",
          ),
          memoryOnlyAtCreation: quirkFlag(
            "VMs need RAM and NIC bandwidth only when created, so memory never limits consolidation.",
          ),
        }),
      ])
      .default(false)
      .describe(
        "true: reproduce every CloudSim 4.0 behaviour listed in docs/cloudsim-comparison.md; false: vx semantics; or choose them one by one. Default false.",
      ),
  })
  .default({ quirks: false })
  .describe(
    "CloudSim-compatibility switches of the data-center model: reproduce CloudSim 4.0's clock, VM removal at zero demand, switch-off rule, SLA accounting of migrations and memory accounting. Default { quirks: false } (vx semantics).",
  );

/**
 * The quirks a `cloudsim` field asks for.
 *
 * @param spec - the field (absent: vx semantics).
 * @returns every switch, resolved.
 * @example
 * ```ts
 * resolveQuirks({ quirks: true }).finishIdleVms; // true
 * resolveQuirks({ quirks: { timeline: true } }).finishIdleVms; // false
 * ```
 */
export function resolveQuirks(spec: CloudsimSpec | undefined): CloudsimQuirks {
  const q = spec?.quirks ?? false;
  if (q === true) return CLOUDSIM_QUIRKS;
  if (q === false) return VX_SEMANTICS;
  return {
    timeline: q.timeline ?? false,
    finishIdleVms: q.finishIdleVms ?? false,
    activeByUtilisation: q.activeByUtilisation ?? false,
    incomingMigrationViolates: q.incomingMigrationViolates ?? false,
    memoryOnlyAtCreation: q.memoryOnlyAtCreation ?? false,
  };
}
