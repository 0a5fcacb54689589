/**
 * The registry of streaming strategies: one entry per strategy (name, summary, source, when the VM
 * starts, what it streams and in what pieces). The public list, the option enums, the CLI's help
 * and the docs' table all derive from it.
 *
 * @internal
 */
import type { AccessModel } from "../mining.js";
import type { StreamSpec } from "../options.js";
import { type BlockSource, ClusterPlanner, ProfileSource, SequentialSource } from "./sources.js";

/** Names of the strategies. */
export type StreamStrategyName = "full-download" | "demand" | "vmtorrent" | "vtube";

/**
 * When the VM starts: after the whole image arrived, at once (misses stall it), or once the
 * start buffer is in.
 */
export type StartRule = "downloaded" | "at-once" | "buffered";

/** One registry entry. */
export interface StrategyEntry {
  readonly name: StreamStrategyName;
  readonly summary: string;
  readonly source: string;
  readonly start: StartRule;
  /** What it streams (undefined: nothing, every block is fetched on demand). */
  readonly stream: (model: AccessModel, spec: StreamSpec) => BlockSource | undefined;
  /** Bytes per streamed piece. */
  readonly chunkBytes: (spec: StreamSpec) => number;
}

export const REGISTRY: readonly StrategyEntry[] = [
  {
    name: "full-download",
    summary: "download the whole image, then run: no stall, the longest start",
    source: "the baseline of Abe et al., SoCC 2013, and Reich et al., CoNEXT 2012",
    start: "downloaded",
    stream: (model) => new SequentialSource(0, model.layout.blockCount),
    chunkBytes: (spec) => spec.fullDownload.chunkBytes,
  },
  {
    name: "demand",
    summary: "run at once; fetch each missing block when the VM touches it (one round trip each)",
    source:
      "pure demand fetching, as VMNetX and Internet Suspend/Resume do (baseline of SoCC 2013)",
    start: "at-once",
    stream: () => undefined,
    chunkBytes: (spec) => spec.vtube.chunkBytes,
  },
  {
    name: "vmtorrent",
    summary: "run at once; stream the access profile in order, misses fetched first",
    source: "VMTorrent: profile-based prefetch plus on-demand fetch (Reich et al., CoNEXT 2012)",
    start: "at-once",
    stream: (model, spec) => new ProfileSource(model, spec.vmtorrent.fillRest),
    chunkBytes: (spec) => spec.vmtorrent.chunkBytes,
  },
  {
    name: "vtube",
    summary: "buffer the predicted first clusters, stream likely clusters ahead, misses on demand",
    source: "vTube (Abe et al., SoCC 2013; Abe, CMU-CS-15-147)",
    start: "buffered",
    stream: (model, spec) =>
      new ClusterPlanner(model, {
        lookahead: spec.vtube.lookahead,
        minProbability: spec.vtube.minProbability,
        pathConfidence: spec.vtube.pathConfidence,
      }),
    chunkBytes: (spec) => spec.vtube.chunkBytes,
  },
];

/** The entry of a strategy (the name was validated). */
export function entryOf(name: StreamStrategyName): StrategyEntry {
  return REGISTRY.find((e) => e.name === name)!;
}
