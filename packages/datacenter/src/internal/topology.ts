/**
 * The data-center network on `@vx/core`'s fluid links: each host's NIC as two links (out and in,
 * full duplex); for a tree, each rack's uplink to the core as two links of the rack's NIC
 * bandwidth divided by the oversubscription. Routes: host → (ToR → core → ToR →) host. Also
 * meters the bytes each link carries, per scheduling interval, for the utilisation metrics.
 *
 * @internal
 */

import type { FluidSystem, Resource } from "@vx/core";
import type { Route } from "@vx/migration";
import type { NetworkSpec } from "../network-spec.js";

/** Which links a metric covers. */
export const NIC = 0;
export const UPLINK = 1;

export class Topology {
  readonly fluid: FluidSystem;
  readonly hosts: number;
  readonly racks: number;
  /** Host h's NIC: out (`up[h]`) and in (`down[h]`). */
  readonly up: Resource[] = [];
  readonly down: Resource[] = [];
  /** Rack r's uplink to the core: out and in (tree only). */
  readonly rackUp: Resource[] = [];
  readonly rackDown: Resource[] = [];
  readonly rackOf: Int32Array;
  private readonly latency: number;
  private readonly tree: boolean;
  /** The network's links (NICs then uplinks), by fluid resource id → link index, -1 for others. */
  private readonly linkOf: Map<number, number> = new Map();
  readonly linkKind: Uint8Array;
  readonly linkCapacity: Float64Array;
  /** Bytes each link carried in all. */
  readonly linkBytes: Float64Array;
  /** Bytes by (interval, link), sparse: key interval · links + link. */
  private readonly binned: Map<number, number> = new Map();
  private readonly step: number;
  private readonly origin: number;

  constructor(
    fluid: FluidSystem,
    spec: NetworkSpec,
    hostNic: Float64Array,
    stepSeconds: number,
    originSeconds: number,
  ) {
    this.fluid = fluid;
    const H = hostNic.length;
    this.hosts = H;
    this.latency = spec.latency;
    this.tree = spec.topology === "tree";
    this.step = stepSeconds;
    this.origin = originSeconds;
    for (let h = 0; h < H; h++) {
      const nic = hostNic[h] as number;
      this.up.push(fluid.resource({ name: `host${h}.out`, capacity: nic }));
      this.down.push(fluid.resource({ name: `host${h}.in`, capacity: nic }));
    }
    this.rackOf = new Int32Array(H);
    if (spec.topology === "tree") {
      const per = spec.hostsPerRack;
      this.racks = Math.ceil(H / per);
      for (let r = 0; r < this.racks; r++) {
        let sum = 0;
        for (let h = r * per; h < Math.min(H, (r + 1) * per); h++) {
          sum += hostNic[h] as number;
          this.rackOf[h] = r;
        }
        const capacity = sum / spec.oversubscription;
        this.rackUp.push(fluid.resource({ name: `rack${r}.up`, capacity }));
        this.rackDown.push(fluid.resource({ name: `rack${r}.down`, capacity }));
      }
    } else {
      this.racks = 0;
    }
    const links = [...this.up, ...this.down, ...this.rackUp, ...this.rackDown];
    this.linkKind = new Uint8Array(links.length);
    this.linkCapacity = new Float64Array(links.length);
    this.linkBytes = new Float64Array(links.length);
    links.forEach((r, i) => {
      this.linkOf.set(r.id, i);
      this.linkKind[i] = i < 2 * H ? NIC : UPLINK;
      this.linkCapacity[i] = r.capacity;
    });
  }

  /** Number of links. */
  get links(): number {
    return this.linkKind.length;
  }

  /** The route from host `a` to host `b` (a ≠ b). */
  route(a: number, b: number): Route {
    if (this.tree) {
      const ra = this.rackOf[a] as number;
      const rb = this.rackOf[b] as number;
      if (ra !== rb) {
        return {
          resources: [
            this.up[a] as Resource,
            this.rackUp[ra] as Resource,
            this.rackDown[rb] as Resource,
            this.down[b] as Resource,
          ],
          latencySeconds: 2 * this.latency,
        };
      }
    }
    return {
      resources: [this.up[a] as Resource, this.down[b] as Resource],
      latencySeconds: this.latency,
    };
  }

  /**
   * Records `bytes` carried by `resources` between `t0` and `t1`, spread evenly over the time
   * (the scheduling intervals it overlaps get their share).
   */
  carry(resources: readonly Resource[], t0: number, t1: number, bytes: number): void {
    if (!(bytes > 0)) return;
    const L = this.links;
    for (const r of resources) {
      const link = this.linkOf.get(r.id);
      if (link === undefined) continue;
      this.linkBytes[link] = (this.linkBytes[link] as number) + bytes;
      const span = t1 - t0;
      const k0 = Math.max(0, Math.floor((t0 - this.origin) / this.step));
      if (!(span > 0)) {
        this.bin(k0 * L + link, bytes);
        continue;
      }
      const k1 = Math.max(k0, Math.floor((t1 - this.origin) / this.step));
      for (let k = k0; k <= k1; k++) {
        const lo = Math.max(t0, this.origin + k * this.step);
        const hi = Math.min(t1, this.origin + (k + 1) * this.step);
        if (hi > lo) this.bin(k * L + link, (bytes * (hi - lo)) / span);
      }
    }
  }

  private bin(key: number, bytes: number): void {
    this.binned.set(key, (this.binned.get(key) ?? 0) + bytes);
  }

  /**
   * Per interval, the mean utilisation over the links of a kind (bytes / (Σ capacity × length))
   * and the highest utilisation of one link.
   *
   * @param starts - each interval's start; the last runs to `end`.
   */
  intervalUtilisation(
    kind: number,
    starts: readonly number[],
    end: number,
  ): { readonly mean: number[]; readonly peak: number[] } {
    const n = starts.length;
    const mean = new Array<number>(n).fill(0);
    const peak = new Array<number>(n).fill(0);
    let capacity = 0;
    for (let l = 0; l < this.links; l++) {
      if (this.linkKind[l] === kind) capacity += this.linkCapacity[l] as number;
    }
    const L = this.links;
    const sums = new Float64Array(n);
    for (const [key, bytes] of this.binned) {
      const k = Math.floor(key / L);
      const link = key - k * L;
      if (k >= n || this.linkKind[link] !== kind) continue;
      const length = (k + 1 < n ? (starts[k + 1] as number) : end) - (starts[k] as number);
      if (!(length > 0)) continue;
      sums[k] = (sums[k] as number) + bytes;
      const u = bytes / ((this.linkCapacity[link] as number) * length);
      if (u > (peak[k] as number)) peak[k] = u;
    }
    for (let k = 0; k < n; k++) {
      const length = (k + 1 < n ? (starts[k + 1] as number) : end) - (starts[k] as number);
      mean[k] = capacity > 0 && length > 0 ? (sums[k] as number) / (capacity * length) : 0;
    }
    return { mean, peak };
  }

  /** Over the whole run: mean utilisation of the links of a kind, and the busiest link's. */
  runUtilisation(kind: number, seconds: number): { readonly mean: number; readonly peak: number } {
    let bytes = 0;
    let capacity = 0;
    let peak = 0;
    for (let l = 0; l < this.links; l++) {
      if (this.linkKind[l] !== kind) continue;
      const c = this.linkCapacity[l] as number;
      bytes += this.linkBytes[l] as number;
      capacity += c;
      const u = seconds > 0 && c > 0 ? (this.linkBytes[l] as number) / (c * seconds) : 0;
      if (u > peak) peak = u;
    }
    return { mean: capacity > 0 && seconds > 0 ? bytes / (capacity * seconds) : 0, peak };
  }
}
