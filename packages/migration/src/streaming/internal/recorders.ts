/**
 * Recorders of a streaming session's outputs: its stalls (merged when close together) and its
 * time series (one point per event, thinned to a bounded size).
 *
 * @internal
 */
import type { StallRecord, StreamSeries } from "../result.js";

/** Stalls: waits less than `mergeGap` apart are one stall. */
export class StallRecorder {
  private readonly records: { startSeconds: number; endSeconds: number; blockedSeconds: number }[] =
    [];
  private openAt = Number.NaN;
  /** Total blocked time. */
  blockedSeconds = 0;

  constructor(private readonly mergeGap: number) {}

  /** Whether a wait is open. */
  get open(): boolean {
    return !Number.isNaN(this.openAt);
  }

  /** The VM starts waiting at `t`. */
  begin(t: number): void {
    this.openAt = t;
  }

  /** The wait that began at {@link StallRecorder.begin} ends at `t`. */
  end(t: number): void {
    const start = this.openAt;
    this.openAt = Number.NaN;
    const blocked = t - start;
    this.blockedSeconds += blocked;
    const last = this.records[this.records.length - 1];
    if (last !== undefined && start - last.endSeconds < this.mergeGap) {
      last.endSeconds = t;
      last.blockedSeconds += blocked;
    } else {
      this.records.push({ startSeconds: start, endSeconds: t, blockedSeconds: blocked });
    }
  }

  /** The stalls so far. */
  timeline(): StallRecord[] {
    return this.records.map((r) => ({ ...r }));
  }

  /** Number of stalls. */
  get count(): number {
    return this.records.length;
  }
}

/** Most points a series keeps. */
const MAX_POINTS = 4096;

/** A time series, one point per event; past {@link MAX_POINTS} every other point is dropped. */
export class SeriesRecorder {
  private t: number[] = [];
  private received: number[] = [];
  private used: number[] = [];
  private vm: number[] = [];
  private stride = 1;
  private skipped = 0;

  constructor(private readonly enabled: boolean) {}

  /** Records a point (kept one in `stride` once thinned; the last point is always kept by `final`). */
  point(t: number, received: number, used: number, vm: number): void {
    if (!this.enabled) return;
    if (++this.skipped < this.stride) return;
    this.skipped = 0;
    this.push(t, received, used, vm);
    if (this.t.length >= MAX_POINTS) this.thin();
  }

  /** Records the last point, whatever the stride. */
  final(t: number, received: number, used: number, vm: number): void {
    if (!this.enabled) return;
    this.push(t, received, used, vm);
  }

  /** The series. */
  series(): StreamSeries {
    return {
      timeSeconds: this.t,
      bytesReceived: this.received,
      bytesUsed: this.used,
      vmSeconds: this.vm,
    };
  }

  private push(t: number, received: number, used: number, vm: number): void {
    this.t.push(t);
    this.received.push(received);
    this.used.push(used);
    this.vm.push(vm);
  }

  private thin(): void {
    const keep = (xs: number[]): number[] => xs.filter((_, i) => i % 2 === 0);
    this.t = keep(this.t);
    this.received = keep(this.received);
    this.used = keep(this.used);
    this.vm = keep(this.vm);
    this.stride *= 2;
  }
}
