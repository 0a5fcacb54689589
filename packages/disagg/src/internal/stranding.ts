/**
 * Stranded resources, kept up to date incrementally.
 *
 * - A compute brick's free cores are stranded when it can reach no free section: none in its own
 *   local memory, none on a brick it holds a circuit to, and (circuit fabric) no new circuit is
 *   possible (it has no free port, or no holder with free sections has one). On a packet fabric
 *   they are stranded only when no free section is left anywhere.
 * - A brick's free sections or device units are stranded when no compute brick with a free core
 *   can reach it: not itself, not a circuit neighbour, and no new circuit is possible.
 *
 * Each brick's status depends on its own state, its circuit neighbours' and four rack-wide facts
 * (is any compute brick with a free core left, one with a free core and a free port, any holder
 * with free sections and a free port, any free section). A change re-evaluates the bricks that
 * changed and their neighbours; a change of one of the four facts re-evaluates everything. Cost:
 * the bricks touched and their ports, not the rack.
 *
 * @module
 */

import { IdSet } from "./sets.js";

/** What the tracker reads of the rack. */
export interface StrandingSource {
  /** Brick kinds: 0 compute, 1 memory, 2 device. */
  readonly kinds: Uint8Array;
  /** Device kind index (0 accelerator, 1 nic, 2 storage) of device bricks, -1 otherwise. */
  readonly deviceIndex: Int8Array;
  /** Whether the fabric is packet-switched. */
  readonly packet: boolean;
  freeCores(b: number): number;
  freeSections(b: number): number;
  freeUnits(b: number): number;
  freePorts(b: number): number;
  circuitsOf(b: number): readonly number[];
}

/** Stranded cores, sections and device units of a rack. */
export class StrandingTracker {
  /** Stranded cores now. */
  cores = 0;
  /** Stranded sections now. */
  sections = 0;
  /** Stranded device units now, by device index. */
  readonly units: Float64Array = new Float64Array(3);

  private readonly n: number;
  private readonly hasCore: Uint8Array;
  private readonly corePort: Uint8Array;
  private readonly freeMem: Uint8Array;
  private readonly memPort: Uint8Array;
  private readonly freeSecs: Float64Array;
  private readonly contrib: Float64Array;
  private readonly holderContrib: Float64Array;
  private anyCores = 0;
  private corePorts = 0;
  private memPorts = 0;
  private totalFree = 0;
  private readonly scratch: IdSet;

  constructor(private readonly src: StrandingSource) {
    this.n = src.kinds.length;
    this.hasCore = new Uint8Array(this.n);
    this.corePort = new Uint8Array(this.n);
    this.freeMem = new Uint8Array(this.n);
    this.memPort = new Uint8Array(this.n);
    this.freeSecs = new Float64Array(this.n);
    this.contrib = new Float64Array(this.n);
    this.holderContrib = new Float64Array(this.n);
    this.scratch = new IdSet(this.n);
    this.full();
  }

  /** Re-evaluates every brick. */
  full(): void {
    this.anyCores = 0;
    this.corePorts = 0;
    this.memPorts = 0;
    this.totalFree = 0;
    for (let b = 0; b < this.n; b++) this.refreshFlags(b, false);
    this.cores = 0;
    this.sections = 0;
    this.units.fill(0);
    this.contrib.fill(0);
    this.holderContrib.fill(0);
    for (let b = 0; b < this.n; b++) this.reevaluate(b);
  }

  /**
   * Re-evaluates after a change.
   *
   * @param changed - bricks whose cores, sections, units or ports changed.
   */
  update(changed: Iterable<number>): void {
    const before = this.facts();
    let any = false;
    for (const b of changed) {
      this.refreshFlags(b, true);
      any = true;
    }
    if (!any) return;
    if (this.facts() !== before) {
      this.full();
      return;
    }
    const todo = this.scratch;
    todo.clear();
    for (const b of changed) {
      todo.add(b);
      for (const nb of this.src.circuitsOf(b)) todo.add(nb);
    }
    for (const b of todo.items) this.reevaluate(b);
  }

  /** Bit mask of the four rack-wide facts. */
  private facts(): number {
    return (
      (this.anyCores > 0 ? 1 : 0) |
      (this.corePorts > 0 ? 2 : 0) |
      (this.memPorts > 0 ? 4 : 0) |
      (this.totalFree > 0 ? 8 : 0)
    );
  }

  private refreshFlags(b: number, incremental: boolean): void {
    const src = this.src;
    const ports = src.freePorts(b) > 0 ? 1 : 0;
    const core = src.kinds[b] === 0 && src.freeCores(b) > 0 ? 1 : 0;
    const free = src.freeSections(b);
    const mem = free > 0 ? 1 : 0;
    if (incremental) {
      this.anyCores -= this.hasCore[b]!;
      this.corePorts -= this.corePort[b]!;
      this.memPorts -= this.memPort[b]!;
      this.totalFree -= this.freeSecs[b]!;
    }
    this.hasCore[b] = core;
    this.corePort[b] = core & ports;
    this.freeMem[b] = mem;
    this.memPort[b] = mem & ports;
    this.freeSecs[b] = free;
    this.anyCores += core;
    this.corePorts += core & ports;
    this.memPorts += mem & ports;
    this.totalFree += free;
  }

  /** Recomputes brick `b`'s stranded amount and moves the totals by the difference. */
  private reevaluate(b: number): void {
    const src = this.src;
    const old = this.contrib[b]!;
    let now = 0;
    if (src.kinds[b] === 0) {
      // Its free cores, then its local memory as a holder (counted with sections below).
      if (this.hasCore[b] === 1 && !this.coresReach(b)) now = src.freeCores(b);
      this.cores += now - old;
      this.contrib[b] = now;
      this.reevaluateHolder(b);
      return;
    }
    if (src.kinds[b] === 1) {
      this.reevaluateHolder(b);
      return;
    }
    const units = src.freeUnits(b);
    if (units > 0 && !this.reached(b)) now = units;
    this.units[src.deviceIndex[b]!]! += now - old;
    this.contrib[b] = now;
  }

  private reevaluateHolder(b: number): void {
    const old = this.holderContrib[b]!;
    const free = this.freeSecs[b]!;
    const now = free > 0 && !this.reached(b) ? free : 0;
    this.sections += now - old;
    this.holderContrib[b] = now;
  }

  /** Whether compute brick `c` can reach a free section. */
  private coresReach(c: number): boolean {
    if (this.freeMem[c] === 1) return true;
    const src = this.src;
    if (src.packet) return this.totalFree > 0;
    if (src.freePorts(c) > 0 && this.memPorts > 0) return true;
    for (const h of src.circuitsOf(c)) if (this.freeMem[h] === 1) return true;
    return false;
  }

  /** Whether a compute brick with a free core can reach brick `t`. */
  private reached(t: number): boolean {
    if (this.anyCores === 0) return false;
    const src = this.src;
    if (src.packet) return true;
    if (this.hasCore[t] === 1) return true;
    if (src.freePorts(t) > 0 && this.corePorts > 0) return true;
    for (const c of src.circuitsOf(t)) if (this.hasCore[c] === 1) return true;
    return false;
  }
}
