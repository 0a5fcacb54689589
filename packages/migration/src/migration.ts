/**
 * Migrations inside a simulation: a validated {@link MigrationPlan} (reusable by any number of
 * migrations) and {@link startMigration}, which starts an actor whose transfers are activities on
 * `@vx/core`'s fluid links, so concurrent migrations share bandwidth and a VM's CPU share drives
 * its CPU-coupled dirtying.
 *
 * @module
 */
import {
  type Awaitable,
  type FluidSystem,
  type Resource,
  rateSchema,
  type Signal,
  type Simulation,
  VxError,
} from "@vx/core";
import { GuestCpu } from "./guest-cpu.js";
import { AnalyticMigration } from "./internal/analytic-session.js";
import { CloudSimMigration } from "./internal/cloudsim.js";
import { HybridSession, PostcopySession } from "./internal/postcopy.js";
import { QemuPrecopy } from "./internal/precopy-qemu.js";
import { SimGridPrecopy } from "./internal/precopy-simgrid.js";
import { XenPrecopy } from "./internal/precopy-xen.js";
import type { Fidelity, ResolvedPlan, StrategyName } from "./internal/resolved.js";
import type { Session, SessionInit } from "./internal/session.js";
import { Issues } from "./internal/validate.js";
import type { MemoryImage } from "./memory.js";
import { type MigrationOptions, type RateInput, resolvePlan, type VmOptions } from "./options.js";
import type { MigrationOutcome, MigrationResult } from "./result.js";
import type { Route } from "./route.js";

/**
 * A VM and migration options, validated once with every default filled in. Start any number of
 * migrations from it ({@link startMigration}): a storm of identical VMs shares one plan.
 *
 * @example
 * ```ts
 * const plan = prepareMigration({ ram: "2GiB" }, { strategy: "precopy-simgrid" });
 * plan.strategy; // "precopy-simgrid"
 * ```
 */
export class MigrationPlan {
  private readonly resolved: ResolvedPlan;

  /** @internal */
  constructor(resolved: ResolvedPlan) {
    this.resolved = resolved;
  }

  /** The strategy. */
  get strategy(): StrategyName {
    return this.resolved.strategy;
  }

  /** The fidelity migrations of this plan run at. */
  get fidelity(): Fidelity {
    return this.resolved.fidelity;
  }

  /** RAM of the VM in bytes. */
  get ramBytes(): number {
    return this.resolved.vm.ramBytes;
  }

  /** @internal */
  get _resolved(): ResolvedPlan {
    return this.resolved;
  }
}

/**
 * Validates a VM and migration options, before anything runs.
 *
 * @param vm - the VM: RAM, page size, zero/free pages, working set, dirtying model.
 * @param options - the strategy and its rules (every field has a default but `strategy`).
 * @returns the plan.
 * @throws {@link @vx/core!VxError} `VX_MIGRATION_BAD_OPTIONS` listing every problem with its path
 * (`vm.ram`, `qemu.downtimeLimit`, `strategy`, …): an unknown strategy or option, a negative size,
 * a zero rate, a downtime limit that is not a duration, xbzrle with multifd, a working set larger
 * than RAM, and so on.
 * @example
 * ```ts
 * const plan = prepareMigration(
 *   { ram: "4GiB", dirty: { model: "uniform", rate: "32MiB/s" } },
 *   { strategy: "precopy-qemu", qemu: { downtimeLimit: "300ms" } },
 * );
 * ```
 */
export function prepareMigration(vm: VmOptions, options: MigrationOptions): MigrationPlan {
  return new MigrationPlan(resolvePlan(vm, options));
}

/** The simulation a migration runs in. */
export interface MigrationWorld {
  /** The kernel. */
  readonly sim: Simulation;
  /** The fluid system of the links (and of the CPUs, for a {@link GuestCpu}). */
  readonly fluid: FluidSystem;
}

/** Options of {@link startMigration}. */
export interface StartMigrationOptions {
  /** The path from the source to the destination. */
  readonly route: Route;
  /** A label, also naming the random streams of the page layout. Default `"vm"`. */
  readonly name?: string;
  /** The VM's CPU load on the source (suspended during downtime, throttled, moved). Default none. */
  readonly cpu?: GuestCpu;
  /** The destination's CPU resource, where `cpu` runs after the switch. Default: it stays where it is. */
  readonly destinationCpu?: Resource;
  /** Called once, when the migration ends, with its result. */
  readonly onEnd?: (result: MigrationResult) => void;
}

/** A failure injected into a running migration. */
export type FailureTarget = "link" | "source" | "destination";

/** The page-level state of a migration (bitmaps of 32 pages per word, lowest bit first). */
export interface PageView {
  /** The layout it started from. */
  readonly image: MemoryImage;
  /** Pages dirtied (or, in post-copy, touched on the destination) since the last bitmap sync. */
  readonly dirty: Uint32Array;
  /** Pages the destination has received at least once. */
  readonly received: Uint32Array;
  /** Pages whose content at the destination is out of date (dirtied after they were sent). */
  readonly stale: Uint32Array;
  /** Pages fetched by post-copy network faults. */
  readonly faulted: Uint32Array;
  /** The pages sent in each round, when the plan has `roundBitmaps`. */
  readonly roundBitmaps: readonly Uint32Array[];
}

/**
 * A running migration: an actor of the simulation that ends with a {@link MigrationResult}.
 *
 * @example
 * ```ts
 * const m = startMigration({ sim, fluid }, plan, { route: { resources: [link] } });
 * sim.schedule(5, () => m.fail("destination"));
 * sim.run();
 * m.result?.outcome; // "aborted" (pre-copy) or "vm-lost" (post-copy)
 * ```
 */
export class Migration {
  private readonly session: Session;
  private signal: Signal<MigrationResult> | undefined = undefined;

  /** @internal */
  constructor(session: Session) {
    this.session = session;
  }

  /** Its label. */
  get name(): string {
    return this.session.name;
  }

  /** The strategy. */
  get strategy(): StrategyName {
    return this.session.plan.strategy;
  }

  /** The result once it has ended, else `undefined`. */
  get result(): MigrationResult | undefined {
    return this.session.result;
  }

  /** The outcome once it has ended, else `undefined`. */
  get outcome(): MigrationOutcome | undefined {
    return this.session.result?.outcome;
  }

  /** Succeeds with the result when it ends (`yield* migration.done` in a process). */
  get done(): Awaitable<MigrationResult> {
    if (this.signal === undefined) {
      const signal = this.session.sim.signal<MigrationResult>();
      this.signal = signal;
      const r = this.session.result;
      if (r !== undefined) signal.succeed(r);
    }
    return this.signal;
  }

  /** @internal */
  _ended(result: MigrationResult): void {
    this.signal?.succeed(result);
  }

  /** Page-level state, or `undefined` at fluid fidelity. */
  get pages(): PageView | undefined {
    const p = this.session.page;
    if (p === undefined) return undefined;
    return {
      image: p.image,
      dirty: p.dirty,
      received: p.received,
      stale: p.stale,
      faulted: p.faulted,
      roundBitmaps: p.roundBitmaps ?? [],
    };
  }

  /**
   * Injects a failure now. `link`: the migration's network fails (to fail a shared link for
   * everyone, set its capacity to 0 with `fluid.setCapacity`, which this migration sees too);
   * `source` or `destination`: that host fails. What it means depends on the phase: pre-copy is
   * `aborted` (the VM keeps running on the source) unless the source failed (`vm-lost`);
   * post-copy is `vm-lost`, or `paused` for a link failure with `postcopy.recovery`.
   *
   * @param target - what fails.
   */
  fail(target: FailureTarget): void {
    this.session.fail(target, target === "link" ? "of the migration" : target);
  }

  /**
   * Caps the migration stream's rate from now on, as QEMU's `migrate-set-parameters
   * max-bandwidth` does on a running migration: the transfer in flight keeps what it has sent and
   * is re-capped in place (`Activity.setBound` of `@vx/core`, no restart), and later rounds use the
   * new cap. It replaces QEMU's `max-bandwidth` (pre-copy, hybrid) or `max-postcopy-bandwidth`
   * (post-copy phase), SimGrid's migration speed, and caps legacy Xen's adaptive rate.
   *
   * @param rate - the new cap (> 0), e.g. `"64MiB/s"`.
   * @returns false if it has ended or has no stream to cap (`cloudsim`, `analytic`).
   * @throws {@link @vx/core!VxError} `VX_MIGRATION_BAD_OPTIONS` for a rate that is not > 0.
   * @example
   * ```ts
   * sim.schedule(4, () => m.setMaxBandwidth("64MiB/s")); // halve QEMU's default from 4 s on
   * ```
   */
  setMaxBandwidth(rate: RateInput): boolean {
    const issues = new Issues();
    const value = issues.parse(rateSchema({ allowZero: false }), rate, ["rate"]);
    issues.throwIfAny("rate");
    return this.session.setMaxBandwidth(value!);
  }

  /**
   * Cancels a pre-copy migration (QEMU's `migrate_cancel`): it ends `aborted` and the VM keeps
   * running on the source.
   *
   * @returns false if it had already ended or is in post-copy (which cannot be cancelled).
   */
  cancel(): boolean {
    return this.session.cancel();
  }
}

function sessionFor(init: SessionInit): Session {
  switch (init.plan.strategy) {
    case "precopy-qemu":
      return new QemuPrecopy(init);
    case "precopy-xen":
      return new XenPrecopy(init);
    case "precopy-simgrid":
      return new SimGridPrecopy(init);
    case "cloudsim":
      return new CloudSimMigration(init);
    case "postcopy":
      return new PostcopySession(init, false);
    case "postcopy-enlightened":
      return new PostcopySession(init, true);
    case "hybrid":
      return new HybridSession(init);
    case "analytic":
      return new AnalyticMigration(init);
  }
}

/**
 * Starts a migration now, in a simulation of your own: the storm, a data center, a study of
 * concurrent migrations. Its transfers are activities on `route` in `world.fluid`; it ends with a
 * result (see {@link Migration.result}, `onEnd`, {@link Migration.done}); failures inside the
 * simulated world are outcomes, never exceptions.
 *
 * @param world - the simulation and its fluid system.
 * @param plan - from {@link prepareMigration} (or options, validated here).
 * @param options - the route, the VM's CPU, a name, a callback.
 * @returns the running migration.
 * @throws {@link @vx/core!VxError} `VX_MIGRATION_BAD_OPTIONS` for bad options, a route without
 * a link or bound, a `cpu` that is not a {@link GuestCpu} or a `destinationCpu` that is not a
 * resource of the guest's fluid system; `VX_CORE_INVALID_ARGUMENT` for a route resource of another
 * fluid system.
 * @example
 * ```ts
 * const sim = new Simulation();
 * const fluid = new FluidSystem(sim);
 * const link = fluid.resource({ name: "a->b", capacity: Gbps(10) });
 * const plan = prepareMigration({ ram: "8GiB" }, { strategy: "postcopy" });
 * const a = startMigration({ sim, fluid }, plan, { route: { resources: [link] }, name: "a" });
 * const b = startMigration({ sim, fluid }, plan, { route: { resources: [link] }, name: "b" });
 * sim.run(); // a and b share the link: each takes twice as long as alone
 * ```
 */
export function startMigration(
  world: MigrationWorld,
  plan: MigrationPlan | (MigrationOptions & { readonly vm: VmOptions }),
  options: StartMigrationOptions,
): Migration {
  const resolved =
    plan instanceof MigrationPlan
      ? plan._resolved
      : resolvePlan((plan as { vm?: VmOptions }).vm, omitVm(plan), ["vm"]);
  const route = options.route;
  if (
    typeof route !== "object" ||
    route === null ||
    !Array.isArray(route.resources) ||
    (route.resources.length === 0 && route.bound === undefined)
  ) {
    throw new VxError(
      "VX_MIGRATION_BAD_OPTIONS",
      "a route needs at least one link resource (or a bound)",
      { path: ["route", "resources"] },
    );
  }
  const lat = route.latencySeconds ?? 0;
  if (!(lat >= 0 && Number.isFinite(lat))) {
    throw new VxError("VX_MIGRATION_BAD_OPTIONS", "latencySeconds must be a finite number ≥ 0", {
      path: ["route", "latencySeconds"],
    });
  }
  const cpu = options.cpu;
  if (cpu !== undefined && !(cpu instanceof GuestCpu)) {
    throw new VxError("VX_MIGRATION_BAD_OPTIONS", "cpu must be a GuestCpu", { path: ["cpu"] });
  }
  const dest = options.destinationCpu;
  if (dest !== undefined && !(cpu?.fluid ?? world.fluid)._owns(dest)) {
    throw new VxError(
      "VX_MIGRATION_BAD_OPTIONS",
      "destinationCpu must be a CPU resource of the guest's fluid system",
      { path: ["destinationCpu"] },
    );
  }
  const session = sessionFor({
    sim: world.sim,
    fluid: world.fluid,
    plan: resolved,
    route,
    name: options.name ?? "vm",
    cpu,
    destinationCpu: dest,
    onEnd: options.onEnd,
  });
  const migration = new Migration(session);
  session.handle = migration;
  session.begin();
  return migration;
}

function omitVm(plan: MigrationOptions & { readonly vm?: VmOptions }): MigrationOptions {
  const { vm: _vm, ...rest } = plan;
  return rest;
}
