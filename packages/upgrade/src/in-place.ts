/**
 * In-place upgrade strategies: the VMs stay on their host while its hypervisor (or QEMU) is
 * replaced. Hy-FiX keeps guest memory in RAM across a host reboot (Segalini et al., IEEE TCC
 * 2021); Multi-FiX is this package's explicit variant of it for many VMs; HyperFresh replaces a
 * nested hypervisor in place (Bagdi et al., VEE 2019); QEMU's CPR modes restart QEMU, and with
 * `cpr-reboot` the host kernel, with guest RAM left in place (QEMU `docs/devel/migration/CPR.rst`).
 *
 * Each is one registry entry: a zod schema with documented defaults (exported as a constant) and
 * a schedule that turns a host's VMs into phases: prepare (VMs run, degraded), checkpoint (VMs
 * paused), host reboot, restore. The VMs of a host pause together when the checkpoint starts and
 * resume together when the last restore ends (an assumption: the papers time one VM).
 *
 * @module
 */

import { bytesSchema, durationSchema } from "@vx/core";
import { z } from "zod";

/** The names of the in-place strategies. */
export type InPlaceName = "hyfix" | "multifix" | "hyperfresh" | "cpr-reboot" | "cpr-transfer";

/** A VM as an in-place schedule sees it. */
export interface InPlaceVm {
  /** Guest RAM, bytes. */
  readonly ramBytes: number;
  /** Virtual CPUs. */
  readonly vcpus: number;
}

/** The phases of one host's in-place upgrade, seconds. */
export interface InPlaceSchedule {
  /** Before the pause: VMs run (degraded: e.g. the new hypervisor boots beside the old one). */
  readonly prepareSeconds: number;
  /** VMs paused, their state saved (memory stays in RAM). */
  readonly checkpointSeconds: number;
  /** The host reboots (0 when the strategy does not reboot it). */
  readonly rebootSeconds: number;
  /** VMs' state loaded back. */
  readonly restoreSeconds: number;
  /** checkpoint + reboot + restore: each VM's downtime (they pause and resume together). */
  readonly downtimeSeconds: number;
  /** Whether the host's RAM (holding the paused VMs) is lost if the host loses power meanwhile. */
  readonly volatile: boolean;
  /** Whether the host kernel is upgraded too (false: only the hypervisor or QEMU). */
  readonly upgradesKernel: boolean;
}

/**
 * Hy-FiX's published figures and this package's scaling assumptions.
 *
 * - `checkpointRestoreSeconds` 2.31 for a VM of `referenceRamBytes` 256 GB (10^9 bytes), and
 *   `rebootSeconds` 7.6 for an enterprise host "regardless of its equipped memory": Segalini,
 *   Lopez-Pacheco, Urvoy-Keller et al., "Hy-FiX: Fast In-Place Upgrades of KVM Hypervisors",
 *   IEEE TCC 10(4), 2022 (online 2021), abstract.
 * - `ramExponent` 1: an assumption. Memory stays in place, so what the checkpoint saves and the
 *   restore rebuilds is the VM's device state plus the map of its guest pages, which grows with
 *   the page count: the cost is taken proportional to RAM. 0 makes it constant.
 * - `checkpointShare` 0.5: an assumption (the paper gives checkpoint + restore as one figure).
 * - `perVmSeconds` 0 and `perVcpuSeconds` 0: fixed costs per VM and per vCPU (device and vCPU
 *   state), assumptions; none is published.
 * - `parallel` false: an assumption: the VMs of a host are checkpointed, then restored, one after
 *   another, so a host's downtime grows with its VM count (Multi-FiX lifts this).
 */
export const HYFIX_DEFAULTS: {
  readonly checkpointRestoreSeconds: number;
  readonly referenceRamBytes: number;
  readonly ramExponent: number;
  readonly checkpointShare: number;
  readonly perVmSeconds: number;
  readonly perVcpuSeconds: number;
  readonly parallel: boolean;
  readonly rebootSeconds: number;
} = {
  checkpointRestoreSeconds: 2.31,
  referenceRamBytes: 256e9,
  ramExponent: 1,
  checkpointShare: 0.5,
  perVmSeconds: 0,
  perVcpuSeconds: 0,
  parallel: false,
  rebootSeconds: 7.6,
};

/**
 * Multi-FiX: no text was found, so every figure is an assumption. It is taken as Hy-FiX for many
 * VMs with a zero-copy handover inside the host: every VM's memory stays in place and all VMs are
 * checkpointed and restored at once (`parallel` true), so a host's downtime is that of its
 * largest VM plus the reboot, whatever its VM count. Costs as {@link HYFIX_DEFAULTS}, plus
 * `handoverSeconds` 0.05 per host for handing the preserved memory over (an assumption).
 */
export const MULTIFIX_DEFAULTS: {
  readonly checkpointRestoreSeconds: number;
  readonly referenceRamBytes: number;
  readonly ramExponent: number;
  readonly checkpointShare: number;
  readonly perVmSeconds: number;
  readonly perVcpuSeconds: number;
  readonly parallel: boolean;
  readonly rebootSeconds: number;
  readonly handoverSeconds: number;
} = { ...HYFIX_DEFAULTS, parallel: true, handoverSeconds: 0.05 };

/**
 * HyperFresh-like live hypervisor replacement (Bagdi, Williams, Gopalan et al., "HyperFresh:
 * Live Refresh of Hypervisors Using Nested Virtualization", APSys 2017 / VEE 2019): a thin
 * hyperplexor remaps guest memory to a new hypervisor instance.
 *
 * - `switchSeconds` 0.01: the published replacement time ("within 10 ms"); every VM pauses
 *   that long; the host never reboots, so its kernel (the hyperplexor) is not upgraded.
 * - `prepareSeconds` 60: booting the new hypervisor instance beside the old one while the VMs
 *   run, an assumption (not published as a figure we could find).
 */
export const HYPERFRESH_DEFAULTS: {
  readonly switchSeconds: number;
  readonly prepareSeconds: number;
} = { switchSeconds: 0.01, prepareSeconds: 60 };

/**
 * QEMU `cpr-reboot` (QEMU ≥ 8.2, `docs/devel/migration/CPR.rst`): QEMU stops the VM and writes
 * its state to a file, guest RAM stays in place in shared memory (`x-ignore-shared`; across a
 * host reboot it must be non-volatile, e.g. a DAX device), the host reboots to a new kernel and a
 * new QEMU loads the state.
 *
 * - `stateSeconds` 0.2 per VM to save and as much to load (device state only): an assumption.
 * - `rebootSeconds` 7.6: an assumption, a kexec reboot as fast as Hy-FiX's (a firmware reboot
 *   with full memory initialisation takes far longer; set it).
 * - `parallel` true: each VM has its own QEMU, saved and restored at once.
 */
export const CPR_REBOOT_DEFAULTS: {
  readonly stateSeconds: number;
  readonly rebootSeconds: number;
  readonly parallel: boolean;
} = { stateSeconds: 0.2, rebootSeconds: 7.6, parallel: true };

/**
 * QEMU `cpr-transfer` (QEMU ≥ 10.0, `docs/devel/migration/CPR.rst`): a new QEMU on the same host
 * receives the old one's guest-RAM file descriptors and state over a socket, "with minimal guest
 * pause time"; the host kernel is not rebooted (only QEMU is upgraded).
 *
 * - `pauseSeconds` 0.1 per VM: an assumption (the QEMU documentation gives no figure).
 */
export const CPR_TRANSFER_DEFAULTS: { readonly pauseSeconds: number } = { pauseSeconds: 0.1 };

const seconds = (d: number, text: string) =>
  durationSchema().default(d).describe(`${text} Seconds or a duration.`);

const fixSchema = (d: typeof HYFIX_DEFAULTS) =>
  z.strictObject({
    checkpointRestoreSeconds: seconds(
      d.checkpointRestoreSeconds,
      `Checkpoint + restore of a VM of referenceRam. Default ${d.checkpointRestoreSeconds} s (Hy-FiX, IEEE TCC 2021).`,
    ),
    referenceRam: bytesSchema({ allowZero: false })
      .default(d.referenceRamBytes)
      .describe("The VM size checkpointRestoreSeconds was measured at. Default 256 GB."),
    ramExponent: z
      .number()
      .min(0)
      .max(2)
      .default(d.ramExponent)
      .describe(
        `Checkpoint + restore ∝ (RAM / referenceRam)^ramExponent. Default ${d.ramExponent} (an assumption).`,
      ),
    checkpointShare: z
      .number()
      .min(0)
      .max(1)
      .default(d.checkpointShare)
      .describe(`Share of checkpoint + restore spent checkpointing. Default ${d.checkpointShare}.`),
    perVmSeconds: seconds(d.perVmSeconds, "Fixed checkpoint + restore cost per VM. Default 0."),
    perVcpuSeconds: seconds(d.perVcpuSeconds, "Checkpoint + restore cost per vCPU. Default 0."),
    parallel: z
      .boolean()
      .default(d.parallel)
      .describe(`All VMs of a host checkpointed (and restored) at once. Default ${d.parallel}.`),
    rebootSeconds: seconds(
      d.rebootSeconds,
      `Host reboot with memory preserved. Default ${d.rebootSeconds} s (Hy-FiX).`,
    ),
  });

/** Hy-FiX settings (after the schema; see {@link HYFIX_DEFAULTS}). */
export interface HyfixSettings {
  readonly checkpointRestoreSeconds: number;
  /** Bytes. */
  readonly referenceRam: number;
  readonly ramExponent: number;
  readonly checkpointShare: number;
  readonly perVmSeconds: number;
  readonly perVcpuSeconds: number;
  readonly parallel: boolean;
  readonly rebootSeconds: number;
}
/** Multi-FiX settings (after the schema; see {@link MULTIFIX_DEFAULTS}). */
export interface MultifixSettings extends HyfixSettings {
  readonly handoverSeconds: number;
}
/** HyperFresh settings (after the schema). */
export interface HyperfreshSettings {
  readonly switchSeconds: number;
  readonly prepareSeconds: number;
}
/** `cpr-reboot` settings (after the schema). */
export interface CprRebootSettings {
  readonly stateSeconds: number;
  readonly rebootSeconds: number;
  readonly parallel: boolean;
}
/** `cpr-transfer` settings (after the schema). */
export interface CprTransferSettings {
  readonly pauseSeconds: number;
}

/** The schema of Hy-FiX's settings. */
export const hyfixSchema: z.ZodType<HyfixSettings, unknown> = fixSchema(HYFIX_DEFAULTS).prefault(
  {},
);

/** The schema of Multi-FiX's settings. */
export const multifixSchema: z.ZodType<MultifixSettings, unknown> = fixSchema(MULTIFIX_DEFAULTS)
  .extend({
    handoverSeconds: seconds(
      MULTIFIX_DEFAULTS.handoverSeconds,
      "Zero-copy handover of a host's preserved memory (an assumption). Default 0.05 s.",
    ),
  })
  .prefault({});

/** The schema of HyperFresh's settings. */
export const hyperfreshSchema: z.ZodType<HyperfreshSettings, unknown> = z
  .strictObject({
    switchSeconds: seconds(
      HYPERFRESH_DEFAULTS.switchSeconds,
      "VMs' pause while the hypervisor is replaced. Default 10 ms (HyperFresh, VEE 2019).",
    ),
    prepareSeconds: seconds(
      HYPERFRESH_DEFAULTS.prepareSeconds,
      "Booting the new hypervisor while the VMs run (an assumption). Default 60 s.",
    ),
  })
  .prefault({});

/** The schema of `cpr-reboot`'s settings. */
export const cprRebootSchema: z.ZodType<CprRebootSettings, unknown> = z
  .strictObject({
    stateSeconds: seconds(
      CPR_REBOOT_DEFAULTS.stateSeconds,
      "Saving one VM's device state (and as long to load it). An assumption. Default 0.2 s.",
    ),
    rebootSeconds: seconds(
      CPR_REBOOT_DEFAULTS.rebootSeconds,
      "Host reboot (kexec) with guest RAM preserved. An assumption. Default 7.6 s.",
    ),
    parallel: z
      .boolean()
      .default(CPR_REBOOT_DEFAULTS.parallel)
      .describe("All QEMU instances save and load at once. Default true."),
  })
  .prefault({});

/** The schema of `cpr-transfer`'s settings. */
export const cprTransferSchema: z.ZodType<CprTransferSettings, unknown> = z
  .strictObject({
    pauseSeconds: seconds(
      CPR_TRANSFER_DEFAULTS.pauseSeconds,
      "Guest pause while the new QEMU takes over. An assumption. Default 100 ms.",
    ),
  })
  .prefault({});

/** The settings of every in-place strategy, by name. */
export interface InPlaceSettings {
  readonly hyfix: HyfixSettings;
  readonly multifix: MultifixSettings;
  readonly hyperfresh: HyperfreshSettings;
  readonly "cpr-reboot": CprRebootSettings;
  readonly "cpr-transfer": CprTransferSettings;
}

function fixCosts(s: HyfixSettings, vms: readonly InPlaceVm[]): [number, number] {
  let checkpoint = 0;
  let restore = 0;
  for (const vm of vms) {
    const cr =
      s.perVmSeconds +
      s.perVcpuSeconds * vm.vcpus +
      s.checkpointRestoreSeconds * (vm.ramBytes / s.referenceRam) ** s.ramExponent;
    const c = cr * s.checkpointShare;
    const r = cr - c;
    if (s.parallel) {
      checkpoint = Math.max(checkpoint, c);
      restore = Math.max(restore, r);
    } else {
      checkpoint += c;
      restore += r;
    }
  }
  return [checkpoint, restore];
}

function schedule(
  prepare: number,
  checkpoint: number,
  reboot: number,
  restore: number,
  volatile: boolean,
  upgradesKernel: boolean,
): InPlaceSchedule {
  return {
    prepareSeconds: prepare,
    checkpointSeconds: checkpoint,
    rebootSeconds: reboot,
    restoreSeconds: restore,
    downtimeSeconds: checkpoint + reboot + restore,
    volatile,
    upgradesKernel,
  };
}

/**
 * The phases of one host's in-place upgrade with a strategy.
 *
 * @param name - the strategy.
 * @param settings - every in-place strategy's settings (parsed).
 * @param vms - the VMs on the host.
 * @returns prepare, checkpoint, reboot and restore times and each VM's downtime.
 * @example
 * ```ts
 * const s = inPlaceSchedule("hyfix", parseInPlaceSettings({}), [{ ramBytes: 256e9, vcpus: 4 }]);
 * s.downtimeSeconds; // 2.31 + 7.6 = 9.91
 * ```
 */
export function inPlaceSchedule(
  name: InPlaceName,
  settings: InPlaceSettings,
  vms: readonly InPlaceVm[],
): InPlaceSchedule {
  switch (name) {
    case "hyfix": {
      const s = settings.hyfix;
      const [c, r] = fixCosts(s, vms);
      return schedule(0, c, s.rebootSeconds, r, true, true);
    }
    case "multifix": {
      const s = settings.multifix;
      const [c, r] = fixCosts(s, vms);
      return schedule(0, c + s.handoverSeconds, s.rebootSeconds, r, true, true);
    }
    case "hyperfresh": {
      const s = settings.hyperfresh;
      return schedule(s.prepareSeconds, s.switchSeconds, 0, 0, true, false);
    }
    case "cpr-reboot": {
      const s = settings["cpr-reboot"];
      const n = vms.length === 0 ? 0 : s.parallel ? 1 : vms.length;
      return schedule(0, n * s.stateSeconds, s.rebootSeconds, n * s.stateSeconds, true, true);
    }
    case "cpr-transfer": {
      const s = settings["cpr-transfer"];
      return schedule(0, vms.length === 0 ? 0 : s.pauseSeconds, 0, 0, true, false);
    }
  }
}
