/**
 * A set of small non-negative integers with ordered iteration: a three-level bitset, so that
 * `next(from)` (the smallest member ≥ from) costs a few word operations whatever the gaps.
 *
 * @internal
 */
export class IndexSet {
  private readonly l0: Uint32Array;
  private readonly l1: Uint32Array;
  private readonly l2: Uint32Array;
  size = 0;

  constructor(capacity: number) {
    const w0 = Math.max(1, Math.ceil(capacity / 32));
    const w1 = Math.max(1, Math.ceil(w0 / 32));
    const w2 = Math.max(1, Math.ceil(w1 / 32));
    this.l0 = new Uint32Array(w0);
    this.l1 = new Uint32Array(w1);
    this.l2 = new Uint32Array(w2);
  }

  has(i: number): boolean {
    return ((this.l0[i >>> 5] as number) & (1 << (i & 31))) !== 0;
  }

  add(i: number): void {
    const w = i >>> 5;
    const before = this.l0[w] as number;
    const bit = 1 << (i & 31);
    if ((before & bit) !== 0) return;
    this.l0[w] = before | bit;
    this.size++;
    if (before === 0) {
      const w1 = w >>> 5;
      const b1 = this.l1[w1] as number;
      this.l1[w1] = b1 | (1 << (w & 31));
      if (b1 === 0) this.l2[w1 >>> 5] = (this.l2[w1 >>> 5] as number) | (1 << (w1 & 31));
    }
  }

  delete(i: number): void {
    const w = i >>> 5;
    const before = this.l0[w] as number;
    const bit = 1 << (i & 31);
    if ((before & bit) === 0) return;
    const after = before & ~bit;
    this.l0[w] = after;
    this.size--;
    if (after === 0) {
      const w1 = w >>> 5;
      const b1 = (this.l1[w1] as number) & ~(1 << (w & 31));
      this.l1[w1] = b1;
      if (b1 === 0) this.l2[w1 >>> 5] = (this.l2[w1 >>> 5] as number) & ~(1 << (w1 & 31));
    }
  }

  clear(): void {
    if (this.size === 0) return;
    this.l0.fill(0);
    this.l1.fill(0);
    this.l2.fill(0);
    this.size = 0;
  }

  /** The smallest member ≥ `from`, or -1. */
  next(from: number): number {
    if (from < 0) from = 0;
    let w = from >>> 5;
    if (w >= this.l0.length) return -1;
    // In the current word.
    let bits = (this.l0[w] as number) & (~0 << (from & 31));
    if (bits !== 0) return (w << 5) | ctz(bits);
    // Next non-empty word in the same level-1 group.
    w++;
    let w1 = w >>> 5;
    if (w1 < this.l1.length && (w & 31) !== 0) {
      bits = (this.l1[w1] as number) & (~0 << (w & 31));
      if (bits !== 0) {
        const ww = (w1 << 5) | ctz(bits);
        return (ww << 5) | ctz(this.l0[ww] as number);
      }
      w1++;
    }
    // Next non-empty level-1 group.
    let w2 = w1 >>> 5;
    if (w2 >= this.l2.length) return -1;
    bits = (this.l2[w2] as number) & (~0 << (w1 & 31));
    while (bits === 0) {
      w2++;
      if (w2 >= this.l2.length) return -1;
      bits = this.l2[w2] as number;
    }
    const g1 = (w2 << 5) | ctz(bits);
    const ww = (g1 << 5) | ctz(this.l1[g1] as number);
    return (ww << 5) | ctz(this.l0[ww] as number);
  }
}

/** Count of trailing zero bits of a non-zero 32-bit word. */
function ctz(x: number): number {
  return 31 - Math.clz32(x & -x);
}
