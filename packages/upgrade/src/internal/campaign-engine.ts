/**
 * The campaign as a data-center extension: one class with a method per phase of a host's
 * upgrade (begin, progress, go down, come back, fail) on the run's kernel and network.
 *
 * @internal
 */

import { type RandomStream, VxError } from "@vx/core";
import type { DatacenterContext, MigrationRecord } from "@vx/datacenter";
import type { CampaignSpec } from "../campaign-spec.js";
import { type InPlaceName, type InPlaceVm, inPlaceSchedule } from "../in-place.js";
import type {
  CampaignOutcome,
  CampaignOutput,
  DowntimeStats,
  HostOutcome,
  HostRecord,
} from "../result.js";
import { type StrategyKind, type StrategyName, UPGRADE_STRATEGIES } from "../strategies.js";

const PENDING = 0;
const DRAINING = 1;
const DOWN = 2;
const DONE = 3;
const GIVEN_UP = 4;
const MISSED = 5;
const REPAIR = 6;
const SPARE = 7;
const OTHER = 8;

/** Quantile of sorted values (nearest rank). */
function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i] as number;
}

/** Label of a mix: `hyfix`, or `evacuate; web: terminate`. */
export function mixLabel(spec: CampaignSpec): string {
  const by = Object.entries(spec.strategy.byVmType);
  if (by.length === 0) return spec.strategy.default;
  return [spec.strategy.default, ...by.map(([t, s]) => `${t}: ${s}`)].join("; ");
}

/** One campaign in one run. */
export class CampaignEngine {
  private readonly spec: CampaignSpec;
  private ctx!: DatacenterContext;
  private H = 0;
  private phase = new Uint8Array(0);
  private failed = new Uint8Array(0);
  private upgrades = new Uint8Array(0);
  private prepared = new Uint8Array(0);
  private preparedAt = new Float64Array(0);
  private startAt = new Float64Array(0);
  private endAt = new Float64Array(0);
  private cancelBack: ((() => void) | undefined)[] = [];
  /** RAM of VMs moved off each host while it is in upgrade. */
  private displacedOf = new Float64Array(0);
  private order: number[] = [];
  private cursor = 0;
  private rackOf: (h: number) => number = () => 0;
  private currentRack = -1;
  private spares: number[] = [];
  private held: number[] = [];
  private active = 0;
  private draining: number[] = [];
  private random: RandomStream | undefined;
  private failRandom: RandomStream | undefined;
  private inPlace: InPlaceName | null = null;
  private kindByType = new Map<string, StrategyKind>();
  private kindDefault: StrategyKind = "evacuate";
  // Per VM.
  private downSince = new Float64Array(0);
  private downtime = new Float64Array(0);
  private affected = new Uint8Array(0);
  private lost = new Uint8Array(0);
  private attempts = new Uint8Array(0);
  /** Paused or terminated VMs by host, waiting for it to come back. */
  private paused: number[][] = [];
  private sameHost: number[][] = [];
  private pendingRestarts: number[] = [];
  // Totals.
  private inFlight = 0;
  private downNow = 0;
  private bytes = 0;
  private migrations = 0;
  private migrationsFailed = 0;
  private vmsLost = 0;
  private restarted = 0;
  private sparesUsed = 0;
  private displaced = 0;
  private peakDisplaced = 0;
  private peakHosts = 0;
  private lastEnd = Number.NaN;

  constructor(spec: CampaignSpec) {
    this.spec = spec;
  }

  // ------------------------------------------------------------------------------------------
  // Start

  start(ctx: DatacenterContext): void {
    this.ctx = ctx;
    const s = this.spec;
    const H = ctx.hostCount;
    const V = ctx.vmCount;
    this.H = H;
    if (s.spareHosts >= H) {
      throw new VxError(
        "VX_UPGRADE_BAD_CAMPAIGN",
        `spareHosts (${s.spareHosts}) must be fewer than the data center's ${H} hosts.`,
        { path: ["upgrade", "spareHosts"] },
      );
    }
    const firstSpare = H - s.spareHosts;
    if (s.hosts !== "all") {
      s.hosts.forEach((h, i) => {
        if (h >= firstSpare) {
          throw new VxError(
            "VX_UPGRADE_BAD_CAMPAIGN",
            `hosts[${i}] = ${h} is not a host to upgrade: the hosts are 0 to ${H - 1}${s.spareHosts > 0 ? `, and ${firstSpare} to ${H - 1} are spares` : ""}.`,
            { path: ["upgrade", "hosts", i] },
          );
        }
      });
    }
    this.phase = new Uint8Array(H).fill(OTHER);
    this.failed = new Uint8Array(H);
    this.upgrades = new Uint8Array(H);
    this.prepared = new Uint8Array(H);
    this.preparedAt = new Float64Array(H);
    this.startAt = new Float64Array(H).fill(Number.NaN);
    this.endAt = new Float64Array(H).fill(Number.NaN);
    this.cancelBack = new Array(H).fill(undefined);
    this.displacedOf = new Float64Array(H);
    this.paused = Array.from({ length: H }, () => []);
    this.sameHost = Array.from({ length: H }, () => []);
    this.downSince = new Float64Array(V);
    this.downtime = new Float64Array(V);
    this.affected = new Uint8Array(V);
    this.lost = new Uint8Array(V);
    this.attempts = new Uint8Array(V);
    const targets = s.hosts === "all" ? Array.from({ length: firstSpare }, (_, h) => h) : s.hosts;
    for (const h of targets) this.phase[h] = PENDING;
    for (let h = firstSpare; h < H; h++) {
      this.phase[h] = SPARE;
      this.spares.push(h);
      if (ctx.host(h).vms.length === 0) {
        ctx.setInService(h, false);
        this.held.push(h);
      }
    }
    this.order = targets.slice().sort((a, b) => a - b);
    if (s.order === "random") {
      this.random = ctx.random("order");
      const o = this.order;
      for (let i = o.length - 1; i > 0; i--) {
        const j = Math.floor(this.random.next() * (i + 1));
        const t = o[i] as number;
        o[i] = o[j] as number;
        o[j] = t;
      }
    }
    if (s.order === "rack") {
      const net = ctx.spec.network;
      const per = net.topology === "tree" ? net.hostsPerRack : H;
      this.rackOf = (h) => Math.floor(h / per);
    }
    this.failRandom = ctx.random("faults");
    // Strategy kinds by VM type.
    const mix = s.strategy;
    this.kindDefault = UPGRADE_STRATEGIES[mix.default].kind;
    for (const [type, name] of Object.entries(mix.byVmType)) {
      this.kindByType.set(type, UPGRADE_STRATEGIES[name].kind);
    }
    for (const name of [mix.default, ...Object.values(mix.byVmType)] as StrategyName[]) {
      if (UPGRADE_STRATEGIES[name].kind === "in-place") this.inPlace = name as InPlaceName;
    }
    ctx.schedule(Math.max(0, s.start - ctx.now), () => this.launch());
  }

  // ------------------------------------------------------------------------------------------
  // Choosing hosts

  private load(h: number): number {
    const st = this.ctx.host(h);
    return st.ramBytes - st.ramFreeBytes;
  }

  private next(): number {
    const s = this.spec;
    if (s.order === "least-loaded" || s.order === "most-loaded") {
      let best = -1;
      let bestLoad = 0;
      for (const h of this.order) {
        if (this.phase[h] !== PENDING) continue;
        const l = this.load(h);
        if (best < 0 || (s.order === "least-loaded" ? l < bestLoad : l > bestLoad)) {
          best = h;
          bestLoad = l;
        }
      }
      return best;
    }
    while (
      this.cursor < this.order.length &&
      this.phase[this.order[this.cursor] as number] !== PENDING
    ) {
      this.cursor++;
    }
    const h = this.order[this.cursor];
    if (h === undefined) return -1;
    if (s.order === "rack") {
      const r = this.rackOf(h);
      if (r !== this.currentRack && this.active > 0) return -1;
      this.currentRack = r;
    }
    return h;
  }

  private launch(): void {
    const s = this.spec;
    if (this.ctx.now < s.start) return;
    while (this.active < s.concurrency) {
      const h = this.next();
      if (h < 0) break;
      if (s.deadline !== null && this.ctx.now > s.deadline) {
        for (const x of this.order) if (this.phase[x] === PENDING) this.phase[x] = MISSED;
        break;
      }
      this.begin(h);
    }
  }

  // ------------------------------------------------------------------------------------------
  // A host's upgrade

  private kindOf(vm: number): StrategyKind {
    return this.kindByType.get(this.ctx.vm(vm).type) ?? this.kindDefault;
  }

  private begin(h: number): void {
    const ctx = this.ctx;
    this.phase[h] = DRAINING;
    this.startAt[h] = ctx.now;
    this.active++;
    this.draining.push(h);
    if (this.active > this.peakHosts) this.peakHosts = this.active;
    ctx.setInService(h, false, { vms: ctx.host(h).vms.length === 0 ? "require-empty" : "keep" });
    ctx.record("hostsInUpgrade", this.active);
    const f = this.spec.faults;
    const rnd = this.failRandom as RandomStream;
    // Two draws per host whatever happens, so one host's fate never shifts another's.
    const p = rnd.next();
    const at = rnd.next() * f.failureWindow;
    if (p < f.hostFailureProbability) ctx.schedule(at, () => this.fail(h));
    this.progress(h);
  }

  /** Moves on with a draining host: evacuate, terminate, or go down once only in-place VMs remain. */
  private progress(h: number): void {
    if (this.phase[h] !== DRAINING) return;
    const ctx = this.ctx;
    // Preparing (HyperFresh's new hypervisor booting): the VMs run until it is ready.
    if (this.prepared[h] === 1 && ctx.now < (this.preparedAt[h] as number)) return;
    let waiting = false;
    let stuck = false;
    for (const vm of ctx.host(h).vms) {
      const v = ctx.vm(vm);
      if (v.host !== h || v.state === "migrating") {
        waiting = true;
        continue;
      }
      if (v.state !== "running") continue;
      const kind = this.kindOf(vm);
      if (kind === "in-place") continue;
      if (kind === "terminate") {
        this.terminate(vm, h);
        continue;
      }
      if ((this.attempts[vm] as number) >= this.spec.settings.evacuate.maxAttempts) {
        stuck = true;
        continue;
      }
      waiting = true;
      const to = this.destination(vm, h);
      if (to < 0) continue;
      if (ctx.migrate(vm, to, { onEnd: (r) => this.migrationDone(r) })) {
        this.attempts[vm] = (this.attempts[vm] as number) + 1;
        this.inFlight++;
        this.migrations++;
        ctx.record("vmsMoving", this.inFlight);
      }
    }
    if (stuck && !this.anyMigrating(h)) {
      this.giveUp(h);
      return;
    }
    if (!waiting && !stuck) this.goDown(h);
  }

  private anyMigrating(h: number): boolean {
    for (const vm of this.ctx.host(h).vms) {
      const v = this.ctx.vm(vm);
      if (v.host !== h || v.state === "migrating") return true;
    }
    return false;
  }

  /** A host with room that will not be upgraded again if possible, else any, else a spare. */
  private destination(vm: number, from: number): number {
    const ctx = this.ctx;
    const phase = this.phase;
    const settled = (x: number): boolean => {
      const p = phase[x];
      return p === DONE || p === OTHER || p === SPARE;
    };
    let to = ctx.findHost(vm, (x) => x === from || !settled(x));
    if (to < 0) to = ctx.findHost(vm, (x) => x === from);
    if (to < 0) to = this.bringSpare(vm);
    return to;
  }

  private bringSpare(vm: number): number {
    const ram = this.ctx.vm(vm).ramBytes;
    for (let i = 0; i < this.held.length; i++) {
      const s = this.held[i] as number;
      if (this.ctx.host(s).ramBytes >= ram) {
        this.held.splice(i, 1);
        this.ctx.setInService(s, true);
        this.sparesUsed++;
        return s;
      }
    }
    return -1;
  }

  private markDown(vm: number): void {
    this.downSince[vm] = this.ctx.now;
    this.affected[vm] = 1;
    this.downNow++;
    this.ctx.record("vmsDown", this.downNow);
  }

  private markUp(vm: number): void {
    this.downtime[vm] =
      (this.downtime[vm] as number) + this.ctx.now - (this.downSince[vm] as number);
    this.downNow--;
    this.ctx.record("vmsDown", this.downNow);
  }

  private displace(h: number, bytes: number): void {
    this.displacedOf[h] = (this.displacedOf[h] as number) + bytes;
    this.displaced += bytes;
    if (this.displaced > this.peakDisplaced) this.peakDisplaced = this.displaced;
  }

  private terminate(vm: number, h: number): void {
    const ctx = this.ctx;
    const ram = ctx.vm(vm).ramBytes;
    if (!ctx.suspendVm(vm)) return;
    this.markDown(vm);
    this.restarted++;
    const t = this.spec.settings.terminate;
    if (t.restart === "elsewhere") {
      this.displace(h, ram);
      ctx.schedule(t.vmBootSeconds, () => this.restart(vm, -1));
    } else {
      (this.sameHost[h] as number[]).push(vm);
    }
  }

  /** Resumes a terminated (or stranded) VM on `h`, else anywhere, else on a spare, else later. */
  private restart(vm: number, h: number): void {
    const ctx = this.ctx;
    let to = h >= 0 ? ctx.resumeVm(vm, h) : -1;
    if (to < 0) to = ctx.resumeVm(vm);
    if (to < 0) {
      const s = this.bringSpare(vm);
      if (s >= 0) to = ctx.resumeVm(vm, s);
    }
    if (to < 0) {
      this.pendingRestarts.push(vm);
      return;
    }
    this.markUp(vm);
  }

  private migrationDone(r: MigrationRecord): void {
    this.inFlight--;
    this.ctx.record("vmsMoving", this.inFlight);
    this.bytes += r.bytes;
    if (r.outcome === "completed") {
      this.affected[r.vm] = 1;
      this.downtime[r.vm] = (this.downtime[r.vm] as number) + r.downtimeSeconds;
      if (this.phase[r.from] === DRAINING) this.displace(r.from, this.ctx.vm(r.vm).ramBytes);
    } else {
      this.migrationsFailed++;
      if (r.outcome === "vm-lost") this.loseVm(r.vm);
    }
  }

  private loseVm(vm: number): void {
    if (this.lost[vm] === 1) return;
    this.lost[vm] = 1;
    this.affected[vm] = 1;
    this.vmsLost++;
  }

  /** Only in-place VMs remain and nothing moves: pause them and take the host down. */
  private goDown(h: number): void {
    const ctx = this.ctx;
    const vms: InPlaceVm[] = [];
    for (const vm of ctx.host(h).vms) {
      const v = ctx.vm(vm);
      vms.push({ ramBytes: v.ramBytes, vcpus: v.cores });
    }
    const st = this.spec.settings;
    let prepare = 0;
    let down: number;
    if (this.inPlace !== null) {
      const plan = inPlaceSchedule(this.inPlace, st, vms);
      prepare = plan.prepareSeconds;
      down = plan.downtimeSeconds;
    } else {
      // The longest reboot among the strategies of the mix.
      const reboot = (k: StrategyKind): number =>
        k === "terminate" ? st.terminate.rebootSeconds : st.evacuate.rebootSeconds;
      down = reboot(this.kindDefault);
      for (const k of this.kindByType.values()) down = Math.max(down, reboot(k));
    }
    if (prepare > 0 && this.prepared[h] === 0 && vms.length > 0) {
      this.prepared[h] = 1;
      this.preparedAt[h] = ctx.now + prepare;
      ctx.schedule(prepare, () => this.progress(h));
      return;
    }
    const list = this.paused[h] as number[];
    for (const vm of ctx.host(h).vms) {
      if (ctx.suspendVm(vm)) {
        list.push(vm);
        this.markDown(vm);
      }
    }
    this.phase[h] = DOWN;
    this.removeDraining(h);
    this.cancelBack[h] = ctx.schedule(down, () => this.comeBack(h));
  }

  private removeDraining(h: number): void {
    const i = this.draining.indexOf(h);
    if (i >= 0) this.draining.splice(i, 1);
  }

  private comeBack(h: number): void {
    const ctx = this.ctx;
    this.cancelBack[h] = undefined;
    ctx.setInService(h, true);
    for (const vm of this.paused[h] as number[]) {
      if (this.lost[vm] === 1) continue;
      this.restart(vm, h);
    }
    (this.paused[h] as number[]).length = 0;
    const boot = this.spec.settings.terminate.vmBootSeconds;
    for (const vm of this.sameHost[h] as number[]) ctx.schedule(boot, () => this.restart(vm, h));
    (this.sameHost[h] as number[]).length = 0;
    this.displaced -= this.displacedOf[h] as number;
    this.displacedOf[h] = 0;
    this.phase[h] = DONE;
    this.upgrades[h] = (this.upgrades[h] as number) + 1;
    this.endAt[h] = ctx.now;
    this.lastEnd = ctx.now;
    this.active--;
    ctx.record("hostsInUpgrade", this.active);
    this.launch();
  }

  private giveUp(h: number): void {
    const ctx = this.ctx;
    this.phase[h] = GIVEN_UP;
    this.removeDraining(h);
    ctx.setInService(h, true);
    for (const vm of this.sameHost[h] as number[]) this.restart(vm, h);
    (this.sameHost[h] as number[]).length = 0;
    this.displaced -= this.displacedOf[h] as number;
    this.displacedOf[h] = 0;
    this.endAt[h] = ctx.now;
    this.active--;
    ctx.record("hostsInUpgrade", this.active);
    this.launch();
  }

  /** The host loses power: what is in its RAM is lost; it is back, upgraded, after repair. */
  private fail(h: number): void {
    const ctx = this.ctx;
    const p = this.phase[h];
    if (p !== DRAINING && p !== DOWN) return;
    this.failed[h] = 1;
    if (p === DRAINING) {
      for (const vm of ctx.host(h).vms) {
        const v = ctx.vm(vm);
        if (v.host === h && (v.state === "running" || v.state === "migrating")) this.loseVm(vm);
      }
      ctx.setInService(h, false, { vms: "lose" });
      this.removeDraining(h);
    } else {
      this.cancelBack[h]?.();
      for (const vm of this.paused[h] as number[]) {
        // Paused in RAM: gone with the power.
        this.loseVm(vm);
        this.downtime[vm] =
          (this.downtime[vm] as number) + ctx.now - (this.downSince[vm] as number);
        this.downNow--;
      }
      (this.paused[h] as number[]).length = 0;
      ctx.record("vmsDown", this.downNow);
    }
    this.phase[h] = REPAIR;
    this.cancelBack[h] = ctx.schedule(this.spec.faults.repairTime, () => this.comeBack(h));
  }

  // ------------------------------------------------------------------------------------------
  // Hooks

  round(): void {
    for (const h of this.draining.slice()) this.progress(h);
    if (this.pendingRestarts.length > 0) {
      const list = this.pendingRestarts;
      this.pendingRestarts = [];
      for (const vm of list) this.restart(vm, -1);
    }
    this.launch();
  }

  migrationEnded(record: MigrationRecord): void {
    const f = record.from;
    const t = record.to;
    if (this.phase[f] === DRAINING) this.ctx.schedule(0, () => this.progress(f));
    if (t !== f && this.phase[t] === DRAINING) this.ctx.schedule(0, () => this.progress(t));
  }

  end(): CampaignOutput {
    const ctx = this.ctx;
    const now = ctx.now;
    const s = this.spec;
    const hosts: HostRecord[] = [];
    let upgraded = 0;
    let failed = 0;
    let givenUp = 0;
    let missed = 0;
    let unfinished = 0;
    for (let h = 0; h < this.H; h++) {
      const p = this.phase[h] as number;
      if (p === OTHER || p === SPARE) continue;
      let outcome: HostOutcome;
      if (p === DONE) outcome = this.failed[h] === 1 ? "failed" : "upgraded";
      else if (p === GIVEN_UP) outcome = "did-not-converge";
      else if (p === MISSED || p === PENDING) outcome = p === MISSED ? "missed" : "unfinished";
      else outcome = "unfinished";
      if (outcome === "upgraded") upgraded++;
      else if (outcome === "failed") failed++;
      else if (outcome === "did-not-converge") givenUp++;
      else if (outcome === "missed") missed++;
      else unfinished++;
      const st = this.startAt[h] as number;
      const en = this.endAt[h] as number;
      hosts.push({
        host: h,
        startSeconds: Number.isNaN(st) ? null : st,
        endSeconds: Number.isNaN(en) ? null : en,
        outcome,
        upgrades: this.upgrades[h] as number,
      });
    }
    // VMs still down at the end count until the end.
    const values: number[] = [];
    for (let vm = 0; vm < this.affected.length; vm++) {
      if (this.affected[vm] === 0) continue;
      let d = this.downtime[vm] as number;
      if (this.isDown(vm)) d += now - (this.downSince[vm] as number);
      values.push(d);
    }
    const sorted = Float64Array.from(values).sort();
    let total = 0;
    for (const d of sorted) total += d;
    const downtime: DowntimeStats = {
      vms: sorted.length,
      meanSeconds: sorted.length === 0 ? 0 : total / sorted.length,
      p50Seconds: quantile(sorted, 0.5),
      p95Seconds: quantile(sorted, 0.95),
      p99Seconds: quantile(sorted, 0.99),
      maxSeconds: sorted.length === 0 ? 0 : (sorted[sorted.length - 1] as number),
      totalSeconds: total,
    };
    const outcome: CampaignOutcome =
      unfinished > 0
        ? "unfinished"
        : missed > 0
          ? "deadline-missed"
          : givenUp > 0
            ? "did-not-converge"
            : failed > 0
              ? "host-failed"
              : "completed";
    ctx.metric("makespanSeconds", Number.isNaN(this.lastEnd) ? 0 : this.lastEnd - s.start);
    ctx.metric("bytesMoved", this.bytes);
    ctx.metric("vmsLost", this.vmsLost);
    return {
      strategy: mixLabel(s),
      outcome,
      hostsTargeted: hosts.length,
      hostsUpgraded: upgraded,
      hostsFailed: failed,
      hostsGivenUp: givenUp,
      hostsMissed: missed,
      hostsUnfinished: unfinished,
      startSeconds: s.start,
      makespanSeconds: Number.isNaN(this.lastEnd) ? null : this.lastEnd - s.start,
      downtime,
      bytesMoved: this.bytes,
      migrations: this.migrations,
      migrationsFailed: this.migrationsFailed,
      vmsLost: this.vmsLost,
      vmsRestarted: this.restarted,
      spareHostsUsed: this.sparesUsed,
      spareCapacityNeededBytes: this.peakDisplaced,
      peakHostsInUpgrade: this.peakHosts,
      hosts,
    };
  }

  private isDown(vm: number): boolean {
    if (this.lost[vm] === 1) return false;
    return this.ctx.vm(vm).state === "suspended";
  }
}
