/**
 * The VMs' own network traffic (`network.vmTraffic`): per host, one flow out and one flow in on
 * its NIC, bounded by what its VMs use and weighted by how many they are, so that a migration
 * crossing the NIC competes with them max-min fairly (as that many TCP connections would).
 * Updated at each processing time; a flow restarts only when its host's rate changes.
 *
 * @internal
 */

import type { Activity } from "@vx/core";
import type { VmTrafficSpec } from "../network-spec.js";
import type { Topology } from "./topology.js";
import type { World } from "./world.js";

export class BackgroundTraffic {
  private readonly world: World;
  private readonly net: Topology;
  private readonly spec: VmTrafficSpec;
  private readonly rate: Float64Array;
  private readonly weight: Float64Array;
  private readonly flows: (Activity | undefined)[];
  private readonly since: Float64Array;

  constructor(world: World, net: Topology, spec: VmTrafficSpec) {
    this.world = world;
    this.net = net;
    this.spec = spec;
    const H = world.hosts;
    this.rate = new Float64Array(H);
    this.weight = new Float64Array(H);
    this.flows = new Array<Activity | undefined>(2 * H).fill(undefined);
    this.since = new Float64Array(H);
  }

  /** Whether there is any VM traffic to model. */
  get active(): boolean {
    return this.spec.kind !== "none";
  }

  /** Brings host `h`'s flows up to its VMs' current use, at time `t`. */
  update(h: number, t: number): void {
    if (this.spec.kind === "none") return;
    const w = this.world;
    const list = w.hostVms[h] as number[];
    const inList = w.hostIn[h] as number[];
    let rate = 0;
    let vms = 0;
    for (let i = 0; i < list.length; i++) {
      const vm = list[i] as number;
      if (inList.length > 0 && inList.indexOf(vm) >= 0) continue;
      vms++;
      if (this.spec.kind === "constant") rate += this.spec.rate;
      else if (this.spec.kind === "trace") {
        rate += (w.vmNic[vm] as number) * (w.vmUtil[vm] as number);
      }
    }
    if (this.spec.kind === "half-nic") rate = vms > 0 ? (w.hostNic[h] as number) / 2 : 0;
    const weight = this.spec.kind === "half-nic" ? (vms > 0 ? 1 : 0) : vms;
    if (rate === this.rate[h] && weight === this.weight[h]) return;
    this.stop(h, t);
    this.rate[h] = rate;
    this.weight[h] = weight;
    this.since[h] = t;
    if (rate > 0 && weight > 0) {
      const net = this.net;
      for (const [k, link] of [
        [2 * h, net.up[h]],
        [2 * h + 1, net.down[h]],
      ] as const) {
        if (link === undefined) continue;
        this.flows[k] = net.fluid.start({
          amount: Number.POSITIVE_INFINITY, // open-ended: it runs until stop()
          resources: [link],
          bound: rate,
          weight,
          name: `host${h}.vm-traffic`,
        });
      }
    }
  }

  /** Ends host `h`'s flows at `t`, metering the bytes they carried. */
  private stop(h: number, t: number): void {
    for (const k of [2 * h, 2 * h + 1]) {
      const a = this.flows[k];
      if (a === undefined) continue;
      this.flows[k] = undefined;
      const bytes = a.workDone;
      a.cancel();
      const link = k % 2 === 0 ? this.net.up[h] : this.net.down[h];
      if (link !== undefined) this.net.carry([link], this.since[h] as number, t, bytes);
    }
  }

  /** Ends every flow at `t` (the end of the run). */
  finish(t: number): void {
    for (let h = 0; h < this.world.hosts; h++) this.stop(h, t);
  }
}
