/**
 * The data-center engine: builds the world from a scenario, runs the scheduling rounds and the
 * migrations on the event kernel, and assembles the result.
 *
 * @internal
 */

import { createRandom, Simulation } from "@vx/core";
import type { PolicySpec, Scenario } from "../../scenario/types.js";
import type { TraceTable } from "../../workloads/trace.js";
import type { CloudsimQuirks } from "../compat.js";
import { consolidationRound, RoundScratch } from "../consolidation.js";
import type { MigrationModel } from "../migration-model.js";
import { createOverloadDetector, type OverloadDetector } from "../overload.js";
import { findHostFirstFit, findHostPabfd } from "../placement.js";
import { specPower } from "../power.js";
import type {
  DatacenterResult,
  DatacenterSeries,
  DatacenterSummary,
  MigrationRecord,
} from "../result.js";
import { createVmSelector, type VmSelector } from "../selection.js";
import { Accounting } from "./accounting.js";
import { PlacementIndex } from "./placement-index.js";
import { SOURCE_SHARE, World, type WorldSpec } from "./world.js";

/** Everything the engine needs, resolved and checked by `run.ts`. */
export interface EngineInput {
  readonly scenario: Scenario;
  readonly quirks: CloudsimQuirks;
  readonly migration: MigrationModel;
  readonly spec: WorldSpec;
  readonly tables: readonly TraceTable[];
  readonly vmTable: Int32Array;
  readonly vmColumn: Int32Array;
  readonly onProgress: ((fraction: number) => void) | undefined;
}

/** Offset of CloudSim's clock: VM creation acknowledgements arrive after 0.1 s. */
const CLOUDSIM_START = 0.1;

/** Runs a scenario to completion. */
export function runEngine(input: EngineInput): DatacenterResult {
  return new Engine(input).run();
}

class Engine {
  private readonly scenario: Scenario;
  private readonly policy: PolicySpec;
  private readonly quirks: CloudsimQuirks;
  private readonly world: World;
  private readonly acc: Accounting;
  private readonly sim: Simulation = new Simulation();
  private readonly detector: OverloadDetector | undefined;
  private readonly selector: VmSelector;
  private readonly scratch: RoundScratch;
  private readonly index: PlacementIndex;
  private readonly tables: readonly TraceTable[];
  private readonly vmTable: Int32Array;
  private readonly vmColumn: Int32Array;
  private readonly onProgress: ((fraction: number) => void) | undefined;
  private readonly npa: boolean;
  private readonly consolidate: boolean;
  private readonly duration: number;
  private readonly step: number;

  /** Hosts whose latest state entry says "empty and off" (nothing to record while they stay so). */
  private readonly quiet: Uint8Array;
  /** Hosts with VMs migrating in. */
  private readonly incomingHosts: Set<number> = new Set();
  /** Pending migration completions by time: flat (vm, target, record index) triples. */
  private readonly completions: Map<number, number[]> = new Map();

  private lastProcess: number;
  private processed = false;
  private interval = -1;
  private rounds = 0;
  private readonly totalRounds: number;
  private energy = 0;
  private unplaced = 0;

  // Series.
  private readonly sTime: number[] = [];
  private readonly sActive: number[] = [];
  private readonly sUtil: number[] = [];
  private readonly sMigrations: number[] = [];
  private readonly sEnergy: number[] = [];
  private readonly sStart: number[] = [];

  // Migration log (typed for the large runs; objects built at the end).
  private logCount = 0;
  private logTime = new Float64Array(1024);
  private logVm = new Int32Array(1024);
  private logFrom = new Int32Array(1024);
  private logTo = new Int32Array(1024);
  private logDuration = new Float64Array(1024);
  private logDone = new Uint8Array(1024);

  // Per-process scratch for trace sampling.
  private readonly tK1: Int32Array;
  private readonly tK2: Int32Array;
  private readonly tExact: Uint8Array;
  private readonly tDenom: Float64Array;
  private readonly tOff: Float64Array;

  constructor(input: EngineInput) {
    const { scenario, quirks } = input;
    this.scenario = scenario;
    this.policy = scenario.policy;
    this.quirks = quirks;
    this.duration = scenario.durationSeconds;
    this.step = scenario.stepSeconds;
    this.world = new World(input.spec, quirks, input.migration);
    this.acc = new Accounting(this.world.hosts, this.world.vms);
    this.quiet = new Uint8Array(this.world.hosts);
    this.tables = input.tables;
    this.vmTable = input.vmTable;
    this.vmColumn = input.vmColumn;
    this.onProgress = input.onProgress;
    this.npa = this.policy.overload === "none";
    this.consolidate = this.policy.overload !== "none" && this.policy.overload !== "dvfs";
    this.detector = createOverloadDetector(this.world, this.policy, this.step);
    this.selector = createVmSelector(
      this.world,
      this.policy.selection,
      createRandom(scenario.seed).stream("datacenter/vm-selection"),
    );
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
  }

  /** Round times: vx 0, step, …; CloudSim 0.1 + step, 0.1 + 2·step, … (accumulated as CloudSim does). */
  private firstRound(): number {
    return this.quirks.timeline ? CLOUDSIM_START + this.step : 0;
  }

  private countRounds(): number {
    let n = 0;
    for (let t = this.firstRound(); t < this.duration; t += this.step) n++;
    return n;
  }

  run(): DatacenterResult {
    this.initialPlacement();
    const first = this.firstRound();
    if (first < this.duration) this.sim.scheduleAt(first, (t: number) => this.tick(t), first);
    this.sim.run({ until: this.duration });
    if (!this.quirks.timeline) this.process(this.duration, false);
    this.acc.finish();
    return this.result();
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
    this.index.rebuild(none);
    // Requested MIPS can be below allocated MIPS here, so the detector's bound does not apply.
    const detector = this.detector;
    const creating: OverloadDetector | undefined =
      detector === undefined
        ? undefined
        : Object.assign((h: number) => detector(h), {
            maxUtilisation: Number.POSITIVE_INFINITY,
          });
    for (let vm = 0; vm < w.vms; vm++) {
      let h: number;
      if (this.consolidate) {
        h = findHostPabfd(w, creating, vm, none, true, this.index);
      } else {
        while (firstFree < w.hosts && !this.canTakeAnything(firstFree)) firstFree++;
        h = findHostFirstFit(w, vm, firstFree);
      }
      if (h < 0) {
        this.unplaced++;
        continue;
      }
      w.add(h, vm);
      if (this.consolidate) {
        w.allocateCreated(h, vm);
        w.vmReq[vm] = 0;
        this.index.update(h);
      } else {
        w.allocate(h, false);
      }
      w.vmHost[vm] = h;
      w.vmAlive[vm] = 1;
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
      const plan = consolidationRound(
        this.world,
        this.detector as OverloadDetector,
        this.selector,
        this.policy.underload,
        this.scratch,
        this.incomingHosts,
        this.index,
      );
      started = this.startMigrations(t, plan.vms, plan.targets);
    }
    this.recordRound(t, started);
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
    for (let vm = 0; vm < w.vms; vm++) {
      if (w.vmAlive[vm] === 0) continue;
      const u = this.utilisation(vm, t);
      w.vmUtil[vm] = u;
      w.vmReq[vm] = u * (w.vmMips[vm] as number);
      if (recordHistory) w.pushHistory(vm, u);
    }
    let frameEnergy = 0;
    const npa = this.npa;
    for (let h = 0; h < w.hosts; h++) {
      const list = w.hostVms[h] as number[];
      const wasActive = w.hostActive[h] === 1;
      const prevUtil = w.hostUtil[h] as number;
      if (list.length === 0 && !wasActive) {
        // Off and empty: its state entry would repeat the pending one (0, 0, off), which is
        // equivalent to not recording it (NPA hosts still draw their maximum).
        if (npa && dt > 0) frameEnergy += specPower(w.powerTable(h), 1) * dt;
        if (this.quiet[h] === 0) {
          this.acc.host(h, t, 0, 0, false, this.interval);
          this.quiet[h] = 1;
        }
        continue;
      }
      w.allocate(h, true);
      const util = w.hostUtil[h] as number;
      if (dt > 0) {
        const table = w.powerTable(h);
        if (npa) {
          frameEnergy += specPower(table, 1) * dt;
        } else if (wasActive) {
          const from = specPower(table, prevUtil);
          const to = specPower(table, util);
          frameEnergy += (from + (to - from) / 2) * dt;
        }
      }
      this.recordHost(h, t);
      for (let i = 0; i < list.length; i++) {
        const vm = list[i] as number;
        if (w.isIncoming(h, vm)) continue;
        this.acc.vm(
          vm,
          t,
          w.vmAlloc[vm] as number,
          w.vmReq[vm] as number,
          w.vmInMigration[vm] === 1,
        );
      }
    }
    this.energy += frameEnergy;
    if (frameInterval >= 0 && frameInterval < this.sEnergy.length) {
      this.sEnergy[frameInterval] = (this.sEnergy[frameInterval] as number) + frameEnergy;
    }
    if (this.quirks.finishIdleVms) {
      for (let h = 0; h < w.hosts; h++) this.finishIdle(h);
    }
    this.lastProcess = t;
    this.processed = true;
  }

  /** Host `h`'s state entry at the current time, and its on/off state. */
  private recordHost(h: number, t: number): void {
    const w = this.world;
    const list = w.hostVms[h] as number[];
    let active: boolean;
    if (this.npa && !this.quirks.activeByUtilisation) active = true;
    else if (this.quirks.activeByUtilisation) active = (w.hostUtilMips[h] as number) > 0;
    else active = list.length > 0;
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
    }
    w.allocate(h, false);
  }

  // ------------------------------------------------------------------------------------------
  // Migrations (CloudSim `Host.addMigratingInVm`, `Datacenter.processVmMigrate`)

  private startMigrations(t: number, vms: readonly number[], targets: readonly number[]): number {
    const w = this.world;
    if (vms.length === 0) return 0;
    const touched = new Set<number>();
    for (let i = 0; i < vms.length; i++) {
      const vm = vms[i] as number;
      const target = targets[i] as number;
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
      const seconds = w.migrationSeconds(vm, source, target);
      const record = this.log(t, vm, source, target, seconds);
      const end = t + seconds;
      if (this.quirks.timeline && end >= this.duration) continue; // CloudSim drops later events
      let group = this.completions.get(end);
      if (group === undefined) {
        group = [];
        this.completions.set(end, group);
        this.sim.scheduleAt(end, (x: number) => this.complete(x), end);
      }
      group.push(vm, target, record);
    }
    for (const h of touched) this.refresh(h, t);
    return vms.length;
  }

  /** Re-processes host `h` at the current time after a change (entries replaced, no energy). */
  private refresh(h: number, t: number): void {
    const w = this.world;
    w.allocate(h, true);
    this.recordHost(h, t);
    const list = w.hostVms[h] as number[];
    for (let i = 0; i < list.length; i++) {
      const vm = list[i] as number;
      if (w.isIncoming(h, vm)) continue;
      this.acc.vm(vm, t, w.vmAlloc[vm] as number, w.vmReq[vm] as number, w.vmInMigration[vm] === 1);
    }
  }

  private complete(t: number): void {
    const group = this.completions.get(t);
    this.completions.delete(t);
    if (group === undefined) return;
    const w = this.world;
    if (t > this.lastProcess) this.process(t, false);
    const touched = new Set<number>();
    for (let k = 0; k < group.length; k += 3) {
      const vm = group[k] as number;
      const target = group[k + 1] as number;
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
      touched.add(target);
      this.logDone[group[k + 2] as number] = 1;
    }
    for (const h of touched) this.refresh(h, t);
    if (this.quirks.finishIdleVms) for (const h of touched) this.finishIdle(h);
  }

  private log(t: number, vm: number, from: number, to: number, seconds: number): number {
    const i = this.logCount++;
    if (i === this.logTime.length) {
      const n = i * 2;
      const grow = <A extends Float64Array | Int32Array | Uint8Array>(
        a: A,
        make: (n: number) => A,
      ): A => {
        const b = make(n);
        b.set(a);
        return b;
      };
      this.logTime = grow(this.logTime, (n) => new Float64Array(n));
      this.logVm = grow(this.logVm, (n) => new Int32Array(n));
      this.logFrom = grow(this.logFrom, (n) => new Int32Array(n));
      this.logTo = grow(this.logTo, (n) => new Int32Array(n));
      this.logDuration = grow(this.logDuration, (n) => new Float64Array(n));
      this.logDone = grow(this.logDone, (n) => new Uint8Array(n));
    }
    this.logTime[i] = t;
    this.logVm[i] = vm;
    this.logFrom[i] = from;
    this.logTo[i] = to;
    this.logDuration[i] = seconds;
    return i;
  }

  // ------------------------------------------------------------------------------------------
  // Result

  private result(): DatacenterResult {
    const w = this.world;
    const acc = this.acc;
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
    const summary: DatacenterSummary = {
      scenario: this.scenario.name,
      seed: this.scenario.seed,
      hosts: w.hosts,
      vms: w.vms,
      simulatedSeconds: this.duration,
      energyKWh,
      migrations: this.logCount,
      slatah,
      pdm,
      slav: slatah * pdm,
      esv: energyKWh * slatah * pdm,
      hostShutdowns: this.npa && !this.quirks.activeByUtilisation ? 0 : acc.shutdowns,
      meanActiveHosts,
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
    const series: DatacenterSeries = {
      time: this.sTime,
      activeHosts: this.sActive,
      powerWatts,
      meanUtilisation: this.sUtil,
      migrations: this.sMigrations,
      overloadedHosts: overloaded,
    };
    const migrationLog: MigrationRecord[] = new Array(this.logCount);
    for (let i = 0; i < this.logCount; i++) {
      const vm = this.logVm[i] as number;
      migrationLog[i] = {
        time: this.logTime[i] as number,
        vm,
        from: this.logFrom[i] as number,
        to: this.logTo[i] as number,
        durationSeconds: this.logDuration[i] as number,
        downtimeSeconds: 0,
        bytes: w.vmRam[vm] as number,
        outcome: this.logDone[i] === 1 ? "completed" : "unfinished",
      };
    }
    return { summary, series, migrationLog };
  }

  /** VMs that could not be placed at the start (no host fitted them). */
  get unplacedVms(): number {
    return this.unplaced;
  }
}

/** The CPU share kept by a migrating VM, re-exported for documentation tests. */
export const MIGRATION_SOURCE_SHARE: number = SOURCE_SHARE;
