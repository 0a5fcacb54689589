/**
 * One-shot migrations for planning: {@link migrate} builds its own simulation with one link and
 * runs one migration to its end; {@link compareStrategies} does it for several strategies.
 *
 * @module
 */
import { FluidSystem, Simulation } from "@vx/core";
import type { ResolvedPlan, StrategyName } from "./internal/resolved.js";
import { Issues, Reader } from "./internal/validate.js";
import { MigrationPlan, startMigration } from "./migration.js";
import {
  type DurationInput,
  type MigrationOptions,
  type RateInput,
  resolvePlan,
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

interface ResolvedWorld {
  readonly bandwidth: number;
  readonly latency: number;
  readonly faults: readonly { readonly at: number; readonly target: FaultOptions["target"] }[];
  readonly name: string;
}

function resolveWorld(options: unknown, issues: Issues): ResolvedWorld {
  const top = (typeof options === "object" && options !== null ? options : {}) as Record<
    string,
    unknown
  >;
  const link = new Reader(top.link, ["link"], issues, ["bandwidth", "latency"]);
  if (top.link === undefined) {
    issues.add("VX_SCHEMA_INVALID_TYPE", 'a link is required, e.g. { bandwidth: "10Gbps" }', [
      "link",
    ]);
  } else if (link.ok && !link.has("bandwidth")) {
    link.fail(
      "bandwidth",
      'the link bandwidth is required, e.g. "10Gbps"',
      "VX_SCHEMA_INVALID_TYPE",
    );
  }
  const bandwidth = link.rate("bandwidth", 1, { allowZero: false });
  const latency = link.duration("latency", 0);
  const faults: { at: number; target: FaultOptions["target"] }[] = [];
  const raw = top.faults;
  if (raw !== undefined) {
    if (!Array.isArray(raw)) {
      issues.add("VX_SCHEMA_INVALID_TYPE", "expected an array of { at, target }", ["faults"]);
    } else {
      raw.forEach((f, i) => {
        const r = new Reader(f, ["faults", i], issues, ["at", "target"]);
        if (r.ok && !r.has("at"))
          r.fail("at", "the time of the failure is required", "VX_SCHEMA_INVALID_TYPE");
        if (r.ok && !r.has("target")) {
          r.fail(
            "target",
            'what fails is required: "link", "source" or "destination"',
            "VX_SCHEMA_INVALID_TYPE",
          );
        }
        const at = r.duration("at", 0);
        const target = r.oneOf("target", ["link", "source", "destination"] as const, "link");
        faults.push({ at, target });
      });
    }
  }
  let name = "vm";
  if (top.name !== undefined) {
    if (typeof top.name === "string" && top.name !== "") name = top.name;
    else issues.add("VX_SCHEMA_INVALID_TYPE", "expected a non-empty string", ["name"]);
  }
  return { bandwidth, latency, faults, name };
}

function run(plan: ResolvedPlan, world: ResolvedWorld): MigrationResult {
  const sim = new Simulation();
  const fluid = new FluidSystem(sim);
  const link = fluid.resource({ name: "link", capacity: world.bandwidth });
  const m = startMigration({ sim, fluid }, new MigrationPlan(plan), {
    route: { resources: [link], latencySeconds: world.latency },
    name: world.name,
  });
  for (const f of world.faults) {
    sim.schedule(f.at, () => {
      if (f.target === "link") fluid.setCapacity(link, 0);
      else m.fail(f.target);
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
  const world = resolveWorld(options, issues);
  let plan: ResolvedPlan | undefined;
  try {
    plan = resolvePlan(vm, options, ["link", "faults", "name"]);
  } catch (error) {
    // Report the world's problems together with the plan's.
    if (issues.list.length === 0) throw error;
    const e = error as {
      issues?: readonly { code: string; message: string; path: readonly (string | number)[] }[];
    };
    for (const issue of e.issues ?? []) issues.list.push(issue);
  }
  issues.throwIfAny("migration options");
  return run(plan!, world);
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
  const strategies = options.strategies ?? STRATEGIES;
  const issues = new Issues();
  if (!Array.isArray(strategies) || strategies.length === 0) {
    issues.add("VX_SCHEMA_INVALID_TYPE", "expected a non-empty list of strategies", ["strategies"]);
    issues.throwIfAny("migration options");
  }
  const { strategies: _s, ...rest } = options;
  const world = resolveWorld(rest, issues);
  const plans: ResolvedPlan[] = [];
  strategies.forEach((strategy, i) => {
    try {
      plans.push(resolvePlan(vm, { ...rest, strategy }, ["link", "faults", "name"]));
    } catch (error) {
      const e = error as {
        issues?: readonly { code: string; message: string; path: readonly (string | number)[] }[];
      };
      for (const issue of e.issues ?? []) {
        const path = issue.path[0] === "strategy" ? ["strategies", i] : issue.path;
        if (!issues.list.some((x) => x.message === issue.message && samePath(x.path, path))) {
          issues.list.push({ ...issue, path });
        }
      }
    }
  });
  issues.throwIfAny("migration options");
  return plans.map((plan) => run(plan, world));
}

function samePath(a: readonly (string | number)[], b: readonly (string | number)[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
