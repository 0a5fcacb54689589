/**
 * One streaming session as an actor on `@vx/core`'s kernel and fluid links: the VM replays its
 * access trace (VM time runs only while it is not waiting), the strategy's stream pushes blocks
 * ahead of it, and a miss is fetched on demand: the request travels to the server (one round
 * trip until its data starts arriving), the server pauses the stream and sends the missing blocks,
 * and the VM waits until they are in.
 *
 * @internal
 */
import type { Activity, FluidSystem, Simulation } from "@vx/core";
import { type Bitmap, bitmap } from "../../internal/bitmap.js";
import type { Route } from "../../route.js";
import { routeCapacity } from "../../route.js";
import type { AccessModel } from "../mining.js";
import type { StreamSpec } from "../options.js";
import type { StreamOutcome, StreamResult } from "../result.js";
import type { AccessTrace } from "../trace.js";
import { SeriesRecorder, StallRecorder } from "./recorders.js";
import type { StrategyEntry } from "./registry.js";
import { allSet, nextClear, RunList, setCount, takeClear } from "./runs.js";
import { type BlockSource, ClusterPlanner, has } from "./sources.js";
import { Streamer, type StreamHost } from "./streamer.js";

/** Everything a session needs. */
export interface EngineInit {
  readonly sim: Simulation;
  readonly fluid: FluidSystem;
  readonly route: Route;
  readonly model: AccessModel;
  readonly trace: AccessTrace;
  readonly spec: StreamSpec;
  readonly strategy: StrategyEntry;
  readonly name: string;
  readonly onEnd: ((result: StreamResult) => void) | undefined;
}

/** A streaming session, phase by phase. */
export class StreamingEngine implements StreamHost {
  private readonly sim: Simulation;
  private readonly init: EngineInit;
  private readonly t0: number;
  private readonly rtt: number;
  private readonly blockBytes: number;
  private readonly arrivedMap: Bitmap;
  private readonly claimed: Bitmap;
  private readonly accessed: Bitmap;
  private readonly source: BlockSource | undefined;
  private readonly planner: ClusterPlanner | undefined;
  private readonly streamer: Streamer | undefined;
  private readonly stalls: StallRecorder;
  private readonly series: SeriesRecorder;
  private readonly batch: boolean;

  private vmStarted = false;
  private vmStart = Number.NaN;
  private k = 0;
  private waiting = false;
  private confirmHandle = -1;
  /** The current access's miss was confirmed at the end of its instant. */
  private confirmed = false;
  private accessHandle = -1;
  private demandHandle = -1;
  private finishHandle = -1;
  private demand: Activity | undefined;
  private readonly demandRuns = new RunList();
  private currentCluster = -1;
  private bytesTransferred = 0;
  private streamedBytes = 0;
  private usedBlocks = 0;
  private missedBlocks = 0;
  private demandFetches = 0;
  private done = false;
  /** The result, once ended. */
  result: StreamResult | undefined;

  private readonly onAccessCb = (): void => {
    this.accessHandle = -1;
    this.tryAccess();
  };
  private readonly confirmCb = (): void => {
    this.confirmHandle = -1;
    this.confirmed = true;
    this.tryAccess();
  };
  private readonly onDemandSendCb = (): void => this.sendDemand();
  private readonly onDemandEndCb = (a: Activity): void => this.demandEnd(a);
  private readonly finishCb = (): void => this.finish("completed");
  private readonly transfer = (amount: number, onEnd: (a: Activity) => void): Activity => {
    const r = this.init.route;
    return this.init.fluid.start({
      amount,
      resources: r.resources,
      name: this.init.name,
      onEnd,
      bound: r.bound ?? Number.POSITIVE_INFINITY,
      weight: r.weight ?? 1,
    });
  };

  constructor(init: EngineInit) {
    this.init = init;
    this.sim = init.sim;
    this.t0 = init.sim.now;
    this.rtt = 2 * (init.route.latencySeconds ?? 0);
    const layout = init.model.layout;
    this.blockBytes = layout.blockBytes;
    this.arrivedMap = bitmap(layout.blockCount);
    this.claimed = bitmap(layout.blockCount);
    this.accessed = bitmap(layout.blockCount);
    this.stalls = new StallRecorder(init.spec.stallMergeGapSeconds);
    this.series = new SeriesRecorder(init.spec.series);
    this.batch = !init.spec.series;
    this.source = init.strategy.stream(init.model, init.spec);
    this.planner = this.source instanceof ClusterPlanner ? this.source : undefined;
    if (this.source !== undefined) {
      const chunkBlocks = Math.max(
        1,
        Math.min(
          layout.blockCount,
          Math.floor(init.strategy.chunkBytes(init.spec) / this.blockBytes),
        ),
      );
      this.streamer = new Streamer(
        this.sim,
        this.transfer,
        this.source,
        this.claimed,
        this.arrivedMap,
        this.blockBytes,
        chunkBlocks,
        this,
      );
    }
  }

  // ---- phases ---------------------------------------------------------------------------------

  /** Sends the request: the stream starts one round trip later; the VM starts by the strategy's rule. */
  start(): void {
    this.point();
    this.streamer?.start(this.rtt);
    const rule = this.init.strategy.start;
    if (rule === "at-once") this.startVm();
    else if (rule === "buffered") {
      // The stream's first byte arrives one round trip from now.
      const rate = this.nominalRate();
      if (this.bufferNeed(rate) + rate * this.rtt <= 0) this.startVm();
    } else if (this.streamer === undefined) this.startVm();
  }

  /** The VM starts replaying its trace. */
  private startVm(): void {
    if (this.vmStarted || this.done) return;
    this.vmStarted = true;
    this.vmStart = this.sim.now;
    this.point();
    this.scheduleAccess();
  }

  /** Schedules the VM's next access (VM time runs only while it does not wait). */
  private scheduleAccess(): void {
    const trace = this.init.trace;
    const stalled = this.stalls.blockedSeconds;
    if (this.k >= trace.length) {
      const end = this.vmStart + trace.durationSeconds + stalled;
      this.finishHandle = this.sim.scheduleAt(Math.max(end, this.sim.now), this.finishCb);
      return;
    }
    const at = this.vmStart + trace.times[this.k]! + stalled;
    this.accessHandle = this.sim.scheduleAt(Math.max(at, this.sim.now), this.onAccessCb);
  }

  /** The VM touches access k: goes on if its blocks are in, else waits and asks the server. */
  private tryAccess(): void {
    if (this.done) return;
    const trace = this.init.trace;
    const first = trace.firstBlocks[this.k]!;
    const end = first + trace.blockCounts[this.k]!;
    const missing = !allSet(this.arrivedMap, first, end);
    this.noteCluster(first, end);
    if (missing) {
      if (!this.waiting && !this.confirmed) {
        if (this.confirmHandle >= 0) return;
        // Blocks may arrive later in this same instant: decide once the instant's events are done.
        this.confirmHandle = this.sim.schedule(0, this.confirmCb);
        return;
      }
      if (!this.waiting) {
        this.waiting = true;
        this.stalls.begin(this.sim.now - this.t0);
        this.point();
      }
      // The request reaches the server and its answer starts arriving one round trip later.
      if (this.demandHandle < 0 && this.demand === undefined) {
        this.demandHandle = this.sim.schedule(this.rtt, this.onDemandSendCb);
      }
      return;
    }
    if (this.waiting) {
      this.waiting = false;
      this.stalls.end(this.sim.now - this.t0);
      if (this.demandHandle >= 0) {
        this.sim.cancel(this.demandHandle);
        this.demandHandle = -1;
      }
      this.point();
    }
    this.usedBlocks += setCount(this.accessed, first, end);
    this.confirmed = false;
    this.k++;
    if (this.batch) this.skipAhead();
    this.scheduleAccess();
  }

  /**
   * Without a time series, accesses whose blocks are all in already and that enter no new cluster
   * change nothing but the used-block count: take them now instead of one event each (the
   * results are the same; only the series would see the count early).
   */
  private skipAhead(): void {
    const trace = this.init.trace;
    const track = this.planner !== undefined;
    while (this.k < trace.length) {
      const first = trace.firstBlocks[this.k]!;
      const end = first + trace.blockCounts[this.k]!;
      if (!allSet(this.arrivedMap, first, end)) return;
      if (track) {
        const c = this.clusterOf(first, end);
        if (c >= 0 && c !== this.currentCluster) return;
      }
      this.usedBlocks += setCount(this.accessed, first, end);
      this.k++;
    }
  }

  /** The first new block with a cluster names the cluster the VM is in; vTube re-plans on a change. */
  private noteCluster(first: number, end: number): void {
    if (this.planner === undefined) return;
    const c = this.clusterOf(first, end);
    if (c >= 0 && c !== this.currentCluster) {
      this.currentCluster = c;
      this.planner.enter(c);
      this.streamer?.poke();
    }
  }

  /** The cluster of the first block of `[first, end)` not used yet that has one, or -1. */
  private clusterOf(first: number, end: number): number {
    const clusterOf = this.init.model._clusterOf;
    for (let x = nextClear(this.accessed, first, end); x < end; x++) {
      if (has(this.accessed, x)) continue;
      const c = clusterOf[x]!;
      if (c >= 0) return c;
    }
    return -1;
  }

  /** The server got the request: it pauses the stream and sends the blocks still missing. */
  private sendDemand(): void {
    this.demandHandle = -1;
    if (!this.waiting || this.done) return;
    const trace = this.init.trace;
    const first = trace.firstBlocks[this.k]!;
    const end = first + trace.blockCounts[this.k]!;
    const runs = this.demandRuns;
    runs.clear();
    takeClear(this.arrivedMap, this.claimed, first, end, runs, end - first);
    const m = runs.blocks;
    if (m === 0) {
      this.tryAccess();
      return;
    }
    this.demandFetches++;
    this.missedBlocks += m;
    this.streamer?.pause();
    this.demand = this.transfer(m * this.blockBytes, this.onDemandEndCb);
  }

  private demandEnd(a: Activity): void {
    const outcome = a.outcome!;
    if (a !== this.demand || outcome.status === "cancelled") return;
    this.demand = undefined;
    if (outcome.status === "failed") {
      this.bytesTransferred += a.amount - outcome.remaining;
      this.finish("disconnected");
      return;
    }
    this.bytesTransferred += a.amount;
    this.arrived(this.demandRuns, this.demandRuns.blocks);
    this.point();
    this.streamer?.resume();
    this.tryAccess();
  }

  /** Ends the session: stops the stream and any fetch, and builds the result. */
  private finish(outcome: StreamOutcome): void {
    if (this.done) return;
    this.done = true;
    this.streamer?.stop();
    if (this.demand !== undefined) {
      const a = this.demand;
      this.demand = undefined;
      this.bytesTransferred += a.amount - a.remaining;
      a.cancel();
    }
    for (const h of [this.accessHandle, this.demandHandle, this.finishHandle, this.confirmHandle]) {
      if (h >= 0) this.sim.cancel(h);
    }
    const now = this.sim.now - this.t0;
    if (this.waiting) this.stalls.end(now);
    const used = this.usedBlocks * this.blockBytes;
    this.series.final(now, this.bytesTransferred, used, this.vmProgress());
    const startup = this.vmStarted ? this.vmStart - this.t0 : now;
    this.result = {
      strategy: this.init.strategy.name,
      session: this.init.trace.name,
      outcome,
      startupDelaySeconds: startup,
      stalls: this.stalls.count,
      stallSeconds: this.stalls.blockedSeconds,
      stallTimeline: this.stalls.timeline(),
      bytesTransferred: this.bytesTransferred,
      bytesUsed: used,
      bytesWasted: Math.max(0, this.bytesTransferred - used),
      demandFetches: this.demandFetches,
      missedBlocks: this.missedBlocks,
      usedBlocks: this.usedBlocks,
      missRate: this.usedBlocks === 0 ? 0 : this.missedBlocks / this.usedBlocks,
      vmSeconds: this.init.trace.durationSeconds,
      sessionSeconds: now,
      series: this.series.series(),
    };
    this.init.onEnd?.(this.result);
  }

  /** Ends the session now (the caller's world is shutting down): outcome `disconnected` unless done. */
  abort(): void {
    this.finish("disconnected");
  }

  // ---- the stream's callbacks -----------------------------------------------------------------

  arrived(runs: RunList, blocks: number): void {
    let left = blocks;
    for (let i = 0; i < runs.n && left > 0; i++) {
      const n = Math.min(left, runs.len[i]!);
      setCount(this.arrivedMap, runs.start[i]!, runs.start[i]! + n);
      left -= n;
    }
  }

  transferred(bytes: number): void {
    this.bytesTransferred += bytes;
    this.streamedBytes += bytes;
  }

  pieceDone(): void {
    this.point();
    if (!this.vmStarted) {
      if (this.init.strategy.start === "buffered") this.checkBuffer();
    } else if (this.waiting && this.demand === undefined) {
      this.tryAccess();
    }
  }

  idle(): void {
    // Nothing more to stream: a full download is complete, vTube's start path is all in.
    if (!this.vmStarted) this.startVm();
  }

  failed(): void {
    this.finish("disconnected");
  }

  // ---- helpers --------------------------------------------------------------------------------

  /** vTube starts the VM once the start buffer, sized for the rate measured so far, is in. */
  private checkBuffer(): void {
    const elapsed = this.sim.now - this.t0 - this.rtt;
    const rate = elapsed > 0 ? this.streamedBytes / elapsed : this.nominalRate();
    if (this.streamedBytes >= this.bufferNeed(rate)) this.startVm();
  }

  private bufferNeed(rate: number): number {
    if (this.planner === undefined) return 0;
    return this.planner.startBufferBytes(rate) * (1 + this.init.spec.vtube.safetyMargin);
  }

  /** The rate the session can expect before measuring: its share of the route's bottleneck. */
  private nominalRate(): number {
    const route = this.init.route;
    let share = Number.POSITIVE_INFINITY;
    for (const r of route.resources) share = Math.min(share, r.capacity / (1 + r.activityCount));
    return Math.min(share, routeCapacity(route));
  }

  /** VM seconds executed so far. */
  private vmProgress(): number {
    if (!this.vmStarted) return 0;
    const trace = this.init.trace;
    if (this.waiting) return this.k < trace.length ? trace.times[this.k]! : trace.durationSeconds;
    const t = this.sim.now - this.vmStart - this.stalls.blockedSeconds;
    return Math.min(trace.durationSeconds, Math.max(0, t));
  }

  private point(): void {
    this.series.point(
      this.sim.now - this.t0,
      this.bytesTransferred,
      this.usedBlocks * this.blockBytes,
      this.vmProgress(),
    );
  }
}
