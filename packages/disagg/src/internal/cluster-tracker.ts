/**
 * Reservations, stranding and hosts powered of a clustered data center, sampled at each
 * scheduling round and held until the next (time-weighted), the way the rack's own stranding is
 * weighted.
 *
 * @internal
 */

import type { DatacenterContext } from "@vx/datacenter";

/** Time-weighted shares of the clustered side. */
export interface ClusterShares {
  /** Share of cores reserved by vCPUs (capped at each host's cores). */
  readonly reservedCores: number;
  /**
   * Share of RAM held by VMs (their RAM summed on each host, capped at its RAM: CloudSim's quirk
   * of VMs that hold no RAM once created does not hide it).
   */
  readonly reservedMemory: number;
  /** Share of cores free on hosts whose free RAM is below the smallest VM's RAM. */
  readonly strandedCores: number;
  /** Share of RAM free on hosts whose free cores are below the smallest VM's vCPUs. */
  readonly strandedMemory: number;
  /** Hosts on: mean and peak. */
  readonly poweredMean: number;
  readonly poweredPeak: number;
}

/** Samples the clustered data center through the extension context. */
export class ClusterTracker {
  private readonly cores: Int32Array;
  private readonly ram: Float64Array;
  private readonly totalCores: number;
  private readonly totalRam: number;
  private readonly minVmCores: number;
  private readonly minVmRam: number;
  /** The sample being held: its time and values. */
  private at = 0;
  private reservedCores = 0;
  private reservedRam = 0;
  private strandedCores = 0;
  private strandedRam = 0;
  private powered = 0;
  private peak = 0;
  // Integrals.
  private iReservedCores = 0;
  private iReservedRam = 0;
  private iStrandedCores = 0;
  private iStrandedRam = 0;
  private iPowered = 0;
  private readonly start: number;

  /**
   * @param hostCores - cores of each host.
   * @param hostRam - RAM of each host, bytes.
   * @param minVmCores - the smallest VM's vCPUs.
   * @param minVmRam - the smallest VM's RAM, bytes.
   * @param start - the time of the first sample.
   */
  constructor(
    hostCores: Int32Array,
    hostRam: Float64Array,
    minVmCores: number,
    minVmRam: number,
    start: number,
  ) {
    this.cores = hostCores;
    this.ram = hostRam;
    let c = 0;
    let r = 0;
    for (let h = 0; h < hostCores.length; h++) {
      c += hostCores[h] as number;
      r += hostRam[h] as number;
    }
    this.totalCores = c;
    this.totalRam = r;
    this.minVmCores = minVmCores;
    this.minVmRam = minVmRam;
    this.start = start;
    this.at = start;
  }

  /** Closes the held sample at `t` and takes a new one from the context. */
  sample(ctx: DatacenterContext, t: number): void {
    this.advance(t);
    let rc = 0;
    let rr = 0;
    let sc = 0;
    let sr = 0;
    let on = 0;
    for (let h = 0; h < this.cores.length; h++) {
      const host = ctx.host(h);
      if (host.active) on++;
      let vcpus = 0;
      let held = 0;
      for (const v of host.vms) {
        const vm = ctx.vm(v);
        vcpus += vm.cores;
        held += vm.ramBytes;
      }
      const cores = this.cores[h] as number;
      const freeCores = Math.max(0, cores - vcpus);
      const freeRam = Math.max(0, (this.ram[h] as number) - held);
      rc += cores - freeCores;
      rr += (this.ram[h] as number) - freeRam;
      if (freeCores > 0 && freeRam < this.minVmRam) sc += freeCores;
      if (freeRam > 0 && freeCores < this.minVmCores) sr += freeRam;
    }
    this.reservedCores = rc;
    this.reservedRam = rr;
    this.strandedCores = sc;
    this.strandedRam = sr;
    this.powered = on;
    if (on > this.peak) this.peak = on;
  }

  private advance(t: number): void {
    const dt = t - this.at;
    if (dt > 0) {
      this.iReservedCores += this.reservedCores * dt;
      this.iReservedRam += this.reservedRam * dt;
      this.iStrandedCores += this.strandedCores * dt;
      this.iStrandedRam += this.strandedRam * dt;
      this.iPowered += this.powered * dt;
      this.at = t;
    }
  }

  /** The time-weighted shares from the start to `t`. */
  finish(t: number): ClusterShares {
    this.advance(t);
    const span = t - this.start;
    const share = (integral: number, total: number): number =>
      span > 0 && total > 0 ? integral / (total * span) : 0;
    return {
      reservedCores: share(this.iReservedCores, this.totalCores),
      reservedMemory: share(this.iReservedRam, this.totalRam),
      strandedCores: share(this.iStrandedCores, this.totalCores),
      strandedMemory: share(this.iStrandedRam, this.totalRam),
      poweredMean: span > 0 ? this.iPowered / span : this.powered,
      poweredPeak: this.peak,
    };
  }
}
