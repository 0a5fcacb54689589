/**
 * The metrics of a run, accumulated as CloudSim's `Helper` computes them from host and VM state
 * histories: an entry per processing time (entries at the same time replace each other), a frame
 * between consecutive entries carrying the earlier entry's state.
 *
 * @internal
 */

/** Host and VM state-history accumulators. */
export class Accounting {
  // Hosts: the pending (latest) entry.
  private readonly hTime: Float64Array;
  private readonly hAlloc: Float64Array;
  private readonly hReq: Float64Array;
  private readonly hActive: Uint8Array;
  private readonly hInterval: Int32Array;
  private readonly hPrevActive: Uint8Array;
  /** Seconds each host was active, and in SLA violation while active. */
  readonly activeSeconds: Float64Array;
  readonly violationSeconds: Float64Array;
  shutdowns = 0;
  /** Per interval: hosts with a violation frame in it (each host counted once per interval). */
  private readonly violMark: Int32Array;
  readonly violatedHosts: number[] = [];

  // VMs.
  private readonly vTime: Float64Array;
  private readonly vAlloc: Float64Array;
  private readonly vReq: Float64Array;
  private readonly vMig: Uint8Array;
  /** Σ requested MIPS × seconds, and Σ MIPS × seconds lost to migration, per VM. */
  readonly requestedMipsSeconds: Float64Array;
  readonly migrationLossMipsSeconds: Float64Array;

  constructor(hosts: number, vms: number) {
    this.hTime = new Float64Array(hosts).fill(Number.NaN);
    this.hAlloc = new Float64Array(hosts);
    this.hReq = new Float64Array(hosts);
    this.hActive = new Uint8Array(hosts);
    this.hInterval = new Int32Array(hosts);
    this.hPrevActive = new Uint8Array(hosts).fill(1);
    this.activeSeconds = new Float64Array(hosts);
    this.violationSeconds = new Float64Array(hosts);
    this.violMark = new Int32Array(hosts).fill(-1);
    this.vTime = new Float64Array(vms).fill(Number.NaN);
    this.vAlloc = new Float64Array(vms);
    this.vReq = new Float64Array(vms);
    this.vMig = new Uint8Array(vms);
    this.requestedMipsSeconds = new Float64Array(vms);
    this.migrationLossMipsSeconds = new Float64Array(vms);
  }

  /** Records host `h`'s state at time `t` (`HostDynamicWorkload.addStateHistoryEntry`). */
  host(h: number, t: number, alloc: number, req: number, active: boolean, interval: number): void {
    const last = this.hTime[h] as number;
    if (last === t) {
      this.hAlloc[h] = alloc;
      this.hReq[h] = req;
      this.hActive[h] = active ? 1 : 0;
      return;
    }
    if (!Number.isNaN(last)) this.commitHost(h, t - last);
    this.hTime[h] = t;
    this.hAlloc[h] = alloc;
    this.hReq[h] = req;
    this.hActive[h] = active ? 1 : 0;
    this.hInterval[h] = interval;
  }

  private commitHost(h: number, dt: number): void {
    const active = this.hActive[h] === 1;
    // Helper.getTimesBeforeHostShutdown: an entry inactive after an active one.
    if (this.hPrevActive[h] === 1 && !active) this.shutdowns++;
    this.hPrevActive[h] = active ? 1 : 0;
    if (dt <= 0 || !active) return;
    this.activeSeconds[h] = (this.activeSeconds[h] as number) + dt;
    if ((this.hAlloc[h] as number) < (this.hReq[h] as number)) {
      this.violationSeconds[h] = (this.violationSeconds[h] as number) + dt;
      const k = this.hInterval[h] as number;
      if (k >= 0 && this.violMark[h] !== k) {
        this.violMark[h] = k;
        while (this.violatedHosts.length <= k) this.violatedHosts.push(0);
        this.violatedHosts[k] = (this.violatedHosts[k] as number) + 1;
      }
    }
  }

  /** Records VM `vm`'s state at time `t` (`Vm.addStateHistoryEntry`). */
  vm(vm: number, t: number, alloc: number, req: number, migrating: boolean): void {
    const last = this.vTime[vm] as number;
    if (last !== t) {
      if (!Number.isNaN(last)) {
        const dt = t - last;
        const r = this.vReq[vm] as number;
        const a = this.vAlloc[vm] as number;
        this.requestedMipsSeconds[vm] = (this.requestedMipsSeconds[vm] as number) + r * dt;
        if (a < r && this.vMig[vm] === 1) {
          this.migrationLossMipsSeconds[vm] =
            (this.migrationLossMipsSeconds[vm] as number) + (r - a) * dt;
        }
      }
      this.vTime[vm] = t;
    }
    this.vAlloc[vm] = alloc;
    this.vReq[vm] = req;
    this.vMig[vm] = migrating ? 1 : 0;
  }

  /** Adds CPU a migrating VM lost (a real migration's downtime and throttling), MIPS·s. */
  migrationLoss(vm: number, mipsSeconds: number): void {
    if (mipsSeconds > 0) {
      this.migrationLossMipsSeconds[vm] =
        (this.migrationLossMipsSeconds[vm] as number) + mipsSeconds;
    }
  }

  /** Closes the histories: the last entries start no frame but count for host shutdowns. */
  finish(): void {
    for (let h = 0; h < this.hTime.length; h++) {
      if (Number.isNaN(this.hTime[h] as number)) continue;
      this.commitHost(h, 0);
    }
  }
}
