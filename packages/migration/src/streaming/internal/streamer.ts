/**
 * The server's push stream of one session: pieces of blocks (runs) from a {@link BlockSource},
 * one fluid activity per piece on the session's route, back to back. A demand fetch pauses it
 * (the server serves demand first): the part of the piece already delivered counts, the rest is
 * sent first when the stream resumes.
 *
 * @internal
 */
import type { Activity, Simulation } from "@vx/core";
import type { Bitmap } from "../../internal/bitmap.js";
import { RunList, takeClear } from "./runs.js";
import type { BlockSource } from "./sources.js";

/** What the stream tells its session. */
export interface StreamHost {
  /** The blocks of `runs` arrived (the first `blocks` of them, in run order). */
  arrived(runs: RunList, blocks: number): void;
  /** `bytes` crossed the link (whole pieces, or the delivered part of a paused one). */
  transferred(bytes: number): void;
  /** A piece arrived. */
  pieceDone(): void;
  /** The source has nothing more to send for now. */
  idle(): void;
  /** The link failed under a piece. */
  failed(): void;
}

/** The push stream of one session. */
export class Streamer {
  private piece = new RunList();
  private tail = new RunList();
  private activity: Activity | undefined;
  private paused = false;
  private stopped = false;
  private startHandle = -1;
  /** True once the first piece was started. */
  private begun = false;
  private readonly onEnd = (a: Activity): void => this.pieceEnd(a);

  constructor(
    private readonly sim: Simulation,
    private readonly transfer: (amount: number, onEnd: (a: Activity) => void) => Activity,
    private readonly source: BlockSource,
    private readonly claimed: Bitmap,
    private readonly arrivedMap: Bitmap,
    private readonly blockBytes: number,
    private readonly chunkBlocks: number,
    private readonly host: StreamHost,
  ) {}

  /** Starts streaming after `delay` seconds (the request's round trip). */
  start(delay: number): void {
    this.startHandle = this.sim.schedule(delay, () => {
      this.startHandle = -1;
      this.begun = true;
      this.send();
    });
  }

  /** Stops sending (a demand fetch goes first); the delivered part of the piece counts. */
  pause(): void {
    if (this.paused || this.stopped) return;
    this.paused = true;
    this.cut();
  }

  /** Sends again after {@link Streamer.pause}. */
  resume(): void {
    if (!this.paused || this.stopped) return;
    this.paused = false;
    this.send();
  }

  /** The source may have something new (vTube re-planned): send if the link is idle. */
  poke(): void {
    if (this.begun && this.activity === undefined && !this.paused && !this.stopped) this.send();
  }

  /** Ends the stream for good (the session is over); the delivered part of the piece counts. */
  stop(): void {
    if (this.stopped) return;
    if (this.startHandle >= 0) this.sim.cancel(this.startHandle);
    this.cut();
    this.stopped = true;
  }

  /** Cancels the piece on the link, keeping its delivered prefix and queueing the rest. */
  private cut(): void {
    const a = this.activity;
    if (a === undefined) return;
    this.activity = undefined;
    const remaining = a.remaining;
    a.cancel();
    const delivered = a.amount - remaining;
    const piece = this.piece;
    const whole = Math.min(piece.blocks, Math.floor(delivered / this.blockBytes + 1e-9));
    this.host.transferred(delivered);
    if (whole > 0) this.host.arrived(piece, whole);
    // The undelivered blocks go first when the stream resumes (they stay claimed).
    const tail = this.tail;
    tail.clear();
    let skip = whole;
    for (let i = 0; i < piece.n; i++) {
      const len = piece.len[i]!;
      if (skip >= len) {
        skip -= len;
        continue;
      }
      tail.push(piece.start[i]! + skip, len - skip);
      skip = 0;
    }
    piece.clear();
  }

  private send(): void {
    if (this.paused || this.stopped || this.activity !== undefined) return;
    // Swap: the tail becomes the source of the new piece's first runs.
    const tail = this.tail;
    const piece = this.piece;
    piece.clear();
    // The undelivered rest of a paused piece goes first, less what demand fetches brought meanwhile.
    for (let i = 0; i < tail.n; i++) {
      const s = tail.start[i]!;
      takeClear(this.arrivedMap, this.claimed, s, s + tail.len[i]!, piece, this.chunkBlocks);
    }
    tail.clear();
    if (piece.blocks < this.chunkBlocks) this.source.next(piece, this.chunkBlocks, this.claimed);
    if (piece.blocks === 0) {
      this.host.idle();
      return;
    }
    this.activity = this.transfer(piece.blocks * this.blockBytes, this.onEnd);
  }

  private pieceEnd(a: Activity): void {
    const outcome = a.outcome!;
    if (outcome.status === "cancelled" || a !== this.activity) return;
    this.activity = undefined;
    if (outcome.status === "failed") {
      this.host.transferred(a.amount - outcome.remaining);
      this.stopped = true;
      this.host.failed();
      return;
    }
    this.host.transferred(a.amount);
    this.host.arrived(this.piece, this.piece.blocks);
    this.piece.clear();
    this.host.pieceDone();
    this.send();
  }
}
