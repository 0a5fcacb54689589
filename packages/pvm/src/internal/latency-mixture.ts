/**
 * Request latencies as a weighted mixture of closed-form distributions, for exact percentiles
 * over billions of requests in memory that grows with outages, not with requests.
 *
 * Three shapes, two built on a request's own latency `S ~ Exponential(mean m)` (an M/M/1 queue's
 * response time, L. Kleinrock, _Queueing Systems_ vol. 1, 1975, §3.2):
 * - `S + U`, `U ~ Uniform[0, a]`: a wait spread evenly over `[0, a]` (a request arriving during an
 *   outage waits for its end; a response held until the next checkpoint); `a = 0` is `S` alone;
 * - `S + a`: a fixed wait (requests in flight when an outage starts wait for all of it);
 * - exactly `a`: a point (a request given up after its client's timeout).
 *
 * @module
 */

const UNIFORM = 0;
const SHIFTED = 1;
const POINT = 2;

/** CDF of `S + U[0, a]`, `S ~ Exp(mean m)`. */
function uniformPlusExp(x: number, a: number, m: number): number {
  if (x <= 0) return 0;
  if (a <= 0) return 1 - Math.exp(-x / m);
  if (x < a) return (x - m * -Math.expm1(-x / m)) / a;
  // (1/a) ∫_0^a (1 − e^{−(x−u)/m}) du = 1 − (m/a) (e^{−(x−a)/m} − e^{−x/m})
  return 1 - (m / a) * Math.exp(-(x - a) / m) * -Math.expm1(-a / m);
}

/** A growable mixture of the two shapes. */
export class LatencyMixture {
  private weight = new Float64Array(16);
  private wait = new Float64Array(16);
  private mean = new Float64Array(16);
  private shape = new Uint8Array(16);
  private count = 0;
  private total = 0;
  /** Index of each (shape, wait, mean) already present: equal components merge their weights. */
  private readonly index = new Map<string, number>();

  /** Total weight (requests). */
  get weightTotal(): number {
    return this.total;
  }

  private push(shape: number, weight: number, wait: number, mean: number): void {
    if (!(weight > 0)) return;
    const key = `${shape} ${wait} ${mean}`;
    const at = this.index.get(key);
    if (at !== undefined) {
      this.weight[at]! += weight;
      this.total += weight;
      return;
    }
    this.index.set(key, this.count);
    if (this.count === this.weight.length) {
      const grow = <A extends Float64Array | Uint8Array>(old: A, make: (n: number) => A): A => {
        const next = make(old.length * 2);
        next.set(old);
        return next;
      };
      this.weight = grow(this.weight, (n) => new Float64Array(n));
      this.wait = grow(this.wait, (n) => new Float64Array(n));
      this.mean = grow(this.mean, (n) => new Float64Array(n));
      this.shape = grow(this.shape, (n) => new Uint8Array(n));
    }
    const i = this.count++;
    this.weight[i] = weight;
    this.wait[i] = wait;
    this.mean[i] = mean;
    this.shape[i] = shape;
    this.total += weight;
  }

  /**
   * Adds `weight` requests of latency `S + U[0, wait]`.
   *
   * @param weight - number of requests.
   * @param wait - width of the uniform wait, seconds (0: none).
   * @param mean - mean of `S`, seconds.
   */
  addUniform(weight: number, wait: number, mean: number): void {
    this.push(UNIFORM, weight, wait, mean);
  }

  /**
   * Adds `weight` requests of latency `S + wait`.
   *
   * @param weight - number of requests.
   * @param wait - the fixed wait, seconds.
   * @param mean - mean of `S`, seconds.
   */
  addShifted(weight: number, wait: number, mean: number): void {
    this.push(SHIFTED, weight, wait, mean);
  }

  /**
   * Adds `weight` requests of latency exactly `at`.
   *
   * @param weight - number of requests.
   * @param at - their latency, seconds.
   */
  addPoint(weight: number, at: number): void {
    this.push(POINT, weight, at, 0);
  }

  /** Share of the requests with latency ≤ x. */
  cdf(x: number): number {
    if (this.total === 0) return Number.NaN;
    let sum = 0;
    for (let i = 0; i < this.count; i++) {
      const m = this.mean[i]!;
      const a = this.wait[i]!;
      const shape = this.shape[i];
      const f =
        shape === UNIFORM
          ? uniformPlusExp(x, a, m)
          : shape === POINT
            ? x >= a
              ? 1
              : 0
            : x <= a
              ? 0
              : -Math.expm1(-(x - a) / m);
      sum += this.weight[i]! * f;
    }
    return sum / this.total;
  }

  /** Mean latency; NaN when empty. */
  meanLatency(): number {
    if (this.total === 0) return Number.NaN;
    let sum = 0;
    for (let i = 0; i < this.count; i++) {
      const a = this.wait[i]!;
      sum += this.weight[i]! * (this.mean[i]! + (this.shape[i] === UNIFORM ? a / 2 : a));
      // (a POINT has mean 0: its latency is `a`)
    }
    return sum / this.total;
  }

  /**
   * The q-quantile by bisection on the mixture's CDF (to 1e-9 relative); NaN when empty.
   *
   * @param q - in (0, 1).
   * @returns seconds.
   */
  quantile(q: number): number {
    if (this.total === 0) return Number.NaN;
    let hi = 0;
    for (let i = 0; i < this.count; i++) {
      const top = (this.wait[i]! + 60 * this.mean[i]!) * 1.000001;
      if (top > hi) hi = top;
    }
    let lo = 0;
    for (let k = 0; k < 200 && hi - lo > 1e-9 * hi; k++) {
      const mid = (lo + hi) / 2;
      if (this.cdf(mid) < q) lo = mid;
      else hi = mid;
    }
    return hi;
  }
}
