/**
 * The data-center engine: places the VMs, runs the scheduling rounds and the migrations on the
 * event kernel (and, with a real migration model or VM traffic, the fluid network), calls the
 * extensions, and assembles the result.
 *
 * @internal
 */

import { createRandom, FluidSystem, Simulation, VxError } from "@vx/core";
import type { MigrationResult } from "@vx/migration";
import type { CloudsimQuirks } from "../compat.js";
import { consolidationRound, RoundScratch } from "../consolidation.js";
import type { DatacenterExtension, ExtensionResult } from "../extension.js";
import { MIGRATION_MODELS } from "../migration-models.js";
import { createOverloadDetector, OVERLOAD_DETECTORS, type OverloadDetector } from "../overload.js";
import { findHostFirstFit, PLACEMENTS, type PlacementFn } from "../placement.js";
import { specPower } from "../power.js";
import type {
  DatacenterResult,
  DatacenterSeries,
  DatacenterSummary,
  MigrationRecord,
} from "../result.js";
import { createVmSelector, type VmSelector } from "../selection.js";
import type { DatacenterSpec, VmTypeSpec } from "../spec.js";
import type { TraceTable } from "../workloads/trace.js";
import { Accounting } from "./accounting.js";
import { BackgroundTraffic } from "./background.js";
import { ExtensionHost } from "./context.js";
import { COMPLETED, MigrationLog, outcomeCode, UNFINISHED } from "./migration-log.js";
import { INDEX_MIN_OCCUPIED, PlacementIndex } from "./placement-index.js";
import { SessionDriver, type SessionEnd } from "./sessions.js";
import { NIC, Topology, UPLINK } from "./topology.js";
import { SOURCE_SHARE, World, type WorldSpec } from "./world.js";

/** Everything the engine needs, resolved and checked by `run.ts`. */
export interface EngineInput {
  readonly spec: DatacenterSpec;
  readonly quirks: CloudsimQuirks;
  readonly world: WorldSpec;
  readonly hostTypeNames: readonly string[];
  readonly vmTypeNames: readonly string[];
  readonly vmTypes: readonly VmTypeSpec[];
  readonly tables: readonly TraceTable[];
  readonly vmTable: Int32Array;
  readonly vmColumn: Int32Array;
  readonly onProgress: ((fraction: number) => void) | undefined;
  readonly extensions: readonly DatacenterExtension[];
}

/** Offset of CloudSim's clock: VM creation acknowledgements arrive after 0.1 s. */
const CLOUDSIM_START = 0.1;

/** Life states of a VM beyond `vmAlive` (which is 1 only while it runs or migrates). */
export const VM_RUNNING = 0;
export const VM_UNPLACED = 1;
export const VM_FINISHED = 2;
export const VM_LOST = 3;
export const VM_SUSPENDED = 4;

/** Runs a spec to completion. */
export function runEngine(input: EngineInput): DatacenterResult {
  return new Engine(input).run();
}

/** A migration request: where it goes, who asked, who to tell. */
interface Pending {
  readonly record: number;
  readonly onEnd: ((record: MigrationRecord) => void) | undefined;
}

export class Engine {
  readonly spec: DatacenterSpec;
  readonly world: World;
  readonly sim: Simulation = new Simulation();
  readonly hostTypeNames: readonly string[];
  readonly vmTypeNames: readonly string[];
  private readonly quirks: CloudsimQuirks;
  private readonly acc: Accounting;
  private readonly detector: OverloadDetector | undefined;
  private readonly selector: VmSelector;
  private readonly place: PlacementFn;
  private readonly scratch: RoundScratch;
  readonly index: PlacementIndex;
  private readonly tables: readonly TraceTable[];
  private readonly vmTable: Int32Array;
  private readonly vmColumn: Int32Array;
  private readonly vmTypes: readonly VmTypeSpec[];
  private readonly onProgress: ((fraction: number) => void) | undefined;
  private readonly npa: boolean;
  readonly consolidate: boolean;
  private readonly duration: number;
  private readonly step: number;
  /** Whether migrations are `@vx/migration` sessions on the network. */
  private readonly real: boolean;

  /** Hosts whose latest state entry says "empty and off" (nothing to record while they stay so). */
  private readonly quiet: Uint8Array;
  /** Hosts with VMs migrating in. */
  private readonly incomingHosts: Set<number> = new Set();
  /** Pending CloudSim-model completions by time: flat (vm, target, record) triples. */
  private readonly completions: Map<number, number[]> = new Map();
  /** Life state of each VM (see `VM_*`). */
  readonly vmState: Uint8Array;

  private lastProcess: number;
  private processed = false;
  /**
   * Real migration models: each host's last energy point (a migration's end re-processes only
   * its two hosts); undefined with the CloudSim model, which re-processes every host at every
   * event, as CloudSim does.
   */
  private readonly hostT: Float64Array | undefined;
  private interval = -1;
  private rounds = 0;
  private readonly totalRounds: number;
  private energy = 0;
  private unplaced = 0;
  /** MIPS·s asked by VMs that were unplaced or lost, and by all VMs. */
  private unservedMipsSeconds = 0;

  // Series.
  private readonly sTime: number[] = [];
  private readonly sActive: number[] = [];
  private readonly sUtil: number[] = [];
  private readonly sMigrations: number[] = [];
  private readonly sInFlight: number[] = [];
  private readonly sEnergy: number[] = [];
  private readonly sStart: number[] = [];

  // Migrations.
  readonly log: MigrationLog = new MigrationLog();
  private readonly pending: Map<number, Pending> = new Map();
  private readonly queue: number[] = [];
  private readonly outgoing: Int32Array;
  private readonly incoming: Int32Array;
  private readonly maxOut: number;
  private readonly maxIn: number;
  private inFlight = 0;
  private sessions: SessionDriver | undefined;
  private vmsLost = 0;
  /** Seconds each VM ran (to weigh downtime), accumulated at state entries. */
  private readonly aliveFrom: Float64Array;
  private aliveSeconds = 0;

  // Network.
  private fluid: FluidSystem | undefined;
  private topology: Topology | undefined;
  private background: BackgroundTraffic | undefined;

  // Extensions.
  private readonly ext: ExtensionHost;

  // Per-process scratch for trace sampling.
  private readonly tK1: Int32Array;
  private readonly tK2: Int32Array;
  private readonly tExact: Uint8Array;
  private readonly tDenom: Float64Array;
  private readonly tOff: Float64Array;

  constructor(input: EngineInput) {
    const { spec, quirks } = input;
    this.spec = spec;
    this.quirks = quirks;
    this.duration = spec.duration;
    this.step = spec.step;
    const model = MIGRATION_MODELS[spec.migration.model];
    this.real = !model.cloudsimCpuRule;
    this.world = new World(
      input.world,
      quirks,
      { name: "cloudsim", durationSeconds: cloudsimSeconds },
      model.cloudsimCpuRule,
    );
    this.hostTypeNames = input.hostTypeNames;
    this.vmTypeNames = input.vmTypeNames;
    this.vmTypes = input.vmTypes;
    this.acc = new Accounting(this.world.hosts, this.world.vms);
    this.quiet = new Uint8Array(this.world.hosts);
    this.vmState = new Uint8Array(this.world.vms);
    this.tables = input.tables;
    this.vmTable = input.vmTable;
    this.vmColumn = input.vmColumn;
    this.onProgress = input.onProgress;
    const overload = OVERLOAD_DETECTORS[spec.policy.overload];
    this.npa = !overload.powerAware;
    this.consolidate = overload.consolidates;
    this.detector = createOverloadDetector(this.world, spec.policy, this.step);
    this.selector = createVmSelector(
      this.world,
      spec.policy.selection,
      createRandom(spec.seed).stream("datacenter/vm-selection"),
    );
    this.place = PLACEMENTS[spec.policy.placement].create(this.world);
    this.scratch = new RoundScratch(this.world.hosts);
    this.index = new PlacementIndex(this.world);
    this.lastProcess = quirks.timeline ? 0 : Number.NEGATIVE_INFINITY;
    this.totalRounds = this.countRounds();
    const T = this.tables.length;
    this.tK1 = new Int32Array(T);
    this.tK2 = new Int32Array(T);
    this.tExact = new Uint8Array(T);
    this.tDenom = new Float64Array(T);
    this.tOff = new Float64Array(T);
    this.outgoing = new Int32Array(this.world.hosts);
    this.incoming = new Int32Array(this.world.hosts);
    const m = spec.migration;
    this.maxOut = m.maxOutgoing === "unlimited" ? Number.POSITIVE_INFINITY : m.maxOutgoing;
    this.maxIn = m.maxIncoming === "unlimited" ? Number.POSITIVE_INFINITY : m.maxIncoming;
    this.aliveFrom = new Float64Array(this.world.vms).fill(Number.NaN);
    this.hostT = this.real
      ? new Float64Array(this.world.hosts).fill(quirks.timeline ? 0 : Number.NaN)
      : undefined;
    this.ext = new ExtensionHost(this, input.extensions);
  }

  /** Round times: vx 0, step, …; CloudSim 0.1 + step, 0.1 + 2·step, … (accumulated as CloudSim does). */
  private firstRound(): number {
    return this.quirks.timeline ? CLOUDSIM_START + this.step : 0;
  }

  /** Rounds the run will have (one per step: bounded by the spec's step limit). */
  private countRounds(): number {
    let n = 0;
    for (let t = this.firstRound(); t < this.duration; t += this.step) n++;
    return n;
  }

  /** Simulated time now. */
  get now(): number {
    return this.sim.now;
  }

  /** Energy the hosts drew up to the last processing, joules (what the result reports). */
  get energyJoules(): number {
    return this.energy;
  }

  run(): DatacenterResult {
    this.initialPlacement();
    if (this.real || this.spec.network.vmTraffic.kind !== "none") this.network();
    this.ext.start();
    const first = this.firstRound();
    if (first < this.duration) this.sim.scheduleAt(first, (t: number) => this.tick(t), first);
    this.sim.run({ until: this.duration });
    if (!this.quirks.timeline) this.process(this.duration, false);
    this.acc.finish();
    this.closeAlive(this.quirks.timeline ? this.lastProcess : this.duration);
    this.background?.finish(this.duration);
    const extensions = this.ext.end();
    return this.result(extensions);
  }

  // ------------------------------------------------------------------------------------------
  // The network (built on first use)

  /** The run's fluid network, built on first use. */
  network(): Topology {
    if (this.topology === undefined) {
      this.fluid = new FluidSystem(this.sim);
      const origin = this.firstRound();
      this.topology = new Topology(
        this.fluid,
        this.spec.network,
        this.world.hostNic,
        this.step,
        origin,
      );
      this.background = new BackgroundTraffic(
        this.world,
        this.topology,
        this.spec.network.vmTraffic,
      );
      for (let h = 0; h < this.world.hosts; h++) this.background.update(h, this.sim.now);
    }
    return this.topology;
  }

  // ------------------------------------------------------------------------------------------
  // Initial placement (t = 0)

  /**
   * Places every VM at t = 0, in VM order, as CloudSim's `processVmCreate` does: a VM being
   * created asks for its full MIPS, and the host's scheduler keeps that allocation; once created,
   * a VM requests nothing until its workload starts (CloudSim: its cloudlet scheduler has no
   * cloudlet yet). So suitability and PABFD's power estimate count the VMs already placed at full
   * MIPS, while the overload check sees only the VM being placed. (Counting the placed VMs at full
   * MIPS in the overload check too would leave VMs unplaced: on the CloudSim configuration, 126
   * of the 2000 MIPS VMs under the adaptive detectors' THR 0.7 fallback.)
   */
  private initialPlacement(): void {
    const w = this.world;
    for (let vm = 0; vm < w.vms; vm++) w.vmReq[vm] = w.vmMips[vm] as number;
    let firstFree = 0;
    const none = (): boolean => false;
    // The index once enough hosts hold VMs (see INDEX_MIN_OCCUPIED); the same hosts win without.
    let indexed = false;
    // Requested MIPS can be below allocated MIPS here, so the detector's bound does not apply.
    const detector = this.detector;
    const creating: OverloadDetector | undefined =
      detector === undefined
        ? undefined
        : Object.assign((h: number) => detector(h), {
            maxUtilisation: Number.POSITIVE_INFINITY,
          });
    const unplaced: number[] = [];
    for (let vm = 0; vm < w.vms; vm++) {
      let h: number;
      if (this.consolidate) {
        if (!indexed && w.occupiedCount >= INDEX_MIN_OCCUPIED) {
          this.index.rebuild(none);
          indexed = true;
        }
        h = this.place(vm, creating, none, true, indexed ? this.index : undefined);
      } else {
        while (firstFree < w.hosts && !this.canTakeAnything(firstFree)) firstFree++;
        h = findHostFirstFit(w, vm, firstFree);
      }
      if (h < 0) {
        this.unplaced++;
        this.vmState[vm] = VM_UNPLACED;
        if (unplaced.length < 5) unplaced.push(vm);
        continue;
      }
      w.add(h, vm);
      if (this.consolidate) {
        w.allocateCreated(h, vm);
        w.vmReq[vm] = 0;
        if (indexed) this.index.update(h);
      } else {
        w.allocate(h, false);
      }
      w.vmHost[vm] = h;
      w.vmAlive[vm] = 1;
    }
    if (this.unplaced > 0 && this.spec.policy.unplaced === "refuse") {
      throw new VxError(
        "VX_SIM_UNPLACED_VMS",
        `${this.unplaced} of ${w.vms} VMs fit no host at the start (VMs ${unplaced.join(", ")}${this.unplaced > unplaced.length ? ", …" : ""}), and policy.unplaced is "refuse"; add hosts, shrink the VMs, or set policy.unplaced to "count" to run without them.`,
        { path: ["policy", "unplaced"] },
      );
    }
    if (this.quirks.memoryOnlyAtCreation) w.dropMemoryNeeds();
  }

  /** Smallest RAM, NIC and MIPS over the VMs (for first fit's start). */
  private minNeeds: [number, number, number] | undefined;

  /** Whether host `h` may still take some VM: false when even the smallest needs do not fit. */
  private canTakeAnything(h: number): boolean {
    const w = this.world;
    if (this.minNeeds === undefined) {
      let ram = Number.POSITIVE_INFINITY;
      let nic = Number.POSITIVE_INFINITY;
      let mips = Number.POSITIVE_INFINITY;
      for (let vm = 0; vm < w.vms; vm++) {
        ram = Math.min(ram, w.vmRam[vm] as number);
        nic = Math.min(nic, w.vmNic[vm] as number);
        mips = Math.min(mips, w.vmMips[vm] as number);
      }
      this.minNeeds = [ram, nic, mips];
    }
    const [ram, nic, mips] = this.minNeeds;
    return (
      (w.hostRam[h] as number) - (w.hostRamUsed[h] as number) >= ram &&
      (w.hostNic[h] as number) - (w.hostNicUsed[h] as number) >= nic &&
      (w.hostAvail[h] as number) >= mips
    );
  }

  // ------------------------------------------------------------------------------------------
  // Rounds

  private tick(t: number): void {
    const frameInterval = this.interval;
    this.interval = this.rounds;
    this.process(t, true, frameInterval);
    let started = 0;
    if (this.consolidate) {
      const w = this.world;
      const out = w.hostOut;
      const anyOut = this.ext.anyOutOfService;
      const plan = consolidationRound(
        w,
        this.detector as OverloadDetector,
        this.selector,
        this.spec.policy.underload,
        this.scratch,
        this.incomingHosts,
        w.occupiedCount >= INDEX_MIN_OCCUPIED ? this.index : undefined,
        this.place,
        anyOut ? (h) => out[h] === 1 : undefined,
      );
      started = this.decideMigrations(t, plan.vms, plan.targets);
    }
    this.recordRound(t, started);
    this.ext.round();
    this.rounds++;
    const next = t + this.step;
    if (next < this.duration) this.sim.schedule(this.step, (x: number) => this.tick(x), next);
    this.onProgress?.(this.rounds / this.totalRounds);
  }

  private recordRound(t: number, migrations: number): void {
    const w = this.world;
    let active = 0;
    let util = 0;
    for (let h = 0; h < w.hosts; h++) {
      if (w.hostActive[h] === 1) {
        active++;
        util += w.hostUtil[h] as number;
      }
    }
    this.sTime.push(Math.round(t * 1e6) / 1e6);
    this.sStart.push(t);
    this.sActive.push(this.npa ? w.hosts : active);
    this.sUtil.push(active > 0 ? util / active : 0);
    this.sMigrations.push(migrations);
    this.sInFlight.push(this.inFlight + this.queue.length);
    this.sEnergy.push(0);
  }

  // ------------------------------------------------------------------------------------------
  // Processing: utilisation, energy, SLA histories (CloudSim `updateCloudetProcessing…Force`)

  /** Samples every trace at `t` once (CloudSim `UtilizationModelPlanetLabInMemory`). */
  private sampleTables(t: number): void {
    for (let i = 0; i < this.tables.length; i++) {
      const table = this.tables[i] as TraceTable;
      if (table.times !== undefined) continue;
      const dt = table.intervalSeconds;
      const n = table.samples;
      if (t % dt === 0) {
        const k = Math.trunc(t / dt);
        this.tK1[i] = k < n ? k : n;
        this.tExact[i] = 1;
        continue;
      }
      const k1 = Math.floor(t / dt);
      const k2 = Math.ceil(t / dt);
      if (k2 > n || k1 === k2) {
        this.tK1[i] = k2 > n ? n : k1;
        this.tExact[i] = 1;
        continue;
      }
      this.tExact[i] = 0;
      this.tK1[i] = k1;
      this.tK2[i] = k2;
      this.tDenom[i] = (k2 - k1) * dt;
      this.tOff[i] = t - k1 * dt;
    }
  }

  private utilisation(vm: number, t: number): number {
    const ti = this.vmTable[vm] as number;
    const table = this.tables[ti] as TraceTable;
    const n = table.samples;
    const base = (this.vmColumn[vm] as number) * (n + 1);
    const v = table.values;
    if (table.times !== undefined) {
      const times = table.times;
      if (t <= (times[0] as number)) return v[base] as number;
      if (t >= (times[n - 1] as number)) return v[base + n - 1] as number;
      let lo = 0;
      let hi = n - 1;
      while (hi - lo > 1) {
        const mid = (lo + hi) >>> 1;
        if ((times[mid] as number) <= t) lo = mid;
        else hi = mid;
      }
      const u1 = v[base + lo] as number;
      return (
        u1 +
        (((v[base + hi] as number) - u1) * (t - (times[lo] as number))) /
          ((times[hi] as number) - (times[lo] as number))
      );
    }
    const u1 = v[base + (this.tK1[ti] as number)] as number;
    if (this.tExact[ti] === 1) return u1;
    const u2 = v[base + (this.tK2[ti] as number)] as number;
    const delta = (u2 - u1) / (this.tDenom[ti] as number);
    return u1 + delta * (this.tOff[ti] as number);
  }

  /**
   * Updates every host at time `t`: VM demand from the traces, CPU allocation, energy of the
   * frame since the last processing, host and VM state entries; then, with CloudSim's quirk,
   * destroys VMs whose demand is 0.
   *
   * @param tickRound - whether this is a round's processing (VM histories are recorded then).
   * @param frameInterval - interval the frame ending now belongs to (default: the current one).
   */
  private process(t: number, tickRound: boolean, frameInterval: number = this.interval): void {
    const w = this.world;
    const dt = this.processed
      ? t - this.lastProcess
      : this.quirks.timeline
        ? t - this.lastProcess
        : 0;
    this.sampleTables(t);
    const recordHistory = tickRound && (this.quirks.timeline || this.rounds > 0);
    let unserved = 0;
    for (let vm = 0; vm < w.vms; vm++) {
      if (w.vmAlive[vm] === 0) {
        const s = this.vmState[vm];
        if (dt > 0 && (s === VM_UNPLACED || s === VM_LOST)) {
          unserved += this.utilisation(vm, t) * (w.vmMips[vm] as number) * dt;
        }
        continue;
      }
      const u = this.utilisation(vm, t);
      w.vmUtil[vm] = u;
      w.vmReq[vm] = u * (w.vmMips[vm] as number);
      if (recordHistory) w.pushHistory(vm, u);
    }
    this.unservedMipsSeconds += unserved;
    let frameEnergy = 0;
    const hostT = this.hostT;
    const quiet = this.quiet;
    const npa = this.npa;
    for (let h = 0; h < w.hosts; h++) {
      let dtH = dt;
      if (hostT !== undefined) {
        const last = hostT[h] as number;
        dtH = Number.isNaN(last) ? 0 : t - last;
        hostT[h] = t;
      }
      // A quiet host (off, empty, not held, its state entry recorded) adds nothing: what
      // processHost would conclude, without the call (most hosts, at every event instant).
      if (
        quiet[h] === 1 &&
        !npa &&
        (w.hostVms[h] as number[]).length === 0 &&
        w.hostActive[h] === 0 &&
        w.hostHeld[h] === 0
      ) {
        continue;
      }
      frameEnergy += this.processHost(h, t, dtH);
    }
    this.energy += frameEnergy;
    if (frameInterval >= 0 && frameInterval < this.sEnergy.length) {
      this.sEnergy[frameInterval] = (this.sEnergy[frameInterval] as number) + frameEnergy;
    }
    if (this.quirks.finishIdleVms) {
      for (let h = 0; h < w.hosts; h++) {
        if ((w.hostVms[h] as number[]).length > 0) this.finishIdle(h);
      }
    }
    if (this.sessions !== undefined) {
      for (const vm of this.sessions.active) this.sessions.update(vm);
    }
    this.lastProcess = t;
    this.processed = true;
  }

  /**
   * Host `h` at `t`, its VMs' demand already sampled: CPU allocation, the energy of the `dt`
   * seconds since its last point (trapezoid between the two utilisations, as CloudSim's
   * `getEnergyLinearInterpolation`), state entries, VM traffic.
   *
   * @returns the energy, joules.
   */
  private processHost(h: number, t: number, dt: number): number {
    const w = this.world;
    const list = w.hostVms[h] as number[];
    const wasActive = w.hostActive[h] === 1;
    const prevUtil = w.hostUtil[h] as number;
    if (list.length === 0 && !wasActive && w.hostHeld[h] === 0) {
      // Off and empty: its state entry would repeat the pending one (0, 0, off), which is
      // equivalent to not recording it (NPA hosts still draw their maximum).
      if (this.quiet[h] === 0) {
        this.acc.host(h, t, 0, 0, false, this.interval);
        this.quiet[h] = 1;
      }
      return this.npa && dt > 0 ? specPower(w.powerTable(h), 1) * dt : 0;
    }
    w.allocate(h, true);
    const util = w.hostUtil[h] as number;
    let energy = 0;
    if (dt > 0) {
      const table = w.powerTable(h);
      if (this.npa) {
        energy = specPower(table, 1) * dt;
      } else if (wasActive) {
        const from = specPower(table, prevUtil);
        const to = specPower(table, util);
        energy = (from + (to - from) / 2) * dt;
      }
    }
    this.recordHost(h, t);
    this.recordVms(h, t);
    this.background?.update(h, t);
    return energy;
  }

  /**
   * Real migration models, between rounds: processes only `hosts` at `t` (their VMs' demand, CPU,
   * energy since each one's last point), before a change on them. The other hosts keep their
   * state until the next round: nothing about them changed but their VMs' interpolated demand,
   * which the next round's processing takes up (CloudSim re-processes every host at every event;
   * with the CloudSim model, vx does too).
   */
  private processLocal(t: number, hosts: readonly number[]): void {
    const hostT = this.hostT as Float64Array;
    const w = this.world;
    this.sampleTables(t);
    let energy = 0;
    for (const h of hosts) {
      if (h < 0) continue;
      const last = hostT[h] as number;
      if (!Number.isNaN(last) && !(t > last)) continue;
      const list = w.hostVms[h] as number[];
      for (let i = 0; i < list.length; i++) {
        const vm = list[i] as number;
        if (w.vmAlive[vm] === 0) continue;
        const u = this.utilisation(vm, t);
        w.vmUtil[vm] = u;
        w.vmReq[vm] = u * (w.vmMips[vm] as number);
      }
      energy += this.processHost(h, t, Number.isNaN(last) ? 0 : t - last);
      hostT[h] = t;
      if (this.quirks.finishIdleVms) this.finishIdle(h);
      if (this.sessions !== undefined) {
        for (let i = 0; i < list.length; i++) this.sessions.update(list[i] as number);
      }
    }
    this.energy += energy;
    const k = this.interval;
    if (k >= 0 && k < this.sEnergy.length) this.sEnergy[k] = (this.sEnergy[k] as number) + energy;
  }

  /** State entries of host `h`'s resident VMs at `t`. */
  private recordVms(h: number, t: number): void {
    const w = this.world;
    const list = w.hostVms[h] as number[];
    const inList = w.hostIn[h] as number[];
    const anyIn = inList.length > 0;
    const cloudsimCpu = w.cloudsimCpu;
    for (let i = 0; i < list.length; i++) {
      const vm = list[i] as number;
      if (anyIn && inList.indexOf(vm) >= 0) continue; // incoming: no entry on its destination
      this.acc.vm(
        vm,
        t,
        w.vmAlloc[vm] as number,
        w.vmReq[vm] as number,
        cloudsimCpu && w.vmMoving[vm] === 1,
      );
      if (Number.isNaN(this.aliveFrom[vm] as number)) this.aliveFrom[vm] = t;
    }
  }

  /** Host `h`'s state entry at the current time, and its on/off state. */
  private recordHost(h: number, t: number): void {
    const w = this.world;
    const list = w.hostVms[h] as number[];
    let active: boolean;
    if (this.npa && !this.quirks.activeByUtilisation) active = true;
    else if (this.quirks.activeByUtilisation) active = (w.hostUtilMips[h] as number) > 0;
    else active = list.length > 0;
    // A host an extension holds stays on (and stays off when it is out of service).
    if (!active && w.hostHeld[h] !== 0 && w.hostOut[h] === 0) active = true;
    w.hostActive[h] = active ? 1 : 0;
    this.acc.host(
      h,
      t,
      w.hostUtilMips[h] as number,
      w.hostReqMips[h] as number,
      active,
      this.interval,
    );
  }

  /** CloudSim quirk: VMs not migrating whose demand is exactly 0 are destroyed for good. */
  private finishIdle(h: number): void {
    const w = this.world;
    const list = w.hostVms[h] as number[];
    if (list.length === 0) return;
    let done: number[] | undefined;
    for (let i = 0; i < list.length; i++) {
      const vm = list[i] as number;
      if (w.vmInMigration[vm] === 0 && w.vmReq[vm] === 0) (done ??= []).push(vm);
    }
    if (done === undefined) return;
    for (const vm of done) {
      const host = w.vmHost[vm] as number;
      if (host >= 0) w.remove(host, vm);
      w.vmHost[vm] = -1;
      w.vmAlive[vm] = 0;
      this.vmState[vm] = VM_FINISHED;
      this.closeVm(vm, this.sim.now);
    }
    w.allocate(h, false);
  }

  /** Re-processes host `h` at the current time after a change (entries replaced, no energy). */
  refresh(h: number, t: number): void {
    const w = this.world;
    w.allocate(h, true);
    this.recordHost(h, t);
    this.recordVms(h, t);
    this.background?.update(h, t);
    if (this.sessions !== undefined) {
      const list = w.hostVms[h] as number[];
      for (let i = 0; i < list.length; i++) this.sessions.update(list[i] as number);
    }
  }

  /** Sets one VM's demand (utilisation and requested MIPS) to its workload's at `t`. */
  sampleDemand(vm: number, t: number): void {
    const w = this.world;
    this.sampleTables(t);
    const u = this.utilisation(vm, t);
    w.vmUtil[vm] = u;
    w.vmReq[vm] = u * (w.vmMips[vm] as number);
  }

  /** The utilisation VM `vm`'s workload asks for at `t` (any state; `t` may be ahead of now). */
  workloadAt(vm: number, t: number): number {
    this.sampleTables(t);
    return this.utilisation(vm, t);
  }

  /**
   * A host for one VM now, by the placement policy (never a host `excluded` says), or -1. With
   * `indexed`, the placement index must have been rebuilt with the same exclusion; without, every
   * occupied host is scored (the same host wins; cheaper than a rebuild for a single VM).
   */
  placeOne(vm: number, excluded: (h: number) => boolean, indexed = true): number {
    return this.place(vm, this.detector, excluded, true, indexed ? this.index : undefined);
  }

  /**
   * Brings the processing up to `t` before a change on `hosts` between rounds: every host with
   * the CloudSim model (as CloudSim processes at every event), those hosts only with the real
   * ones ({@link Engine.processLocal}).
   */
  touch(t: number, hosts: readonly number[]): void {
    if (this.hostT === undefined) {
      if (t > this.lastProcess) this.process(t, false);
    } else this.processLocal(t, hosts);
  }

  // ------------------------------------------------------------------------------------------
  // VM lifetimes (for the downtime share)

  private closeVm(vm: number, t: number): void {
    const from = this.aliveFrom[vm] as number;
    if (!Number.isNaN(from) && t > from) this.aliveSeconds += t - from;
    this.aliveFrom[vm] = Number.NaN;
  }

  private closeAlive(t: number): void {
    for (let vm = 0; vm < this.world.vms; vm++) this.closeVm(vm, t);
  }

  /** A VM leaves the world for good (lost). */
  loseVm(vm: number, t: number): void {
    const w = this.world;
    w.vmAlive[vm] = 0;
    w.vmHost[vm] = -1;
    w.vmInMigration[vm] = 0;
    w.vmMoving[vm] = 0;
    this.vmState[vm] = VM_LOST;
    this.vmsLost++;
    this.closeVm(vm, t);
  }

  /** A VM is suspended (by an extension) or resumed: its running time stops or restarts. */
  suspendTime(vm: number, t: number, suspended: boolean): void {
    if (suspended) this.closeVm(vm, t);
    else if (Number.isNaN(this.aliveFrom[vm] as number)) this.aliveFrom[vm] = t;
  }

  // ------------------------------------------------------------------------------------------
  // Migrations: decided (destination reserved), queued, moving, ended

  /**
   * Decides migrations at `t` (a consolidation round's plan): reserves each destination, logs
   * them, starts those the concurrency limits allow and queues the rest; then re-processes the
   * hosts touched (CloudSim `Host.addMigratingInVm`, `Datacenter.processVmMigrate`).
   */
  private decideMigrations(t: number, vms: readonly number[], targets: readonly number[]): number {
    if (vms.length === 0) return 0;
    const touched = new Set<number>();
    let decided = 0;
    for (let i = 0; i < vms.length; i++) {
      const vm = vms[i] as number;
      // CloudSim lets the under-load phase move a VM the overload phase just placed, so a round
      // may migrate a VM twice; the CloudSim model keeps that. A real migration is one transfer:
      // a VM decided once is not decided again until it lands.
      if (this.real && this.world.vmInMigration[vm] === 1) continue;
      this.request(t, vm, targets[i] as number, "consolidation", undefined, touched);
      decided++;
    }
    for (const h of touched) this.refresh(h, t);
    return decided;
  }

  /**
   * One migration decided at `t`: reserve, log, start or queue.
   *
   * @returns the log record.
   */
  request(
    t: number,
    vm: number,
    target: number,
    origin: string,
    onEnd: ((record: MigrationRecord) => void) | undefined,
    touched: Set<number>,
  ): number {
    const w = this.world;
    const source = w.vmHost[vm] as number;
    w.vmInMigration[vm] = 1;
    const inList = w.hostIn[target] as number[];
    if (inList.indexOf(vm) < 0) {
      inList.push(vm);
      w.add(target, vm);
      this.incomingHosts.add(target);
    }
    touched.add(target);
    if (source >= 0) touched.add(source);
    const record = this.log.add(t, vm, source, target, origin);
    this.pending.set(record, { record, onEnd });
    if (this.canStart(source, target) && this.queue.length === 0) this.begin(record, t);
    else this.queue.push(record);
    return record;
  }

  private canStart(source: number, target: number): boolean {
    return (
      (source < 0 || (this.outgoing[source] as number) < this.maxOut) &&
      (this.incoming[target] as number) < this.maxIn
    );
  }

  /** Starts queued migrations whose hosts have a free slot, in the order they were decided. */
  private startQueued(t: number): void {
    if (this.queue.length === 0) return;
    let kept = 0;
    for (let i = 0; i < this.queue.length; i++) {
      const rec = this.queue[i] as number;
      if (this.canStart(this.log.from[rec] as number, this.log.to[rec] as number)) {
        this.begin(rec, t);
      } else this.queue[kept++] = rec;
    }
    this.queue.length = kept;
  }

  /** A migration starts moving. */
  private begin(record: number, t: number): void {
    const w = this.world;
    const log = this.log;
    const vm = log.vm[record] as number;
    const source = log.from[record] as number;
    const target = log.to[record] as number;
    log.start[record] = t;
    w.vmMoving[vm] = 1;
    if (source >= 0) this.outgoing[source] = (this.outgoing[source] as number) + 1;
    this.incoming[target] = (this.incoming[target] as number) + 1;
    this.inFlight++;
    if (this.real) {
      this.sessions ??= new SessionDriver({
        sim: this.sim,
        world: w,
        net: this.network(),
        spec: this.spec.migration,
        types: this.vmTypes,
        onEnd: (rec, end) => this.sessionEnded(rec, end),
      });
      this.sessions.start(record, vm, source, target);
      return;
    }
    // CloudSim's delay, completions grouped by time.
    const seconds = w.migrationSeconds(vm, source, target);
    log.duration[record] = seconds;
    log.bytes[record] = w.vmRam[vm] as number;
    const end = t + seconds;
    if (this.quirks.timeline && end >= this.duration) return; // CloudSim drops later events
    let group = this.completions.get(end);
    if (group === undefined) {
      group = [];
      this.completions.set(end, group);
      this.sim.scheduleAt(end, (x: number) => this.completeGroup(x), end);
    }
    group.push(vm, target, record);
  }

  /** CloudSim-model migrations ending at `t`. */
  private completeGroup(t: number): void {
    const group = this.completions.get(t);
    this.completions.delete(t);
    if (group === undefined) return;
    this.touch(t, []);
    const touched = new Set<number>();
    const ended: number[] = [];
    for (let k = 0; k < group.length; k += 3) {
      const vm = group[k] as number;
      const record = group[k + 2] as number;
      if (this.log.outcome[record] !== UNFINISHED) continue; // ended otherwise meanwhile
      this.land(vm, group[k + 1] as number, touched);
      this.log.outcome[record] = COMPLETED;
      this.release(record);
      ended.push(record);
    }
    for (const h of touched) this.refresh(h, t);
    if (this.quirks.finishIdleVms) for (const h of touched) this.finishIdle(h);
    this.startQueued(t);
    for (const record of ended) this.notify(record);
  }

  /** A real migration ended. */
  private sessionEnded(record: number, end: SessionEnd): void {
    const t = this.sim.now;
    const r: MigrationResult = end.result;
    const log = this.log;
    const vm = log.vm[record] as number;
    const source = log.from[record] as number;
    const target = log.to[record] as number;
    log.duration[record] = r.totalTimeSeconds;
    log.downtime[record] = r.downtimeSeconds;
    log.bytes[record] = r.bytesSent.total;
    // The bytes each link carried, round by round.
    const net = this.topology;
    if (net !== undefined && source >= 0) {
      const route = net.route(source, target).resources;
      const t0 = r.startSeconds;
      for (const round of r.rounds) {
        const a = t0 + round.startSeconds;
        net.carry(route, a, a + round.durationSeconds, round.bytes);
      }
    }
    this.touch(t, [source, target]);
    this.acc.migrationLoss(vm, end.lostMipsSeconds);
    const touched = new Set<number>();
    switch (r.outcome) {
      case "completed":
        this.land(vm, target, touched);
        break;
      case "did-not-converge":
      case "aborted":
        this.unreserve(vm, target, touched);
        if (source >= 0) touched.add(source);
        break;
      case "vm-lost":
      case "paused":
        this.unreserve(vm, target, touched);
        if (source >= 0) {
          this.world.remove(source, vm);
          touched.add(source);
        }
        this.loseVm(vm, t);
        break;
    }
    log.outcome[record] = outcomeCode(r.outcome);
    this.release(record);
    for (const h of touched) this.refresh(h, t);
    if (this.quirks.finishIdleVms) for (const h of touched) this.finishIdle(h);
    this.startQueued(t);
    this.notify(record);
  }

  /** The VM now runs on `target` (CloudSim: destroyed on the source, created on the target). */
  private land(vm: number, target: number, touched: Set<number>): void {
    const w = this.world;
    const source = w.vmHost[vm] as number;
    if (source >= 0) {
      w.remove(source, vm);
      touched.add(source);
    }
    w.remove(target, vm);
    const inList = w.hostIn[target] as number[];
    const i = inList.indexOf(vm);
    if (i >= 0) inList.splice(i, 1);
    if (inList.length === 0) this.incomingHosts.delete(target);
    w.add(target, vm);
    w.vmHost[vm] = target;
    w.vmInMigration[vm] = 0;
    w.vmMoving[vm] = 0;
    touched.add(target);
  }

  /** The destination's reservation is released; the VM stays on its source. */
  private unreserve(vm: number, target: number, touched: Set<number>): void {
    const w = this.world;
    w.remove(target, vm);
    const inList = w.hostIn[target] as number[];
    const i = inList.indexOf(vm);
    if (i >= 0) inList.splice(i, 1);
    if (inList.length === 0) this.incomingHosts.delete(target);
    w.vmInMigration[vm] = 0;
    w.vmMoving[vm] = 0;
    touched.add(target);
  }

  /** Frees the slots of an ended migration. */
  private release(record: number): void {
    const source = this.log.from[record] as number;
    const target = this.log.to[record] as number;
    if (source >= 0) this.outgoing[source] = (this.outgoing[source] as number) - 1;
    this.incoming[target] = (this.incoming[target] as number) - 1;
    this.inFlight--;
  }

  /** Tells whoever asked, and the extensions, that a migration ended. */
  private notify(record: number): void {
    const p = this.pending.get(record);
    this.pending.delete(record);
    const needed = p?.onEnd !== undefined || this.ext.wantsMigrations;
    if (!needed) return;
    const rec = this.log.record(record);
    p?.onEnd?.(rec);
    this.ext.migrationEnded(rec);
  }

  /**
   * Ends a migration because one of its hosts failed (taken out of service with its VMs): a
   * real session fails as that host's failure makes it; a CloudSim-model one is aborted, or the
   * VM lost with its source.
   */
  failMigrationsOf(h: number, t: number): void {
    const log = this.log;
    for (const [record] of this.pending) {
      const from = log.from[record] as number;
      const to = log.to[record] as number;
      if (from !== h && to !== h) continue;
      const vm = log.vm[record] as number;
      const queued = Number.isNaN(log.start[record] as number);
      if (!queued && this.real && this.sessions !== undefined) {
        this.sessions.fail(vm, from === h ? "source" : "destination");
        continue;
      }
      // Queued, or CloudSim's delay: decided here.
      this.touch(t, [from, to]);
      const touched = new Set<number>();
      this.unreserve(vm, to, touched);
      if (from === h) {
        if (from >= 0) this.world.remove(from, vm);
        this.loseVm(vm, t);
        log.outcome[record] = outcomeCode("vm-lost");
      } else log.outcome[record] = outcomeCode("aborted");
      if (!queued) {
        log.duration[record] = t - (log.start[record] as number);
        this.release(record);
      } else {
        const i = this.queue.indexOf(record);
        if (i >= 0) this.queue.splice(i, 1);
      }
      for (const x of touched) this.refresh(x, t);
      this.notify(record);
    }
  }

  // ------------------------------------------------------------------------------------------
  // Result

  private result(extensions: Record<string, ExtensionResult> | undefined): DatacenterResult {
    const w = this.world;
    const acc = this.acc;
    const log = this.log;
    let active = 0;
    let violation = 0;
    for (let h = 0; h < w.hosts; h++) {
      active += acc.activeSeconds[h] as number;
      violation += acc.violationSeconds[h] as number;
    }
    let requested = 0;
    let lost = 0;
    for (let vm = 0; vm < w.vms; vm++) {
      requested += acc.requestedMipsSeconds[vm] as number;
      lost += acc.migrationLossMipsSeconds[vm] as number;
    }
    const slatah = active > 0 ? violation / active : 0;
    const pdm = requested > 0 ? lost / requested : 0;
    const energyKWh = this.energy / (3600 * 1000);
    const start = this.quirks.timeline ? this.firstRound() : 0;
    const end = this.quirks.timeline ? this.lastProcess : this.duration;
    const window = end - start;
    const meanActiveHosts =
      this.npa && !this.quirks.activeByUtilisation ? w.hosts : window > 0 ? active / window : 0;

    // Migration figures. Unfinished real migrations: as long as the run let them go.
    const stillRunning = new Set(this.sessions?.unfinished() ?? []);
    let completed = 0;
    let cancelled = 0;
    let unfinished = 0;
    let bytes = 0;
    let totalTime = 0;
    let maxTime = 0;
    let totalDown = 0;
    let maxDown = 0;
    let totalQueue = 0;
    let maxQueue = 0;
    let started = 0;
    const downtimes = new Float64Array(log.count);
    for (let i = 0; i < log.count; i++) {
      const o = log.outcome[i] as number;
      const begun = log.start[i] as number;
      if (o === UNFINISHED && stillRunning.has(i)) log.duration[i] = end - begun;
      if (o === COMPLETED) completed++;
      else if (o === outcomeCode("did-not-converge") || o === outcomeCode("aborted")) cancelled++;
      else if (o === UNFINISHED) unfinished++;
      bytes += log.bytes[i] as number;
      downtimes[i] = log.downtime[i] as number;
      if (Number.isNaN(begun)) continue;
      started++;
      const d = log.duration[i] as number;
      totalTime += d;
      if (d > maxTime) maxTime = d;
      const dt = log.downtime[i] as number;
      totalDown += dt;
      if (dt > maxDown) maxDown = dt;
      const q = begun - (log.time[i] as number);
      totalQueue += q;
      if (q > maxQueue) maxQueue = q;
    }
    downtimes.sort();
    const p95 = log.count > 0 ? (downtimes[Math.ceil(0.95 * log.count) - 1] as number) : 0;
    const unservedShare =
      requested + this.unservedMipsSeconds > 0
        ? this.unservedMipsSeconds / (requested + this.unservedMipsSeconds)
        : 0;
    const net = this.topology;
    const nicRun = net?.runUtilisation(NIC, window);
    const upRun =
      net !== undefined && net.racks > 0 ? net.runUtilisation(UPLINK, window) : undefined;

    const summary: DatacenterSummary = {
      scenario: this.spec.name,
      seed: this.spec.seed,
      hosts: w.hosts,
      vms: w.vms,
      simulatedSeconds: this.duration,
      migrationModel: this.spec.migration.model,
      energyKWh,
      migrations: log.count,
      slatah,
      pdm,
      slav: slatah * pdm,
      esv: energyKWh * slatah * pdm,
      hostShutdowns: this.npa && !this.quirks.activeByUtilisation ? 0 : acc.shutdowns,
      meanActiveHosts,
      unplacedVms: this.unplaced,
      unservedCpuShare: unservedShare,
      migrationsCompleted: completed,
      migrationsCancelled: cancelled,
      vmsLost: this.vmsLost,
      migrationsUnfinished: unfinished,
      migrationBytes: bytes,
      totalMigrationSeconds: totalTime,
      meanMigrationSeconds: started > 0 ? totalTime / started : 0,
      maxMigrationSeconds: maxTime,
      totalDowntimeSeconds: totalDown,
      meanDowntimeSeconds: started > 0 ? totalDown / started : 0,
      p95DowntimeSeconds: p95,
      maxDowntimeSeconds: maxDown,
      downtimeShare: this.aliveSeconds > 0 ? totalDown / this.aliveSeconds : 0,
      meanQueueSeconds: started > 0 ? totalQueue / started : 0,
      maxQueueSeconds: maxQueue,
      meanNicUtilisation: nicRun?.mean ?? null,
      peakNicUtilisation: nicRun?.peak ?? null,
      meanUplinkUtilisation: upRun?.mean ?? null,
      peakUplinkUtilisation: upRun?.peak ?? null,
    };
    const powerWatts: number[] = [];
    const overloaded: number[] = [];
    for (let k = 0; k < this.sStart.length; k++) {
      const from = this.sStart[k] as number;
      const to = k + 1 < this.sStart.length ? (this.sStart[k + 1] as number) : end;
      const length = to - from;
      powerWatts.push(length > 0 ? (this.sEnergy[k] as number) / length : 0);
      overloaded.push(acc.violatedHosts[k] ?? 0);
    }
    let series: DatacenterSeries = {
      time: this.sTime,
      activeHosts: this.sActive,
      powerWatts,
      meanUtilisation: this.sUtil,
      migrations: this.sMigrations,
      overloadedHosts: overloaded,
      migrationsInFlight: this.sInFlight,
    };
    if (net !== undefined) {
      const nic = net.intervalUtilisation(NIC, this.sStart, end);
      series = { ...series, nicUtilisation: nic.mean, nicPeakUtilisation: nic.peak };
      if (net.racks > 0) {
        const up = net.intervalUtilisation(UPLINK, this.sStart, end);
        series = { ...series, uplinkUtilisation: up.mean, uplinkPeakUtilisation: up.peak };
      }
    }
    const migrationLog: MigrationRecord[] = new Array(log.count);
    for (let i = 0; i < log.count; i++) migrationLog[i] = log.record(i);
    const result: DatacenterResult = { summary, series, migrationLog };
    return extensions === undefined ? result : { ...result, extensions };
  }
}

/** CloudSim's migration delay: RAM / (half the destination's NIC). */
function cloudsimSeconds(request: {
  readonly ramBytes: number;
  readonly targetNicBytesPerSecond: number;
}): number {
  return request.ramBytes / (request.targetNicBytesPerSecond / 2);
}

/** The CPU share kept by a migrating VM with the `cloudsim` model, for documentation tests. */
export const MIGRATION_SOURCE_SHARE: number = SOURCE_SHARE;
