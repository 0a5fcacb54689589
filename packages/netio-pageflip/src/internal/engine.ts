/**
 * The receive path at page level, one batch at a time: NIC arrivals, the pVM's backend (copy or
 * flip), the RX ring, the guest's frontend, and both domains' workload churn. Every per-packet
 * step is a few typed-array operations; nothing is allocated per packet.
 */
import type { AccessCostModel } from "../access-cost.js";
import type { DeliveryPath, PageflipModelOptions } from "../options.js";
import { pagesPerPacket } from "../options.js";
import { PageFrames } from "../page-frames.js";
import { FrameQueue } from "./frame-queue.js";

/** Domain numbers in the page table. */
export const PVM = 0;
export const GUEST = 1;

export class ReceiveEngine {
  readonly frames: PageFrames;
  readonly path: DeliveryPath;
  private readonly flipping: boolean;
  private readonly informed: boolean;
  /** Pages per packet (always 1 when flipping). */
  private readonly pages: number;
  private readonly guestNode: number;
  private readonly pvmNode: number;
  /** Node the pVM allocates receive buffers on first. */
  private readonly bufferNode: number;
  private readonly packetsPerSecond: number;
  private readonly pvmCyclesPerSecond: number;
  private readonly guestCyclesPerSecond: number;
  private readonly guestChurnPagesPerSecond: number;
  private readonly pvmChurnPagesPerSecond: number;

  // Costs, cycles, precomputed per node where they depend on locality.
  private readonly pvmFixed: number;
  private readonly pvmBatch: number;
  /** Grant copy: half the per-byte cost of a full page (or the packet's last part) per node touched. */
  private readonly copyHalfByNode: Float64Array;
  private readonly copyHalfLastByNode: Float64Array;
  private readonly guestFixed: number;
  private readonly guestBytesByNode: Float64Array;
  private readonly guestBytesLastByNode: Float64Array;

  /** Packets delivered, waiting for the guest, as their frames (`pages` per packet). */
  private readonly ring: FrameQueue;
  /** Informed flipping: received pages kept to give back first. */
  private readonly pool: FrameQueue;
  private readonly guestUsed: FrameQueue;
  private readonly pvmUsed: FrameQueue;
  /** The guest workload's in-use pages per node. */
  readonly workloadPages: Float64Array;

  // Carried fractions and budgets.
  private arrivalCarry = 0;
  private guestChurnCarry = 0;
  private pvmChurnCarry = 0;
  private pvmAvailable = 0;
  /** Guest workload pages freed but not yet allocated again for lack of a free page. */
  workloadDeficit = 0;
  private guestAvailable = 0;

  // Cumulative counters.
  offered = 0;
  delivered = 0;
  consumed = 0;
  droppedPvmCpu = 0;
  droppedRingFull = 0;
  droppedNoMemory = 0;
  flips = 0;
  batches = 0;
  pvmCycles = 0;
  guestCycles = 0;
  pvmBudgetCycles = 0;
  guestBudgetCycles = 0;

  constructor(o: PageflipModelOptions, path: DeliveryPath, access: AccessCostModel) {
    this.path = path;
    this.flipping = path !== "grant-copy";
    this.informed = path === "informed-flip";
    this.pages = this.flipping ? 1 : pagesPerPacket(o.packetBytes, o.pageBytes);
    this.guestNode = o.guest.node;
    this.pvmNode = o.pvm.node;
    this.bufferNode = path === "numa-aware-flip" ? o.guest.node : o.pvm.node;
    this.packetsPerSecond = o.offeredBytesPerSecond / o.packetBytes;
    this.pvmCyclesPerSecond = o.pvm.cores * o.host.coreHz;
    this.guestCyclesPerSecond = o.guest.cores * o.host.coreHz;
    this.guestChurnPagesPerSecond = o.guest.churnBytesPerSecond / o.pageBytes;
    this.pvmChurnPagesPerSecond = o.pvm.churnBytesPerSecond / o.pageBytes;

    const c = o.costs;
    const nodes = o.host.nodes;
    this.pvmFixed = c.pvmPerPacket + (this.flipping ? c.flipPerPage : c.copyPerPacket);
    this.pvmBatch = c.pvmPerBatch + (this.flipping ? c.flipPerBatch : 0);
    this.guestFixed = c.guestPerPacket + (this.flipping ? c.guestFlipPerPage : 0);
    const lastBytes = o.packetBytes - (this.pages - 1) * o.pageBytes;
    const fullBytes = Math.min(o.packetBytes, o.pageBytes);
    this.copyHalfByNode = new Float64Array(nodes);
    this.copyHalfLastByNode = new Float64Array(nodes);
    this.guestBytesByNode = new Float64Array(nodes);
    this.guestBytesLastByNode = new Float64Array(nodes);
    for (let n = 0; n < nodes; n++) {
      const rp = access.latencyRatio(o.pvm.node, n);
      const rg = access.latencyRatio(o.guest.node, n);
      this.copyHalfByNode[n] = (c.copyPerByte * fullBytes * rp) / 2;
      this.copyHalfLastByNode[n] = (c.copyPerByte * lastBytes * rp) / 2;
      this.guestBytesByNode[n] = c.guestPerByte * fullBytes * rg;
      this.guestBytesLastByNode[n] = c.guestPerByte * lastBytes * rg;
    }

    // Memory layout: each domain's pages start on its node, in use first, then free.
    const guestPages = Math.floor(o.guest.memoryBytes / o.pageBytes);
    const pvmPages = Math.floor(o.pvm.memoryBytes / o.pageBytes);
    const framesPerNode = new Array<number>(nodes).fill(0);
    framesPerNode[o.guest.node]! += guestPages;
    framesPerNode[o.pvm.node]! += pvmPages;
    this.frames = new PageFrames({ framesPerNode, domains: 2, distances: o.host.distances });
    this.ring = new FrameQueue(o.ringSlots);
    this.pool = new FrameQueue(this.informed ? o.ringSlots : 1);
    this.guestUsed = new FrameQueue(guestPages);
    this.pvmUsed = new FrameQueue(pvmPages);
    this.workloadPages = new Float64Array(nodes);
    const lay = (domain: number, node: number, count: number, inUse: number, used: FrameQueue) => {
      // The guest comes first on a node both share.
      const start =
        this.frames.firstFrame(node) +
        (domain === PVM && o.guest.node === o.pvm.node ? guestPages : 0);
      const busy = Math.round(inUse * count);
      for (let k = 0; k < busy; k++) {
        this.frames.assign(start + k, domain, false);
        used.push(start + k);
      }
      // Free frames pushed last to first, so allocation takes them in ascending order.
      for (let k = count - 1; k >= busy; k--) this.frames.assign(start + k, domain, true);
      return busy;
    };
    this.workloadPages[o.guest.node] = lay(
      GUEST,
      o.guest.node,
      guestPages,
      o.guest.inUseFraction,
      this.guestUsed,
    );
    lay(PVM, o.pvm.node, pvmPages, o.pvm.inUseFraction, this.pvmUsed);
  }

  /** Frames the guest received and has not released (ring and pool). */
  get heldByFrontend(): number {
    return this.ring.length + this.pool.length;
  }

  /** Advances the model by one batch of `dt` seconds. */
  runSlice(dt: number): void {
    const guestChurn = this.freeChurned(dt);
    this.receive(dt);
    this.consume(dt);
    this.allocateChurned(guestChurn);
  }

  /**
   * Workload churn, first half: each domain frees its oldest in-use pages. The pVM reallocates at
   * once; the guest reallocates after the batch ({@link ReceiveEngine.allocateChurned}), so the
   * pages it freed are on its free list while the backend runs, as when frees and allocations
   * are spread over the batch rather than paired.
   *
   * @returns the number of pages the guest freed.
   */
  private freeChurned(dt: number): number {
    const frames = this.frames;
    let n = this.guestChurnCarry + this.guestChurnPagesPerSecond * dt;
    let count = Math.floor(n);
    this.guestChurnCarry = n - count;
    const used = this.guestUsed;
    const workload = this.workloadPages;
    if (count > used.length) count = used.length;
    for (let k = 0; k < count; k++) {
      const old = used.shift();
      frames.release(GUEST, old);
      workload[frames.nodeOf(old)]!--;
    }
    n = this.pvmChurnCarry + this.pvmChurnPagesPerSecond * dt;
    let pvmCount = Math.floor(n);
    this.pvmChurnCarry = n - pvmCount;
    const pvmUsed = this.pvmUsed;
    if (pvmUsed.length === 0) pvmCount = 0;
    for (let k = 0; k < pvmCount; k++) {
      frames.release(PVM, pvmUsed.shift());
      pvmUsed.push(frames.allocate(PVM, this.pvmNode));
    }
    return count;
  }

  /**
   * Workload churn, second half: the guest allocates the pages it freed again, local first, and
   * any it could not get at an earlier batch.
   */
  private allocateChurned(count: number): void {
    const frames = this.frames;
    const used = this.guestUsed;
    const workload = this.workloadPages;
    const node = this.guestNode;
    const wanted = count + this.workloadDeficit;
    for (let k = 0; k < wanted; k++) {
      const fresh = frames.allocate(GUEST, node);
      if (fresh < 0) {
        // The backend holds every free page: the workload waits for pages to come back.
        this.workloadDeficit = wanted - k;
        return;
      }
      used.push(fresh);
      workload[frames.nodeOf(fresh)]!++;
    }
    this.workloadDeficit = 0;
  }

  /** The pVM's backend: one batch of arrivals, copied or flipped into the ring. */
  private receive(dt: number): void {
    const arrivals = this.arrivalCarry + this.packetsPerSecond * dt;
    const n = Math.floor(arrivals);
    this.arrivalCarry = arrivals - n;
    this.offered += n;
    const perSlice = this.pvmCyclesPerSecond * dt;
    this.pvmBudgetCycles += perSlice;
    let available = Math.min(this.pvmAvailable + perSlice, perSlice);
    const ring = this.ring;
    const pages = this.pages;
    // Packets the ring can take; the pVM starts a packet while it has cycles left.
    const room = Math.floor(ring.room / pages);
    let k = 0;
    let noMemory = false;
    if (n > 0 && available > 0 && room > 0) {
      // One batch: one hypercall (and, when flipping, one TLB flush of every CPU).
      const batch = this.pvmBatch;
      available -= batch;
      this.pvmCycles += batch;
      this.batches++;
      const limit = Math.min(n, room);
      if (this.flipping) {
        const fixed = this.pvmFixed;
        const cpuLimit = available > 0 ? Math.ceil(available / fixed) : 0;
        k = this.flipBatch(Math.min(limit, cpuLimit));
        noMemory = k < Math.min(limit, cpuLimit);
        available -= k * fixed;
        this.pvmCycles += k * fixed;
        this.flips += k;
      } else {
        const before = available;
        for (; k < limit && available > 0; k++) {
          const cost = this.copyPacket();
          if (cost < 0) {
            noMemory = true;
            break;
          }
          available -= cost;
        }
        this.pvmCycles += before - available;
      }
    }
    this.pvmAvailable = available;
    this.delivered += k;
    const dropped = n - k;
    if (dropped > 0) {
      if (noMemory) this.droppedNoMemory += dropped;
      else if (available <= 0) this.droppedPvmCpu += dropped;
      else this.droppedRingFull += dropped;
    }
  }

  /**
   * Flips `count` packets: for each, the pVM takes a receive buffer (from the guest's node for
   * NUMA-aware flipping, else its own), the guest gives back a page (from its pool first for
   * informed flipping, else from its free list, local first), and the two pages change owners.
   *
   * @returns the packets flipped: `count`, or fewer when a domain ran out of free pages.
   */
  private flipBatch(count: number): number {
    const frames = this.frames;
    const ring = this.ring;
    const pool = this.pool;
    const informed = this.informed;
    const bufferNode = this.bufferNode;
    const guestNode = this.guestNode;
    for (let k = 0; k < count; k++) {
      const buffer = frames.allocate(PVM, bufferNode);
      if (buffer < 0) return k;
      const give = informed && pool.length > 0 ? pool.shift() : frames.allocate(GUEST, guestNode);
      if (give < 0) {
        frames.release(PVM, buffer);
        return k;
      }
      // The flip: the packet's page goes to the guest, the guest's page to the pVM's free list.
      frames.transfer(buffer, PVM, GUEST);
      frames.transferFree(give, GUEST, PVM);
      ring.push(buffer);
    }
    return count;
  }

  /**
   * Grant copy of one packet: the pVM takes a receive buffer, the guest a page per page of
   * packet (local first), the pVM copies, and frees its buffer.
   *
   * @returns the pVM cycles spent, or -1 when a domain had no free page (nothing changed).
   */
  private copyPacket(): number {
    const frames = this.frames;
    const buffer = frames.allocate(PVM, this.bufferNode);
    if (buffer < 0) return -1;
    const pages = this.pages;
    const half = this.copyHalfByNode;
    const halfLast = this.copyHalfLastByNode;
    const src = frames.nodeOf(buffer);
    const ring = this.ring;
    let cost = this.pvmFixed;
    let p = 0;
    for (; p < pages; p++) {
      const page = frames.allocate(GUEST, this.guestNode);
      if (page < 0) break;
      const dst = frames.nodeOf(page);
      cost += p === pages - 1 ? halfLast[src]! + halfLast[dst]! : half[src]! + half[dst]!;
      ring.push(page);
    }
    frames.release(PVM, buffer);
    if (p < pages) {
      for (; p > 0; p--) frames.release(GUEST, this.popNewest());
      return -1;
    }
    return cost;
  }

  /** Removes the newest frame of the ring (undoing a partial copy). */
  private popNewest(): number {
    const ring = this.ring;
    const frame = ring.at(ring.length - 1);
    ring.length--;
    return frame;
  }

  /** The guest's frontend: consumes delivered packets within its CPU budget. */
  private consume(dt: number): void {
    const perSlice = this.guestCyclesPerSecond * dt;
    this.guestBudgetCycles += perSlice;
    let available = Math.min(this.guestAvailable + perSlice, perSlice);
    const frames = this.frames;
    const ring = this.ring;
    const pool = this.pool;
    const informed = this.informed;
    const pages = this.pages;
    const fixed = this.guestFixed;
    const bytes = this.guestBytesByNode;
    const bytesLast = this.guestBytesLastByNode;
    const before = available;
    let packets = 0;
    if (pages === 1) {
      while (ring.length > 0 && available > 0) {
        const frame = ring.shift();
        available -= fixed + bytesLast[frames.nodeOf(frame)]!;
        if (informed && pool.room > 0) pool.push(frame);
        else frames.release(GUEST, frame);
        packets++;
      }
    } else {
      while (ring.length > 0 && available > 0) {
        let cost = fixed;
        for (let p = 0; p < pages; p++) {
          const frame = ring.shift();
          cost += p === pages - 1 ? bytesLast[frames.nodeOf(frame)]! : bytes[frames.nodeOf(frame)]!;
          frames.release(GUEST, frame);
        }
        available -= cost;
        packets++;
      }
    }
    this.guestAvailable = available;
    this.guestCycles += before - available;
    this.consumed += packets;
  }
}
