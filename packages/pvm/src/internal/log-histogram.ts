/**
 * A weighted histogram with 8 bins per octave (bin width 9 %), binned from the float's exponent
 * and top mantissa bits (no logarithm per sample), for latency percentiles over millions of
 * weighted samples in constant memory.
 *
 * @module
 */

const SUB = 8;
const MIN_EXP = -40; // 2^-40 s ≈ 0.9 ps
const MAX_EXP = 20; // 2^20 s ≈ 12 days
const BINS = (MAX_EXP - MIN_EXP) * SUB;

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
/** Index of the high word of a float in `u32` (little- or big-endian hosts). */
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;

export class LogHistogram {
  private readonly w = new Float64Array(BINS);
  private total = 0;

  add(value: number, weight: number): void {
    if (!(weight > 0)) return;
    f64[0] = value;
    const hi = u32[HI]!;
    const e = ((hi >>> 20) & 0x7ff) - 1023;
    let b = (e - MIN_EXP) * SUB + ((hi >>> 17) & 7);
    if (!(value > 0) || b < 0) b = 0;
    else if (b >= BINS) b = BINS - 1;
    this.w[b]! += weight;
    this.total += weight;
  }

  get weight(): number {
    return this.total;
  }

  /** The q-quantile (0–1), interpolated linearly inside its bin; NaN when empty. */
  quantile(q: number): number {
    if (this.total === 0) return Number.NaN;
    const target = q * this.total;
    let acc = 0;
    for (let b = 0; b < BINS; b++) {
      const x = this.w[b]!;
      if (x > 0 && acc + x >= target) {
        const frac = (target - acc) / x;
        const e = Math.floor(b / SUB) + MIN_EXP;
        const sub = b % SUB;
        return 2 ** e * (1 + (sub + frac) / SUB);
      }
      acc += x;
    }
    return 2 ** MAX_EXP;
  }
}
