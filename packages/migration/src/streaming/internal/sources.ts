/**
 * What a strategy streams next: sources of blocks in priority order. A source skips blocks
 * already claimed (streamed, or requested on demand), so a block crosses the link at most once.
 *
 * @internal
 */
import type { Bitmap } from "../../internal/bitmap.js";
import type { AccessModel } from "../mining.js";
import { type RunList, takeClear } from "./runs.js";

/** Whether bit `i` is set. */
export function has(b: Bitmap, i: number): boolean {
  return (b[i >>> 5]! & (1 << (i & 31))) !== 0;
}

/** Blocks to stream, in priority order, as runs of consecutive blocks. */
export interface BlockSource {
  /**
   * Appends to `out` up to `max` blocks in all (counting what `out` holds) to send next, none of
   * them claimed before, and claims them.
   */
  next(out: RunList, max: number, claimed: Bitmap): void;
  /** The VM started using the blocks of `cluster` (a hint; vTube re-plans). */
  enter(cluster: number): void;
}

/** Every block of a range, in order (full download; VMTorrent's fill). */
export class SequentialSource implements BlockSource {
  private cursor: number;

  constructor(
    from: number,
    private readonly to: number,
  ) {
    this.cursor = from;
  }

  next(out: RunList, max: number, claimed: Bitmap): void {
    this.cursor = takeClear(claimed, claimed, this.cursor, this.to, out, max);
  }

  enter(): void {}
}

/** Runs `[first[i], first[i] + len[i])` walked in order, with a cursor inside the current run. */
class RunCursor {
  run: number;
  offset = 0;

  constructor(
    private readonly first: Uint32Array,
    private readonly len: Uint32Array,
    from: number,
    private readonly to: number,
  ) {
    this.run = from;
  }

  /** Takes unclaimed blocks of the runs into `out` until `max` blocks or the runs' end. */
  take(out: RunList, max: number, claimed: Bitmap): void {
    while (this.run < this.to && out.blocks < max) {
      const f = this.first[this.run]!;
      const end = f + this.len[this.run]!;
      const stop = takeClear(claimed, claimed, f + this.offset, end, out, max);
      if (stop >= end) {
        this.run++;
        this.offset = 0;
      } else {
        this.offset = stop - f;
      }
    }
  }
}

/**
 * VMTorrent's order (Reich et al., CoNEXT 2012): the blocks of the access profile by mean
 * first-access time, then (optionally) the rest of the image in block order.
 */
export class ProfileSource implements BlockSource {
  private readonly profile: RunCursor;
  private readonly rest: SequentialSource | undefined;

  constructor(model: AccessModel, fillRest: boolean) {
    const first = model._profileFirst;
    this.profile = new RunCursor(first, model._profileLen, 0, first.length);
    this.rest = fillRest ? new SequentialSource(0, model.layout.blockCount) : undefined;
  }

  next(out: RunList, max: number, claimed: Bitmap): void {
    this.profile.take(out, max, claimed);
    if (out.blocks < max && this.rest !== undefined) this.rest.next(out, max, claimed);
  }

  enter(): void {}
}

/** One cluster of a start path, with when (VM time) it is needed. */
export interface PathStep {
  /** The cluster. */
  readonly cluster: number;
  /** VM time its first block is needed. */
  readonly atSeconds: number;
  /** VM time over which its blocks are read. */
  readonly seconds: number;
  /** Its bytes. */
  readonly bytes: number;
}

/** Parameters of {@link ClusterPlanner}. */
export interface PlannerSettings {
  readonly lookahead: number;
  readonly minProbability: number;
  readonly pathConfidence: number;
}

/**
 * vTube's streaming order (Abe et al., SoCC 2013, §3): first the most likely path of clusters
 * from the start (the initial buffer), then, whenever the VM enters a cluster, that cluster's
 * remaining blocks and the clusters the transition model says are likely within the next
 * `lookahead` steps (probability at least `minProbability`), nearest step first, most likely
 * first within a step. Clusters the model does not predict are never streamed: their blocks are
 * fetched on demand.
 */
export class ClusterPlanner implements BlockSource {
  private readonly cursorRun: Int32Array;
  private readonly cursorOffset: Uint32Array;
  private readonly stamp: Int32Array;
  private epoch = 0;
  private queue: number[] = [];
  private head = 0;
  /** The predicted start path (the clusters the start buffer covers). */
  readonly path: readonly PathStep[];

  constructor(
    private readonly model: AccessModel,
    private readonly settings: PlannerSettings,
  ) {
    const c = model.clusterCount;
    this.cursorRun = model._clusterRunStart.slice(0, c);
    this.cursorOffset = new Uint32Array(c);
    this.stamp = new Int32Array(c);
    this.path = this.startPath();
    const epoch = ++this.epoch;
    const queue: number[] = [];
    for (const step of this.path) {
      this.stamp[step.cluster] = epoch;
      queue.push(step.cluster);
    }
    const roots = new Map<number, number>();
    for (let i = 0; i < model._start.length; i++) roots.set(model._start[i]!, model._startProb[i]!);
    for (const [cl, p] of roots) {
      if (p >= settings.minProbability && this.stamp[cl] !== epoch) {
        this.stamp[cl] = epoch;
        queue.push(cl);
      }
    }
    this.lookahead(roots, epoch, queue);
    this.queue = queue;
  }

  /**
   * Bytes that must have arrived before the VM starts so that, streaming on at `bytesPerSecond`,
   * every cluster of the start path is in by the time the VM needs it, its blocks needed evenly
   * over its reading time: the largest, over the path, of `bytes before cluster k + one block −
   * rate × its start` (its first block) and `bytes through k − rate × its end` (its last).
   * Zero for an empty path.
   */
  startBufferBytes(bytesPerSecond: number): number {
    let need = 0;
    let before = 0;
    const block = this.model.layout.blockBytes;
    for (const s of this.path) {
      need = Math.max(
        need,
        before + block - bytesPerSecond * s.atSeconds,
        before + s.bytes - bytesPerSecond * (s.atSeconds + s.seconds),
      );
      before += s.bytes;
    }
    return need;
  }

  next(out: RunList, max: number, claimed: Bitmap): void {
    const m = this.model;
    const first = m._runFirst;
    const len = m._runLen;
    while (out.blocks < max && this.head < this.queue.length) {
      const c = this.queue[this.head]!;
      const endRun = m._clusterRunStart[c + 1]!;
      let run = this.cursorRun[c]!;
      let offset = this.cursorOffset[c]!;
      while (run < endRun && out.blocks < max) {
        const f = first[run]!;
        const end = f + len[run]!;
        const stop = takeClear(claimed, claimed, f + offset, end, out, max);
        if (stop >= end) {
          run++;
          offset = 0;
        } else {
          offset = stop - f;
        }
      }
      this.cursorRun[c] = run;
      this.cursorOffset[c] = offset;
      if (run >= endRun) this.head++;
    }
  }

  enter(cluster: number): void {
    const epoch = ++this.epoch;
    const queue: number[] = [cluster];
    this.stamp[cluster] = epoch;
    this.lookahead(new Map([[cluster, 1]]), epoch, queue);
    // What was planned before stays queued behind: a block shared with another cluster (a
    // library) can make the VM look as if it entered that cluster for a moment.
    for (let i = this.head; i < this.queue.length; i++) {
      const c = this.queue[i]!;
      if (this.stamp[c] !== epoch && !this.exhausted(c)) {
        this.stamp[c] = epoch;
        queue.push(c);
      }
    }
    this.queue = queue;
    this.head = 0;
  }

  /** Whether every block of a cluster was streamed (or claimed otherwise) already. */
  private exhausted(c: number): boolean {
    return this.cursorRun[c]! >= this.model._clusterRunStart[c + 1]!;
  }

  /** Appends the clusters likely within the lookahead, nearest step first. */
  private lookahead(roots: Map<number, number>, epoch: number, queue: number[]): void {
    const m = this.model;
    let layer = roots;
    for (let d = 0; d < this.settings.lookahead && layer.size > 0; d++) {
      const next = new Map<number, number>();
      for (const [i, p] of layer) {
        for (let e = m._succStart[i]!; e < m._succStart[i + 1]!; e++) {
          const j = m._succ[e]!;
          next.set(j, (next.get(j) ?? 0) + p * m._succProb[e]!);
        }
      }
      const picked = [...next.entries()]
        .filter(
          ([j, q]) =>
            q >= this.settings.minProbability && this.stamp[j] !== epoch && !this.exhausted(j),
        )
        .sort((x, y) => y[1] - x[1] || x[0] - y[0]);
      for (const [j] of picked) {
        this.stamp[j] = epoch;
        queue.push(j);
      }
      layer = next;
    }
  }

  /** The most likely path from the start while its probability holds. */
  private startPath(): PathStep[] {
    const m = this.model;
    const path: PathStep[] = [];
    if (m._start.length === 0) return path;
    let c = m._start[0]!;
    let p = m._startProb[0]!;
    let at = m._startTime[0]!;
    const onPath = new Set<number>();
    while (p >= this.settings.pathConfidence && !onPath.has(c)) {
      onPath.add(c);
      path.push({
        cluster: c,
        atSeconds: at,
        seconds: m._clusterSeconds[c]!,
        bytes: m.clusterBytes(c),
      });
      // The most likely next cluster not already on the path.
      let next = -1;
      for (let e = m._succStart[c]!; e < m._succStart[c + 1]!; e++) {
        if (!onPath.has(m._succ[e]!)) {
          next = e;
          break;
        }
      }
      if (next < 0) break;
      p *= m._succProb[next]!;
      at += m._succGap[next]!;
      c = m._succ[next]!;
    }
    return path;
  }
}
