/**
 * Host evacuation: N identical VMs leave one source host for one destination over the same link,
 * all at once or one after another, sharing the source's cores. The engine of
 * `vx migrate --vms N --host-cores C [--sequential]`.
 *
 * @module
 */
import { FluidSystem, Simulation } from "@vx/core";
import { z } from "zod";
import { GuestCpu } from "./guest-cpu.js";
import type { ResolvedPlan, StrategyName } from "./internal/resolved.js";
import { Issues } from "./internal/validate.js";
import {
  type CompareOptions,
  type MigrateOptions,
  type ResolvedWorld,
  resolveComparison,
  resolveWorld,
  WORLD_KEYS,
} from "./migrate.js";
import { type Migration, MigrationPlan, startMigration } from "./migration.js";
import { collectPlan, type VmOptions } from "./options.js";
import type { BytesSent, MigrationOutcome, MigrationResult } from "./result.js";

/** The most VMs one evacuation moves (a bound on its cost). */
export const MAX_EVACUATION_VMS = 10_000;

/**
 * Speed of one core of the source and destination hosts, in operations per second. Any value
 * gives the same results: CPU-coupled dirtying is stated per full core (`intensity × speedCap`
 * bytes per second of a busy vCPU), so only the share of a core a VM gets matters.
 */
const CORE_SPEED = 1e9;

/** What an evacuation adds to {@link MigrateOptions}. */
export interface EvacuationFields {
  /** Identical VMs leaving the source (an integer from 1 to {@link MAX_EVACUATION_VMS}). Default 1. */
  readonly vms?: number;
  /**
   * Cores of the source host, shared max-min fairly by the VMs' vCPUs (each VM wants
   * `vcpus × cpuShare` cores). Fewer cores than that slow the guests, and with them CPU-coupled
   * dirtying, as in SimGrid where a VM is a task on its host's CPU. The destination has as many.
   * Default: `vms × vcpus` (no contention).
   */
  readonly hostCores?: number;
  /** One VM after another (each starts when the previous one ended) instead of all at once. Default false. */
  readonly sequential?: boolean;
}

/** Options of {@link evacuateHost}: a one-shot migration's options plus the evacuation's. */
export interface EvacuationOptions extends MigrateOptions, EvacuationFields {}

/** Options of {@link compareEvacuations}: as {@link compareStrategies}, plus the evacuation's. */
export interface CompareEvacuationOptions extends CompareOptions, EvacuationFields {}

/** The result of one evacuation with one strategy. */
export interface EvacuationResult {
  /** The strategy. */
  readonly strategy: StrategyName;
  /** Whether the VMs went one after another. */
  readonly sequential: boolean;
  /** Cores of the source host. */
  readonly hostCores: number;
  /** `completed` when every VM landed; otherwise the outcome of the first VM that did not. */
  readonly outcome: MigrationOutcome;
  /** VMs that run on the destination at the end. */
  readonly landed: number;
  /** Seconds from the start until the last VM landed (or its migration ended without landing). */
  readonly totalTimeSeconds: number;
  /** The longest downtime of a VM that landed; `null` if none did. */
  readonly maxDowntimeSeconds: number | null;
  /** Bytes sent by all the migrations, by kind. */
  readonly bytesSent: BytesSent;
  /** Each VM's own result, in the order they started (`vm-1`, `vm-2`, …). */
  readonly vms: readonly MigrationResult[];
}

interface EvacuationSettings {
  readonly vms: number;
  readonly hostCores?: number | undefined;
  readonly sequential: boolean;
}

const evacuationSchema: z.ZodType<EvacuationSettings> = z.object({
  vms: z.int().min(1).max(MAX_EVACUATION_VMS).default(1),
  hostCores: z.int().min(1).max(1_000_000).optional(),
  sequential: z.boolean().default(false),
});

const EVACUATION_KEYS: readonly string[] = ["vms", "hostCores", "sequential"];

function resolveEvacuation(options: unknown, issues: Issues): EvacuationSettings | undefined {
  const top = typeof options === "object" && options !== null ? options : {};
  const picked: Record<string, unknown> = {};
  for (const key of EVACUATION_KEYS) {
    const v = (top as Record<string, unknown>)[key];
    if (v !== undefined) picked[key] = v;
  }
  return issues.parse(evacuationSchema, picked);
}

/** Runs one evacuation in a simulation of its own. */
function evacuate(
  plan: ResolvedPlan,
  world: ResolvedWorld,
  settings: EvacuationSettings,
): EvacuationResult {
  const n = settings.vms;
  const vm = plan.vm;
  const cores = settings.hostCores ?? n * vm.vcpus;
  const sim = new Simulation();
  const fluid = new FluidSystem(sim);
  const link = fluid.resource({ name: "link", capacity: world.link.bandwidth });
  const source = fluid.resource({ name: "source.cpu", capacity: cores * CORE_SPEED });
  const destination = fluid.resource({ name: "destination.cpu", capacity: cores * CORE_SPEED });
  const migrationPlan = new MigrationPlan(plan);
  // Every guest runs on the source from the start, busy at its CPU share.
  const guests: (GuestCpu | undefined)[] = [];
  for (let i = 0; i < n; i++) {
    guests.push(
      vm.cpuShare > 0
        ? new GuestCpu(fluid, {
            host: source,
            coreSpeed: CORE_SPEED,
            vcpus: vm.vcpus,
            demand: vm.cpuShare,
            name: `vm-${i + 1}`,
          })
        : undefined,
    );
  }
  sim.run({ until: sim.now }); // the guests' shares are settled before the first migration
  const results: (MigrationResult | undefined)[] = new Array(n).fill(undefined);
  const running = new Set<Migration>();
  const failed: ("link" | "source" | "destination")[] = [];
  let next = 0;
  let ended = 0;
  const start = (): void => {
    const i = next++;
    const cpu = guests[i];
    let m: Migration | undefined;
    m = startMigration({ sim, fluid }, migrationPlan, {
      route: { resources: [link], latencySeconds: world.link.latency },
      name: `vm-${i + 1}`,
      ...(cpu !== undefined ? { cpu } : {}),
      destinationCpu: destination,
      onEnd: (r) => {
        results[i] = r;
        ended++;
        if (m !== undefined) running.delete(m);
        // The next one starts at this instant, from the kernel (not from inside this callback,
        // which may itself run inside a start: no recursion however many VMs fail at once).
        if (settings.sequential && next < n) sim.schedule(0, start);
      },
    });
    if (m.result === undefined) running.add(m);
    // A VM that starts after a failure meets it at once.
    for (const target of failed) m.fail(target);
  };
  for (const f of world.faults) {
    sim.schedule(f.at, () => {
      failed.push(f.target);
      if (f.target === "link") fluid.setCapacity(link, 0);
      for (const m of [...running]) m.fail(f.target);
    });
  }
  if (settings.sequential) start();
  else for (let i = 0; i < n; i++) start();
  sim.run({ until: () => ended === n });
  const vms = results as MigrationResult[];
  let landed = 0;
  let outcome: MigrationOutcome = "completed";
  let last = 0;
  let maxDowntime: number | null = null;
  let total = 0;
  let fullPages = 0;
  let deltas = 0;
  let zeroPageFlags = 0;
  for (const r of vms) {
    if (r.outcome === "completed") {
      landed++;
      if (maxDowntime === null || r.downtimeSeconds > maxDowntime) maxDowntime = r.downtimeSeconds;
    } else if (outcome === "completed") outcome = r.outcome;
    const end = r.startSeconds + r.totalTimeSeconds;
    if (end > last) last = end;
    total += r.bytesSent.total;
    fullPages += r.bytesSent.fullPages;
    deltas += r.bytesSent.deltas;
    zeroPageFlags += r.bytesSent.zeroPageFlags;
  }
  return {
    strategy: plan.strategy,
    sequential: settings.sequential,
    hostCores: cores,
    outcome,
    landed,
    totalTimeSeconds: last,
    maxDowntimeSeconds: maxDowntime,
    bytesSent: { total, fullPages, deltas, zeroPageFlags },
    vms,
  };
}

/**
 * Evacuates a host: `vms` identical VMs leave one source host over one link to one destination,
 * all at once (sharing the link max-min fairly) or one after another, while their guests share
 * the source's `hostCores` cores, so CPU-coupled dirtying slows when they share a core (as in
 * SimGrid, Hirofuchi et al., IEEE TCC 2015). Each VM is a {@link startMigration} session with its
 * own {@link GuestCpu}; failures hit every VM still on the move (and, one after another, those
 * not started yet: a source failure loses them, a link or destination failure aborts them).
 *
 * @param vm - the VM (every one of them is alike).
 * @param options - as {@link migrate}, plus `vms`, `hostCores`, `sequential`.
 * @returns the evacuation's summary and each VM's result.
 * @throws {@link @vx/core!VxError} `VX_MIGRATION_BAD_OPTIONS` listing every bad option, before
 * anything runs.
 * @example
 * ```ts
 * const e = evacuateHost({ ram: "4GiB" }, {
 *   strategy: "precopy-qemu", link: { bandwidth: "10Gbps" }, vms: 2,
 *   qemu: { maxBandwidth: "10Gbps" },
 * });
 * e.totalTimeSeconds; // 6.87: two idle 4 GiB VMs share the link, both land at 2 × 4 GiB / link
 * e.vms.map((r) => r.totalTimeSeconds); // [6.87, 6.87]
 * ```
 */
export function evacuateHost(vm: VmOptions, options: EvacuationOptions): EvacuationResult {
  const issues = new Issues();
  const keys = [...WORLD_KEYS, ...EVACUATION_KEYS];
  const plan = collectPlan(vm, options, keys, issues);
  const world = resolveWorld(options, issues);
  const settings = resolveEvacuation(options, issues);
  issues.throwIfAny("evacuation options");
  return evacuate(plan!, world!, settings!);
}

/**
 * Evacuates the same host with several strategies, each in its own simulation: the engine of
 * `vx migrate --vms N --strategy all`.
 *
 * @param vm - the VM.
 * @param options - as {@link compareStrategies}, plus `vms`, `hostCores`, `sequential`.
 * @returns one result per strategy, in order.
 * @throws {@link @vx/core!VxError} `VX_MIGRATION_BAD_OPTIONS` before anything runs.
 * @example
 * ```ts
 * const results = compareEvacuations({ ram: "8GiB" }, {
 *   link: { bandwidth: "10Gbps" }, vms: 4, hostCores: 2, strategies: ["precopy-qemu", "postcopy"],
 * });
 * results.map((r) => [r.strategy, r.totalTimeSeconds, r.maxDowntimeSeconds]);
 * ```
 */
export function compareEvacuations(
  vm: VmOptions,
  options: CompareEvacuationOptions,
): EvacuationResult[] {
  const { issues, plans, world } = resolveComparison(vm, options, [
    ...WORLD_KEYS,
    ...EVACUATION_KEYS,
  ]);
  const settings = resolveEvacuation(options, issues);
  issues.throwIfAny("evacuation options");
  return plans.map((plan) => evacuate(plan, world!, settings!));
}
