/**
 * One host's upgrade with one strategy: what each VM and the host go through, without the rest of
 * a data center. Evacuation is a real `@vx/migration` evacuation (`evacuateHost` of `@vx/migration`)
 * over one link; the other strategies follow their schedules (no network).
 *
 * @module
 */

import { bytesSchema, parseWith, rateSchema } from "@vx/core";
import {
  evacuateHost,
  type MigrationOptions,
  type StrategyName as MigrationStrategyName,
  type VmOptions,
} from "@vx/migration";
import { z } from "zod";
import { inPlaceSchedule } from "./in-place.js";
import {
  STRATEGY_NAMES,
  type StrategyName,
  type StrategySettingsInput,
  strategySettingsSchema,
  UPGRADE_STRATEGIES,
} from "./strategies.js";

/** Defaults of {@link upgradeHost}: one idle 1-vCPU VM, a 10 Gbit/s link, QEMU pre-copy. */
export const HOST_UPGRADE_DEFAULTS: {
  readonly vms: number;
  readonly vcpus: number;
  readonly linkBytesPerSecond: number;
  readonly migrationStrategy: MigrationStrategyName;
} = { vms: 1, vcpus: 1, linkBytesPerSecond: 1.25e9, migrationStrategy: "precopy-qemu" };

/** Options of {@link upgradeHost}. */
export interface HostUpgradeOptions {
  /** The strategy (a key of {@link UPGRADE_STRATEGIES}). */
  readonly strategy: StrategyName;
  /** Identical VMs on the host (1 to 10,000). Default 1. */
  readonly vms?: number;
  /** RAM of each VM, bytes or a size such as `"256GB"`. */
  readonly ram: number | string;
  /** vCPUs of each VM. Default 1. */
  readonly vcpus?: number;
  /** The link evacuations use. Default `"10Gbps"`. */
  readonly link?: number | string;
  /**
   * Evacuation only: the VM's other `@vx/migration` options (dirtying, page size, …). Default an
   * idle VM.
   */
  readonly vm?: Omit<VmOptions, "ram" | "vcpus">;
  /**
   * Evacuation only: the migration options. Default `precopy-qemu` with `max-bandwidth` raised
   * to the link rate (an assumption: an evacuation is allowed the whole link).
   */
  readonly migration?: Omit<MigrationOptions, "strategy"> & {
    readonly strategy?: MigrationStrategyName;
  };
  /** Every strategy's settings (defaults in {@link strategySettingsSchema}). */
  readonly settings?: StrategySettingsInput;
}

/** What {@link upgradeHost} returns. */
export interface HostUpgradeResult {
  readonly strategy: StrategyName;
  /** `completed`, or how the first VM that did not make it ended (evacuation). */
  readonly outcome: string;
  readonly vms: number;
  /** From the start of the upgrade until the host is back in service, seconds. */
  readonly hostOutOfServiceSeconds: number;
  /** Each VM's downtime, seconds. */
  readonly downtimeSeconds: readonly number[];
  readonly maxDowntimeSeconds: number;
  readonly meanDowntimeSeconds: number;
  /** Each VM's time running but degraded (migrating; HyperFresh's preparation), seconds. */
  readonly degradedSeconds: readonly number[];
  /** Bytes on the network. */
  readonly bytesMoved: number;
  /** VMs that did not survive (a failed evacuation). */
  readonly vmsLost: number;
  /** VMs whose running state was discarded on purpose (terminate and restart). */
  readonly vmsRestarted: number;
}

const optionsSchema = z.strictObject({
  strategy: z.enum(STRATEGY_NAMES as [StrategyName, ...StrategyName[]]),
  vms: z.number().int().min(1).max(10_000).default(HOST_UPGRADE_DEFAULTS.vms),
  ram: bytesSchema({ allowZero: false }),
  vcpus: z.number().int().min(1).max(4096).default(HOST_UPGRADE_DEFAULTS.vcpus),
  link: rateSchema({ allowZero: false }).default(HOST_UPGRADE_DEFAULTS.linkBytesPerSecond),
  vm: z.record(z.string(), z.unknown()).optional(),
  migration: z.record(z.string(), z.unknown()).optional(),
  settings: strategySettingsSchema.prefault({}),
});

function summary(
  strategy: StrategyName,
  outcome: string,
  hostSeconds: number,
  downtime: readonly number[],
  degraded: readonly number[],
  bytes: number,
  lost: number,
  restarted: number,
): HostUpgradeResult {
  let max = 0;
  let sum = 0;
  for (const d of downtime) {
    if (d > max) max = d;
    sum += d;
  }
  return {
    strategy,
    outcome,
    vms: downtime.length,
    hostOutOfServiceSeconds: hostSeconds,
    downtimeSeconds: downtime,
    maxDowntimeSeconds: max,
    meanDowntimeSeconds: downtime.length === 0 ? 0 : sum / downtime.length,
    degradedSeconds: degraded,
    bytesMoved: bytes,
    vmsLost: lost,
    vmsRestarted: restarted,
  };
}

/**
 * Upgrades one host holding `vms` identical VMs with a strategy and reports each VM's downtime,
 * degraded time and bytes on the network, and the host's time out of service.
 *
 * - `evacuate`: the VMs leave at once over `link` by `evacuateHost` of `@vx/migration` (its
 *   pre-copy rounds, dirtying and downtime), then the host reboots: out of service for the
 *   evacuation plus the reboot; each VM's downtime is its migration's.
 * - `terminate`: each VM is down for its boot (restarted elsewhere) or for the reboot and its
 *   boot (same host).
 * - in-place strategies: every VM is down for checkpoint + reboot + restore
 *   ({@link inPlaceSchedule}), whatever the link.
 *
 * @param options - strategy, VM count and size, link, settings.
 * @returns the per-VM and per-host figures.
 * @throws {@link @vx/core!VxError} `VX_UPGRADE_BAD_OPTIONS` listing every bad option (and
 * `VX_MIGRATION_BAD_OPTIONS` for bad evacuation options), before anything runs.
 * @example
 * ```ts
 * upgradeHost({ strategy: "hyfix", ram: "256GB" }).maxDowntimeSeconds; // 9.91 (2.31 + 7.6)
 * upgradeHost({ strategy: "evacuate", ram: "256GB", link: "10Gbps" }).hostOutOfServiceSeconds;
 * // ≥ 204.8 + 7.6: 256 GB at 10 Gbit/s, then the reboot
 * ```
 */
export function upgradeHost(options: HostUpgradeOptions): HostUpgradeResult {
  const o = parseWith(optionsSchema, options, {
    code: "VX_UPGRADE_BAD_OPTIONS",
    what: "host upgrade options",
  });
  const n = o.vms;
  const entry = UPGRADE_STRATEGIES[o.strategy];
  const s = o.settings;
  if (entry.kind === "evacuate") {
    const m = (o.migration ?? {}) as Omit<MigrationOptions, "strategy"> & {
      strategy?: MigrationStrategyName;
    };
    const strategy = m.strategy ?? HOST_UPGRADE_DEFAULTS.migrationStrategy;
    const qemu = { maxBandwidth: o.link, ...(m.qemu ?? {}) };
    const e = evacuateHost(
      { ...((o.vm ?? {}) as Omit<VmOptions, "ram" | "vcpus">), ram: o.ram, vcpus: o.vcpus },
      { ...m, strategy, qemu, series: false, link: { bandwidth: o.link }, vms: n },
    );
    const downtime: number[] = [];
    const degraded: number[] = [];
    let lost = 0;
    for (const r of e.vms) {
      downtime.push(r.downtimeSeconds);
      degraded.push(Math.max(0, r.totalTimeSeconds - r.downtimeSeconds));
      if (r.outcome === "vm-lost") lost++;
    }
    return summary(
      o.strategy,
      e.outcome,
      e.totalTimeSeconds + s.evacuate.rebootSeconds,
      downtime,
      degraded,
      e.bytesSent.total,
      lost,
      0,
    );
  }
  if (entry.kind === "terminate") {
    const t = s.terminate;
    const down = t.restart === "same-host" ? t.rebootSeconds + t.vmBootSeconds : t.vmBootSeconds;
    return summary(
      o.strategy,
      "completed",
      t.rebootSeconds,
      new Array<number>(n).fill(down),
      new Array<number>(n).fill(0),
      0,
      0,
      n,
    );
  }
  const vms = new Array(n).fill({ ramBytes: o.ram, vcpus: o.vcpus });
  const plan = inPlaceSchedule(
    o.strategy as Exclude<StrategyName, "evacuate" | "terminate">,
    s,
    vms,
  );
  return summary(
    o.strategy,
    "completed",
    plan.downtimeSeconds,
    new Array<number>(n).fill(plan.downtimeSeconds),
    new Array<number>(n).fill(plan.prepareSeconds),
    0,
    0,
    0,
  );
}
