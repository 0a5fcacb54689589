/**
 * The streaming strategies: full download, pure demand fetching, VMTorrent-like profile
 * streaming and vTube, as a list derived from one registry.
 *
 * @module
 */
import { REGISTRY, type StartRule, type StreamStrategyName } from "./internal/registry.js";

export type { StartRule, StreamStrategyName };

/** A streaming strategy, as listed by {@link STREAM_STRATEGIES}. */
export interface StreamStrategyInfo {
  /** Its name. */
  readonly name: StreamStrategyName;
  /** What it does, in one line. */
  readonly summary: string;
  /** Where it comes from. */
  readonly source: string;
  /** When the VM starts. */
  readonly start: StartRule;
}

/**
 * Every strategy, in the order `vx stream --strategy all` shows them:
 *
 * | name            | the VM starts                  | what is streamed                       |
 * | --------------- | ------------------------------ | -------------------------------------- |
 * | `full-download` | when the whole image is in     | every block, in order                  |
 * | `demand`        | at once                        | nothing: each miss costs a round trip  |
 * | `vmtorrent`     | at once                        | the access profile, then the rest      |
 * | `vtube`         | once the predicted start is in | likely clusters ahead of the VM        |
 */
export const STREAM_STRATEGIES: readonly StreamStrategyInfo[] = REGISTRY.map((e) => ({
  name: e.name,
  summary: e.summary,
  source: e.source,
  start: e.start,
}));

/** The strategy names, in order. */
export const STREAM_STRATEGY_NAMES: readonly StreamStrategyName[] = REGISTRY.map((e) => e.name);
