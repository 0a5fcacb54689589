/**
 * The state of a data-center run: hosts and VMs as typed arrays, each host's VM list in CloudSim's
 * order, and the CPU allocation of CloudSim's `VmSchedulerTimeSharedOverSubscription`.
 *
 * @internal
 */

import type { CloudsimQuirks } from "../compat.js";
import type { MigrationModel } from "../migration-model.js";

/** Length of a VM's utilisation history (CloudSim `PowerVm.HISTORY_LENGTH`). */
export const HISTORY_LENGTH = 30;

/** Free-RAM classes per host type (see `World.forHostsWithRoom`). */
const RAM_CLASSES = 64;

/** CPU share a migrating VM keeps on its source (CloudSim: 10 % performance degradation). */
export const SOURCE_SHARE = 0.9;
/** CPU share a migrating VM reserves on its destination (CloudSim VmSchedulerTimeShared). */
export const TARGET_SHARE = 0.1;

/** Static description of the hosts and VMs, as the engine builds it from a spec. */
export interface WorldSpec {
  readonly hostPeMips: Float64Array;
  readonly hostCores: Int32Array;
  readonly hostRam: Float64Array;
  readonly hostNic: Float64Array;
  readonly hostType: Int32Array;
  readonly typePower: readonly (readonly number[])[];
  readonly vmMipsPerCore: Float64Array;
  readonly vmCores: Int32Array;
  readonly vmRam: Float64Array;
  readonly vmNic: Float64Array;
  /** Index of each VM's type (for migration plans); optional in tests. */
  readonly vmType?: Int32Array;
  /** Index of each host's type name in the spec (`hostType` indexes power tables). */
  readonly hostTypeName?: readonly string[];
}

/** A min-heap of host indices (lazy deletion is done by the caller). */
class IntHeap {
  private data: Int32Array = new Int32Array(16);
  size = 0;
  push(x: number): void {
    if (this.size === this.data.length) {
      const d = new Int32Array(this.data.length * 2);
      d.set(this.data);
      this.data = d;
    }
    const a = this.data;
    let i = this.size++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pv = a[p] as number;
      if (pv <= x) break;
      a[i] = pv;
      i = p;
    }
    a[i] = x;
  }
  peek(): number {
    return this.size > 0 ? (this.data[0] as number) : -1;
  }
  pop(): number {
    const a = this.data;
    const top = a[0] as number;
    const last = a[--this.size] as number;
    let i = 0;
    const n = this.size;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && (a[r] as number) < (a[l] as number) ? r : l;
      if ((a[c] as number) >= last) break;
      a[i] = a[c] as number;
      i = c;
    }
    if (n > 0) a[i] = last;
    return top;
  }
}

/** The mutable state of one run. */
export class World {
  readonly quirks: CloudsimQuirks;
  readonly migration: MigrationModel;
  readonly hosts: number;
  readonly vms: number;

  // Hosts, static.
  readonly hostPeMips: Float64Array;
  readonly hostCores: Int32Array;
  /** Total MIPS (CloudSim `getTotalMips`: the sum of the PEs' MIPS). */
  readonly hostMips: Float64Array;
  readonly hostRam: Float64Array;
  readonly hostNic: Float64Array;
  readonly hostType: Int32Array;
  readonly typePower: readonly (readonly number[])[];
  readonly types: number;

  // Hosts, dynamic.
  /** Each host's VM list in CloudSim's order (resident, incoming and, during a round, tentative VMs). */
  readonly hostVms: number[][];
  /** VMs migrating into each host, in the order they started. */
  readonly hostIn: number[][];
  readonly hostRamUsed: Float64Array;
  readonly hostNicUsed: Float64Array;
  /** Scheduler: MIPS not yet allocated (0 once over-subscribed). Follows tentative changes. */
  readonly hostAvail: Float64Array;
  /** The policy's view of allocated MIPS (`getUtilizationOfCpuMips(host)`). Follows tentative changes. */
  readonly hostPolicyMips: Float64Array;
  /** Allocated MIPS at the last processing (`HostDynamicWorkload.utilizationMips`). */
  readonly hostUtilMips: Float64Array;
  /** Requested MIPS at the last processing. */
  readonly hostReqMips: Float64Array;
  /** Utilisation at the last processing (`getUtilizationOfCpu`, 1 when in (1, 1.01)). */
  readonly hostUtil: Float64Array;
  /** Whether the host is on, as of the last processing. */
  readonly hostActive: Uint8Array;
  /** Holds an extension keeps on each host (a held host stays on while it holds no VM). */
  readonly hostHeld: Int32Array;

  /** Non-empty hosts (unordered), with each host's position in it or -1. */
  readonly occupied: Int32Array;
  occupiedCount = 0;
  readonly occupiedPos: Int32Array;
  /** Per host type, a lazy min-heap of hosts that may be empty. */
  private readonly emptyHeaps: IntHeap[];
  private readonly inEmptyHeap: Uint8Array;
  /**
   * Hosts holding VMs by free RAM, while RAM limits placement: class `t · (RAM_CLASSES + 1) + k`
   * holds the hosts of type `t` whose free RAM is in [k, k + 1) · RAM / RAM_CLASSES (k =
   * RAM_CLASSES: all of it). Lets a placement find the few hosts with room for a VM.
   */
  private readonly ramClassOf: Int32Array;
  private readonly ramClassPos: Int32Array;
  private readonly ramClasses: number[][];
  private readonly typeRam: Float64Array;

  // VMs, static.
  readonly vmMipsPerCore: Float64Array;
  readonly vmCores: Int32Array;
  readonly vmMips: Float64Array;
  readonly vmRam: Float64Array;
  readonly vmNic: Float64Array;
  /** RAM and NIC a VM occupies on a host (its size, or 0 with CloudSim's memory quirk). */
  readonly vmRamNeed: Float64Array;
  readonly vmNicNeed: Float64Array;

  // VMs, dynamic.
  /** The VM's host (the source while it migrates); -1 before placement or once finished. */
  readonly vmHost: Int32Array;
  readonly vmInMigration: Uint8Array;
  /** 0 once a VM has finished (CloudSim quirk) or could not be placed. */
  readonly vmAlive: Uint8Array;
  /** Requested MIPS (utilisation × MIPS) at the last processing time. */
  readonly vmReq: Float64Array;
  /** Current utilisation (fraction of the VM's cores). */
  readonly vmUtil: Float64Array;
  /** MIPS allocated on the VM's own host at the last scheduler pass there. */
  readonly vmAlloc: Float64Array;
  /** Utilisation history: ring buffers of {@link HISTORY_LENGTH}, newest at `vmHistHead`. */
  readonly vmHist: Float64Array;
  readonly vmHistLen: Uint8Array;
  readonly vmHistHead: Uint8Array;

  /**
   * CloudSim's CPU accounting of a migration (90 % of the demand on the source, 10 % on the
   * destination); without it (the real migration models) a migrating VM runs in full on its
   * source and reserves its whole request on the destination, where it consumes nothing yet.
   */
  readonly cloudsimCpu: boolean;
  /** CPU share a migrating VM keeps on its source: {@link SOURCE_SHARE}, or 1. */
  readonly sourceShare: number;
  /** Hosts taken out of service (by an extension): no placement onto them, drawn as off. */
  readonly hostOut: Uint8Array;
  /** Each VM's type index (0 when the spec gave none). */
  readonly vmType: Int32Array;
  /** Whether a VM's migration is moving bytes (`vmInMigration` is set from the decision, even while queued). */
  readonly vmMoving: Uint8Array;

  constructor(
    spec: WorldSpec,
    quirks: CloudsimQuirks,
    migration: MigrationModel,
    cloudsimCpu = true,
  ) {
    this.quirks = quirks;
    this.migration = migration;
    this.cloudsimCpu = cloudsimCpu;
    this.sourceShare = cloudsimCpu ? SOURCE_SHARE : 1;
    const H = spec.hostPeMips.length;
    const V = spec.vmMipsPerCore.length;
    this.hosts = H;
    this.vms = V;
    this.hostPeMips = spec.hostPeMips;
    this.hostCores = spec.hostCores;
    this.hostMips = new Float64Array(H);
    for (let h = 0; h < H; h++) {
      let total = 0;
      const pe = spec.hostPeMips[h] as number;
      for (let c = 0; c < (spec.hostCores[h] as number); c++) total += pe;
      this.hostMips[h] = total;
    }
    this.hostRam = spec.hostRam;
    this.hostNic = spec.hostNic;
    this.hostType = spec.hostType;
    this.typePower = spec.typePower;
    this.types = spec.typePower.length;
    this.hostVms = [];
    this.hostIn = [];
    for (let h = 0; h < H; h++) {
      this.hostVms.push([]);
      this.hostIn.push([]);
    }
    this.hostRamUsed = new Float64Array(H);
    this.hostNicUsed = new Float64Array(H);
    this.hostAvail = Float64Array.from(this.hostMips);
    this.hostPolicyMips = new Float64Array(H);
    this.hostUtilMips = new Float64Array(H);
    this.hostReqMips = new Float64Array(H);
    this.hostUtil = new Float64Array(H);
    this.hostActive = new Uint8Array(H);
    this.hostHeld = new Int32Array(H);
    this.occupied = new Int32Array(H);
    this.occupiedPos = new Int32Array(H).fill(-1);
    this.emptyHeaps = [];
    for (let t = 0; t < this.types; t++) this.emptyHeaps.push(new IntHeap());
    this.inEmptyHeap = new Uint8Array(H);
    for (let h = 0; h < H; h++) {
      (this.emptyHeaps[spec.hostType[h] as number] as IntHeap).push(h);
      this.inEmptyHeap[h] = 1;
    }
    this.ramClassOf = new Int32Array(H).fill(-1);
    this.ramClassPos = new Int32Array(H);
    this.ramClasses = [];
    for (let i = 0; i < this.types * (RAM_CLASSES + 1); i++) this.ramClasses.push([]);
    this.typeRam = new Float64Array(this.types);
    for (let h = 0; h < H; h++)
      this.typeRam[spec.hostType[h] as number] = spec.hostRam[h] as number;

    this.vmMipsPerCore = spec.vmMipsPerCore;
    this.vmCores = spec.vmCores;
    this.vmMips = new Float64Array(V);
    for (let v = 0; v < V; v++)
      this.vmMips[v] = (spec.vmMipsPerCore[v] as number) * (spec.vmCores[v] as number);
    this.vmRam = spec.vmRam;
    this.vmNic = spec.vmNic;
    this.vmRamNeed = Float64Array.from(spec.vmRam);
    this.vmNicNeed = Float64Array.from(spec.vmNic);
    this.minRamNeed = V > 0 ? Number.POSITIVE_INFINITY : 0;
    for (let v = 0; v < V; v++) {
      if ((this.vmRamNeed[v] as number) < this.minRamNeed)
        this.minRamNeed = this.vmRamNeed[v] as number;
    }
    this.vmHost = new Int32Array(V).fill(-1);
    this.vmInMigration = new Uint8Array(V);
    this.vmAlive = new Uint8Array(V);
    this.vmReq = new Float64Array(V);
    this.vmUtil = new Float64Array(V);
    this.vmAlloc = new Float64Array(V);
    this.vmHist = new Float64Array(V * HISTORY_LENGTH);
    this.vmHistLen = new Uint8Array(V);
    this.vmHistHead = new Uint8Array(V);
    this.hostOut = new Uint8Array(H);
    this.vmType = spec.vmType ?? new Int32Array(V);
    this.vmMoving = new Uint8Array(V);
  }

  // ------------------------------------------------------------------------------------------
  // VM lists

  /** Appends `vm` to host `h`'s list and reserves its RAM and NIC there (`vmCreate`). */
  add(h: number, vm: number): void {
    const list = this.hostVms[h] as number[];
    list.push(vm);
    this.hostRamUsed[h] = (this.hostRamUsed[h] as number) + (this.vmRamNeed[vm] as number);
    this.hostNicUsed[h] = (this.hostNicUsed[h] as number) + (this.vmNicNeed[vm] as number);
    if (list.length === 1) {
      const p = this.occupiedCount++;
      this.occupied[p] = h;
      this.occupiedPos[h] = p;
    }
    if (this.ramLimits) this.classifyRam(h);
  }

  /** Removes `vm` from host `h`'s list and releases its RAM and NIC (`vmDestroy`). Returns its index. */
  remove(h: number, vm: number): number {
    const list = this.hostVms[h] as number[];
    const i = list.indexOf(vm);
    if (i < 0) return -1;
    list.splice(i, 1);
    this.hostRamUsed[h] = (this.hostRamUsed[h] as number) - (this.vmRamNeed[vm] as number);
    this.hostNicUsed[h] = (this.hostNicUsed[h] as number) - (this.vmNicNeed[vm] as number);
    if (list.length === 0) this.markEmpty(h);
    if (this.ramLimits) this.classifyRam(h);
    return i;
  }

  /** Puts `vm` back at index `i` of host `h`'s list (undo of {@link World.remove}). */
  insertAt(h: number, vm: number, i: number): void {
    const list = this.hostVms[h] as number[];
    list.splice(i, 0, vm);
    this.hostRamUsed[h] = (this.hostRamUsed[h] as number) + (this.vmRamNeed[vm] as number);
    this.hostNicUsed[h] = (this.hostNicUsed[h] as number) + (this.vmNicNeed[vm] as number);
    if (list.length === 1) {
      const p = this.occupiedCount++;
      this.occupied[p] = h;
      this.occupiedPos[h] = p;
    }
    if (this.ramLimits) this.classifyRam(h);
  }

  /** Puts host `h` in the RAM class of its free RAM (none when it holds no VM). */
  private classifyRam(h: number): void {
    let c = -1;
    if ((this.hostVms[h] as number[]).length > 0) {
      const ram = this.hostRam[h] as number;
      const k = Math.floor(
        (((this.hostRam[h] as number) - (this.hostRamUsed[h] as number)) / ram) * RAM_CLASSES,
      );
      c =
        (this.hostType[h] as number) * (RAM_CLASSES + 1) +
        (k < 0 ? 0 : k > RAM_CLASSES ? RAM_CLASSES : k);
    }
    const old = this.ramClassOf[h] as number;
    if (old === c) return;
    if (old >= 0) {
      const members = this.ramClasses[old] as number[];
      const p = this.ramClassPos[h] as number;
      const last = members.pop() as number;
      if (last !== h) {
        members[p] = last;
        this.ramClassPos[last] = p;
      }
    }
    this.ramClassOf[h] = c;
    if (c >= 0) {
      const members = this.ramClasses[c] as number[];
      this.ramClassPos[h] = members.length;
      members.push(h);
    }
  }

  /**
   * Calls `f` for every host holding VMs that may have `ram` bytes free (a superset of those that
   * have), unless there are more than `limit` of them: then it calls nothing and returns false.
   * Only while RAM limits placement ({@link World.ramLimits}).
   */
  forHostsWithRoom(ram: number, limit: number, f: (h: number) => void): boolean {
    const K = RAM_CLASSES + 1;
    let count = 0;
    for (let t = 0; t < this.types; t++) {
      const k = Math.floor((ram / (this.typeRam[t] as number)) * RAM_CLASSES);
      for (let c = t * K + (k < 0 ? 0 : k); c < (t + 1) * K; c++) {
        count += (this.ramClasses[c] as number[]).length;
      }
      if (count > limit) return false;
    }
    for (let t = 0; t < this.types; t++) {
      const k = Math.floor((ram / (this.typeRam[t] as number)) * RAM_CLASSES);
      for (let c = t * K + (k < 0 ? 0 : k); c < (t + 1) * K; c++) {
        const members = this.ramClasses[c] as number[];
        for (let i = 0; i < members.length; i++) f(members[i] as number);
      }
    }
    return true;
  }

  private markEmpty(h: number): void {
    const p = this.occupiedPos[h] as number;
    const last = this.occupied[--this.occupiedCount] as number;
    this.occupied[p] = last;
    this.occupiedPos[last] = p;
    this.occupiedPos[h] = -1;
    if (this.inEmptyHeap[h] === 0) {
      (this.emptyHeaps[this.hostType[h] as number] as IntHeap).push(h);
      this.inEmptyHeap[h] = 1;
    }
  }

  /**
   * The lowest-index empty host of type `t` for which `skip(h)` is false, or -1. Empty hosts of a
   * type are interchangeable for placement, so the placement scans only this one.
   */
  firstEmpty(t: number, skip: (h: number) => boolean): number {
    const heap = this.emptyHeaps[t] as IntHeap;
    let found = -1;
    let parked: number[] | undefined;
    while (heap.size > 0) {
      const h = heap.peek();
      if ((this.hostVms[h] as number[]).length !== 0) {
        heap.pop();
        this.inEmptyHeap[h] = 0;
        continue;
      }
      if (skip(h)) {
        heap.pop();
        (parked ??= []).push(h);
        continue;
      }
      found = h;
      break;
    }
    if (parked !== undefined) for (const h of parked) heap.push(h);
    return found;
  }

  /** Whether `vm` is migrating into host `h`. */
  isIncoming(h: number, vm: number): boolean {
    const inList = this.hostIn[h] as number[];
    return inList.length > 0 && inList.indexOf(vm) >= 0;
  }

  /** False once VMs occupy no RAM (CloudSim's memory quirk): RAM never limits a placement. */
  ramLimits = true;
  /** The least RAM any VM needs: a host with less free can take no VM. */
  minRamNeed = 0;
  /**
   * The most hosts with room for a VM that a placement scores directly rather than through the
   * placement index (see `findHostPabfd`); undefined: max(64, hosts holding VMs / 4). Tests set
   * it to 0 or Infinity to force either path.
   */
  roomLimit: number | undefined = undefined;

  /** CloudSim quirk: once created, VMs occupy no RAM or NIC bandwidth. */
  dropMemoryNeeds(): void {
    this.ramLimits = false;
    this.minRamNeed = 0;
    this.ramClassOf.fill(-1);
    for (const members of this.ramClasses) members.length = 0;
    this.vmRamNeed.fill(0);
    this.vmNicNeed.fill(0);
    this.hostRamUsed.fill(0);
    this.hostNicUsed.fill(0);
  }

  // ------------------------------------------------------------------------------------------
  // CPU allocation (CloudSim VmSchedulerTimeSharedOverSubscription)

  /**
   * Recomputes host `h`'s CPU allocation from its VM list and the VMs' current requests.
   *
   * Each virtual core asks for `req / cores`, capped at one physical core; a VM migrating in
   * counts for 10 %. If the requests fit (checked in list order, as CloudSim allocates), each VM
   * gets its capped request (90 % if migrating out, 10 % if migrating in); otherwise every
   * allocation is scaled by capacity / total and rounded down per core. Updates the scheduler
   * state (`hostAvail`, `hostPolicyMips`); with `processing`, also the host's utilisation and
   * requested MIPS and each resident VM's allocation (`vmAlloc`).
   */
  allocate(h: number, processing: boolean): void {
    const list = this.hostVms[h] as number[];
    const C = this.hostMips[h] as number;
    const pe = this.hostPeMips[h] as number;
    const inList = this.hostIn[h] as number[];
    const anyIn = inList.length > 0;
    if (!anyIn && this.allocateFast(h, processing)) return;
    if (!this.cloudsimCpu) {
      this.allocateReal(h, processing);
      return;
    }
    let avail = C;
    let over = false;
    let required = 0;
    const n = list.length;
    for (let i = 0; i < n; i++) {
      const vm = list[i] as number;
      const cores = this.vmCores[vm] as number;
      const perPe = (this.vmReq[vm] as number) / cores;
      const capped = perPe > pe ? pe : perPe;
      let total = 0;
      for (let c = 0; c < cores; c++) total += capped;
      if (anyIn && inList.indexOf(vm) >= 0) total *= TARGET_SHARE;
      required += total;
      if (over) continue;
      if (avail >= total) avail -= total;
      else over = true;
    }
    const scale = over ? C / required : 1;
    let policy = 0;
    let util = 0;
    let req = 0;
    for (let i = 0; i < n; i++) {
      const vm = list[i] as number;
      const cores = this.vmCores[vm] as number;
      const perPe = (this.vmReq[vm] as number) / cores;
      const capped = perPe > pe ? pe : perPe;
      const incoming = anyIn && inList.indexOf(vm) >= 0;
      const outgoing = !incoming && this.vmMoving[vm] === 1;
      let alloc = 0;
      if (!over) {
        const a = outgoing ? capped * SOURCE_SHARE : incoming ? capped * TARGET_SHARE : capped;
        for (let c = 0; c < cores; c++) alloc += a;
      } else {
        const a = outgoing
          ? Math.floor(capped * scale * SOURCE_SHARE)
          : incoming
            ? Math.floor(capped * TARGET_SHARE * scale)
            : Math.floor(capped * scale);
        for (let c = 0; c < cores; c++) alloc += a;
      }
      if (incoming) policy += (alloc * 0.9) / 0.1;
      policy += alloc;
      if (processing) {
        if (incoming) {
          util += alloc;
        } else {
          this.vmAlloc[vm] = alloc;
          util += outgoing ? alloc / SOURCE_SHARE : alloc;
        }
        req +=
          incoming && !this.quirks.incomingMigrationViolates
            ? (this.vmReq[vm] as number) * TARGET_SHARE
            : (this.vmReq[vm] as number);
      }
    }
    this.hostAvail[h] = over ? 0 : avail;
    this.hostPolicyMips[h] = policy;
    if (processing) {
      this.hostUtilMips[h] = util;
      this.hostReqMips[h] = req;
      let u = util / C;
      if (u > 1 && u < 1.01) u = 1;
      this.hostUtil[h] = u;
    }
  }

  /**
   * {@link World.allocate} without CloudSim's migration accounting (the real migration models):
   * VMs migrating in consume nothing but reserve their whole (capped) request, in the scheduler's
   * free MIPS and in the policy's view; every other VM, migrating out or not, is allocated its
   * capped request, scaled down (per core, rounded down as CloudSim does) when the requests
   * exceed the capacity.
   */
  private allocateReal(h: number, processing: boolean): void {
    const list = this.hostVms[h] as number[];
    const C = this.hostMips[h] as number;
    const pe = this.hostPeMips[h] as number;
    const inList = this.hostIn[h] as number[];
    let required = 0;
    let reserved = 0;
    const n = list.length;
    for (let i = 0; i < n; i++) {
      const vm = list[i] as number;
      const cores = this.vmCores[vm] as number;
      const perPe = (this.vmReq[vm] as number) / cores;
      const capped = perPe > pe ? pe : perPe;
      let total = 0;
      for (let c = 0; c < cores; c++) total += capped;
      if (inList.indexOf(vm) >= 0) reserved += total;
      else required += total;
    }
    const over = required > C;
    const scale = over ? C / required : 1;
    let util = 0;
    let req = 0;
    for (let i = 0; i < n; i++) {
      const vm = list[i] as number;
      if (inList.indexOf(vm) >= 0) continue;
      const cores = this.vmCores[vm] as number;
      const perPe = (this.vmReq[vm] as number) / cores;
      const capped = perPe > pe ? pe : perPe;
      const a = over ? Math.floor(capped * scale) : capped;
      let alloc = 0;
      for (let c = 0; c < cores; c++) alloc += a;
      util += alloc;
      if (processing) {
        this.vmAlloc[vm] = alloc;
        req += this.vmReq[vm] as number;
      }
    }
    const free = C - required - reserved;
    this.hostAvail[h] = over || free < 0 ? 0 : free;
    this.hostPolicyMips[h] = util + reserved;
    if (processing) {
      this.hostUtilMips[h] = util;
      this.hostReqMips[h] = req;
      let u = util / C;
      if (u > 1 && u < 1.01) u = 1;
      this.hostUtil[h] = u;
    }
  }

  /**
   * The scheduler's state after VM `vm`, just appended to host `h`'s list, is created with its
   * full request (`vmReq`), the other VMs keeping their allocations (CloudSim
   * `VmSchedulerTimeShared.allocatePesForVm` at creation; the placement checked that it fits).
   * Same arithmetic as {@link World.allocate} for the new VM.
   */
  allocateCreated(h: number, vm: number): void {
    const cores = this.vmCores[vm] as number;
    const perPe = (this.vmReq[vm] as number) / cores;
    const pe = this.hostPeMips[h] as number;
    const capped = perPe > pe ? pe : perPe;
    let total = 0;
    for (let c = 0; c < cores; c++) total += capped;
    this.hostAvail[h] = (this.hostAvail[h] as number) - total;
    this.hostPolicyMips[h] = (this.hostPolicyMips[h] as number) + total;
  }

  /**
   * {@link World.allocate} for a host with no VM migrating in whose requests fit (the common
   * case), in one pass; returns false, having changed nothing, when they do not fit.
   */
  private allocateFast(h: number, processing: boolean): boolean {
    const list = this.hostVms[h] as number[];
    const C = this.hostMips[h] as number;
    const pe = this.hostPeMips[h] as number;
    let avail = C;
    let policy = 0;
    let util = 0;
    let req = 0;
    const n = list.length;
    for (let i = 0; i < n; i++) {
      const vm = list[i] as number;
      const cores = this.vmCores[vm] as number;
      const r = this.vmReq[vm] as number;
      const perPe = r / cores;
      const capped = perPe > pe ? pe : perPe;
      let total = 0;
      for (let c = 0; c < cores; c++) total += capped;
      if (!(avail >= total)) return false;
      avail -= total;
      const outgoing = this.vmMoving[vm] === 1;
      const share = this.sourceShare;
      const a = outgoing ? capped * share : capped;
      let alloc = 0;
      for (let c = 0; c < cores; c++) alloc += a;
      policy += alloc;
      if (processing) {
        this.vmAlloc[vm] = alloc;
        util += outgoing ? alloc / share : alloc;
        req += r;
      }
    }
    this.hostAvail[h] = avail;
    this.hostPolicyMips[h] = policy;
    if (processing) {
      this.hostUtilMips[h] = util;
      this.hostReqMips[h] = req;
      let u = util / C;
      if (u > 1 && u < 1.01) u = 1;
      this.hostUtil[h] = u;
    }
    return true;
  }

  // ------------------------------------------------------------------------------------------
  // Utilisation history

  /** Records the VM's current utilisation as its newest history value. */
  pushHistory(vm: number, utilisation: number): void {
    const head = ((this.vmHistHead[vm] as number) + 1) % HISTORY_LENGTH;
    this.vmHistHead[vm] = head;
    this.vmHist[vm * HISTORY_LENGTH + head] = utilisation;
    const len = this.vmHistLen[vm] as number;
    if (len < HISTORY_LENGTH) this.vmHistLen[vm] = len + 1;
  }

  /** The VM's `i`-th most recent history value (0 = newest). */
  history(vm: number, i: number): number {
    const head = this.vmHistHead[vm] as number;
    return this.vmHist[
      vm * HISTORY_LENGTH + ((head - i + HISTORY_LENGTH) % HISTORY_LENGTH)
    ] as number;
  }

  /**
   * The host's utilisation history (CloudSim `PowerHostUtilizationHistory.getUtilizationHistory`):
   * the sum over its listed VMs of their histories weighted by VM MIPS / host MIPS, newest first,
   * with trailing zeros trimmed (an all-zero history keeps one value).
   *
   * @returns the length written to `out`.
   */
  hostHistory(h: number, out: Float64Array): number {
    out.fill(0, 0, HISTORY_LENGTH);
    const list = this.hostVms[h] as number[];
    const C = this.hostMips[h] as number;
    for (let k = 0; k < list.length; k++) {
      const vm = list[k] as number;
      const len = this.vmHistLen[vm] as number;
      const w = this.vmMips[vm] as number;
      const head = this.vmHistHead[vm] as number;
      const base = vm * HISTORY_LENGTH;
      for (let i = 0; i < len; i++) {
        const v = this.vmHist[base + ((head - i + HISTORY_LENGTH) % HISTORY_LENGTH)] as number;
        out[i] = (out[i] as number) + (v * w) / C;
      }
    }
    // MathUtil.countNonZeroBeginning
    let i = HISTORY_LENGTH - 1;
    while (i >= 0) {
      if ((out[i--] as number) !== 0) break;
    }
    return i + 2;
  }

  /** Sum of the current requests of host `h`'s listed VMs (list order). */
  requested(h: number): number {
    const list = this.hostVms[h] as number[];
    let total = 0;
    for (let i = 0; i < list.length; i++) total += this.vmReq[list[i] as number] as number;
    return total;
  }

  /** Power of host `h` at a utilisation, from its type's SPECpower table. */
  powerTable(h: number): readonly number[] {
    return this.typePower[this.hostType[h] as number] as readonly number[];
  }

  /** CloudSim migration time of `vm` to `h` (used by LR's prediction horizon and migrations). */
  migrationSeconds(vm: number, from: number, to: number): number {
    return this.migration.durationSeconds({
      ramBytes: this.vmRam[vm] as number,
      sourceNicBytesPerSecond:
        from >= 0 ? (this.hostNic[from] as number) : (this.hostNic[to] as number),
      targetNicBytesPerSecond: this.hostNic[to] as number,
    });
  }
}
