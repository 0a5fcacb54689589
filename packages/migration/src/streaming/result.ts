/**
 * What a streaming session returns: plain, JSON-serialisable data.
 *
 * @module
 */
import type { StreamStrategyName } from "./internal/registry.js";

/** How a streaming session ended. */
export type StreamOutcome =
  /** The user's session ran to its end. */
  | "completed"
  /** The link failed (capacity 0) while the session still needed data: the VM is stuck. */
  | "disconnected";

/** One stall: the VM waited for data (waits less than the merge gap apart are one stall). */
export interface StallRecord {
  /** When it began, seconds from the session's request. */
  readonly startSeconds: number;
  /** When it ended. */
  readonly endSeconds: number;
  /** Time the VM was blocked within it (≤ end − start when waits were merged). */
  readonly blockedSeconds: number;
}

/**
 * The session over time, one point per event (a piece or a demand fetch arriving, the VM
 * starting, a stall beginning or ending), at most 4096 points (older points thinned evenly).
 */
export interface StreamSeries {
  /** Seconds from the session's request. */
  readonly timeSeconds: readonly number[];
  /** Bytes received so far (streamed and demand-fetched). */
  readonly bytesReceived: readonly number[];
  /** Bytes of distinct blocks the VM has used so far. */
  readonly bytesUsed: readonly number[];
  /** VM seconds executed so far (the session's progress). */
  readonly vmSeconds: readonly number[];
}

/** The result of one streaming session. */
export interface StreamResult {
  /** The strategy. */
  readonly strategy: StreamStrategyName;
  /** The session's trace name. */
  readonly session: string;
  /** How it ended. */
  readonly outcome: StreamOutcome;
  /** From the request until the VM starts running (initial buffering). */
  readonly startupDelaySeconds: number;
  /** Number of stalls after the start. */
  readonly stalls: number;
  /** Total time the VM was blocked waiting for data after the start. */
  readonly stallSeconds: number;
  /** Every stall. */
  readonly stallTimeline: readonly StallRecord[];
  /** Bytes that crossed the link for this session (streamed, demand-fetched, partial pieces). */
  readonly bytesTransferred: number;
  /** Bytes of distinct blocks the VM used. */
  readonly bytesUsed: number;
  /** Bytes transferred but never used (`bytesTransferred − bytesUsed`). */
  readonly bytesWasted: number;
  /** Demand fetches (accesses that had to ask the server). */
  readonly demandFetches: number;
  /** Blocks fetched on demand. */
  readonly missedBlocks: number;
  /** Distinct blocks the VM used. */
  readonly usedBlocks: number;
  /** `missedBlocks / usedBlocks` (0 when nothing was used). */
  readonly missRate: number;
  /** VM seconds of the session (the trace's length). */
  readonly vmSeconds: number;
  /** From the request to the end: `startupDelaySeconds + vmSeconds + stallSeconds` when completed. */
  readonly sessionSeconds: number;
  /** The session over time (empty when the series is off). */
  readonly series: StreamSeries;
}
