/**
 * Mining past sessions, as vTube does (Abe et al., SoCC 2013, §3): blocks accessed together
 * become clusters, and a transition model over the clusters, learned from the training traces,
 * predicts which clusters a running session needs next. Also the single access profile VMTorrent
 * streams in (Reich et al., CoNEXT 2012): every block seen in training, ordered by when it is
 * first needed on average.
 *
 * The clustering is vx's, in vTube's spirit (the paper gives the idea, not a reference
 * implementation): each training trace is cut into *episodes* at idle gaps (think times) or at a
 * maximum length; an episode whose blocks mostly (≥ `matchShare`) already belong to one cluster is
 * another occurrence of that cluster, otherwise it founds a new one; blocks seen for the first
 * time join the episode's cluster. Blocks read in fewer than `minSupport` of their cluster's
 * episodes are dropped from it at the end (rare reads are left to demand fetching, so a cluster
 * does not grow with every stray block training ever saw). A cluster's blocks are ordered by their
 * mean position in its episodes. The transition model counts, over the training traces, which cluster's episode
 * follows which (repeats collapsed) and the mean VM time between their starts. Cost: linear in the
 * blocks of the training traces.
 *
 * @module
 */
import { durationSchema, parseWith, percentSchema, VxError } from "@vx/core";
import { z } from "zod";
import type { DurationInput, FractionInput } from "../options.js";
import { BAD_STREAM_OPTIONS } from "./errors.js";
import { toRuns } from "./internal/runs.js";
import { type AccessTrace, type StateLayout, sameLayout } from "./trace.js";

/** Options of {@link mineAccessModel}; defaults in {@link MINING_DEFAULTS}. */
export interface MiningOptions {
  /** An idle gap at least this long ends an episode (a think time). Default 1 s. */
  readonly gap?: DurationInput;
  /** An episode longer than this is cut. Default 120 s. */
  readonly maxEpisode?: DurationInput;
  /** Share of an episode's blocks that must belong to one cluster for it to be that cluster. Default 50 %. */
  readonly matchShare?: FractionInput;
  /**
   * A block stays in its cluster only if it was read in at least this share of the cluster's
   * episodes; rarer blocks (logs, temporary files) are left to demand fetching. Default 20 %.
   */
  readonly minSupport?: FractionInput;
}

/** Mining parameters in base units. */
export interface MiningSpec {
  /** Idle gap that ends an episode, seconds. */
  readonly gapSeconds: number;
  /** Longest episode, seconds. */
  readonly maxEpisodeSeconds: number;
  /** Majority share that makes an episode an occurrence of a known cluster. */
  readonly matchShare: number;
  /** Share of its cluster's episodes a block must appear in to stay in the cluster. */
  readonly minSupport: number;
}

/**
 * Defaults of {@link MiningOptions} (assumptions: vTube does not publish its thresholds): 1 s of
 * idleness ends an episode (shorter than any think time, longer than the gaps between the reads
 * of one activity), episodes at most 120 s, a simple majority to match a known cluster, and a
 * block stays in its cluster if read in at least a fifth of the cluster's episodes.
 */
export const MINING_DEFAULTS: MiningSpec = {
  gapSeconds: 1,
  maxEpisodeSeconds: 120,
  matchShare: 0.5,
  minSupport: 0.2,
};

/** The zod schema of {@link MiningOptions}. @internal */
export const miningSchema: z.ZodType<MiningSpec, unknown> = z
  .strictObject({
    gap: durationSchema({ allowZero: false }).default(MINING_DEFAULTS.gapSeconds),
    maxEpisode: durationSchema({ allowZero: false }).default(MINING_DEFAULTS.maxEpisodeSeconds),
    matchShare: percentSchema({ min: 0, max: 1, allowZero: false }).default(
      MINING_DEFAULTS.matchShare,
    ),
    minSupport: percentSchema({ min: 0, max: 1 }).default(MINING_DEFAULTS.minSupport),
  })
  .prefault({})
  .transform((o) => ({
    gapSeconds: o.gap,
    maxEpisodeSeconds: o.maxEpisode,
    matchShare: o.matchShare,
    minSupport: o.minSupport,
  }));

/** One edge of the transition model. */
export interface ClusterTransition {
  /** The cluster that follows. */
  readonly cluster: number;
  /** Share of the departures from the source cluster that go to it. */
  readonly probability: number;
  /** Mean VM time from the start of the source cluster's episode to the start of this one. */
  readonly meanGapSeconds: number;
}

/** Figures of a mined model, for reports. */
export interface AccessModelSummary {
  /** Training sessions mined. */
  readonly trainingSessions: number;
  /** Clusters found. */
  readonly clusters: number;
  /** Edges of the transition model. */
  readonly transitions: number;
  /** Bytes in clusters (every block seen in training). */
  readonly clusteredBytes: number;
  /** Mean bytes of a cluster. */
  readonly meanClusterBytes: number;
}

/**
 * The fields of an {@link AccessModel}.
 *
 * @internal
 */
export type AccessModelInit = Omit<
  AccessModel,
  | "clusterOf"
  | "clusterBlocks"
  | "successors"
  | "startClusters"
  | "summary"
  | "clusterBytes"
  | "profile"
>;

/**
 * What mining learned: the clusters (blocks in the order a session reads them), the transition
 * model between them, the clusters sessions start with, and VMTorrent's access profile.
 *
 * Read-only and shared: any number of streaming sessions use one model.
 */
export class AccessModel {
  /** The state layout of the traces. */
  readonly layout: StateLayout;
  /** Training sessions it was mined from. */
  readonly trainingSessions: number;
  /** Number of clusters. */
  readonly clusterCount: number;
  /** @internal cluster of each block, -1 when never seen in training */
  readonly _clusterOf: Int32Array;
  /** @internal CSR offsets of each cluster's blocks */
  readonly _clusterStart: Int32Array;
  /** @internal the blocks of all clusters, each cluster's in reading order */
  readonly _clusterBlocks: Uint32Array;
  /** @internal mean VM seconds over which a cluster's blocks are read */
  readonly _clusterSeconds: Float64Array;
  /** @internal CSR offsets of each cluster's successors (most likely first) */
  readonly _succStart: Int32Array;
  /** @internal */
  readonly _succ: Int32Array;
  /** @internal */
  readonly _succProb: Float64Array;
  /** @internal */
  readonly _succGap: Float64Array;
  /** @internal clusters sessions start with, most likely first */
  readonly _start: Int32Array;
  /** @internal */
  readonly _startProb: Float64Array;
  /** @internal mean VM time of the start cluster's first access */
  readonly _startTime: Float64Array;
  /** @internal every block seen in training, by mean first-access time */
  readonly _profile: Uint32Array;
  /** @internal CSR offsets of each cluster's runs of consecutive blocks */
  readonly _clusterRunStart: Int32Array;
  /** @internal first block of each run of every cluster */
  readonly _runFirst: Uint32Array;
  /** @internal length of each run */
  readonly _runLen: Uint32Array;
  /** @internal the profile as runs */
  readonly _profileFirst: Uint32Array;
  /** @internal */
  readonly _profileLen: Uint32Array;

  /** @internal use {@link mineAccessModel} */
  constructor(init: AccessModelInit) {
    this.layout = init.layout;
    this.trainingSessions = init.trainingSessions;
    this.clusterCount = init.clusterCount;
    this._clusterOf = init._clusterOf;
    this._clusterStart = init._clusterStart;
    this._clusterBlocks = init._clusterBlocks;
    this._clusterSeconds = init._clusterSeconds;
    this._succStart = init._succStart;
    this._succ = init._succ;
    this._succProb = init._succProb;
    this._succGap = init._succGap;
    this._start = init._start;
    this._startProb = init._startProb;
    this._startTime = init._startTime;
    this._profile = init._profile;
    this._clusterRunStart = init._clusterRunStart;
    this._runFirst = init._runFirst;
    this._runLen = init._runLen;
    this._profileFirst = init._profileFirst;
    this._profileLen = init._profileLen;
  }

  /**
   * The cluster of a block.
   *
   * @param block - a block number of the layout.
   * @returns its cluster, or -1 if no training session touched it.
   */
  clusterOf(block: number): number {
    return this._clusterOf[block] ?? -1;
  }

  /**
   * The blocks of a cluster, in the order sessions read them.
   *
   * @param cluster - a cluster number, `0 .. clusterCount − 1`.
   * @returns a view of its blocks (do not modify).
   */
  clusterBlocks(cluster: number): Uint32Array {
    return this._clusterBlocks.subarray(
      this._clusterStart[cluster]!,
      this._clusterStart[cluster + 1]!,
    );
  }

  /**
   * The size of a cluster.
   *
   * @param cluster - a cluster number.
   * @returns its bytes.
   */
  clusterBytes(cluster: number): number {
    return (
      (this._clusterStart[cluster + 1]! - this._clusterStart[cluster]!) * this.layout.blockBytes
    );
  }

  /**
   * The transition model out of a cluster.
   *
   * @param cluster - a cluster number.
   * @returns the clusters that followed it in training, most likely first.
   */
  successors(cluster: number): ClusterTransition[] {
    const out: ClusterTransition[] = [];
    for (let e = this._succStart[cluster]!; e < this._succStart[cluster + 1]!; e++) {
      out.push({
        cluster: this._succ[e]!,
        probability: this._succProb[e]!,
        meanGapSeconds: this._succGap[e]!,
      });
    }
    return out;
  }

  /**
   * The clusters training sessions started with.
   *
   * @returns each with the share of sessions that started with it (and the mean VM time of its
   * first access as `meanGapSeconds`), most likely first.
   */
  startClusters(): ClusterTransition[] {
    const out: ClusterTransition[] = [];
    for (let i = 0; i < this._start.length; i++) {
      out.push({
        cluster: this._start[i]!,
        probability: this._startProb[i]!,
        meanGapSeconds: this._startTime[i]!,
      });
    }
    return out;
  }

  /**
   * VMTorrent's access profile: every block seen in training, ordered by mean first-access time.
   *
   * @returns a view (do not modify).
   */
  profile(): Uint32Array {
    return this._profile;
  }

  /**
   * Figures for reports.
   *
   * @returns training sessions, clusters, transitions and bytes.
   */
  summary(): AccessModelSummary {
    const clustered = this._clusterBlocks.length * this.layout.blockBytes;
    return {
      trainingSessions: this.trainingSessions,
      clusters: this.clusterCount,
      transitions: this._succ.length,
      clusteredBytes: clustered,
      meanClusterBytes: this.clusterCount === 0 ? 0 : clustered / this.clusterCount,
    };
  }
}

/** An episode's place in its trace's cluster sequence. */
interface Visit {
  readonly cluster: number;
  readonly start: number;
}

/** Sorts `blocks` by `key(block)` in [0, 1] with one native typed-array sort (keys packed with the block). */
function sortByKey(
  blocks: ArrayLike<number>,
  key: (block: number) => number,
  blockCount: number,
): Uint32Array {
  const blockBits = Math.max(1, Math.ceil(Math.log2(blockCount + 1)));
  const span = 2 ** blockBits;
  const levels = 2 ** Math.max(1, 53 - blockBits) - 1;
  const packed = new Float64Array(blocks.length);
  for (let i = 0; i < blocks.length; i++) {
    const b = blocks[i]!;
    const k = Math.min(1, Math.max(0, key(b)));
    packed[i] = Math.floor(k * levels) * span + b;
  }
  packed.sort();
  const out = new Uint32Array(blocks.length);
  for (let i = 0; i < packed.length; i++) out[i] = packed[i]! % span;
  return out;
}

/** The episode-by-episode clustering of the training traces. */
class Miner {
  private readonly n: number;
  readonly clusterOf: Int32Array;
  private readonly traceStamp: Uint32Array;
  private readonly episodeStamp: Uint32Array;
  private readonly posSum: Float32Array;
  private readonly posCount: Uint16Array;
  readonly timeSum: Float32Array;
  readonly timeCount: Uint16Array;
  clusterBlocks: number[][] = [];
  readonly clusterEpisodes: number[] = [];
  readonly clusterSeconds: number[] = [];
  readonly sequences: Visit[][] = [];
  private episode = 0;
  private epBlocks = new Uint32Array(1024);
  private epTimes = new Float64Array(1024);
  private votes = new Float64Array(64);
  private readonly touched: number[] = [];

  constructor(
    layout: StateLayout,
    private readonly spec: MiningSpec,
  ) {
    this.n = layout.blockCount;
    this.clusterOf = new Int32Array(this.n).fill(-1);
    this.traceStamp = new Uint32Array(this.n);
    this.episodeStamp = new Uint32Array(this.n);
    // Per-block sums for the means (counts saturate at 65535 occurrences: plenty for a mean).
    this.posSum = new Float32Array(this.n);
    this.posCount = new Uint16Array(this.n);
    this.timeSum = new Float32Array(this.n);
    this.timeCount = new Uint16Array(this.n);
  }

  /** Cuts a trace into episodes and clusters each. */
  mineTrace(trace: AccessTrace, index: number): void {
    const seq: Visit[] = [];
    this.sequences.push(seq);
    const { times } = trace;
    let a = 0;
    for (let k = 1; k <= trace.length; k++) {
      if (
        k === trace.length ||
        times[k]! - times[k - 1]! >= this.spec.gapSeconds ||
        times[k]! - times[a]! >= this.spec.maxEpisodeSeconds
      ) {
        this.mineEpisode(trace, index + 1, a, k, seq);
        a = k;
      }
    }
  }

  private mineEpisode(
    trace: AccessTrace,
    stampT: number,
    a: number,
    b: number,
    seq: Visit[],
  ): void {
    const ep = ++this.episode;
    const { times, firstBlocks, blockCounts } = trace;
    const start = times[a]!;
    const duration = times[b - 1]! - start;
    let nb = 0;
    for (let k = a; k < b; k++) {
      const t = times[k]!;
      const first = firstBlocks[k]!;
      const end = first + blockCounts[k]!;
      for (let x = first; x < end; x++) {
        if (this.traceStamp[x] !== stampT) {
          this.traceStamp[x] = stampT;
          if (this.timeCount[x]! < 65535) {
            this.timeSum[x]! += t;
            this.timeCount[x]!++;
          }
        }
        if (this.episodeStamp[x] !== ep) {
          this.episodeStamp[x] = ep;
          if (nb === this.epBlocks.length) this.growEpisode();
          this.epBlocks[nb] = x;
          this.epTimes[nb] = t;
          nb++;
        }
      }
    }
    const cluster = this.matchCluster(nb);
    for (let i = 0; i < nb; i++) {
      const x = this.epBlocks[i]!;
      if (this.clusterOf[x]! < 0) {
        this.clusterOf[x] = cluster;
        this.clusterBlocks[cluster]!.push(x);
      }
      if (this.clusterOf[x] === cluster && this.posCount[x]! < 65535) {
        this.posSum[x]! += duration > 0 ? (this.epTimes[i]! - start) / duration : 0;
        this.posCount[x]!++;
      }
    }
    this.clusterEpisodes[cluster]!++;
    this.clusterSeconds[cluster]! += duration;
    if (seq.length === 0 || seq[seq.length - 1]!.cluster !== cluster) seq.push({ cluster, start });
  }

  /** The cluster most of the episode's blocks already belong to, or a new one. */
  private matchCluster(nb: number): number {
    const touched = this.touched;
    touched.length = 0;
    for (let i = 0; i < nb; i++) {
      const c = this.clusterOf[this.epBlocks[i]!]!;
      if (c < 0) continue;
      if (this.votes[c] === 0) touched.push(c);
      this.votes[c]!++;
    }
    let best = -1;
    let bestVotes = 0;
    for (const c of touched) {
      const v = this.votes[c]!;
      if (v > bestVotes || (v === bestVotes && c < best)) {
        best = c;
        bestVotes = v;
      }
      this.votes[c] = 0;
    }
    if (best >= 0 && bestVotes >= this.spec.matchShare * nb) return best;
    const c = this.clusterBlocks.length;
    this.clusterBlocks.push([]);
    this.clusterEpisodes.push(0);
    this.clusterSeconds.push(0);
    if (c === this.votes.length) {
      const v = new Float64Array(c * 2);
      v.set(this.votes);
      this.votes = v;
    }
    return c;
  }

  private growEpisode(): void {
    const blocks = new Uint32Array(this.epBlocks.length * 2);
    blocks.set(this.epBlocks);
    this.epBlocks = blocks;
    const times = new Float64Array(this.epTimes.length * 2);
    times.set(this.epTimes);
    this.epTimes = times;
  }

  /** Share of its cluster's episodes a block was read in. */
  support(block: number): number {
    const c = this.clusterOf[block]!;
    return c < 0 ? 0 : this.posCount[block]! / Math.max(1, this.clusterEpisodes[c]!);
  }

  /** Drops from their clusters the blocks read in fewer than `minSupport` of its episodes. */
  prune(): void {
    const min = this.spec.minSupport;
    if (min <= 0) return;
    for (let c = 0; c < this.clusterBlocks.length; c++) {
      const kept = this.clusterBlocks[c]!.filter((b) => {
        if (this.support(b) >= min) return true;
        this.clusterOf[b] = -1;
        return false;
      });
      this.clusterBlocks[c] = kept;
    }
  }

  /** Mean position of a block in its cluster's episodes, in [0, 1]. */
  meanPosition(block: number): number {
    const c = this.posCount[block]!;
    return c === 0 ? 0 : this.posSum[block]! / c;
  }
}

/**
 * Mines training traces into an {@link AccessModel}: clusters of blocks accessed together, the
 * transition model over them, the start clusters and VMTorrent's access profile.
 *
 * @param traces - training sessions, all on one state layout (at least one).
 * @param options - episode gap, longest episode, match share ({@link MINING_DEFAULTS}).
 * @returns the model.
 * @throws {@link @vx/core!VxError} `VX_MIGRATION_BAD_STREAM_OPTIONS` for no trace, traces on
 * different layouts (path `["traces", i]`), or a bad option (with its path).
 * @example
 * ```ts
 * const appliance = createAppliance();
 * const model = mineAccessModel(appliance.sessions(0, 20));
 * model.summary().clusters; // the activities found across the 20 sessions
 * ```
 */
export function mineAccessModel(
  traces: readonly AccessTrace[],
  options: MiningOptions = {},
): AccessModel {
  const spec = parseWith(miningSchema, options, {
    code: BAD_STREAM_OPTIONS,
    what: "mining options",
  });
  if (traces.length === 0) {
    throw new VxError(BAD_STREAM_OPTIONS, "mining needs at least one training trace.", {
      path: ["traces"],
    });
  }
  const layout = traces[0]!.layout;
  traces.forEach((t, i) => {
    if (!sameLayout(t.layout, layout)) {
      throw new VxError(
        BAD_STREAM_OPTIONS,
        `trace "${t.name}" is on another state layout than the first; mine traces of one appliance.`,
        { path: ["traces", i] },
      );
    }
  });
  const miner = new Miner(layout, spec);
  for (let i = 0; i < traces.length; i++) miner.mineTrace(traces[i]!, i);
  miner.prune();
  return buildModel(miner, layout, traces.length);
}

function buildModel(miner: Miner, layout: StateLayout, trainingSessions: number): AccessModel {
  const n = layout.blockCount;
  const clusters = miner.clusterBlocks.length;
  // Clusters: blocks by mean position in their episodes.
  const clusterStart = new Int32Array(clusters + 1);
  let total = 0;
  for (let c = 0; c < clusters; c++) {
    clusterStart[c] = total;
    total += miner.clusterBlocks[c]!.length;
  }
  clusterStart[clusters] = total;
  const clusterBlocks = new Uint32Array(total);
  const clusterSeconds = new Float64Array(clusters);
  for (let c = 0; c < clusters; c++) {
    clusterBlocks.set(
      sortByKey(miner.clusterBlocks[c]!, (b) => miner.meanPosition(b), n),
      clusterStart[c]!,
    );
    clusterSeconds[c] = miner.clusterSeconds[c]! / Math.max(1, miner.clusterEpisodes[c]!);
  }
  // Transitions: counts and gaps over every training sequence.
  const edges = new Map<number, Map<number, { count: number; gap: number }>>();
  const starts = new Map<number, { count: number; time: number }>();
  for (const seq of miner.sequences) {
    if (seq.length === 0) continue;
    const s = starts.get(seq[0]!.cluster) ?? { count: 0, time: 0 };
    s.count++;
    s.time += seq[0]!.start;
    starts.set(seq[0]!.cluster, s);
    for (let i = 1; i < seq.length; i++) {
      const from = seq[i - 1]!;
      const to = seq[i]!;
      let out = edges.get(from.cluster);
      if (out === undefined) edges.set(from.cluster, (out = new Map()));
      const e = out.get(to.cluster) ?? { count: 0, gap: 0 };
      e.count++;
      e.gap += to.start - from.start;
      out.set(to.cluster, e);
    }
  }
  const succStart = new Int32Array(clusters + 1);
  const succ: number[] = [];
  const prob: number[] = [];
  const gap: number[] = [];
  for (let c = 0; c < clusters; c++) {
    succStart[c] = succ.length;
    const out = edges.get(c);
    if (out === undefined) continue;
    let sum = 0;
    for (const e of out.values()) sum += e.count;
    const list = [...out.entries()].sort((x, y) => y[1].count - x[1].count || x[0] - y[0]);
    for (const [to, e] of list) {
      succ.push(to);
      prob.push(e.count / sum);
      gap.push(e.gap / e.count);
    }
  }
  succStart[clusters] = succ.length;
  const startList = [...starts.entries()].sort((x, y) => y[1].count - x[1].count || x[0] - y[0]);
  let startSum = 0;
  for (const [, s] of startList) startSum += s.count;
  // The profile: every block seen, by mean first-access time.
  let seen = 0;
  let maxTime = 0;
  for (let b = 0; b < n; b++) {
    const c = miner.timeCount[b]!;
    if (c > 0) {
      seen++;
      const m = miner.timeSum[b]! / c;
      if (m > maxTime) maxTime = m;
    }
  }
  const seenBlocks = new Uint32Array(seen);
  for (let b = 0, i = 0; b < n; b++) if (miner.timeCount[b]! > 0) seenBlocks[i++] = b;
  const profile = sortByKey(
    seenBlocks,
    (b) => (maxTime > 0 ? miner.timeSum[b]! / miner.timeCount[b]! / maxTime : 0),
    n,
  );
  const clusterRunStart = new Int32Array(clusters + 1);
  const runFirst: Uint32Array[] = [];
  const runLen: Uint32Array[] = [];
  let runs = 0;
  for (let c = 0; c < clusters; c++) {
    clusterRunStart[c] = runs;
    const r = toRuns(clusterBlocks.subarray(clusterStart[c]!, clusterStart[c + 1]!));
    runFirst.push(r.first);
    runLen.push(r.len);
    runs += r.first.length;
  }
  clusterRunStart[clusters] = runs;
  const allFirst = new Uint32Array(runs);
  const allLen = new Uint32Array(runs);
  for (let c = 0; c < clusters; c++) {
    allFirst.set(runFirst[c]!, clusterRunStart[c]!);
    allLen.set(runLen[c]!, clusterRunStart[c]!);
  }
  const profileRuns = toRuns(profile);
  return new AccessModel({
    layout,
    _clusterRunStart: clusterRunStart,
    _runFirst: allFirst,
    _runLen: allLen,
    _profileFirst: profileRuns.first,
    _profileLen: profileRuns.len,
    trainingSessions,
    clusterCount: clusters,
    _clusterOf: miner.clusterOf,
    _clusterStart: clusterStart,
    _clusterBlocks: clusterBlocks,
    _clusterSeconds: clusterSeconds,
    _succStart: succStart,
    _succ: Int32Array.from(succ),
    _succProb: Float64Array.from(prob),
    _succGap: Float64Array.from(gap),
    _start: Int32Array.from(startList.map(([c]) => c)),
    _startProb: Float64Array.from(startList.map(([, s]) => s.count / startSum)),
    _startTime: Float64Array.from(startList.map(([, s]) => s.time / s.count)),
    _profile: profile,
  });
}
