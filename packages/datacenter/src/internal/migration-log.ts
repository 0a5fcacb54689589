/**
 * The migration log of a run, on typed arrays (hundreds of thousands of migrations in large
 * runs); records are built as objects only at the end.
 *
 * @internal
 */

import type { MigrationRecord, MigrationRecordOutcome } from "../result.js";

/** Outcome codes, in the order of {@link OUTCOMES}. */
export const OUTCOMES: readonly MigrationRecordOutcome[] = [
  "unfinished",
  "completed",
  "did-not-converge",
  "aborted",
  "vm-lost",
  "paused",
];
export const UNFINISHED = 0;
export const COMPLETED = 1;

/** Index of an outcome in {@link OUTCOMES}. */
export function outcomeCode(outcome: MigrationRecordOutcome): number {
  return OUTCOMES.indexOf(outcome);
}

export class MigrationLog {
  count = 0;
  time: Float64Array = new Float64Array(1024);
  vm: Int32Array = new Int32Array(1024);
  from: Int32Array = new Int32Array(1024);
  to: Int32Array = new Int32Array(1024);
  /** When it started moving (NaN while queued). */
  start: Float64Array = new Float64Array(1024);
  duration: Float64Array = new Float64Array(1024);
  downtime: Float64Array = new Float64Array(1024);
  bytes: Float64Array = new Float64Array(1024);
  outcome: Uint8Array = new Uint8Array(1024);
  origin: Uint16Array = new Uint16Array(1024);
  private readonly origins: string[] = ["consolidation"];

  /** Appends a decided migration; returns its index. */
  add(time: number, vm: number, from: number, to: number, origin: string): number {
    const i = this.count++;
    if (i === this.time.length) this.grow();
    this.time[i] = time;
    this.vm[i] = vm;
    this.from[i] = from;
    this.to[i] = to;
    this.start[i] = Number.NaN;
    this.duration[i] = 0;
    this.downtime[i] = 0;
    this.bytes[i] = 0;
    this.outcome[i] = UNFINISHED;
    let o = this.origins.indexOf(origin);
    if (o < 0) o = this.origins.push(origin) - 1;
    this.origin[i] = o;
    return i;
  }

  private grow(): void {
    const n = this.time.length * 2;
    const f64 = (a: Float64Array): Float64Array => {
      const b = new Float64Array(n);
      b.set(a);
      return b;
    };
    const i32 = (a: Int32Array): Int32Array => {
      const b = new Int32Array(n);
      b.set(a);
      return b;
    };
    this.time = f64(this.time);
    this.vm = i32(this.vm);
    this.from = i32(this.from);
    this.to = i32(this.to);
    this.start = f64(this.start);
    this.duration = f64(this.duration);
    this.downtime = f64(this.downtime);
    this.bytes = f64(this.bytes);
    const outcome = new Uint8Array(n);
    outcome.set(this.outcome);
    this.outcome = outcome;
    const origin = new Uint16Array(n);
    origin.set(this.origin);
    this.origin = origin;
  }

  /** Record `i` as plain data. */
  record(i: number): MigrationRecord {
    const start = this.start[i] as number;
    return {
      time: this.time[i] as number,
      vm: this.vm[i] as number,
      from: this.from[i] as number,
      to: this.to[i] as number,
      queueSeconds: Number.isNaN(start) ? 0 : start - (this.time[i] as number),
      durationSeconds: this.duration[i] as number,
      downtimeSeconds: this.downtime[i] as number,
      bytes: this.bytes[i] as number,
      outcome: OUTCOMES[this.outcome[i] as number] as MigrationRecordOutcome,
      origin: this.origins[this.origin[i] as number] as string,
    };
  }
}
