/**
 * The event engine behind `simulateResilience`: faults, their detection and recovery on the
 * `@vx/core` kernel, and what each outage does to the guests' requests and the control plane.
 *
 * Events are per fault (its injection, detection, recovery) and per host reboot: the cost grows
 * with faults, never with requests or simulated time. Requests are fluid (rates), so an outage's
 * effect on them is computed in closed form when it ends ({@link ResilienceEngine.account});
 * periodic refreshes, regular by construction, are counted in closed form at the end. Control
 * operations arrive evenly, so their counts are exact integers.
 *
 * Naming: a *domain* hosts one or more components (one dom0 for a monolithic pVM); a *tracker*
 * follows one service that needs a set of domains (a function, or a guest group's requests) and
 * records its outages.
 *
 * @module
 */

import { Simulation } from "@vx/core";
import type {
  ArchitectureSettings,
  ComponentRecovery,
  FaultKind,
  PvmArchitectureName,
  PvmComponent,
  RecoveryMechanism,
  StatePolicy,
} from "../architectures.js";
import { FAULT_KINDS, PVM_COMPONENTS } from "../architectures.js";
import type { ResilienceGuests, ResilienceScenario } from "../resilience-config.js";
import type {
  ComponentBreakdown,
  DetectionPath,
  FaultRecord,
  ResilienceResult,
  ResilienceSummary,
} from "../resilience-result.js";
import { LatencyMixture } from "./latency-mixture.js";

/** A fault to inject: the same list for every architecture of a campaign. */
export interface PlannedFault {
  readonly atSeconds: number;
  readonly component: PvmComponent;
  readonly kind: FaultKind;
  /** Uniform in [0, 1): the recovery fails (host reboot) when it is ≥ the coverage. */
  readonly coverageDraw: number;
}

/** Inputs of {@link ResilienceEngine}. */
export interface ResilienceEngineInput {
  readonly scenario: ResilienceScenario;
  readonly architecture: PvmArchitectureName;
  readonly faults: readonly PlannedFault[];
  /** Simulated time, seconds. */
  readonly horizonSeconds: number;
}

/** A service needing a set of domains: a pVM function, or a guest group's requests. */
class Tracker {
  down = false;
  downSince = 0;
  /** A host reboot happened during the current outage (guests restarted: in-flight work lost). */
  fatal = false;
  /** The fault that opened the current outage (-1: none). */
  openedBy = -1;
  downSeconds = 0;
  /** Latency-critical requests in flight when its outages began (not counted as on time). */
  inFlightHit = 0;
  constructor(
    readonly mask: number,
    readonly guests: ResilienceGuests | null,
  ) {}
}

interface MutableRecord {
  masked: boolean;
  detectedAt: number | null;
  detectedBy: DetectionPath | null;
  action: RecoveryMechanism | "refresh" | null;
  recoveredAt: number | null;
  opsLost: number;
  opsWiped: number;
  lcLost: number;
  lcDelayed: number;
  tpNotCompleted: number;
  hostReboot: boolean;
  /** The host epoch its pending events belong to (a host reboot clears them). */
  epoch: number;
}

/** Arrivals at `k / rate`, k = 1, 2, …, in (0, t]. */
function arrivals(t: number, rate: number): number {
  return t <= 0 ? 0 : Math.floor(t * rate + 1e-9);
}

/** Ticks `k · period` (k ≥ 1) in [a, b). */
function ticksIn(a: number, b: number, period: number): number {
  if (!(period > 0) || b <= a) return 0;
  const first = Math.max(1, Math.ceil(a / period - 1e-12));
  const last = Math.ceil(b / period - 1e-12) - 1;
  return Math.max(0, last - first + 1);
}

/** One architecture's run over a list of faults. Construct, then {@link ResilienceEngine.run}. */
export class ResilienceEngine {
  private readonly sim = new Simulation();
  private readonly scenario: ResilienceScenario;
  private readonly architecture: PvmArchitectureName;
  private readonly arch: ArchitectureSettings;
  private readonly horizon: number;
  private readonly faults: readonly PlannedFault[];
  private readonly records: MutableRecord[];

  // ---- domains ----
  private readonly domainNames: string[];
  /** The component whose recovery settings apply to each domain. */
  private readonly domainComponent: PvmComponent[];
  private readonly domainOf: Record<PvmComponent, number>;
  private readonly xenstoreDomain: number;
  /** Domains whose backends reconnect through XenStore after a recovery. */
  private readonly reconnectMask: number;
  /** Stopped by a fault (crash, hang, or recovery under way). */
  private readonly domainStopped: Uint8Array;
  /** The fault occupying each domain (latent, detected or recovering), -1 when healthy. */
  private readonly domainFault: Int32Array;
  /** Not serving (stopped or host down), and since when. */
  private readonly domainDown: Uint8Array;
  private readonly domainDownSince: Float64Array;
  /** Refresh ticks that fell while the domain was down (skipped). */
  private readonly refreshSkipped: Float64Array;
  private readonly refreshPeriod: Float64Array;
  /** Recovered, waiting for XenStore to reconnect their backends. */
  private pendingReconnect: number[] = [];

  // ---- the host ----
  private hostDown = false;
  private hostEpoch = 0;
  private hostReboots = 0;
  /** Faults cleared by the reboot under way: recovered when the host is up. */
  private clearedByReboot: number[] = [];

  // ---- services ----
  private readonly network: Tracker;
  private readonly block: Tracker;
  private readonly control: Tracker;
  private readonly groups: Tracker[];
  private readonly trackers: Tracker[];
  /** The fault being handled (outages it opens are attributed to it), -1 for none. */
  private cause = -1;

  // ---- control operations and XenStore's durability ----
  private readonly opsPerSecond: number;
  private committed = 0;
  private controlClock = 0;
  private opsDelayed = 0;
  private opsFailed = 0;
  private opsLost = 0;
  private opsWiped = 0;
  /** Committed operations XenStore's current state holds (what losing it would lose). */
  private inState = 0;
  /** `inState` at XenStore's last snapshot (a refresh tick after its last restart). */
  private snapshotInState = 0;
  private snapshotTime = 0;
  private restartTime = 0;

  // ---- requests ----
  private readonly latency = new LatencyMixture();
  private lcDelayed = 0;
  private lcLost = 0;
  private tpNotCompleted = 0;
  private tpInFlightLost = 0;
  private tpInFlightDelayed = 0;

  constructor(input: ResilienceEngineInput) {
    this.scenario = input.scenario;
    this.architecture = input.architecture;
    this.arch = input.scenario.settings[input.architecture];
    this.horizon = input.horizonSeconds;
    this.faults = input.faults;
    this.records = input.faults.map(() => ({
      masked: false,
      detectedAt: null,
      detectedBy: null,
      action: null,
      recoveredAt: null,
      opsLost: 0,
      opsWiped: 0,
      lcLost: 0,
      lcDelayed: 0,
      tpNotCompleted: 0,
      hostReboot: false,
      epoch: 0,
    }));

    // Domains: one dom0, or one per component (the block backend in dom0 unless it has its own).
    const split = !this.arch.monolithic;
    const hosted: PvmComponent[] = split
      ? PVM_COMPONENTS.filter((c) => c !== "block" || this.scenario.host.blockDomain)
      : ["dom0"];
    this.domainNames = [...hosted];
    this.domainComponent = [...hosted];
    this.domainOf = Object.fromEntries(
      PVM_COMPONENTS.map((c) => [c, split ? Math.max(0, hosted.indexOf(c)) : 0]),
    ) as Record<PvmComponent, number>;
    const n = hosted.length;
    this.xenstoreDomain = this.domainOf.xenstore;
    this.reconnectMask = (1 << this.domainOf.net) | (1 << this.domainOf.block);
    this.domainStopped = new Uint8Array(n);
    this.domainFault = new Int32Array(n).fill(-1);
    this.domainDown = new Uint8Array(n);
    this.domainDownSince = new Float64Array(n);
    this.refreshSkipped = new Float64Array(n);
    this.refreshPeriod = Float64Array.from(this.domainComponent, (c) =>
      split && this.arch.refreshPeriodSeconds > 0 && this.arch.components[c].refreshSeconds > 0
        ? this.arch.refreshPeriodSeconds
        : 0,
    );

    const bit = (c: PvmComponent): number => 1 << this.domainOf[c];
    this.network = new Tracker(bit("net"), null);
    this.block = new Tracker(bit("block"), null);
    this.control = new Tracker(bit("xenstore") | bit("tool"), null);
    this.groups = this.scenario.guests.map(
      (g) =>
        new Tracker(
          g.uses.reduce((mask, f) => mask | (f === "network" ? bit("net") : bit("block")), 0),
          g,
        ),
    );
    this.trackers = [this.network, this.block, this.control, ...this.groups];
    this.opsPerSecond = this.scenario.control.opsPerSecond;
  }

  /**
   * Schedules every fault, runs the kernel to the horizon and assembles the result.
   *
   * @returns the plain-JSON result.
   */
  run(): ResilienceResult {
    // One pending injection at a time (each schedules the next): the queue stays small.
    if (this.faults.length > 0 && this.faults[0]!.atSeconds < this.horizon) {
      this.sim.scheduleAt(this.faults[0]!.atSeconds, this.onFaultHandler, 0);
    }
    this.sim.run({ until: this.horizon });
    this.finish();
    return this.result();
  }

  private get now(): number {
    return this.sim.now;
  }

  private settingsOf(domain: number): ComponentRecovery {
    return this.arch.components[this.domainComponent[domain]!];
  }

  // ---------------------------------------------------------------------------------------------
  // Events

  /** A fault strikes: masked if its domain is already failed or the host is rebooting. */
  private onFault(i: number): void {
    const next = this.faults[i + 1];
    if (next !== undefined && next.atSeconds < this.horizon) {
      this.sim.scheduleAt(next.atSeconds, this.onFaultHandler, i + 1);
    }
    const f = this.faults[i]!;
    const rec = this.records[i]!;
    const d = this.domainOf[f.component];
    this.advanceSnapshots();
    if (this.hostDown || this.domainFault[d]! >= 0) {
      rec.masked = true;
      return;
    }
    this.domainFault[d] = i;
    if (f.kind !== "corruption") {
      this.cause = i;
      this.domainStopped[d] = 1;
      this.updateStatus();
      this.cause = -1;
    }
    const { at, by } = this.detection(f, d);
    if (at <= this.horizon) {
      rec.detectedBy = by;
      rec.epoch = this.hostEpoch;
      this.sim.scheduleAt(at, this.onDetectHandler, i);
    }
  }

  private readonly onFaultHandler = (i: number): void => this.onFault(i);
  private readonly onDetectHandler = (i: number): void => this.onDetect(i);
  private readonly onRecoveredHandler = (i: number): void => this.onRecovered(i);
  private readonly startHostRebootHandler = (i: number): void => this.startHostReboot(i);
  private readonly onHostUpHandler = (epoch: number): void => this.onHostUp(epoch);

  /** When and how fault `f` in domain `d` is noticed (Infinity: never). */
  private detection(f: PlannedFault, d: number): { at: number; by: DetectionPath } {
    const a = this.arch;
    const t = f.atSeconds;
    const P = a.heartbeatPeriodSeconds;
    let at = Number.POSITIVE_INFINITY;
    let by: DetectionPath = "timeout";
    const silent =
      (f.kind === "crash" && a.crashDetection === "timeout") ||
      (f.kind === "hang" && a.hangDetection === "timeout");
    if (silent) {
      // The last heartbeat answered was at or before the fault; silence for the timeout, seen on a beat.
      const lastBeat = Math.floor(t / P) * P;
      at = lastBeat + Math.ceil(a.heartbeatTimeoutSeconds / P - 1e-9) * P;
      if (at <= t) at += P;
    } else if (f.kind === "crash") {
      if (a.crashDetection === "immediate") {
        at = t;
        by = "immediate";
      } else {
        at = (Math.floor(t / P) + 1) * P;
        by = "heartbeat";
      }
    } else if (f.kind === "corruption" && a.detectsCorruption) {
      at = t + this.scenario.host.corruptionDetectionSeconds;
      by = "check";
    }
    const R = this.refreshPeriod[d]!;
    if (R > 0) {
      const refresh = (Math.floor(t / R) + 1) * R;
      if (refresh < at) {
        at = refresh;
        by = "refresh";
      }
    }
    return { at, by };
  }

  /** A fault is noticed: pick the repair, count the control operations it loses, start it. */
  private onDetect(i: number): void {
    const f = this.faults[i]!;
    const rec = this.records[i]!;
    if (rec.epoch !== this.hostEpoch) return; // a host reboot cleared it
    const d = this.domainOf[f.component];
    this.advanceSnapshots();
    rec.detectedAt = this.now;
    const settings = this.settingsOf(d);
    let action: RecoveryMechanism | "refresh";
    let seconds: number;
    let state: StatePolicy = settings.state;
    if (rec.detectedBy === "refresh") {
      action = "refresh";
      seconds = settings.refreshSeconds;
    } else {
      action = settings.mechanism;
      seconds = settings.recoverySeconds;
      if (state === "replicated" && f.kind === "corruption") {
        // The replica holds the corruption too: no failover.
        action = this.arch.corruptedReplicaFallback;
        state = "volatile";
      }
    }
    if (action !== "host-reboot" && f.coverageDraw >= this.arch.recoveryCoverage) {
      action = "host-reboot";
    }
    rec.action = action;
    this.cause = i;
    if (action === "host-reboot") {
      rec.hostReboot = true;
      const delay =
        this.arch.monolithic && f.kind === "crash" ? this.scenario.host.crashRebootDelaySeconds : 0;
      if (!this.domainStopped[d]) {
        this.domainStopped[d] = 1;
        this.updateStatus();
      }
      if (delay > 0) this.sim.schedule(delay, this.startHostRebootHandler, i);
      else this.startHostReboot(i);
      this.cause = -1;
      return;
    }
    // A corrupted domain served until now; a crashed or hung one stopped (and stopped committing) at the fault.
    if (!this.domainStopped[d]) {
      this.domainStopped[d] = 1;
      this.updateStatus();
    }
    if (d === this.xenstoreDomain) {
      const lost = this.loseState(state);
      rec.opsLost += lost;
      this.opsLost += lost;
      if (state === "logged") {
        seconds += (this.committed % this.arch.compactEveryOps) * this.arch.replaySecondsPerOp;
      }
    }
    this.cause = -1;
    this.sim.schedule(seconds, this.onRecoveredHandler, i);
  }

  /**
   * XenStore is recovered with `state`: the committed operations that are not in the state it
   * comes back with are lost (counted and returned). The control plane is down, so the counts
   * are as of when it stopped committing.
   */
  private loseState(state: StatePolicy): number {
    switch (state) {
      case "volatile": {
        const lost = this.inState;
        this.inState = 0;
        this.snapshotInState = 0;
        return lost;
      }
      case "snapshot": {
        const lost = this.inState - this.snapshotInState;
        this.inState = this.snapshotInState;
        return lost;
      }
      default:
        return 0; // replicated (not corrupted) or logged: every acknowledged operation is kept
    }
  }

  /** A domain's repair is done; its backends reconnect through XenStore if it is up. */
  private onRecovered(i: number): void {
    if (this.records[i]!.epoch !== this.hostEpoch) return;
    const d = this.domainOf[this.faults[i]!.component];
    if (
      d !== this.xenstoreDomain &&
      (this.reconnectMask & (1 << d)) !== 0 &&
      this.domainStopped[this.xenstoreDomain]
    ) {
      this.pendingReconnect.push(i);
      return;
    }
    this.completeRecovery(i);
    if (d === this.xenstoreDomain && this.pendingReconnect.length > 0) {
      const waiting = this.pendingReconnect;
      this.pendingReconnect = [];
      for (const k of waiting) this.completeRecovery(k);
    }
  }

  private completeRecovery(i: number): void {
    const d = this.domainOf[this.faults[i]!.component];
    this.records[i]!.recoveredAt = this.now;
    this.domainFault[d] = -1;
    this.domainStopped[d] = 0;
    this.updateStatus();
    if (d === this.xenstoreDomain) this.restartTime = this.now;
  }

  /** The host goes down: every domain and guest restarts; XenStore's state since boot is lost. */
  private startHostReboot(i: number): void {
    if (this.records[i]!.epoch !== this.hostEpoch || this.hostDown) return;
    this.cause = i;
    this.advanceControl(this.now);
    // Every domain and guest restarts: XenStore's in-memory state since boot goes with the guests.
    const wiped = this.loseState("volatile");
    this.records[i]!.opsWiped += wiped;
    this.opsWiped += wiped;
    this.hostDown = true;
    this.hostEpoch++;
    this.hostReboots++;
    for (let d = 0; d < this.domainFault.length; d++) {
      const k = this.domainFault[d]!;
      if (k >= 0) this.clearedByReboot.push(k);
      this.domainFault[d] = -1;
      this.domainStopped[d] = 0;
    }
    for (const k of this.pendingReconnect) this.clearedByReboot.push(k);
    for (const k of this.clearedByReboot) {
      const r = this.records[k]!;
      r.hostReboot = true;
      r.action = "host-reboot";
    }
    this.pendingReconnect = [];
    this.updateStatus();
    this.cause = -1;
    const up = this.scenario.host.rebootSeconds + this.scenario.host.guestBootSeconds;
    this.sim.schedule(up, this.onHostUpHandler, this.hostEpoch);
  }

  private onHostUp(epoch: number): void {
    if (epoch !== this.hostEpoch) return;
    this.hostDown = false;
    for (const k of this.clearedByReboot) this.records[k]!.recoveredAt = this.now;
    this.clearedByReboot = [];
    this.updateStatus();
    this.restartTime = this.now;
  }

  // ---------------------------------------------------------------------------------------------
  // Status, outages and their accounting

  /**
   * Recomputes which domains serve and which services are up; a service going down opens an
   * outage (attributed to the fault being handled), one coming back closes and accounts it.
   */
  private updateStatus(): void {
    const now = this.now;
    let downMask = 0;
    for (let d = 0; d < this.domainDown.length; d++) {
      const down = this.hostDown || this.domainStopped[d] === 1 ? 1 : 0;
      if (down !== this.domainDown[d]) {
        if (down) this.domainDownSince[d] = now;
        else {
          this.refreshSkipped[d]! += ticksIn(this.domainDownSince[d]!, now, this.refreshPeriod[d]!);
        }
        this.domainDown[d] = down;
      }
      if (down) downMask |= 1 << d;
    }
    for (const t of this.trackers) {
      const down = this.hostDown || (t.mask & downMask) !== 0;
      if (down && !t.down) {
        if (t === this.control) this.advanceControl(now);
        t.down = true;
        t.downSince = now;
        t.fatal = this.hostDown;
        t.openedBy = this.cause;
      } else if (down && this.hostDown) {
        t.fatal = true;
      } else if (!down && t.down) {
        t.down = false;
        const D = now - t.downSince;
        t.downSeconds += D;
        if (t === this.control) this.controlBack(t.downSince, now);
        this.account(t, D, t.fatal, 1, t.openedBy);
      }
    }
  }

  /** Commits the operations that arrived while the control plane was up, up to `t`. */
  private advanceControl(t: number): void {
    if (t <= this.controlClock) return;
    if (!this.control.down) {
      const n = arrivals(t, this.opsPerSecond) - arrivals(this.controlClock, this.opsPerSecond);
      this.committed += n;
      this.inState += n;
    }
    this.controlClock = t;
  }

  /** The control plane is back at `t1` after an outage from `t0`: waiting operations commit or fail. */
  private controlBack(t0: number, t1: number): void {
    const rate = this.opsPerSecond;
    const giveUp = Math.max(t0, t1 - this.scenario.control.timeoutSeconds);
    const delayed = arrivals(t1, rate) - arrivals(giveUp, rate);
    const failed = arrivals(giveUp, rate) - arrivals(t0, rate);
    this.committed += delayed;
    this.inState += delayed;
    this.opsDelayed += delayed;
    this.opsFailed += failed;
    this.controlClock = t1;
  }

  /**
   * XenStore snapshots at its periodic refreshes (the `snapshot` state policy): brings the last
   * one up to date before an event changes anything. Nothing changed since the previous event,
   * so the control plane's state at the tick is its state now.
   */
  private advanceSnapshots(): void {
    const R = this.refreshPeriod[this.xenstoreDomain]!;
    // A failed XenStore (down, or corrupted and not yet caught) takes no valid snapshot.
    if (
      R === 0 ||
      this.domainDown[this.xenstoreDomain] ||
      this.domainFault[this.xenstoreDomain]! >= 0
    ) {
      return;
    }
    const tick = Math.floor(this.now / R) * R;
    if (tick > this.snapshotTime && tick > this.restartTime) {
      this.advanceControl(tick);
      this.snapshotTime = tick;
      this.snapshotInState = this.inState;
    }
  }

  /**
   * What an outage of `D` seconds (`times` alike) does to a service's requests: arrivals wait for
   * its end or give up after their timeout; requests in flight at its start wait for all of it,
   * or are lost to a timeout or a host reboot (`fatal`).
   */
  private account(t: Tracker, D: number, fatal: boolean, times: number, fault: number): void {
    const g = t.guests;
    if (g === null || D <= 0 || times <= 0) return;
    const rec = fault >= 0 ? this.records[fault]! : null;
    if (g.kind === "latency-critical") {
      const rate = g.count * g.requestsPerSecond;
      const mean = g.serviceSeconds / (1 - g.utilisation);
      const wait = Math.min(D, g.timeoutSeconds);
      const delayed = rate * wait * times;
      const lost = rate * Math.max(0, D - g.timeoutSeconds) * times;
      const inFlight = rate * (mean + this.outputDelay(g) / 2) * times;
      const inFlightLost = fatal || D > g.timeoutSeconds;
      this.latency.addUniform(delayed, wait, mean);
      if (!inFlightLost) this.latency.addShifted(inFlight, D, mean);
      // A lost request counts at its timeout: what its client waited before giving up.
      this.latency.addPoint(lost + (inFlightLost ? inFlight : 0), g.timeoutSeconds);
      t.inFlightHit += inFlight;
      const lostAll = lost + (inFlightLost ? inFlight : 0);
      const delayedAll = delayed + (inFlightLost ? 0 : inFlight);
      this.lcLost += lostAll;
      this.lcDelayed += delayedAll;
      if (rec !== null) {
        rec.lcLost += lostAll;
        rec.lcDelayed += delayedAll;
      }
    } else {
      const rate = this.throughputRate(g);
      const notCompleted = rate * D * times;
      const inFlight = g.count * g.concurrency * times;
      this.tpNotCompleted += notCompleted;
      if (fatal || D > g.timeoutSeconds) this.tpInFlightLost += inFlight;
      else this.tpInFlightDelayed += inFlight;
      if (rec !== null) rec.tpNotCompleted += notCompleted;
    }
  }

  /**
   * How long a group's responses may be held for output commit: only network output leaves the
   * host (Remus holds external output until its checkpoint is acknowledged); block I/O answers
   * the guest itself.
   */
  private outputDelay(g: ResilienceGuests): number {
    return g.uses.includes("network") ? this.arch.outputDelaySeconds : 0;
  }

  /**
   * Requests per second a throughput group completes with no fault: a closed loop of
   * `count × concurrency` requests, each taking its time plus the mean output delay (a response
   * held until its checkpoint), slowed by the checkpoint pauses.
   */
  private throughputRate(g: Extract<ResilienceGuests, { kind: "throughput" }>): number {
    return (
      ((g.count * g.concurrency) / (g.requestSeconds + this.outputDelay(g) / 2)) *
      (1 - this.arch.pauseFraction)
    );
  }

  // ---------------------------------------------------------------------------------------------
  // The end

  /** Closes open outages at the horizon and counts the periodic refreshes' outages. */
  private finish(): void {
    const T = this.horizon;
    this.advanceControl(T);
    for (const t of this.trackers) {
      if (!t.down) continue;
      const D = T - t.downSince;
      t.downSeconds += D;
      this.account(t, D, t.fatal, 1, t.openedBy);
    }
    for (let d = 0; d < this.domainDown.length; d++) {
      if (this.domainDown[d]) {
        this.refreshSkipped[d]! += ticksIn(this.domainDownSince[d]!, T, this.refreshPeriod[d]!);
      }
    }
    // Refreshes: regular, so counted in closed form; each one an outage of the domain's services.
    for (let d = 0; d < this.domainDown.length; d++) {
      const R = this.refreshPeriod[d]!;
      if (R === 0) continue;
      const refreshes = Math.max(0, ticksIn(0, T, R) - this.refreshSkipped[d]!);
      const r = this.settingsOf(d).refreshSeconds;
      for (const t of this.trackers) {
        if ((t.mask & (1 << d)) === 0) continue;
        t.downSeconds += r * refreshes;
        this.account(t, r, false, refreshes, -1);
        if (t === this.control) this.opsDelayed += Math.round(refreshes * r * this.opsPerSecond);
      }
    }
  }

  private result(): ResilienceResult {
    const T = this.horizon;
    const nz = (x: number): number => x + 0;
    const orNull = (x: number): number | null => (Number.isFinite(x) ? nz(x) : null);
    const records: FaultRecord[] = this.faults.map((f, i) => {
      const r = this.records[i]!;
      return {
        atSeconds: f.atSeconds,
        component: f.component,
        kind: f.kind,
        domain: this.domainNames[this.domainOf[f.component]]!,
        masked: r.masked,
        detectedAtSeconds: r.detectedAt,
        detectedBy: r.detectedAt === null ? null : r.detectedBy,
        action: r.action,
        recoveredAtSeconds: r.recoveredAt,
        timeToRecoverSeconds:
          r.recoveredAt === null || r.masked ? null : nz(r.recoveredAt - f.atSeconds),
        committedControlOpsLost: r.opsLost,
        controlOpsWipedByReboot: r.opsWiped,
        latencyCriticalLost: nz(r.lcLost),
        latencyCriticalDelayed: nz(r.lcDelayed),
        throughputNotCompleted: nz(r.tpNotCompleted),
      };
    });
    const injected = records;
    const recoveryTimes = Float64Array.from(
      injected.filter((r) => r.timeToRecoverSeconds !== null),
      (r) => r.timeToRecoverSeconds!,
    ).sort();
    const quantile = (q: number): number | null =>
      recoveryTimes.length === 0
        ? null
        : recoveryTimes[
            Math.min(recoveryTimes.length - 1, Math.ceil(q * recoveryTimes.length) - 1)
          ]!;
    let sumRecovery = 0;
    for (const x of recoveryTimes) sumRecovery += x;

    // Steady state: every request not caught by an outage.
    const lcGroups = this.groups.filter((t) => t.guests?.kind === "latency-critical");
    const tpGroups = this.groups.filter((t) => t.guests?.kind === "throughput");
    const noFault = new LatencyMixture();
    let lcRequests = 0;
    let lcServed = 0;
    for (const t of lcGroups) {
      const g = t.guests as Extract<ResilienceGuests, { kind: "latency-critical" }>;
      const rate = g.count * g.requestsPerSecond;
      const mean = g.serviceSeconds / (1 - g.utilisation);
      const onTime = Math.max(0, rate * (T - t.downSeconds) - t.inFlightHit);
      lcRequests += rate * T;
      lcServed += onTime;
      this.latency.addUniform(onTime, this.outputDelay(g), mean);
      noFault.addUniform(rate * T, this.outputDelay(g), mean);
    }
    let tpIdeal = 0;
    let tpCompleted = 0;
    for (const t of tpGroups) {
      const g = t.guests as Extract<ResilienceGuests, { kind: "throughput" }>;
      const rate = (g.count * g.concurrency) / g.requestSeconds;
      tpIdeal += rate * T;
      tpCompleted += this.throughputRate(g) * (T - t.downSeconds);
    }

    const summary: ResilienceSummary = {
      architecture: this.architecture,
      simulatedSeconds: nz(T),
      faults: {
        injected: injected.length,
        masked: injected.filter((r) => r.masked).length,
        detected: injected.filter((r) => r.detectedAtSeconds !== null).length,
        undetected: injected.filter(
          (r) => !r.masked && r.detectedAtSeconds === null && r.recoveredAtSeconds === null,
        ).length,
        recoveredInPlace: injected.filter(
          (r, i) =>
            r.recoveredAtSeconds !== null && r.action !== null && !this.records[i]!.hostReboot,
        ).length,
        hostReboots: this.hostReboots,
      },
      timeToRecover: {
        meanSeconds: recoveryTimes.length === 0 ? null : nz(sumRecovery / recoveryTimes.length),
        p50Seconds: quantile(0.5),
        p99Seconds: quantile(0.99),
        maxSeconds: recoveryTimes.length === 0 ? null : recoveryTimes[recoveryTimes.length - 1]!,
      },
      availability: {
        network: nz(1 - this.network.downSeconds / T),
        block: nz(1 - this.block.downSeconds / T),
        control: nz(1 - this.control.downSeconds / T),
      },
      latencyCritical:
        lcGroups.length === 0
          ? null
          : {
              requests: nz(lcRequests),
              served: nz(lcServed),
              delayed: nz(this.lcDelayed),
              lost: nz(this.lcLost),
              meanLatencySeconds: orNull(this.latency.meanLatency()),
              p50LatencySeconds: orNull(this.latency.quantile(0.5)),
              p99LatencySeconds: orNull(this.latency.quantile(0.99)),
              p999LatencySeconds: orNull(this.latency.quantile(0.999)),
              noFaultP99LatencySeconds: orNull(noFault.quantile(0.99)),
            },
      throughput:
        tpGroups.length === 0
          ? null
          : {
              completed: nz(tpCompleted),
              ideal: nz(tpIdeal),
              completedFraction: nz(tpCompleted / tpIdeal),
              noFaultCompletedFraction: nz(
                tpGroups.reduce((sum, t) => {
                  const g = t.guests as Extract<ResilienceGuests, { kind: "throughput" }>;
                  return sum + this.throughputRate(g) * T;
                }, 0) / tpIdeal,
              ),
              notCompleted: nz(this.tpNotCompleted),
              inFlightLost: nz(this.tpInFlightLost),
              inFlightDelayed: nz(this.tpInFlightDelayed),
            },
      control: {
        arrived: arrivals(T, this.opsPerSecond),
        committed: this.committed,
        delayed: this.opsDelayed,
        failed: this.opsFailed,
        committedLost: this.opsLost,
        wipedByReboots: this.opsWiped,
      },
    };

    // By component and kind, in one pass.
    const K = FAULT_KINDS.length;
    const cells = PVM_COMPONENTS.length * K;
    const count = new Float64Array(cells);
    const masked = new Float64Array(cells);
    const reboots = new Float64Array(cells);
    const recovered = new Float64Array(cells);
    const recoverySum = new Float64Array(cells);
    const lcLost = new Float64Array(cells);
    const tpNot = new Float64Array(cells);
    const opsLost = new Float64Array(cells);
    const opsWiped = new Float64Array(cells);
    records.forEach((r, i) => {
      const c = PVM_COMPONENTS.indexOf(r.component) * K + FAULT_KINDS.indexOf(r.kind);
      count[c]!++;
      if (r.masked) masked[c]!++;
      if (this.records[i]!.hostReboot) reboots[c]!++;
      if (r.timeToRecoverSeconds !== null) {
        recovered[c]!++;
        recoverySum[c]! += r.timeToRecoverSeconds;
      }
      lcLost[c]! += r.latencyCriticalLost;
      tpNot[c]! += r.throughputNotCompleted;
      opsLost[c]! += r.committedControlOpsLost;
      opsWiped[c]! += r.controlOpsWipedByReboot;
    });
    const byComponent: ComponentBreakdown[] = [];
    PVM_COMPONENTS.forEach((component, ci) => {
      FAULT_KINDS.forEach((kind, ki) => {
        const c = ci * K + ki;
        byComponent.push({
          component,
          kind,
          faults: count[c]!,
          masked: masked[c]!,
          hostReboots: reboots[c]!,
          meanTimeToRecoverSeconds: recovered[c]! > 0 ? nz(recoverySum[c]! / recovered[c]!) : null,
          latencyCriticalLost: nz(lcLost[c]!),
          throughputNotCompleted: nz(tpNot[c]!),
          committedControlOpsLost: opsLost[c]!,
          controlOpsWipedByReboot: opsWiped[c]!,
        });
      });
    });
    return { summary, byComponent, faults: records };
  }
}
