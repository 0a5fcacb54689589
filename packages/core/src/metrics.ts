/**
 * Metrics: counters, time-weighted gauges, step time series and histograms, and a registry whose
 * JSON output is deterministic.
 *
 * Models record what happens with these while a run is under way; reports are built afterwards
 * from {@link Metrics.toJSON}. Simulated time is seconds as a float, read from a {@link Clock}.
 * Every `toJSON()` returns plain JSON (no typed arrays, no `NaN` or `Infinity`, no `-0`), so
 * `JSON.stringify` of identical runs is byte-identical.
 *
 * @module
 */

import type { VxPath } from "./errors.js";
import { VxError } from "./errors.js";

/**
 * The source of simulated time for metrics: seconds since the start of the run, as a float.
 *
 * The event kernel exposes one as `sim`; in tests a plain mutable object `{ now: 0 }` will do.
 * Time must never decrease between two updates of the same metric.
 *
 * @example
 * ```ts
 * const clock = { now: 0 };
 * const util = new TimeWeightedGauge(clock, "host0.cpu");
 * clock.now = 1.5;
 * util.set(0.8);
 * ```
 */
export interface Clock {
  /** The current simulated time in seconds. */
  readonly now: number;
}

const BAD_VALUE = "VX_CORE_BAD_METRIC_VALUE";
const BACKWARDS = "VX_CORE_TIME_WENT_BACKWARDS";
const BAD_NAME = "VX_CORE_BAD_METRIC_NAME";
const KIND = "VX_CORE_METRIC_KIND";

/** Cold path: the error for a value that is not a finite number (or breaks `rule`). */
function badValue(path: VxPath, value: unknown, rule: string): VxError {
  return new VxError(BAD_VALUE, `Got ${String(value)}; ${rule}.`, { path });
}

/** Cold path: the error for a clock that reads earlier than the metric's last update. */
function wentBackwards(name: string, now: number, last: number): VxError {
  return new VxError(
    BACKWARDS,
    `clock.now is ${now} but metric "${name}" was last updated at t=${last}; simulated time must ` +
      "never decrease: record from the clock of the run that created the metric.",
    { path: [name, "clock", "now"] },
  );
}

function checkName(name: unknown): string {
  if (typeof name !== "string" || name.length === 0) {
    throw new VxError(
      BAD_NAME,
      `Got ${JSON.stringify(name) ?? String(name)}; a metric name must be a non-empty string such as "host0.cpu".`,
      { path: ["name"] },
    );
  }
  return name;
}

function checkClockStart(clock: Clock, name: string): number {
  const now = clock.now;
  if (!Number.isFinite(now)) {
    throw badValue([name, "clock", "now"], now, "the clock must read a finite time in seconds");
  }
  return now;
}

/** A finite number with `-0` turned into `0`, or `null` when not finite (JSON has no NaN). */
function jsonNumber(x: number): number | null {
  return Number.isFinite(x) ? x + 0 : null;
}

/** JSON form of a {@link Counter}. */
export interface CounterJSON {
  /** Always `"counter"`. */
  readonly kind: "counter";
  /** The metric's name. */
  readonly name: string;
  /** The total counted. */
  readonly value: number;
}

/**
 * A total that only goes up: requests served, bytes sent, migrations started.
 *
 * Use it for things that are counted, not for levels that go up and down (use
 * {@link TimeWeightedGauge}).
 *
 * @example
 * ```ts
 * const served = new Counter("requests.served");
 * served.inc();
 * served.inc(3);
 * served.value; // 4
 * ```
 */
export class Counter {
  /** Discriminant: always `"counter"`. */
  readonly kind: "counter" = "counter";
  /** The metric's name. */
  readonly name: string;
  private _value: number = 0;

  /**
   * @param name - the metric's name, non-empty.
   * @throws {@link VxError} `VX_CORE_BAD_METRIC_NAME` when `name` is empty or not a string.
   */
  constructor(name: string) {
    this.name = checkName(name);
  }

  /**
   * Adds `by` to the total.
   *
   * @param by - how much to add; finite and not negative. Defaults to 1.
   * @throws {@link VxError} `VX_CORE_BAD_METRIC_VALUE` when `by` is negative, NaN or infinite.
   */
  inc(by = 1): void {
    if (!(by >= 0 && by !== Number.POSITIVE_INFINITY)) {
      throw badValue(
        [this.name, "by"],
        by,
        "a counter only goes up: pass a finite number >= 0 (use a gauge for levels)",
      );
    }
    this._value += by;
  }

  /** The total counted so far. */
  get value(): number {
    return this._value;
  }

  /**
   * @returns the counter as plain JSON.
   */
  toJSON(): CounterJSON {
    return { kind: "counter", name: this.name, value: this._value + 0 };
  }
}

/** JSON form of a {@link TimeWeightedGauge}, read at the clock's current time. */
export interface GaugeJSON {
  /** Always `"gauge"`. */
  readonly kind: "gauge";
  /** The metric's name. */
  readonly name: string;
  /** The current value. */
  readonly value: number;
  /** The smallest value ever held (including the initial value). */
  readonly min: number;
  /** The largest value ever held (including the initial value). */
  readonly max: number;
  /** Time-weighted mean from creation to now. */
  readonly mean: number;
  /** ∫ value dt from creation to now (value × seconds). */
  readonly integral: number;
}

/**
 * A level that goes up and down over simulated time (running VMs, memory in use, queue length),
 * with its time-weighted mean and integral kept in O(1) per update.
 *
 * Use it when only summary statistics over the whole run are needed; use {@link TimeSeries}
 * when the trajectory itself is wanted. The value is a step function: it holds from the time it
 * is set until the next update. Mean and integral run from creation to `clock.now`.
 *
 * @example
 * ```ts
 * const clock = { now: 0 };
 * const g = new TimeWeightedGauge(clock, "vms.running", 2);
 * clock.now = 3;
 * g.set(5);
 * clock.now = 4;
 * g.integral(); // 2*3 + 5*1 = 11
 * g.mean(); // 11 / 4 = 2.75
 * ```
 */
export class TimeWeightedGauge {
  /** Discriminant: always `"gauge"`. */
  readonly kind: "gauge" = "gauge";
  /** The metric's name. */
  readonly name: string;
  /** Simulated time at creation: the start of the mean and integral. */
  readonly start: number;
  private readonly _clock: Clock;
  private _value: number;
  private _min: number;
  private _max: number;
  /** Time of the last update. */
  private _last: number;
  /** ∫ value dt from `start` to `_last`. */
  private _acc: number = 0;

  /**
   * @param clock - the source of simulated time; read now as the start time.
   * @param name - the metric's name, non-empty.
   * @param initial - the value held from creation; finite. Defaults to 0.
   * @throws {@link VxError} `VX_CORE_BAD_METRIC_NAME` for a bad name, `VX_CORE_BAD_METRIC_VALUE`
   *   when `initial` or `clock.now` is not finite.
   */
  constructor(clock: Clock, name: string, initial = 0) {
    this.name = checkName(name);
    if (!Number.isFinite(initial)) {
      throw badValue([this.name, "initial"], initial, "a gauge holds finite numbers only");
    }
    this._clock = clock;
    this.start = checkClockStart(clock, this.name);
    this._last = this.start;
    this._value = initial;
    this._min = initial;
    this._max = initial;
  }

  /**
   * Sets the value from `clock.now` on.
   *
   * @param v - the new value; finite.
   * @throws {@link VxError} `VX_CORE_BAD_METRIC_VALUE` when `v` is NaN or infinite,
   *   `VX_CORE_TIME_WENT_BACKWARDS` when `clock.now` is earlier than the last update.
   */
  set(v: number): void {
    if (!Number.isFinite(v)) {
      throw badValue([this.name, "value"], v, "a gauge holds finite numbers only");
    }
    const now = this._clock.now;
    const last = this._last;
    if (!(now >= last)) throw wentBackwards(this.name, now, last);
    this._acc += this._value * (now - last);
    this._last = now;
    this._value = v;
    if (v < this._min) this._min = v;
    if (v > this._max) this._max = v;
  }

  /**
   * Adds `delta` to the value from `clock.now` on.
   *
   * @param delta - the change; finite, may be negative.
   * @throws {@link VxError} as {@link TimeWeightedGauge.set}; path `delta` when `delta` is not finite.
   */
  add(delta: number): void {
    if (!Number.isFinite(delta)) {
      throw badValue([this.name, "delta"], delta, "a gauge changes by finite numbers only");
    }
    this.set(this._value + delta);
  }

  /** The current value. */
  get value(): number {
    return this._value;
  }

  /** The smallest value ever held, including the initial value. */
  get min(): number {
    return this._min;
  }

  /** The largest value ever held, including the initial value. */
  get max(): number {
    return this._max;
  }

  /**
   * ∫ value dt from creation up to `clock.now`.
   *
   * @returns the integral in value × seconds.
   * @throws {@link VxError} `VX_CORE_TIME_WENT_BACKWARDS` when `clock.now` is earlier than the
   *   last update.
   */
  integral(): number {
    const now = this._clock.now;
    const last = this._last;
    if (!(now >= last)) throw wentBackwards(this.name, now, last);
    return this._acc + this._value * (now - last);
  }

  /**
   * Time-weighted mean from creation up to `clock.now`: {@link TimeWeightedGauge.integral}
   * divided by the elapsed time, or the current value when no time has elapsed. Always within
   * [min, max] (the quotient is clamped against rounding).
   *
   * @returns the mean value.
   * @throws {@link VxError} `VX_CORE_TIME_WENT_BACKWARDS` when `clock.now` is earlier than the
   *   last update.
   */
  mean(): number {
    const integral = this.integral();
    const elapsed = this._clock.now - this.start;
    if (elapsed <= 0) return this._value;
    const m = integral / elapsed;
    return Math.min(Math.max(m, this._min), this._max);
  }

  /**
   * @returns the gauge as plain JSON, read at `clock.now`.
   * @throws {@link VxError} `VX_CORE_TIME_WENT_BACKWARDS` as {@link TimeWeightedGauge.integral}.
   */
  toJSON(): GaugeJSON {
    return {
      kind: "gauge",
      name: this.name,
      value: this._value + 0,
      min: this._min + 0,
      max: this._max + 0,
      mean: this.mean() + 0,
      integral: this.integral() + 0,
    };
  }
}

/** JSON form of a {@link TimeSeries}: the change points of the step function. */
export interface TimeSeriesJSON {
  /** Always `"timeseries"`. */
  readonly kind: "timeseries";
  /** The metric's name. */
  readonly name: string;
  /** Times of the change points in seconds, strictly increasing. */
  readonly times: number[];
  /** Value from each time on; consecutive values differ. */
  readonly values: number[];
}

const INITIAL_CAPACITY = 16;

/**
 * The trajectory of a value over simulated time, stored as a step function: one point per
 * change, in two growable `Float64Array`s (amortised doubling, no object per point).
 *
 * Use it when reports need the curve itself (utilisation over time); use
 * {@link TimeWeightedGauge} when only the mean is needed. Recording a value equal to the last
 * one stores nothing. Recording twice at the same instant keeps the last value at that instant,
 * and drops the point altogether if that value equals the one before it.
 *
 * @example
 * ```ts
 * const clock = { now: 0 };
 * const s = new TimeSeries(clock, "host0.vms");
 * s.record(1);
 * clock.now = 2;
 * s.record(1); // no change: nothing stored
 * s.record(3);
 * s.at(1); // 1
 * s.at(2.5); // 3
 * s.toJSON(); // { kind: "timeseries", name: "host0.vms", times: [0, 2], values: [1, 3] }
 * ```
 */
export class TimeSeries {
  /** Discriminant: always `"timeseries"`. */
  readonly kind: "timeseries" = "timeseries";
  /** The metric's name. */
  readonly name: string;
  private readonly _clock: Clock;
  private _times: Float64Array = new Float64Array(INITIAL_CAPACITY);
  private _values: Float64Array = new Float64Array(INITIAL_CAPACITY);
  private _length: number = 0;
  /** Latest time seen by `record` (creation time at first), to detect time going backwards. */
  private _last: number;

  /**
   * @param clock - the source of simulated time.
   * @param name - the metric's name, non-empty.
   * @throws {@link VxError} `VX_CORE_BAD_METRIC_NAME` for a bad name, `VX_CORE_BAD_METRIC_VALUE`
   *   when `clock.now` is not finite.
   */
  constructor(clock: Clock, name: string) {
    this.name = checkName(name);
    this._clock = clock;
    this._last = checkClockStart(clock, this.name);
  }

  /**
   * Records `value` as in force from `clock.now` on, if it differs from the current one.
   *
   * @param value - the new value; finite.
   * @throws {@link VxError} `VX_CORE_BAD_METRIC_VALUE` when `value` is NaN or infinite,
   *   `VX_CORE_TIME_WENT_BACKWARDS` when `clock.now` is earlier than an earlier `record`.
   */
  record(value: number): void {
    if (!Number.isFinite(value)) {
      throw badValue([this.name, "value"], value, "a time series holds finite numbers only");
    }
    const now = this._clock.now;
    if (!(now >= this._last)) throw wentBackwards(this.name, now, this._last);
    this._last = now;
    const n = this._length;
    if (n > 0) {
      const values = this._values;
      const lastValue = values[n - 1]!;
      if (value === lastValue) return;
      if (this._times[n - 1] === now) {
        // Same instant: the later value wins; if it restores the value before, the point goes.
        if (n > 1 && values[n - 2] === value) this._length = n - 1;
        else values[n - 1] = value;
        return;
      }
    }
    if (n === this._times.length) this.grow();
    this._times[n] = now;
    this._values[n] = value;
    this._length = n + 1;
  }

  private grow(): void {
    const capacity = this._times.length * 2;
    const times = new Float64Array(capacity);
    times.set(this._times);
    const values = new Float64Array(capacity);
    values.set(this._values);
    this._times = times;
    this._values = values;
  }

  /** Number of stored change points. */
  get length(): number {
    return this._length;
  }

  /**
   * @param i - index of a change point, `0 <= i < length`.
   * @returns the time of change point `i`.
   * @throws {@link VxError} `VX_CORE_INVALID_ARGUMENT` when `i` is out of range.
   */
  timeAt(i: number): number {
    this.checkIndex(i);
    return this._times[i]!;
  }

  /**
   * @param i - index of a change point, `0 <= i < length`.
   * @returns the value from change point `i` on.
   * @throws {@link VxError} `VX_CORE_INVALID_ARGUMENT` when `i` is out of range.
   */
  valueAt(i: number): number {
    this.checkIndex(i);
    return this._values[i]!;
  }

  private checkIndex(i: number): void {
    if (!(Number.isInteger(i) && i >= 0 && i < this._length)) {
      throw new VxError(
        "VX_CORE_INVALID_ARGUMENT",
        `Index ${i} is out of range; use an integer from 0 to length - 1 (${this._length - 1}).`,
        { path: [this.name, "i"] },
      );
    }
  }

  /** Index of the last point with time <= t, or -1 (binary search). */
  private indexAt(t: number): number {
    const times = this._times;
    let lo = 0;
    let hi = this._length; // invariant: times[lo-1] <= t < times[hi]
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (times[mid]! <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo - 1;
  }

  /**
   * The value in force at time `t` (step lookup by binary search, O(log n)).
   *
   * @param t - a time in seconds; not NaN.
   * @returns the value of the last change point at or before `t`, or `NaN` before the first.
   * @throws {@link VxError} `VX_CORE_BAD_METRIC_VALUE` when `t` is NaN.
   */
  at(t: number): number {
    if (Number.isNaN(t)) throw badValue([this.name, "t"], t, "pass a time in seconds");
    const i = this.indexAt(t);
    return i < 0 ? Number.NaN : this._values[i]!;
  }

  /**
   * ∫ value dt of the step function over [from, to]; the last value holds until `to`.
   *
   * @param from - start of the window in seconds; defaults to the first change point (or
   *   `clock.now` when empty).
   * @param to - end of the window in seconds, `>= from`; defaults to `clock.now`.
   * @returns the integral in value × seconds, or `NaN` when the window starts before the first
   *   change point (the value there is unknown, as with {@link TimeSeries.at}).
   * @throws {@link VxError} `VX_CORE_BAD_METRIC_VALUE` when `from` or `to` is not finite or
   *   `to < from`.
   */
  integral(from?: number, to?: number): number {
    const n = this._length;
    const a = from ?? (n > 0 ? this._times[0]! : this._clock.now);
    const b = to ?? this._clock.now;
    this.checkWindow(a, b);
    if (n === 0 || a < this._times[0]!) return Number.NaN;
    const times = this._times;
    const values = this._values;
    let i = this.indexAt(a);
    let sum = 0;
    let start = a;
    while (start < b) {
      const next = i + 1 < n ? times[i + 1]! : b;
      const end = Math.min(next, b);
      sum += values[i]! * (end - start);
      start = end;
      i++;
    }
    return sum;
  }

  /**
   * Time-weighted mean of the step function over [from, to]: {@link TimeSeries.integral}
   * divided by `to - from`, or the value at `from` when the window is empty.
   *
   * @param from - start of the window; defaults as in {@link TimeSeries.integral}.
   * @param to - end of the window; defaults to `clock.now`.
   * @returns the mean value, or `NaN` when the window starts before the first change point.
   * @throws {@link VxError} as {@link TimeSeries.integral}.
   */
  mean(from?: number, to?: number): number {
    const n = this._length;
    const a = from ?? (n > 0 ? this._times[0]! : this._clock.now);
    const b = to ?? this._clock.now;
    const integral = this.integral(a, b);
    return b > a ? integral / (b - a) : this.at(a);
  }

  private checkWindow(from: number, to: number): void {
    if (!Number.isFinite(from)) {
      throw badValue([this.name, "from"], from, "pass a finite time in seconds");
    }
    if (!Number.isFinite(to))
      throw badValue([this.name, "to"], to, "pass a finite time in seconds");
    if (to < from) {
      throw badValue([this.name, "to"], to, `the window must end at or after its start (${from})`);
    }
  }

  /**
   * @returns the change points as plain JSON arrays.
   */
  toJSON(): TimeSeriesJSON {
    const n = this._length;
    const times: number[] = new Array<number>(n);
    const values: number[] = new Array<number>(n);
    for (let i = 0; i < n; i++) {
      times[i] = this._times[i]! + 0;
      values[i] = this._values[i]! + 0;
    }
    return { kind: "timeseries", name: this.name, times, values };
  }
}

/** JSON form of a {@link Histogram}; statistics of an empty histogram are `null`. */
export interface HistogramJSON {
  /** Always `"histogram"`. */
  readonly kind: "histogram";
  /** The metric's name. */
  readonly name: string;
  /** Number of samples. */
  readonly count: number;
  /** Sum of the samples (0 when empty). */
  readonly sum: number;
  /** Arithmetic mean. */
  readonly mean: number | null;
  /** Smallest sample. */
  readonly min: number | null;
  /** Largest sample. */
  readonly max: number | null;
  /** Population standard deviation (divides by n). */
  readonly stddev: number | null;
  /** 50th percentile (median). */
  readonly p50: number | null;
  /** 90th percentile. */
  readonly p90: number | null;
  /** 95th percentile. */
  readonly p95: number | null;
  /** 99th percentile. */
  readonly p99: number | null;
}

/**
 * The distribution of a quantity sampled at events (migration durations, request latencies),
 * with exact percentiles.
 *
 * Use it for per-event samples where order in time does not matter. Every sample is kept in a
 * growable `Float64Array`; count, sum, min, max, mean and standard deviation are updated in
 * O(1) per sample (standard deviation by Welford's online algorithm: B. P. Welford, "Note on a
 * method for calculating corrected sums of squares and products", Technometrics 4(3), 1962).
 * Percentiles sort a copy on first use and cache it until the next sample.
 *
 * @example
 * ```ts
 * const h = new Histogram("migration.seconds");
 * for (let i = 1; i <= 10; i++) h.record(i);
 * h.percentile(50); // 5.5
 * h.percentile(90); // 9.1
 * ```
 */
export class Histogram {
  /** Discriminant: always `"histogram"`. */
  readonly kind: "histogram" = "histogram";
  /** The metric's name. */
  readonly name: string;
  private _samples: Float64Array = new Float64Array(INITIAL_CAPACITY);
  private _count: number = 0;
  private _sum: number = 0;
  private _min: number = Number.POSITIVE_INFINITY;
  private _max: number = Number.NEGATIVE_INFINITY;
  /** Welford running mean and sum of squared deviations. */
  private _wMean: number = 0;
  private _m2: number = 0;
  private _sorted: Float64Array | null = null;

  /**
   * @param name - the metric's name, non-empty.
   * @throws {@link VxError} `VX_CORE_BAD_METRIC_NAME` when `name` is empty or not a string.
   */
  constructor(name: string) {
    this.name = checkName(name);
  }

  /**
   * Adds one sample.
   *
   * @param v - the sample; finite.
   * @throws {@link VxError} `VX_CORE_BAD_METRIC_VALUE` when `v` is NaN or infinite.
   */
  record(v: number): void {
    if (!Number.isFinite(v)) {
      throw badValue([this.name, "value"], v, "a histogram holds finite numbers only");
    }
    const n = this._count;
    if (n === this._samples.length) {
      const grown = new Float64Array(n * 2);
      grown.set(this._samples);
      this._samples = grown;
    }
    this._samples[n] = v;
    const count = n + 1;
    this._count = count;
    this._sum += v;
    if (v < this._min) this._min = v;
    if (v > this._max) this._max = v;
    const delta = v - this._wMean;
    this._wMean += delta / count;
    this._m2 += delta * (v - this._wMean);
    this._sorted = null;
  }

  /** Number of samples. */
  get count(): number {
    return this._count;
  }

  /** Sum of the samples (0 when empty). */
  get sum(): number {
    return this._sum;
  }

  /** Arithmetic mean, `NaN` when empty. */
  get mean(): number {
    return this._count === 0 ? Number.NaN : this._sum / this._count;
  }

  /** Smallest sample, `NaN` when empty. */
  get min(): number {
    return this._count === 0 ? Number.NaN : this._min;
  }

  /** Largest sample, `NaN` when empty. */
  get max(): number {
    return this._count === 0 ? Number.NaN : this._max;
  }

  /** Population standard deviation (divides by n, like NumPy's `np.std` default), `NaN` when empty. */
  get stddev(): number {
    if (this._count === 0) return Number.NaN;
    const variance = this._m2 / this._count;
    return variance > 0 ? Math.sqrt(variance) : 0;
  }

  /**
   * The exact `p`-th percentile, interpolating linearly between closest ranks: Hyndman & Fan
   * type 7 ("Sample quantiles in statistical packages", The American Statistician 50(4), 1996),
   * the default `"linear"` method of NumPy's `percentile` and R's `quantile`. With the sorted
   * samples x[0..n-1] and h = (n - 1)·p/100, the result is x[⌊h⌋] + (h - ⌊h⌋)·(x[⌊h⌋+1] - x[⌊h⌋]),
   * computed as NumPy does (from the upper neighbour when the fraction is >= 0.5), so results
   * match NumPy bit for bit.
   *
   * The first call after a `record` sorts a copy of the samples (O(n log n)); later calls reuse
   * it (O(1)).
   *
   * @param p - the percentile, from 0 to 100.
   * @returns the percentile, or `NaN` when the histogram is empty.
   * @throws {@link VxError} `VX_CORE_BAD_METRIC_VALUE` when `p` is outside [0, 100] or NaN.
   */
  percentile(p: number): number {
    if (!(p >= 0 && p <= 100)) {
      throw badValue([this.name, "p"], p, "a percentile is a number from 0 to 100");
    }
    const n = this._count;
    if (n === 0) return Number.NaN;
    let sorted = this._sorted;
    if (sorted === null) {
      sorted = this._samples.slice(0, n).sort();
      this._sorted = sorted;
    }
    const h = (n - 1) * (p / 100);
    if (h >= n - 1) return sorted[n - 1]!;
    const lo = Math.floor(h);
    const t = h - lo;
    const a = sorted[lo]!;
    const b = sorted[lo + 1]!;
    const diff = b - a;
    return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
  }

  /**
   * @returns the summary as plain JSON (`null` for statistics of an empty histogram).
   */
  toJSON(): HistogramJSON {
    const empty = this._count === 0;
    return {
      kind: "histogram",
      name: this.name,
      count: this._count,
      sum: this._sum + 0,
      mean: jsonNumber(this.mean),
      min: jsonNumber(this.min),
      max: jsonNumber(this.max),
      stddev: jsonNumber(this.stddev),
      p50: empty ? null : jsonNumber(this.percentile(50)),
      p90: empty ? null : jsonNumber(this.percentile(90)),
      p95: empty ? null : jsonNumber(this.percentile(95)),
      p99: empty ? null : jsonNumber(this.percentile(99)),
    };
  }
}

/** Any metric held by a {@link Metrics} registry. */
export type Metric = Counter | TimeWeightedGauge | TimeSeries | Histogram;

/** The kind of a metric: `"counter"`, `"gauge"`, `"timeseries"` or `"histogram"`. */
export type MetricKind = Metric["kind"];

/** JSON form of any metric. */
export type MetricJSON = CounterJSON | GaugeJSON | TimeSeriesJSON | HistogramJSON;

/**
 * A registry of named metrics sharing one clock, with deterministic JSON output.
 *
 * Use one per run: models ask for their metrics by name (get-or-create), and the report is
 * built from {@link Metrics.toJSON}, whose keys are sorted by name. A name holds one kind of
 * metric for the whole run.
 *
 * @example
 * ```ts
 * const clock = { now: 0 };
 * const metrics = new Metrics(clock);
 * metrics.counter("vm.started").inc();
 * metrics.gauge("vm.running").add(1);
 * metrics.histogram("vm.boot.seconds").record(12.5);
 * JSON.stringify(metrics); // keys in name order: "vm.boot.seconds", "vm.running", "vm.started"
 * ```
 */
export class Metrics {
  /** The clock every time-based metric of this registry reads. */
  readonly clock: Clock;
  private readonly _byName: Map<string, Metric> = new Map();

  /**
   * @param clock - the source of simulated time (the event kernel, or `{ now: 0 }` in tests).
   */
  constructor(clock: Clock) {
    this.clock = clock;
  }

  /**
   * The counter named `name`, created on first use.
   *
   * @param name - the metric's name, non-empty.
   * @returns the counter.
   * @throws {@link VxError} `VX_CORE_METRIC_KIND` when `name` already holds another kind of
   *   metric, `VX_CORE_BAD_METRIC_NAME` for a bad name.
   */
  counter(name: string): Counter {
    const m = this._byName.get(name);
    if (m === undefined) return this.register(new Counter(name));
    if (m.kind !== "counter") throw kindError(name, m.kind, "counter");
    return m;
  }

  /**
   * The time-weighted gauge named `name`, created on first use.
   *
   * @param name - the metric's name, non-empty.
   * @param initial - the value held from creation; used only when the gauge is created.
   * @returns the gauge.
   * @throws {@link VxError} `VX_CORE_METRIC_KIND` when `name` already holds another kind of
   *   metric; as {@link TimeWeightedGauge} on creation.
   */
  gauge(name: string, initial?: number): TimeWeightedGauge {
    const m = this._byName.get(name);
    if (m === undefined) return this.register(new TimeWeightedGauge(this.clock, name, initial));
    if (m.kind !== "gauge") throw kindError(name, m.kind, "gauge");
    return m;
  }

  /**
   * The time series named `name`, created on first use.
   *
   * @param name - the metric's name, non-empty.
   * @returns the time series.
   * @throws {@link VxError} `VX_CORE_METRIC_KIND` when `name` already holds another kind of
   *   metric; as {@link TimeSeries} on creation.
   */
  series(name: string): TimeSeries {
    const m = this._byName.get(name);
    if (m === undefined) return this.register(new TimeSeries(this.clock, name));
    if (m.kind !== "timeseries") throw kindError(name, m.kind, "timeseries");
    return m;
  }

  /**
   * The histogram named `name`, created on first use.
   *
   * @param name - the metric's name, non-empty.
   * @returns the histogram.
   * @throws {@link VxError} `VX_CORE_METRIC_KIND` when `name` already holds another kind of
   *   metric, `VX_CORE_BAD_METRIC_NAME` for a bad name.
   */
  histogram(name: string): Histogram {
    const m = this._byName.get(name);
    if (m === undefined) return this.register(new Histogram(name));
    if (m.kind !== "histogram") throw kindError(name, m.kind, "histogram");
    return m;
  }

  private register<M extends Metric>(metric: M): M {
    this._byName.set(metric.name, metric);
    return metric;
  }

  /**
   * @param name - a metric name.
   * @returns the metric named `name`, or `undefined` if none was created.
   */
  get(name: string): Metric | undefined {
    return this._byName.get(name);
  }

  /**
   * @returns every metric name, sorted by UTF-16 code units (locale-independent).
   */
  names(): string[] {
    return [...this._byName.keys()].sort();
  }

  /**
   * All metrics as one plain object keyed by name, inserted in sorted name order.
   *
   * Note that JavaScript lists integer-like keys (`"7"`) first whatever the insertion order;
   * the output is deterministic either way.
   *
   * @returns `{ [name]: metricJSON }`.
   * @throws {@link VxError} `VX_CORE_TIME_WENT_BACKWARDS` when a gauge sees the clock earlier
   *   than its last update.
   */
  toJSON(): Record<string, MetricJSON> {
    const entries: [string, MetricJSON][] = [];
    for (const name of this.names()) entries.push([name, this._byName.get(name)!.toJSON()]);
    // fromEntries defines own properties, so even a metric named "__proto__" is kept.
    return Object.fromEntries(entries);
  }
}

function kindError(name: string, existing: MetricKind, wanted: MetricKind): VxError {
  return new VxError(
    KIND,
    `Metric "${name}" is already a ${existing}; it cannot also be a ${wanted}. Use another name ` +
      `for the ${wanted}.`,
    { path: [name] },
  );
}
