/**
 * Strategies side by side on a generated cluster: the engine of `vx upgrade`. Each strategy runs
 * its own campaign in its own data-center run (same hosts, VMs, workload, network and duration),
 * so makespan, downtime, bytes, energy and SLA compare directly.
 *
 * @module
 */

import { bytesSchema, parseWith, rateSchema } from "@vx/core";
import {
  type DatacenterResult,
  type DatacenterSpecInput,
  POWER_HP_ML110_G5,
  runDatacenter,
} from "@vx/datacenter";
import { z } from "zod";
import { campaignExtension } from "./campaign.js";
import { type CampaignOrder, parseCampaign } from "./campaign-spec.js";
import type { CampaignOutcome, CampaignOutput } from "./result.js";
import { STRATEGY_NAMES, type StrategyName, type StrategySettingsInput } from "./strategies.js";

/**
 * Defaults of {@link compareUpgradeStrategies}: the cluster (100 hosts of 20 VMs of 64 GiB
 * on 10 Gbit/s), one host at a time, one spare host, VMs at 20 % CPU. Hosts follow the HP ProLiant
 * ML110 G5 power curve (SPECpower, as CloudSim's PlanetLab runs); each has exactly the room of
 * its VMs (first fit fills it), so evacuations need the spare or an upgraded host.
 */
export const COMPARE_DEFAULTS: {
  readonly hosts: number;
  readonly vmsPerHost: number;
  readonly ramBytes: number;
  readonly vcpus: number;
  readonly linkBytesPerSecond: number;
  readonly concurrency: number;
  readonly spareHosts: number;
  readonly utilisation: number;
  readonly seed: number;
  readonly stepSeconds: number;
} = {
  hosts: 100,
  vmsPerHost: 20,
  ramBytes: 64 * 2 ** 30,
  vcpus: 1,
  linkBytesPerSecond: 1.25e9,
  concurrency: 1,
  spareHosts: 1,
  utilisation: 0.2,
  seed: 1,
  stepSeconds: 300,
};

/** Options of {@link compareUpgradeStrategies}. */
export interface CompareUpgradeOptions {
  /** Hosts to upgrade (1 to 10,000). Default 100. */
  readonly hosts?: number;
  /** VMs on each (1 to 1,000). Default 20. */
  readonly vmsPerHost?: number;
  /** RAM of each VM. Default `"64GiB"`. */
  readonly ram?: number | string;
  /** vCPUs of each VM. Default 1. */
  readonly vcpus?: number;
  /** Every host's NIC (star network). Default `"10Gbps"`. */
  readonly link?: number | string;
  /** Strategies to compare, or `"all"` (default). */
  readonly strategies?: readonly StrategyName[] | "all";
  /** Hosts upgraded at once. Default 1. */
  readonly concurrency?: number;
  /** Empty spare hosts added to the cluster. Default 1. */
  readonly spareHosts?: number;
  /** Order of the hosts. Default `"index"`. */
  readonly order?: CampaignOrder;
  /** CPU utilisation of every VM (0..1); dirtying follows it. Default 0.2. */
  readonly utilisation?: number;
  /** Seed. Default 1. */
  readonly seed?: number;
  /** Strategies' settings. */
  readonly settings?: StrategySettingsInput;
}

/** One strategy's row. */
export interface UpgradeComparisonRow {
  readonly strategy: StrategyName;
  readonly outcome: CampaignOutcome;
  readonly makespanSeconds: number | null;
  readonly maxDowntimeSeconds: number;
  readonly meanDowntimeSeconds: number;
  readonly p95DowntimeSeconds: number;
  readonly bytesMoved: number;
  readonly vmsLost: number;
  readonly spareCapacityNeededBytes: number;
  /** The data center's energy over the run (the same duration for every strategy), kWh. */
  readonly energyKWh: number;
  /** The data center's SLA violation (SLATAH × PDM) over the run. */
  readonly slav: number;
  /**
   * Share of all VM time over the run that VMs were down because of the campaign (migration
   * downtime, terminated, paused): its SLA impact.
   */
  readonly vmDowntimeShare: number;
}

/** What {@link compareUpgradeStrategies} returns. */
export interface UpgradeComparison {
  readonly hosts: number;
  readonly vmsPerHost: number;
  readonly ramBytes: number;
  readonly linkBytesPerSecond: number;
  /** Simulated seconds of every run. */
  readonly durationSeconds: number;
  readonly results: readonly UpgradeComparisonRow[];
}

const C = COMPARE_DEFAULTS;

const optionsSchema = z.strictObject({
  hosts: z.number().int().min(1).max(10_000).default(C.hosts),
  vmsPerHost: z.number().int().min(1).max(1000).default(C.vmsPerHost),
  ram: bytesSchema({ allowZero: false, max: 2 ** 50 }).default(C.ramBytes),
  vcpus: z.number().int().min(1).max(256).default(C.vcpus),
  link: rateSchema({ allowZero: false }).default(C.linkBytesPerSecond),
  strategies: z
    .union([
      z.literal("all"),
      z.array(z.enum(STRATEGY_NAMES as [StrategyName, ...StrategyName[]])).min(1),
    ])
    .default("all"),
  concurrency: z.number().int().min(1).max(10_000).default(C.concurrency),
  spareHosts: z.number().int().min(0).max(10_000).default(C.spareHosts),
  order: z.string().optional(),
  utilisation: z.number().min(0).max(1).default(C.utilisation),
  seed: z.number().int().min(0).default(C.seed),
  settings: z.unknown().optional(),
});

/**
 * The generated cluster's spec and the duration that covers the slowest campaign: the hosts'
 * RAM through the link twice over (dirtying, reboots, queueing), plus an hour.
 */
function clusterSpec(
  o: z.output<typeof optionsSchema>,
  rebootSeconds: number,
): DatacenterSpecInput {
  const perHostBytes = o.vmsPerHost * o.ram;
  const waves = Math.ceil(o.hosts / o.concurrency);
  const perWave = (2 * perHostBytes * Math.min(o.concurrency, o.hosts)) / o.link + rebootSeconds;
  const raw = waves * perWave + 3600;
  const duration = Math.ceil(raw / C.stepSeconds) * C.stepSeconds;
  const cores = o.vmsPerHost * o.vcpus;
  return {
    name: "upgrade-comparison",
    seed: o.seed,
    duration,
    step: C.stepSeconds,
    hostTypes: {
      host: {
        cores,
        mips: 2000,
        ram: perHostBytes,
        nic: o.link,
        power: [...POWER_HP_ML110_G5],
      },
    },
    hosts: [{ type: "host", count: o.hosts + o.spareHosts }],
    vmTypes: { vm: { cores: o.vcpus, mips: 2000, ram: o.ram, nic: 0 } },
    vms: [
      {
        types: "vm",
        count: o.hosts * o.vmsPerHost,
        workload: { kind: "constant", utilisation: o.utilisation },
      },
    ],
    policy: { overload: "none" },
    migration: { model: "precopy", maxBandwidth: o.link },
  };
}

/**
 * Compares upgrade strategies on a generated cluster: `hosts` hosts each filled with
 * `vmsPerHost` VMs (first fit, no consolidation, so the figures are the upgrade's alone) plus
 * `spareHosts` empty spares, on a star network of `link` NICs; every VM busy at `utilisation`
 * and dirtying in proportion (`@vx/datacenter`'s CPU-coupled default). Evacuation uses QEMU
 * pre-copy with `max-bandwidth` raised to the link (an assumption). Each strategy runs its own
 * campaign over the same duration, long enough for the slowest.
 *
 * @param options - the cluster and the campaign; every field has a default ({@link COMPARE_DEFAULTS}).
 * @returns one row per strategy, in registry order.
 * @throws {@link @vx/core!VxError} `VX_UPGRADE_BAD_OPTIONS` (cluster) or `VX_UPGRADE_BAD_CAMPAIGN`
 * (order, settings) listing every problem, before anything runs.
 * @example
 * ```ts
 * const cmp = compareUpgradeStrategies({ hosts: 10, vmsPerHost: 4, ram: "16GiB" });
 * cmp.results.map((r) => [r.strategy, r.makespanSeconds, r.maxDowntimeSeconds]);
 * ```
 */
export function compareUpgradeStrategies(options: CompareUpgradeOptions = {}): UpgradeComparison {
  const o = parseWith(optionsSchema, options, {
    code: "VX_UPGRADE_BAD_OPTIONS",
    what: "upgrade comparison options",
  });
  const names = o.strategies === "all" ? STRATEGY_NAMES : o.strategies;
  const campaigns = names.map((strategy) =>
    parseCampaign({
      strategy,
      concurrency: o.concurrency,
      spareHosts: o.spareHosts,
      ...(options.order === undefined ? {} : { order: options.order }),
      ...(options.settings === undefined ? {} : { settings: options.settings }),
    }),
  );
  let reboot = 0;
  for (const c of campaigns) {
    reboot = Math.max(reboot, c.settings.evacuate.rebootSeconds, c.settings.hyfix.rebootSeconds);
  }
  const spec = clusterSpec(o, reboot);
  const results = campaigns.map((campaign, i) => {
    const r: DatacenterResult = runDatacenter(spec, {
      extensions: [campaignExtension(campaign)],
    });
    const out = (r.extensions?.upgrade as { output: CampaignOutput } | undefined)?.output;
    if (out === undefined) throw new Error("the upgrade extension returned nothing");
    const row: UpgradeComparisonRow = {
      strategy: names[i] as StrategyName,
      outcome: out.outcome,
      makespanSeconds: out.makespanSeconds,
      maxDowntimeSeconds: out.downtime.maxSeconds,
      meanDowntimeSeconds: out.downtime.meanSeconds,
      p95DowntimeSeconds: out.downtime.p95Seconds,
      bytesMoved: out.bytesMoved,
      vmsLost: out.vmsLost,
      spareCapacityNeededBytes: out.spareCapacityNeededBytes,
      energyKWh: r.summary.energyKWh,
      slav: r.summary.slav,
      vmDowntimeShare: out.downtime.totalSeconds / (r.summary.vms * r.summary.simulatedSeconds),
    };
    return row;
  });
  return {
    hosts: o.hosts,
    vmsPerHost: o.vmsPerHost,
    ramBytes: o.ram,
    linkBytesPerSecond: o.link,
    durationSeconds: spec.duration as number,
    results,
  };
}
