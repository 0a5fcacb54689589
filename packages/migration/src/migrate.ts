/**
 * One-shot migrations for planning: {@link migrate} builds its own simulation with one link and
 * runs one migration to its end; {@link compareStrategies} does it for several strategies.
 *
 * @module
 */
import { durationSchema, FluidSystem, rateSchema, Simulation } from "@vx/core";
import { z } from "zod";
import type { ResolvedPlan, StrategyName } from "./internal/resolved.js";
import { Issues } from "./internal/validate.js";
import { MigrationPlan, startMigration } from "./migration.js";
import {
  collectPlan,
  type DurationInput,
  type MigrationOptions,
  type RateInput,
  STRATEGIES,
  type VmOptions,
} from "./options.js";
import type { MigrationResult } from "./result.js";

/** The one link of a one-shot migration. */
export interface LinkOptions {
  /** Its rate (> 0), e.g. `"10Gbps"`. */
  readonly bandwidth: RateInput;
  /** One-way latency. Default 0. */
  readonly latency?: DurationInput;
}

/** A failure injected at a time. */
export interface FaultOptions {
  /** When, from the start. */
  readonly at: DurationInput;
  /** What fails: the link (its capacity drops to 0), the source host or the destination host. */
  readonly target: "link" | "source" | "destination";
}

/** Options of {@link migrate}: the migration options plus the link and failures. */
export interface MigrateOptions extends MigrationOptions {
  /** The link between source and destination. */
  readonly link: LinkOptions;
  /** Failures to inject. Default none. */
  readonly faults?: readonly FaultOptions[];
  /** A label. Default `"vm"`. */
  readonly name?: string;
}

const linkSchema = z.strictObject({
  bandwidth: rateSchema({ allowZero: false }),
  latency: durationSchema().default(0),
});

const faultSchema = z.strictObject({
  at: durationSchema(),
  target: z.enum(["link", "source", "destination"]),
});

/** The fields {@link migrate} reads besides the migration options. */
const worldSchema: z.ZodType<ResolvedWorld> = z.object({
  link: linkSchema,
  faults: z.array(faultSchema).default([]),
  name: z.string().min(1).default("vm"),
});

/** @internal the world of a one-shot migration (the link, faults and a name). */
export interface ResolvedWorld {
  readonly link: { readonly bandwidth: number; readonly latency: number };
  readonly faults: readonly { readonly at: number; readonly target: FaultOptions["target"] }[];
  readonly name: string;
}

/** Keys of {@link MigrateOptions} that are not migration options. */
export const WORLD_KEYS: readonly string[] = ["link", "faults", "name"];

/** @internal validates the world part of the options (other keys are left to the plan). */
export function resolveWorld(options: unknown, issues: Issues): ResolvedWorld | undefined {
  const top = typeof options === "object" && options !== null ? options : {};
  const picked: Record<string, unknown> = {};
  for (const key of WORLD_KEYS) {
    const v = (top as Record<string, unknown>)[key];
    if (v !== undefined) picked[key] = v;
  }
  return issues.parse(worldSchema, picked);
}

function run(plan: ResolvedPlan, world: ResolvedWorld): MigrationResult {
  const bandwidth = world.link.bandwidth;
  const latency = world.link.latency;
  const sim = new Simulation();
  const fluid = new FluidSystem(sim);
  const link = fluid.resource({ name: "link", capacity: bandwidth });
  const m = startMigration({ sim, fluid }, new MigrationPlan(plan), {
    route: { resources: [link], latencySeconds: latency },
    name: world.name,
  });
  for (const f of world.faults) {
    sim.schedule(f.at, () => {
      // The link's capacity drops to 0 (its transfers fail); the migration is told as well, so
      // that a strategy with no transfer in flight at that instant (the closed form, a last byte
      // still on the wire) sees the failure too.
      if (f.target === "link") fluid.setCapacity(link, 0);
      m.fail(f.target);
    });
  }
  sim.run({ until: () => m.result !== undefined });
  return m.result!;
}

/**
 * Migrates one VM over one link, in a simulation of its own, and returns the result.
 *
 * Use it to plan: what each strategy costs for a given VM, link and workload. For migrations that
 * share links or CPUs, use {@link startMigration} in your own simulation.
 *
 * @param vm - the VM.
 * @param options - strategy, link, rules, failures.
 * @returns the result (plain data).
 * @throws {@link @vx/core!VxError} `VX_MIGRATION_BAD_OPTIONS` listing every bad option with its
 * path, before anything runs.
 * @example
 * ```ts
 * const r = migrate(
 *   { ram: "4GiB", dirty: { model: "uniform", rate: "32MiB/s" } },
 *   { strategy: "precopy-qemu", link: { bandwidth: "10Gbps" } },
 * );
 * r.rounds.map((x) => x.bytes / 2 ** 20); // [4096, 1024, 256, 64, 16]
 * r.downtimeSeconds; // 0.125
 * ```
 */
export function migrate(vm: VmOptions, options: MigrateOptions): MigrationResult {
  const issues = new Issues();
  const plan = collectPlan(vm, options, WORLD_KEYS, issues);
  const world = resolveWorld(options, issues);
  issues.throwIfAny("migration options");
  return run(plan!, world!);
}

/** Options of {@link compareStrategies}: as {@link migrate}, for several strategies. */
export interface CompareOptions extends Omit<MigrateOptions, "strategy"> {
  /** The strategies, in order. Default: all of them ({@link STRATEGIES}). */
  readonly strategies?: readonly StrategyName[];
}

/**
 * Migrates the same VM with several strategies, each in its own simulation, and returns the
 * results in order: the engine of `vx migrate --strategy all`.
 *
 * @param vm - the VM.
 * @param options - as for {@link migrate}, with `strategies` instead of `strategy`.
 * @returns one result per strategy.
 * @throws {@link @vx/core!VxError} `VX_MIGRATION_BAD_OPTIONS` before anything runs.
 * @example
 * ```ts
 * const results = compareStrategies({ ram: "64GiB" }, { link: { bandwidth: "10Gbps" } });
 * results.map((r) => [r.strategy, r.totalTimeSeconds]);
 * ```
 */
export function compareStrategies(vm: VmOptions, options: CompareOptions): MigrationResult[] {
  const { issues, plans, world } = resolveComparison(vm, options);
  issues.throwIfAny("migration options");
  return plans.map((plan) => run(plan, world!));
}

/**
 * @internal validates the options of a comparison: one plan per strategy (a bad strategy's issue
 * is reported at `strategies[i]`), and the world.
 */
export function resolveComparison(
  vm: VmOptions,
  options: CompareOptions,
  worldKeys: readonly string[] = WORLD_KEYS,
): { issues: Issues; plans: ResolvedPlan[]; world: ResolvedWorld | undefined } {
  const strategies = options.strategies ?? STRATEGIES;
  const issues = new Issues();
  const plans: ResolvedPlan[] = [];
  if (!Array.isArray(strategies) || strategies.length === 0) {
    issues.add("VX_SCHEMA_INVALID_TYPE", "expected a non-empty list of strategies", ["strategies"]);
    return { issues, plans, world: undefined };
  }
  const { strategies: _s, ...rest } = options;
  strategies.forEach((strategy, i) => {
    const own = new Issues();
    const plan = collectPlan(vm, { ...rest, strategy }, worldKeys, own);
    if (plan !== undefined) plans.push(plan);
    for (const issue of own.list) {
      const path = issue.path[0] === "strategy" ? ["strategies", i] : issue.path;
      if (!issues.list.some((x) => x.message === issue.message && samePath(x.path, path))) {
        issues.list.push({ ...issue, path });
      }
    }
  });
  const world = resolveWorld(rest, issues);
  return { issues, plans, world };
}

function samePath(a: readonly (string | number)[], b: readonly (string | number)[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
