/**
 * The disaggregated rack engine: bricks, the orchestrator's slots, section hot-plug, shared
 * regions, migrations and remote devices, on a `@vx/core` simulation and fluid fabric that a
 * caller may share with other models.
 *
 * @module
 */

import { type FluidSystem, type Simulation, VxError } from "@vx/core";
import { Fabric } from "./fabric.js";
import { FREE, regionOwner, SECTION_STRIDE, SectionLedger } from "./internal/ledger.js";
import { SlotPlanner } from "./internal/planner.js";
import { buildResult, RackMetrics } from "./internal/report.js";
import { BufferPool, IdSet, MarkedList } from "./internal/sets.js";
import {
  type MigrationState,
  type MutableMigration,
  Plan,
  RegionState,
  VmState,
} from "./internal/state.js";
import { StrandingTracker } from "./internal/stranding.js";
import { type PairFlow, TrafficBook } from "./internal/traffic.js";
import { DEVICE_KINDS, type DeviceKind, type RackLayout } from "./layout.js";
import {
  ORCHESTRATOR_POLICIES,
  type OrchestratorPolicy,
  type PlacementView,
} from "./orchestrator.js";
import { brickPowerWatts, energyBucket } from "./power.js";
import type { DisaggResult, MigrationRecord, RejectReason } from "./result.js";
import { parseRackSettings, type RackSettings } from "./settings.js";
import { estimateSharedRegion, type SerialisationMethod } from "./shared-region.js";
import { latencySlowdownOf } from "./slowdown.js";
import type { SharedRegionSpec, VmRequest, Workload } from "./workload.js";

/** The simulation and fluid system a rack runs on (shared with other models if the caller wants). */
export interface RackWorld {
  /** The event kernel. */
  readonly sim: Simulation;
  /** The fluid system the fabric's links are created in. */
  readonly fluid: FluidSystem;
}

const GIB = 2 ** 30;
const KIND_COMPUTE = 0;
const KIND_MEMORY = 1;

/**
 * A disaggregated rack on a simulation: bricks on trays, a fabric of `@vx/core` fluid links, and
 * an orchestrator that assembles a slot for each VM, hot-plugs and unplugs its memory by
 * sections, attaches remote devices, shares memory regions and migrates compute or memory.
 *
 * Use {@link DisaggregatedRack.schedule} to replay a {@link Workload} on the simulation, or call
 * the operations ({@link DisaggregatedRack.admit}, `resize`, `setCpuUtilisation`, `depart`,
 * `migrate`) from your own model at the simulation's current time; read
 * {@link DisaggregatedRack.result} at the end. Failures in the simulated world (no room, no free
 * port) are outcomes in the result, never exceptions.
 *
 * @example
 * ```ts
 * const sim = new Simulation();
 * const rack = new DisaggregatedRack({ sim, fluid: new FluidSystem(sim) }, parseRackLayout({
 *   trays: [{ bricks: [{ kind: "compute", count: 2 }, { kind: "memory", count: 2 }] }],
 * }));
 * rack.schedule(parseWorkload({ vms: [{ name: "a", vcpus: 4, memory: "20GiB", lifetime: "1h" }] }));
 * sim.run({ until: 7200 });
 * rack.result().summary.admitted; // 1
 * ```
 */
export class DisaggregatedRack implements PlacementView {
  /** The simulation. */
  readonly sim: Simulation;
  /** The fluid system. */
  readonly fluid: FluidSystem;
  /** The layout. */
  readonly layout: RackLayout;
  /** The settings. */
  readonly settings: RackSettings;
  /** The fabric (other models may route their traffic on it). */
  readonly fabric: Fabric;
  /** Compute brick ids. */
  readonly computeBricks: readonly number[];
  /** Compute brick ids of each tray. */
  readonly computeByTray: readonly (readonly number[])[];
  /** Memory holder ids: memory bricks, then compute bricks with local memory. */
  readonly memoryHolders: readonly number[];
  private readonly deviceBricks: Readonly<Record<DeviceKind, readonly number[]>>;
  private readonly policy: OrchestratorPolicy;
  private readonly ledger: SectionLedger;
  private readonly traffic: TrafficBook;
  private readonly kindCode: Uint8Array;
  private readonly freeCoreArr: Int32Array;
  private readonly freeUnitArr: Int32Array;
  private readonly busyCores: Float64Array;
  private readonly brickWatts: Float64Array;
  private readonly poweredArr: Uint8Array;
  private readonly vms: VmState[] = [];
  private readonly byName = new Map<string, VmState>();
  private readonly regions: RegionState[] = [];
  private readonly regionByName = new Map<string, RegionState>();
  private readonly migrations: MutableMigration[] = [];
  /** VMs whose slowdown must be recomputed (by index). */
  private readonly dirtyVms = new IdSet(1024);
  /** Arrays for the VMs' section lists, handed back when a VM leaves. */
  private readonly sectionPool = new BufferPool();
  /** Bricks whose allocation, power or ports changed since the last commit. */
  private readonly dirtyBricks: IdSet;
  private refreshPending = false;
  private readonly start: number;

  // Totals.
  private readonly totalCores: number;
  private readonly totalSections: number;
  private readonly totalUnits: Record<DeviceKind, number>;
  private readonly totalPorts: number;
  private usedCores = 0;
  private usedSections = 0;
  private vmSections = 0;
  private requestedBytesSum = 0;
  private busyCoreSum = 0;
  private readonly usedUnits: Record<DeviceKind, number> = { accelerator: 0, nic: 0, storage: 0 };
  private poweredCount = 0;
  private poweredPorts = 0;
  private running = 0;
  private requests = 0;
  private admitted = 0;
  private readonly rejected: Record<RejectReason, number> = {
    cores: 0,
    memory: 0,
    ports: 0,
    device: 0,
    region: 0,
  };
  private plugs = 0;
  private unplugs = 0;
  private hotplugFailed = 0;
  private sectionsPlugged = 0;
  private sectionsUnplugged = 0;
  private readonly bucketWatts = { compute: 0, memory: 0, devices: 0 };

  // Metrics.
  private readonly m: RackMetrics;
  private readonly stranding: StrandingTracker;
  private readonly plan: Plan;
  private readonly candidates: number[] = [];
  private readonly planner: SlotPlanner;

  /**
   * @param world - the simulation and fluid system to run on.
   * @param layout - the rack ({@link parseRackLayout}).
   * @param settings - policy, section size, timings ({@link parseRackSettings}); default all defaults.
   * @throws {@link @vx/core!VxError} `VX_DISAGG_TOO_MANY_SECTIONS` when a brick would hold more than
   *   2^24 sections (choose a larger section size).
   */
  constructor(world: RackWorld, layout: RackLayout, settings: RackSettings = parseRackSettings()) {
    this.sim = world.sim;
    this.fluid = world.fluid;
    this.layout = layout;
    this.settings = settings;
    this.start = world.sim.now;
    this.fabric = new Fabric(world.fluid, layout);
    this.policy = ORCHESTRATOR_POLICIES[settings.policy];
    this.traffic = new TrafficBook(this.fabric);
    const bricks = layout.bricks;
    const n = bricks.length;
    this.kindCode = Uint8Array.from(bricks, (b) =>
      b.kind === "compute" ? KIND_COMPUTE : b.kind === "memory" ? KIND_MEMORY : 2,
    );
    this.freeCoreArr = Int32Array.from(bricks, (b) => b.cores);
    this.freeUnitArr = Int32Array.from(bricks, (b) => b.units);
    this.busyCores = new Float64Array(n);
    this.brickWatts = new Float64Array(n);
    this.poweredArr = new Uint8Array(n);
    const counts = bricks.map((b, i) => {
      const k = Math.floor(b.memoryBytes / settings.sectionBytes);
      if (k >= SECTION_STRIDE) {
        throw new VxError(
          "VX_DISAGG_TOO_MANY_SECTIONS",
          `${b.name} would hold ${k} sections of ${settings.sectionBytes} bytes; at most ${SECTION_STRIDE - 1}: use a larger section size.`,
          { path: ["rack", "bricks", i] },
        );
      }
      return k;
    });
    this.ledger = new SectionLedger(counts);
    this.computeBricks = bricks.filter((b) => b.kind === "compute").map((b) => b.id);
    this.computeByTray = Array.from({ length: layout.trays }, (_, t) =>
      this.computeBricks.filter((c) => bricks[c]!.tray === t),
    );
    // Memory bricks first, then compute bricks' local memory: a policy that walks holders in
    // order lends another compute brick's local memory only when the memory bricks are full.
    this.memoryHolders = [
      ...bricks.filter((b, i) => counts[i]! > 0 && b.kind === "memory"),
      ...bricks.filter((b, i) => counts[i]! > 0 && b.kind !== "memory"),
    ].map((b) => b.id);
    const byKind = { accelerator: [] as number[], nic: [] as number[], storage: [] as number[] };
    for (const b of bricks)
      if (b.kind !== "compute" && b.kind !== "memory") byKind[b.kind].push(b.id);
    this.deviceBricks = byKind;
    this.totalCores = bricks.reduce((a, b) => a + b.cores, 0);
    this.totalSections = counts.reduce((a, b) => a + b, 0);
    this.totalUnits = { accelerator: 0, nic: 0, storage: 0 };
    for (const b of bricks)
      if (b.kind !== "compute" && b.kind !== "memory") this.totalUnits[b.kind] += b.units;
    this.totalPorts = bricks.reduce((a, b) => a + b.ports, 0);

    const sim = this.sim;
    this.m = new RackMetrics(sim, settings.series);
    this.planner = new SlotPlanner(this, this.ledger, this.policy, settings, (name) => {
      return this.regionByName.get(name)!;
    });
    const fabric = this.fabric;
    this.stranding = new StrandingTracker({
      kinds: this.kindCode,
      deviceIndex: Int8Array.from(bricks, (b) => DEVICE_KINDS.indexOf(b.kind as DeviceKind)),
      packet: fabric.kind === "packet",
      freeCores: (b) => this.freeCoreArr[b]!,
      freeSections: (b) => this.ledger.free(b),
      freeUnits: (b) => this.freeUnitArr[b]!,
      freePorts: (b) => fabric.freePorts(b),
      circuitsOf: (b) => fabric.circuitsOf(b),
    });
    this.dirtyBricks = new IdSet(n);
    this.plan = new Plan(n);
    this.runCounts = new Float64Array(n);
    for (let b = 0; b < n; b++) this.dirtyBricks.add(b);
    this.commit();
  }

  // ---- PlacementView ------------------------------------------------------------------------

  /**
   * Every other brick by one-way latency from `brick`, nearest first (ties: memory bricks first,
   * then by id); computed once per brick.
   *
   * @param brick - a brick id.
   * @returns brick ids.
   */
  byDistance(brick: number): readonly number[] {
    let order = this.distanceOrders[brick];
    if (order === undefined) {
      const bricks = this.layout.bricks;
      const others = bricks.filter((b) => b.id !== brick);
      const latency = new Float64Array(bricks.length);
      for (const b of others) latency[b.id] = this.fabric.oneWaySeconds(brick, b.id);
      others.sort(
        (a, b) =>
          latency[a.id]! - latency[b.id]! ||
          (a.kind === "memory" ? 0 : 1) - (b.kind === "memory" ? 0 : 1) ||
          a.id - b.id,
      );
      order = others.map((b) => b.id);
      this.distanceOrders[brick] = order;
    }
    return order;
  }

  private readonly distanceOrders: (readonly number[] | undefined)[] = [];

  /**
   * Device bricks of a kind.
   *
   * @param kind - the device kind.
   * @returns brick ids.
   */
  devicesOf(kind: DeviceKind): readonly number[] {
    return this.deviceBricks[kind];
  }

  /**
   * @param brick - a brick id.
   * @returns free cores (0 for non-compute bricks).
   */
  freeCores(brick: number): number {
    return this.freeCoreArr[brick]!;
  }

  /**
   * @param brick - a brick id.
   * @returns free sections.
   */
  freeSections(brick: number): number {
    return this.ledger.free(brick);
  }

  /**
   * @param brick - a brick id.
   * @returns free device units.
   */
  freeUnits(brick: number): number {
    return this.freeUnitArr[brick]!;
  }

  /**
   * @param brick - a brick id.
   * @returns whether it is powered.
   */
  powered(brick: number): boolean {
    return this.poweredArr[brick] === 1;
  }

  /**
   * Who owns a section: `"free"`, a VM's name, or `region:<name>`. For checks and tests.
   *
   * @param brick - a brick id.
   * @param index - the section's index on the brick.
   * @returns the owner.
   */
  sectionOwner(brick: number, index: number): string {
    const o = this.ledger.owner(brick * SECTION_STRIDE + index);
    if (o === FREE) return "free";
    if (o >= 0) return this.vms[o]!.req.name;
    return `region:${this.regions[-2 - o]!.spec.name}`;
  }

  /**
   * Checks the rack's invariants: the section ledger is consistent, every section a VM or region
   * lists is owned by it and by nothing else, no brick gives out more cores, sections or units
   * than it has. For tests and debugging.
   *
   * @returns the first violation, or `undefined`.
   */
  checkInvariants(): string | undefined {
    const bad = this.ledger.check();
    if (bad !== undefined) return bad;
    const claimed = new Map<number, string>();
    const claim = (id: number, who: string, owner: number): string | undefined => {
      const prev = claimed.get(id);
      if (prev !== undefined) return `section ${id} is held by ${prev} and ${who}`;
      claimed.set(id, who);
      if (this.ledger.owner(id) !== owner)
        return `section ${id} listed by ${who} is owned by ${this.ledger.owner(id)}`;
      return undefined;
    };
    for (const vm of this.vms) {
      for (let i = 0; i < vm.sections.length; i++) {
        const e = claim(vm.sections.get(i), vm.req.name, vm.index);
        if (e !== undefined) return e;
      }
      const m = vm.migration;
      // Reserved copies not yet switched in (those before `next` are in `sections` now).
      for (let i = m?.next ?? 0; i < (m?.reserved.length ?? 0); i++) {
        const e = claim(m!.reserved[i]!, `${vm.req.name} (reserved)`, vm.index);
        if (e !== undefined) return e;
      }
    }
    for (const r of this.regions) {
      for (const id of r.sections) {
        const e = claim(id, `region ${r.spec.name}`, regionOwner(r.index));
        if (e !== undefined) return e;
      }
    }
    for (const b of this.layout.bricks) {
      const free = this.ledger.free(b.id);
      const total = this.ledger.total(b.id);
      if (free < 0 || free > total) return `${b.name}: ${free} free sections of ${total}`;
      if (this.freeCoreArr[b.id]! < 0 || this.freeCoreArr[b.id]! > b.cores) {
        return `${b.name}: ${this.freeCoreArr[b.id]} free cores of ${b.cores}`;
      }
      if (this.freeUnitArr[b.id]! < 0 || this.freeUnitArr[b.id]! > b.units) {
        return `${b.name}: ${this.freeUnitArr[b.id]} free units of ${b.units}`;
      }
      if (this.fabric.freePorts(b.id) < 0) return `${b.name}: more circuits than ports`;
    }
    let owned = 0;
    for (const id of claimed.keys()) if (this.ledger.owner(id) !== FREE) owned++;
    if (owned !== claimed.size) return "a listed section is free";
    // The incremental stranding agrees with a full re-evaluation.
    const t = this.stranding;
    const before = [t.cores, t.sections, ...t.units];
    t.full();
    const after = [t.cores, t.sections, ...t.units];
    if (before.some((x, i) => Math.abs(x - after[i]!) > 1e-9)) {
      return `stranding drifted: ${before.join(",")} incremental vs ${after.join(",")} full`;
    }
    return undefined;
  }

  // ---- Workload -----------------------------------------------------------------------------

  /**
   * Declares shared regions (their sections are taken when the first VM attaches).
   *
   * @param regions - the regions.
   * @throws {@link @vx/core!VxError} `VX_DISAGG_DUPLICATE` for a name already declared.
   */
  defineRegions(regions: readonly SharedRegionSpec[]): void {
    for (const spec of regions) {
      if (this.regionByName.has(spec.name)) {
        throw new VxError("VX_DISAGG_DUPLICATE", `region "${spec.name}" is already defined.`, {
          path: ["regions", spec.name],
        });
      }
      const r = new RegionState(this.regions.length, spec);
      this.regions.push(r);
      this.regionByName.set(spec.name, r);
    }
  }

  /**
   * Schedules a whole workload on the simulation: arrivals, memory and CPU steps, departures,
   * migrations, at their times (relative to now). Declares its regions.
   *
   * @param workload - a validated workload ({@link parseWorkload}, {@link syntheticWorkload}).
   * @throws {@link @vx/core!VxError} `VX_DISAGG_DUPLICATE` for a region or VM name already known.
   */
  schedule(workload: Workload): void {
    this.defineRegions(workload.regions);
    const t0 = this.sim.now;
    for (const req of workload.vms) {
      const vm = this.register(req);
      this.sim.scheduleAt(t0 + req.arrivalSeconds, this.onArrive, vm);
      for (const s of req.memorySteps) {
        this.sim.scheduleAt(t0 + s.atSeconds, (v: VmState) => this.resizeVm(v, s.value), vm);
      }
      for (const s of req.cpuSteps) {
        this.sim.scheduleAt(t0 + s.atSeconds, (v: VmState) => this.setCpuVm(v, s.value), vm);
      }
      if (req.departureSeconds !== null) {
        this.sim.scheduleAt(t0 + req.departureSeconds, this.onDepart, vm);
      }
    }
    for (const m of workload.migrations) {
      this.sim.scheduleAt(t0 + m.atSeconds, () => this.migrate(m.vm, m.kind, m.to ?? undefined));
    }
  }

  private readonly onArrive = (vm: VmState): void => this.admitVm(vm);
  private readonly onDepart = (vm: VmState): void => this.departVm(vm);

  private register(req: VmRequest): VmState {
    if (this.byName.has(req.name)) {
      throw new VxError("VX_DISAGG_DUPLICATE", `VM "${req.name}" is already known to this rack.`, {
        path: ["vms", req.name],
      });
    }
    for (const s of req.shared) {
      if (!this.regionByName.has(s.region)) {
        throw new VxError(
          "VX_DISAGG_UNKNOWN_REGION",
          `VM "${req.name}" uses unknown region "${s.region}".`,
          {
            path: ["vms", req.name, "shared"],
          },
        );
      }
    }
    const vm = new VmState(this.vms.length, req, this.sectionPool);
    this.vms.push(vm);
    this.byName.set(req.name, vm);
    return vm;
  }

  // ---- Operations -----------------------------------------------------------------------------

  /**
   * Asks for a slot for a VM now: the orchestrator tries compute bricks in its policy's order and
   * takes the first whose cores, sections (local first, then holders in policy order), devices and
   * circuits fit. A request that cannot be met is rejected (an outcome).
   *
   * @param req - the VM (times in it are ignored: it arrives now; schedule its steps yourself).
   * @returns whether it was admitted.
   * @throws {@link @vx/core!VxError} `VX_DISAGG_DUPLICATE` for a name already known;
   *   `VX_DISAGG_UNKNOWN_REGION` for a region not declared.
   */
  admit(req: VmRequest): boolean {
    const vm = this.register(req);
    this.admitVm(vm);
    return vm.status === "running";
  }

  /**
   * Resizes a running VM's memory now: hot-plug of the missing sections or unplug of the extra
   * ones (rounded up to whole sections). A plug that does not fit fails (an outcome).
   *
   * @param name - the VM.
   * @param memoryBytes - its new memory size, bytes (> 0).
   * @throws {@link @vx/core!VxError} `VX_DISAGG_UNKNOWN_VM` or `VX_DISAGG_BAD_ARGUMENT`.
   */
  resize(name: string, memoryBytes: number): void {
    if (!(memoryBytes > 0 && memoryBytes < Number.POSITIVE_INFINITY)) {
      throw new VxError("VX_DISAGG_BAD_ARGUMENT", `memoryBytes must be > 0, got ${memoryBytes}.`, {
        path: ["memoryBytes"],
      });
    }
    this.resizeVm(this.vmNamed(name), memoryBytes);
  }

  /**
   * Sets a running VM's CPU utilisation now (drives its compute brick's power).
   *
   * @param name - the VM.
   * @param utilisation - 0–1.
   * @throws {@link @vx/core!VxError} `VX_DISAGG_UNKNOWN_VM` or `VX_DISAGG_BAD_ARGUMENT`.
   */
  setCpuUtilisation(name: string, utilisation: number): void {
    if (!(utilisation >= 0 && utilisation <= 1)) {
      throw new VxError("VX_DISAGG_BAD_ARGUMENT", `utilisation is 0–1, got ${utilisation}.`, {
        path: ["utilisation"],
      });
    }
    this.setCpuVm(this.vmNamed(name), utilisation);
  }

  /**
   * A VM leaves now: its cores, sections, devices, circuits and region attachments are released.
   *
   * @param name - the VM.
   * @throws {@link @vx/core!VxError} `VX_DISAGG_UNKNOWN_VM`.
   */
  depart(name: string): void {
    this.departVm(this.vmNamed(name));
  }

  /**
   * Starts a migration of a running VM now: `compute` moves its vCPUs to another compute brick
   * and keeps its memory; `memory` copies its sections, each once, to another holder.
   * Destination: the named brick, or the policy's first that fits. A migration that cannot start
   * is recorded with its reason (an outcome).
   *
   * @param name - the VM.
   * @param kind - `compute` or `memory`.
   * @param to - the destination brick's name; default the orchestrator's choice.
   * @throws {@link @vx/core!VxError} `VX_DISAGG_UNKNOWN_VM`; `VX_DISAGG_UNKNOWN_BRICK` for a
   *   destination that is not a brick of the rack.
   */
  migrate(name: string, kind: "compute" | "memory", to?: string): void {
    const vm = this.vmNamed(name);
    let dest = -1;
    if (to !== undefined) {
      const b = this.layout.bricks.find((x) => x.name === to);
      if (b === undefined) {
        throw new VxError("VX_DISAGG_UNKNOWN_BRICK", `no brick is named "${to}".`, {
          path: ["to"],
        });
      }
      dest = b.id;
    }
    if (kind === "compute") this.startComputeMigration(vm, dest);
    else this.startMemoryMigration(vm, dest);
    this.commit();
  }

  private vmNamed(name: string): VmState {
    const vm = this.byName.get(name);
    if (vm === undefined) {
      throw new VxError("VX_DISAGG_UNKNOWN_VM", `no VM is named "${name}".`, { path: ["vm"] });
    }
    return vm;
  }

  // ---- Admission ------------------------------------------------------------------------------

  private admitVm(vm: VmState): void {
    if (vm.status !== "waiting") return;
    this.requests++;
    const req = vm.req;
    const sections = Math.ceil(req.memoryBytes / this.settings.sectionBytes);
    const candidates = this.policy.computeOrder(this, req.vcpus, this.candidates);
    let plan: Plan | undefined;
    let portBlocked = false;
    let failure: RejectReason = "cores";
    for (const c of candidates) {
      const p = this.plan.reset(c);
      const reason = this.planner.slot(p, vm, sections);
      if (reason === undefined) {
        plan = p;
        break;
      }
      portBlocked ||= p.portBlocked;
      failure = reason;
    }
    if (plan === undefined) {
      vm.status = "rejected";
      let free = 0;
      for (const h of this.memoryHolders) free += this.ledger.free(h);
      vm.rejectReason =
        candidates.length === 0
          ? "cores"
          : failure === "memory" && portBlocked && free >= sections
            ? "ports"
            : failure;
      this.rejected[vm.rejectReason]++;
      return;
    }
    this.admitted++;
    this.running++;
    vm.status = "running";
    vm.startT = this.sim.now;
    vm.lastT = this.sim.now;
    const c = plan.compute;
    vm.compute = c;
    this.freeCoreArr[c]! -= req.vcpus;
    this.usedCores += req.vcpus;
    this.addBusy(c, req.vcpus * vm.cpuUtilisation);
    this.requestedBytesSum += vm.requestedBytes;
    let opened = false;
    // Regions first (their sections), then the VM's sections, devices, attachments.
    for (const [r, takes] of plan.regionTakes) this.allocateRegion(this.regions[r]!, takes);
    for (let i = 0; i < plan.takes.length; i += 2) {
      opened = this.takeSections(vm, plan.takes[i]!, plan.takes[i + 1]!) || opened;
    }
    vm.devices = plan.devices.slice();
    for (let j = 0; j < plan.devices.length; j++) {
      const d = plan.devices[j]!;
      this.freeUnitArr[d]!--;
      this.usedUnits[req.devices[j]!.kind]++;
      this.dirtyBricks.add(d);
      opened = this.addTarget(vm, d) || opened;
    }
    for (const use of req.shared) {
      const r = this.regionByName.get(use.region)!;
      opened = this.attachRegion(vm, r) || opened;
    }
    const t = this.settings.timings;
    vm.assemblySeconds =
      t.decisionSeconds +
      (opened ? this.fabric.reconfigurationSeconds : 0) +
      sections * t.sectionMapSeconds +
      (req.devices.length > 0 ? t.deviceAttachSeconds : 0);
    this.m.assembly.record(vm.assemblySeconds);
    this.dirtyBricks.add(c);
    this.updateIoLatency(vm);
    this.updateTraffic(vm);
    for (const r of vm.regions) this.updateRegion(this.regions[r]!);
    this.commit();
  }

  /** Takes sections of `h` for a VM; returns whether a circuit was opened. */
  private takeSections(vm: VmState, h: number, k: number): boolean {
    this.ledger.takeRun(h, vm.index, k, vm.sections);
    this.usedSections += k;
    this.vmSections += k;
    const before = vm.holderCount.get(h) ?? 0;
    vm.holderCount.set(h, before + k);
    this.dirtyBricks.add(h);
    return before === 0 ? this.addTarget(vm, h) : false;
  }

  /** Returns the VM's last `k` sections to their bricks. */
  private dropLastSections(vm: VmState, k: number): void {
    const counts = this.runCounts;
    const holders = this.runHolders;
    holders.clear();
    // Sections are taken in runs from one holder at a time: count runs, not sections.
    this.ledger.giveLast(vm.sections, k, this.onRun);
    this.usedSections -= k;
    this.vmSections -= k;
    for (const h of holders.items) {
      const left = vm.holderCount.get(h)! - counts[h]!;
      if (left === 0) {
        vm.holderCount.delete(h);
        this.dropTarget(vm, h);
      } else vm.holderCount.set(h, left);
      this.dirtyBricks.add(h);
    }
  }

  private readonly onRun = (h: number, len: number): void => this.countRun(h, len);

  private countRun(h: number, len: number): void {
    if (this.runHolders.add(h)) this.runCounts[h] = 0;
    this.runCounts[h]! += len;
  }

  private readonly runHolders = new IdSet(0);
  private runCounts: Float64Array = new Float64Array(0);

  /** Adds a reason for a circuit between the VM's compute brick and `t`; returns whether one opened. */
  private addTarget(vm: VmState, t: number): boolean {
    if (t === vm.compute) return false;
    const n = vm.targets.get(t) ?? 0;
    vm.targets.set(t, n + 1);
    if (n > 0) return false;
    const r = this.fabric.openCircuit(vm.compute, t);
    if (r === "no-port") {
      throw new VxError("VX_DISAGG_INTERNAL", "a planned circuit found no free port.", {
        path: [],
      });
    }
    return r === "opened";
  }

  private dropTarget(vm: VmState, t: number): void {
    if (t === vm.compute) return;
    const n = vm.targets.get(t)!;
    if (n > 1) {
      vm.targets.set(t, n - 1);
      return;
    }
    vm.targets.delete(t);
    this.fabric.closeCircuit(vm.compute, t);
  }

  // ---- Regions --------------------------------------------------------------------------------

  private allocateRegion(r: RegionState, takes: readonly number[]): void {
    const owner = regionOwner(r.index);
    let best = -1;
    for (let i = 0; i < takes.length; i += 2) {
      const h = takes[i]!;
      const k = takes[i + 1]!;
      for (let j = 0; j < k; j++) r.sections.push(this.ledger.take(h, owner));
      r.holderCount.set(h, (r.holderCount.get(h) ?? 0) + k);
      this.usedSections += k;
      this.dirtyBricks.add(h);
      if (best < 0 || r.holderCount.get(h)! > r.holderCount.get(best)!) best = h;
    }
    r.home = best;
    r.allocatedSections = r.sections.length;
  }

  private attachRegion(vm: VmState, r: RegionState): boolean {
    let opened = false;
    for (const h of r.holderCount.keys()) opened = this.addTarget(vm, h) || opened;
    r.users.add(vm.index);
    vm.regions.push(r.index);
    r.peakAccessors = Math.max(r.peakAccessors, r.users.size);
    return opened;
  }

  private detachRegion(vm: VmState, r: RegionState): void {
    for (const h of r.holderCount.keys()) this.dropTarget(vm, h);
    r.users.delete(vm.index);
    vm.sharedFactor.delete(r.index);
    if (r.users.size === 0) {
      for (const id of r.sections) {
        this.ledger.give(id);
        this.dirtyBricks.add(Math.floor(id / SECTION_STRIDE));
      }
      this.usedSections -= r.sections.length;
      r.sections.length = 0;
      r.holderCount.clear();
      r.home = -1;
    } else {
      this.updateRegion(r);
    }
  }

  /** Re-estimates a region's serialisation cost and its users' shared factors. */
  private updateRegion(r: RegionState): void {
    if (r.users.size === 0 || r.home < 0) return;
    const users = [...r.users].map((i) => this.vms[i]!);
    const accessors = users.map((vm) => {
      const use = vm.req.shared.find((s) => s.region === r.spec.name)!;
      return {
        brick: vm.compute,
        accessesPerSecond: use.accessesPerSecond,
        criticalSectionSeconds: use.criticalSectionSeconds,
        oneWaySeconds: this.fabric.oneWaySeconds(vm.compute, r.home),
        writeFraction: use.writeFraction,
        writeBytes: use.writeBytes,
      };
    });
    const cost = estimateSharedRegion({
      method: r.spec.method as SerialisationMethod,
      accessors,
      bytesPerSecond: this.layout.fabric.portBytesPerSecond,
    });
    r.peakUtilisation = Math.max(r.peakUtilisation, cost.utilisation);
    r.saturated ||= cost.saturated;
    users.forEach((vm, i) => {
      const a = cost.accessors[i]!;
      const acc = accessors[i]!;
      const factor =
        a.accessSeconds === null
          ? Math.max(1, cost.utilisation)
          : 1 + acc.accessesPerSecond * (a.accessSeconds - acc.criticalSectionSeconds);
      vm.sharedFactor.set(r.index, factor);
      this.dirtyVms.add(vm.index);
    });
  }

  // ---- Resize, CPU, departure -------------------------------------------------------------------

  private resizeVm(vm: VmState, bytes: number): void {
    if (vm.status !== "running") return;
    if (vm.migration?.kind === "memory") {
      vm.pendingResize = bytes;
      return;
    }
    const target = Math.ceil(bytes / this.settings.sectionBytes);
    const have = vm.sections.length;
    const perSectionGiB = this.settings.sectionBytes / GIB;
    const t = this.settings.timings;
    if (target > have) {
      const k = target - have;
      const p = this.plan.reset(vm.compute);
      const takes = p.takes;
      if (!this.planner.memory(p, k, takes)) {
        vm.hotplugsFailed++;
        this.hotplugFailed++;
        return;
      }
      let opened = false;
      for (let i = 0; i < takes.length; i += 2) {
        opened = this.takeSections(vm, takes[i]!, takes[i + 1]!) || opened;
      }
      this.plugs++;
      this.sectionsPlugged += k;
      vm.hotplugsDone++;
      this.m.hotplugLatency.record(
        (opened ? this.fabric.reconfigurationSeconds : 0) + k * perSectionGiB * t.plugSecondsPerGiB,
      );
    } else if (target < have) {
      const k = have - target;
      // Last plugged, first unplugged (what virtio-mem and section hot-remove do in practice).
      this.dropLastSections(vm, k);
      this.unplugs++;
      this.sectionsUnplugged += k;
      vm.hotplugsDone++;
      this.m.hotplugLatency.record(k * perSectionGiB * t.unplugSecondsPerGiB);
    }
    this.requestedBytesSum += bytes - vm.requestedBytes;
    vm.requestedBytes = bytes;
    this.updateTraffic(vm);
    this.commit();
  }

  private setCpuVm(vm: VmState, u: number): void {
    if (vm.status !== "running") return;
    this.addBusy(vm.compute, vm.req.vcpus * (u - vm.cpuUtilisation));
    vm.cpuUtilisation = u;
    this.dirtyBricks.add(vm.compute);
    this.commit();
  }

  private addBusy(c: number, delta: number): void {
    this.busyCores[c]! += delta;
    if (this.busyCores[c]! < 1e-9) this.busyCores[c] = 0;
    this.busyCoreSum += delta;
  }

  private departVm(vm: VmState): void {
    if (vm.status !== "running") return;
    if (vm.migration !== undefined) this.abortMigration(vm, "vm-left");
    const c = vm.compute;
    vm.endSections = vm.sections.length;
    vm.endRemote = vm.endSections > 0 ? 1 - (vm.holderCount.get(c) ?? 0) / vm.endSections : 0;
    this.clearTraffic(vm);
    for (const r of vm.regions.slice()) this.detachRegion(vm, this.regions[r]!);
    vm.regions.length = 0;
    this.dropLastSections(vm, vm.sections.length);
    vm.sections.release();
    vm.devices.forEach((d, j) => {
      this.freeUnitArr[d]!++;
      this.usedUnits[vm.req.devices[j]!.kind]--;
      this.dirtyBricks.add(d);
      this.dropTarget(vm, d);
    });
    vm.devices = [];
    this.freeCoreArr[c]! += vm.req.vcpus;
    this.usedCores -= vm.req.vcpus;
    this.addBusy(c, -vm.req.vcpus * vm.cpuUtilisation);
    this.requestedBytesSum -= vm.requestedBytes;
    this.dirtyBricks.add(c);
    this.setSlowdown(vm, vm.slowdown, vm.ioFraction);
    vm.endT = this.sim.now;
    vm.status = "departed";
    this.running--;
    this.commit();
  }

  // ---- Traffic and slowdown ---------------------------------------------------------------------

  /** Recomputes the VM's traffic on the fabric from its placement. */
  private updateTraffic(vm: VmState): void {
    const req = vm.req;
    const c = vm.compute;
    const total = vm.sections.length;
    // Remote share and mean added round trip of its remote accesses.
    let remoteSections = 0;
    let added = 0;
    vm.holderCount.forEach((k, h) => {
      if (h === c) return;
      remoteSections += k;
      added += k * 2 * this.fabric.oneWaySeconds(c, h);
    });
    vm.latencySlowdown = latencySlowdownOf(
      total > 0 ? remoteSections / total : 0,
      remoteSections > 0 ? added / remoteSections : 0,
      this.settings.localLatencySeconds,
      req.memoryStallFraction,
    );
    this.beginFlows();
    if (total > 0 && req.memoryBytesPerSecond > 0) {
      const pace = req.memoryBytesPerSecond / vm.latencySlowdown;
      vm.holderCount.forEach((k, h) => {
        if (h === c) return;
        const d = (pace * k) / total;
        this.addFlow(h, c, d * (1 - req.writeFraction));
        this.addFlow(c, h, d * req.writeFraction);
      });
    }
    this.replaceFlows(vm, vm.memPairs, vm.memAmounts);
    this.beginFlows();
    vm.ioCap = 1;
    vm.devices.forEach((dev, j) => {
      const demand = req.devices[j]!;
      // A unit serves at most its own bandwidth, local or remote.
      const d = Math.min(demand.bytesPerSecond, this.layout.bricks[dev]!.unitBytesPerSecond);
      if (demand.bytesPerSecond > 0) vm.ioCap = Math.min(vm.ioCap, d / demand.bytesPerSecond);
      this.addFlow(dev, c, d * (1 - demand.writeFraction));
      this.addFlow(c, dev, d * demand.writeFraction);
    });
    this.replaceFlows(vm, vm.ioPairs, vm.ioAmounts);
    this.dirtyVms.add(vm.index);
  }

  // The new flows of a VM, summed per pair: a list and each pair's index in it (no Map).
  private readonly nextPairs: PairFlow[] = [];
  private readonly nextAmounts: number[] = [];
  private flowEpoch = 0;
  private oldEpoch = 0;

  private beginFlows(): void {
    this.nextPairs.length = 0;
    this.nextAmounts.length = 0;
    this.flowEpoch++;
  }

  private addFlow(from: number, to: number, d: number): void {
    if (!(d > 0)) return;
    const p = this.traffic.pair(from, to);
    if (p.flowEpoch === this.flowEpoch) {
      this.nextAmounts[p.flowIndex]! += d;
      return;
    }
    p.flowEpoch = this.flowEpoch;
    p.flowIndex = this.nextPairs.length;
    this.nextPairs.push(p);
    this.nextAmounts.push(d);
  }

  private clearTraffic(vm: VmState): void {
    this.beginFlows();
    this.replaceFlows(vm, vm.memPairs, vm.memAmounts);
    this.beginFlows();
    this.replaceFlows(vm, vm.ioPairs, vm.ioAmounts);
  }

  /** Moves the VM's demands from its old flows (`pairs`, `amounts`) to the new ones, in place. */
  private replaceFlows(vm: VmState, pairs: PairFlow[], amounts: number[]): void {
    const next = this.nextPairs;
    const nextAmounts = this.nextAmounts;
    const epoch = this.flowEpoch;
    const old = ++this.oldEpoch;
    for (let i = 0; i < pairs.length; i++) {
      const p = pairs[i]!;
      p.oldMark = old;
      const n = p.flowEpoch === epoch ? nextAmounts[p.flowIndex]! : 0;
      if (n === 0) {
        p.users.delete(vm.index);
        this.prunable.add(p);
      }
      if (n !== amounts[i]) this.traffic.add(p, n - amounts[i]!);
    }
    for (let j = 0; j < next.length; j++) {
      const p = next[j]!;
      if (p.oldMark !== old) {
        p.users.add(vm.index);
        this.traffic.add(p, nextAmounts[j]!);
      }
    }
    pairs.length = 0;
    amounts.length = 0;
    for (let j = 0; j < next.length; j++) {
      pairs.push(next[j]!);
      amounts.push(nextAmounts[j]!);
    }
  }

  private readonly prunable = new MarkedList<PairFlow>(
    (p) => p.pruneMark,
    (p, m) => {
      p.pruneMark = m;
    },
  );

  private recomputeSlowdown(vm: VmState): void {
    if (vm.status !== "running") return;
    let f = 1;
    for (const p of vm.memPairs) if (p.fraction < f) f = p.fraction;
    let shared = 1;
    for (const x of vm.sharedFactor.values()) shared *= x;
    let io = 1;
    for (const p of vm.ioPairs) if (p.fraction < io) io = p.fraction;
    io *= vm.ioCap;
    this.setSlowdown(vm, (vm.latencySlowdown / f) * shared, io);
  }

  private setSlowdown(vm: VmState, s: number, io: number): void {
    const now = this.sim.now;
    vm.slowdownAcc += vm.slowdown * (now - vm.lastT);
    vm.ioAcc += vm.ioFraction * (now - vm.lastT);
    vm.lastT = now;
    vm.slowdown = s;
    vm.ioFraction = io;
    if (s > vm.maxSlowdown) vm.maxSlowdown = s;
  }

  private updateIoLatency(vm: VmState): void {
    if (vm.devices.length === 0) {
      vm.ioLatencySeconds = null;
      return;
    }
    let sum = 0;
    for (const d of vm.devices) {
      sum +=
        this.layout.bricks[d]!.unitLatencySeconds + 2 * this.fabric.oneWaySeconds(vm.compute, d);
    }
    vm.ioLatencySeconds = sum / vm.devices.length;
  }

  private readonly prune = (p: PairFlow): void => this.traffic.prune(p);

  private readonly onFractionChange = (p: PairFlow): void => {
    for (const i of p.users) this.dirtyVms.add(i);
  };

  private readonly refresh = (): void => {
    this.refreshPending = false;
    this.traffic.refresh(this.onFractionChange);
    for (const i of this.dirtyVms.items) this.recomputeSlowdown(this.vms[i]!);
    this.dirtyVms.clear();
  };

  // ---- Migration ------------------------------------------------------------------------------

  private newRecord(vm: VmState, kind: "compute" | "memory"): MutableMigration {
    const rec: MutableMigration = {
      vm: vm.req.name,
      kind,
      outcome: "in-progress",
      from: null,
      to: null,
      startSeconds: this.sim.now,
      timeSeconds: null,
      downtimeSeconds: 0,
      bytes: 0,
      sections: 0,
    };
    this.migrations.push(rec);
    return rec;
  }

  /** Targets a VM would need from compute brick `c`: holders, devices, region holders. */
  private targetsFrom(vm: VmState, c: number): Map<number, number> {
    const m = new Map<number, number>();
    const inc = (t: number): void => {
      if (t !== c) m.set(t, (m.get(t) ?? 0) + 1);
    };
    for (const h of vm.holderCount.keys()) inc(h);
    for (const d of vm.devices) inc(d);
    for (const r of vm.regions) for (const h of this.regions[r]!.holderCount.keys()) inc(h);
    return m;
  }

  private startComputeMigration(vm: VmState, dest: number): void {
    const rec = this.newRecord(vm, "compute");
    if (vm.status !== "running") {
      rec.outcome = "vm-left";
      return;
    }
    rec.from = this.layout.bricks[vm.compute]!.name;
    if (vm.migration !== undefined) {
      rec.outcome = "busy";
      return;
    }
    const old = vm.compute;
    const fits = (c: number): "ok" | "no-destination" | "no-ports" => {
      if (c === old || this.kindCode[c] !== KIND_COMPUTE || this.freeCoreArr[c]! < vm.req.vcpus) {
        return "no-destination";
      }
      const targets = this.targetsFrom(vm, c);
      let needPorts = 0;
      const needs = [...targets.keys()];
      if (!targets.has(old)) needs.push(old); // the state transfer
      for (const t of needs) {
        if (this.fabric.connected(c, t)) continue;
        if (this.fabric.freePorts(t) <= 0) return "no-ports";
        needPorts++;
      }
      return needPorts <= this.fabric.freePorts(c) ? "ok" : "no-ports";
    };
    let to = dest;
    if (to >= 0) {
      const why = fits(to);
      if (why !== "ok") {
        rec.outcome = why;
        rec.to = this.layout.bricks[to]!.name;
        return;
      }
    } else {
      let portsOnly = false;
      for (const c of this.policy.computeOrder(this, vm.req.vcpus, [])) {
        const why = fits(c);
        if (why === "ok") {
          to = c;
          break;
        }
        portsOnly ||= why === "no-ports";
      }
      if (to < 0) {
        rec.outcome = portsOnly ? "no-ports" : "no-destination";
        return;
      }
    }
    rec.to = this.layout.bricks[to]!.name;
    // Reserve the cores; open the circuits of the new brick while the VM still runs.
    this.freeCoreArr[to]! -= vm.req.vcpus;
    this.usedCores += vm.req.vcpus;
    this.dirtyBricks.add(to);
    const newTargets = this.targetsFrom(vm, to);
    let opened = false;
    for (const t of newTargets.keys())
      opened = this.fabric.openCircuit(to, t) === "opened" || opened;
    const temp: [number, number][] = [];
    if (this.fabric.kind === "circuit") {
      // The state transfer's own circuit (a second user if the old brick is a target already).
      opened = this.fabric.openCircuit(to, old) === "opened" || opened;
      temp.push([to, old]);
    }
    const m: MigrationState = {
      kind: "compute",
      record: rec,
      to,
      newTargets,
      temp,
      reserved: [],
      moving: [],
      next: 0,
      activity: undefined,
      handle: -1,
    };
    vm.migration = m;
    const setup = opened ? this.fabric.reconfigurationSeconds : 0;
    m.handle = this.sim.schedule(setup, this.computePause, vm);
  }

  private readonly computePause = (vm: VmState): void => {
    const m = vm.migration!;
    m.handle = -1;
    const cfg = this.settings.migration;
    const bytes = vm.req.vcpus * cfg.cpuStateBytesPerVcpu + cfg.deviceStateBytes;
    m.record.bytes = bytes;
    const pausedAt = this.sim.now;
    this.transfer(vm, m, vm.compute, m.to, bytes, `migrate-cpu:${vm.req.name}`, () => {
      m.handle = this.sim.schedule(
        cfg.pauseSeconds,
        () => this.computeSwitch(vm, pausedAt),
        undefined,
      );
    });
  };

  /**
   * Moves `bytes` from one brick to another for a migration: after the route's one-way latency,
   * a fluid activity on the fabric that shares the links with the rack's traffic and anything
   * else on them; `done` runs when it completes (not if the migration was aborted).
   */
  private transfer(
    vm: VmState,
    m: MigrationState,
    from: number,
    to: number,
    bytes: number,
    name: string,
    done: () => void,
  ): void {
    const route = this.fabric.route(from, to);
    m.handle = this.sim.schedule(
      this.fabric.oneWaySeconds(from, to),
      () => {
        m.handle = -1;
        m.activity = this.fluid.start({
          amount: bytes,
          resources: route,
          name,
          onEnd: (a) => {
            m.activity = undefined;
            this.traffic.touch(route);
            if (vm.migration !== m) return;
            const status = a.outcome?.status;
            if (status === "completed") done();
            else if (status === "failed") {
              // A link of the route failed (its capacity went to 0): an outcome, not an error.
              this.abortMigration(vm, "failed");
              this.commit();
            }
          },
        });
        this.traffic.touch(route);
        this.commit();
      },
      undefined,
    );
  }

  private computeSwitch(vm: VmState, pausedAt: number): void {
    const m = vm.migration!;
    m.handle = -1;
    const old = vm.compute;
    const to = m.to;
    // Swap the circuits: the old brick's close, the new brick's (opened at the start) stay.
    for (const t of vm.targets.keys()) this.fabric.closeCircuit(old, t);
    vm.targets = m.newTargets!;
    for (const [a, b] of m.temp) this.fabric.closeCircuit(a, b);
    this.freeCoreArr[old]! += vm.req.vcpus;
    this.usedCores -= vm.req.vcpus;
    this.addBusy(old, -vm.req.vcpus * vm.cpuUtilisation);
    this.addBusy(to, vm.req.vcpus * vm.cpuUtilisation);
    vm.compute = to;
    this.dirtyBricks.add(old);
    this.dirtyBricks.add(to);
    m.record.downtimeSeconds = this.sim.now - pausedAt;
    m.record.timeSeconds = this.sim.now - m.record.startSeconds;
    m.record.outcome = "completed";
    vm.migration = undefined;
    this.updateIoLatency(vm);
    this.updateTraffic(vm);
    for (const r of vm.regions) this.updateRegion(this.regions[r]!);
    this.commit();
  }

  private startMemoryMigration(vm: VmState, dest: number): void {
    const rec = this.newRecord(vm, "memory");
    if (vm.status !== "running") {
      rec.outcome = "vm-left";
      return;
    }
    let major = -1;
    for (const [h, k] of vm.holderCount) if (major < 0 || k > vm.holderCount.get(major)!) major = h;
    rec.from = major >= 0 ? this.layout.bricks[major]!.name : null;
    if (vm.migration !== undefined) {
      rec.outcome = "busy";
      return;
    }
    const c = vm.compute;
    const fits = (h: number): "ok" | "no-destination" | "no-ports" => {
      if (this.ledger.total(h) === 0) return "no-destination";
      const moving = vm.sections.length - (vm.holderCount.get(h) ?? 0);
      if (moving === 0 || this.ledger.free(h) < moving) return "no-destination";
      // Circuits to h: from the VM's compute brick and from every source of a moving section.
      const ends = new Set<number>([c, ...vm.holderCount.keys()]);
      ends.delete(h);
      let needH = 0;
      for (const e of ends) {
        if (this.fabric.connected(e, h)) continue;
        if (this.fabric.freePorts(e) <= 0) return "no-ports";
        needH++;
      }
      return needH <= this.fabric.freePorts(h) || this.fabric.kind === "packet" ? "ok" : "no-ports";
    };
    let to = dest;
    if (to >= 0) {
      const why = fits(to);
      if (why !== "ok") {
        rec.outcome = why;
        rec.to = this.layout.bricks[to]!.name;
        return;
      }
    } else {
      let portsOnly = false;
      const order = this.policy.holderOrder(this, c, vm.sections.length, []);
      if (this.ledger.total(c) > 0) order.push(c);
      for (const h of order) {
        if (h === major) continue;
        const why = fits(h);
        if (why === "ok") {
          to = h;
          break;
        }
        portsOnly ||= why === "no-ports";
      }
      if (to < 0) {
        rec.outcome = portsOnly ? "no-ports" : "no-destination";
        return;
      }
    }
    rec.to = this.layout.bricks[to]!.name;
    const moving: number[] = [];
    for (let i = 0; i < vm.sections.length; i++) {
      if (Math.floor(vm.sections.get(i) / SECTION_STRIDE) !== to) moving.push(i);
    }
    const reserved: number[] = [];
    for (let i = 0; i < moving.length; i++) reserved.push(this.ledger.take(to, vm.index));
    this.usedSections += moving.length;
    this.dirtyBricks.add(to);
    let opened = this.addTarget(vm, to); // the VM's own circuit to the destination
    const temp: [number, number][] = [];
    if (this.fabric.kind === "circuit") {
      for (const src of vm.holderCount.keys()) {
        if (src === to) continue;
        opened = this.fabric.openCircuit(src, to) === "opened" || opened;
        temp.push([src, to]);
      }
    }
    const m: MigrationState = {
      kind: "memory",
      record: rec,
      to,
      newTargets: undefined,
      temp,
      reserved,
      moving,
      next: 0,
      activity: undefined,
      handle: -1,
    };
    vm.migration = m;
    m.handle = this.sim.schedule(
      opened ? this.fabric.reconfigurationSeconds : 0,
      this.copyNext,
      vm,
    );
  }

  private readonly copyNext = (vm: VmState): void => {
    const m = vm.migration!;
    m.handle = -1;
    if (m.next === m.moving.length) {
      this.finishMemoryMigration(vm);
      return;
    }
    const pos = m.moving[m.next]!;
    const src = Math.floor(vm.sections.get(pos) / SECTION_STRIDE);
    this.transfer(vm, m, src, m.to, this.settings.sectionBytes, `migrate-mem:${vm.req.name}`, () =>
      this.switchSection(vm, m, pos, src),
    );
  };

  private switchSection(vm: VmState, m: MigrationState, pos: number, src: number): void {
    const oldId = vm.sections.get(pos);
    const newId = m.reserved[m.next]!;
    m.next++;
    m.record.bytes += this.settings.sectionBytes;
    m.record.sections++;
    // The copy takes the old section's place; the old one goes back to its brick.
    vm.sections.set(pos, newId);
    const before = vm.holderCount.get(m.to) ?? 0;
    vm.holderCount.set(m.to, before + 1);
    if (before === 0) this.addTarget(vm, m.to);
    this.ledger.give(oldId);
    this.usedSections--;
    const left = vm.holderCount.get(src)! - 1;
    if (left === 0) {
      vm.holderCount.delete(src);
      this.dropTarget(vm, src);
    } else vm.holderCount.set(src, left);
    this.dirtyBricks.add(src);
    this.updateTraffic(vm);
    this.copyNext(vm);
    this.commit();
  }

  private finishMemoryMigration(vm: VmState): void {
    const m = vm.migration!;
    for (const [a, b] of m.temp) this.fabric.closeCircuit(a, b);
    this.dropTarget(vm, m.to); // the migration's own reason; the sections' reason stays
    m.record.timeSeconds = this.sim.now - m.record.startSeconds;
    m.record.outcome = "completed";
    vm.migration = undefined;
    if (vm.pendingResize !== undefined) {
      const bytes = vm.pendingResize;
      vm.pendingResize = undefined;
      this.resizeVm(vm, bytes);
    }
    this.commit();
  }

  private abortMigration(vm: VmState, outcome: MigrationRecord["outcome"]): void {
    const m = vm.migration!;
    if (m.handle >= 0) this.sim.cancel(m.handle);
    m.activity?.cancel();
    m.record.outcome = outcome;
    if (m.kind === "compute") {
      this.freeCoreArr[m.to]! += vm.req.vcpus;
      this.usedCores -= vm.req.vcpus;
      this.dirtyBricks.add(m.to);
      for (const t of m.newTargets!.keys()) this.fabric.closeCircuit(m.to, t);
    } else {
      for (let i = m.next; i < m.reserved.length; i++) {
        this.ledger.give(m.reserved[i]!);
        this.usedSections--;
      }
      this.dirtyBricks.add(m.to);
      this.dropTarget(vm, m.to);
    }
    for (const [a, b] of m.temp) this.fabric.closeCircuit(a, b);
    vm.migration = undefined;
  }

  // ---- Bookkeeping ----------------------------------------------------------------------------

  private flushTraffic(): void {
    if (this.traffic.flush(this.onFractionChange) && !this.refreshPending) {
      this.refreshPending = true;
      this.sim.schedule(0, this.refresh, undefined);
    }
  }

  /** Ends an operation: pushes traffic, updates slowdowns, power, gauges and stranding. */
  private commit(): void {
    this.flushTraffic();
    this.prunable.forEach(this.prune);
    this.prunable.clear();
    for (const i of this.dirtyVms.items) this.recomputeSlowdown(this.vms[i]!);
    if (!this.refreshPending) this.dirtyVms.clear();
    // Stranding first: power clears the set of changed bricks.
    this.updateStranding();
    this.updatePower();
    const g = this.m;
    g.cores.set(this.totalCores > 0 ? this.usedCores / this.totalCores : 0);
    const totalMem = this.totalSections * this.settings.sectionBytes;
    const allocated = this.usedSections * this.settings.sectionBytes;
    g.memory.set(totalMem > 0 ? allocated / totalMem : 0);
    g.memoryRequested.set(totalMem > 0 ? this.requestedBytesSum / totalMem : 0);
    g.cpuBusy.set(this.totalCores > 0 ? this.busyCoreSum / this.totalCores : 0);
    g.rounding.set(Math.max(0, this.vmAllocatedBytes() - this.requestedBytesSum));
    if (this.fabric.kind === "circuit") {
      g.ports.set(this.totalPorts > 0 ? (2 * this.fabric.openCircuits) / this.totalPorts : 0);
    }
    for (const k of DEVICE_KINDS) {
      g.devices[k].set(this.totalUnits[k] > 0 ? this.usedUnits[k] / this.totalUnits[k] : 0);
    }
    this.m.recordSeries(this.running);
  }

  /** Bytes of sections VMs use (regions' sections and migrations' reserved copies excluded). */
  private vmAllocatedBytes(): number {
    return this.vmSections * this.settings.sectionBytes;
  }

  private updatePower(): void {
    const bricks = this.layout.bricks;
    const offIdle = this.settings.powerOffIdle;
    for (const b of this.dirtyBricks.items) {
      const brick = bricks[b]!;
      const used = this.ledger.total(b) - this.ledger.free(b);
      let util: number;
      let busy: boolean;
      if (this.kindCode[b] === KIND_COMPUTE) {
        busy = this.freeCoreArr[b]! < brick.cores || used > 0;
        util = brick.cores > 0 ? this.busyCores[b]! / brick.cores : 0;
      } else if (this.kindCode[b] === KIND_MEMORY) {
        busy = used > 0;
        util = this.ledger.total(b) > 0 ? used / this.ledger.total(b) : 0;
      } else {
        busy = this.freeUnitArr[b]! < brick.units;
        util = brick.units > 0 ? (brick.units - this.freeUnitArr[b]!) / brick.units : 0;
      }
      const on = busy || !offIdle;
      const was = this.poweredArr[b] === 1;
      if (on !== was) {
        this.poweredArr[b] = on ? 1 : 0;
        this.poweredCount += on ? 1 : -1;
        this.poweredPorts += (on ? 1 : -1) * brick.ports;
      }
      const w = brickPowerWatts(brick.power, util, on);
      const bucket = energyBucket(brick.kind);
      this.bucketWatts[bucket] += w - this.brickWatts[b]!;
      this.brickWatts[b] = w;
    }
    this.dirtyBricks.clear();
    const f = this.layout.fabric;
    const ports = this.fabric.kind === "circuit" ? 2 * this.fabric.openCircuits : this.poweredPorts;
    const g = this.m;
    g.computeWatts.set(Math.max(0, this.bucketWatts.compute));
    g.memoryWatts.set(Math.max(0, this.bucketWatts.memory));
    g.devicesWatts.set(Math.max(0, this.bucketWatts.devices));
    g.fabricWatts.set(f.switchWatts + f.portWatts * ports);
    g.powered.set(this.poweredCount);
  }

  /** Stranded resources, re-evaluated for the bricks that changed (see `internal/stranding.ts`). */
  private updateStranding(): void {
    this.fabric.drainTouched(this.dirtyBricks);
    const t = this.stranding;
    t.update(this.dirtyBricks.items);
    const g = this.m;
    g.strandedCores.set(this.totalCores > 0 ? t.cores / this.totalCores : 0);
    g.strandedMemory.set(this.totalSections > 0 ? t.sections / this.totalSections : 0);
    DEVICE_KINDS.forEach((k, i) => {
      if (this.totalUnits[k] > 0) g.strandedDevices[k].set(t.units[i]! / this.totalUnits[k]);
    });
  }

  // ---- Results --------------------------------------------------------------------------------

  /**
   * The run's results as of now: summary, per-VM outcomes, migrations and series. Plain JSON.
   *
   * @returns the result.
   */
  result(): DisaggResult {
    return buildResult({
      now: this.sim.now,
      start: this.start,
      layout: this.layout,
      settings: this.settings,
      circuit: this.fabric.kind === "circuit",
      reconfigurations: this.fabric.reconfigurations,
      totalUnits: this.totalUnits,
      vms: this.vms,
      regions: this.regions,
      migrations: this.migrations,
      metrics: this.m,
      counts: {
        requests: this.requests,
        admitted: this.admitted,
        rejected: this.rejected,
        plugs: this.plugs,
        unplugs: this.unplugs,
        hotplugFailed: this.hotplugFailed,
        sectionsPlugged: this.sectionsPlugged,
        sectionsUnplugged: this.sectionsUnplugged,
      },
    });
  }
}
