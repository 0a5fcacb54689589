/**
 * Bit-packed page bitmaps on `Uint32Array`s: one bit per page, 32 pages per word. Every bulk
 * operation works a word at a time, so a pass over a 256 GiB image (67M pages, 2M words) costs a
 * few milliseconds.
 *
 * @internal
 */

/** A bitmap over `size` pages. */
export type Bitmap = Uint32Array<ArrayBuffer>;

/** Number of 32-bit words for `bits` bits. */
export function wordsFor(bits: number): number {
  return Math.ceil(bits / 32);
}

/** A cleared bitmap over `bits` bits. */
export function bitmap(bits: number): Bitmap {
  return new Uint32Array(wordsFor(bits));
}

/** Population count of a 32-bit word (SWAR). */
export function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

/** Index of the lowest set bit of a non-zero word. */
export function lowestBit(x: number): number {
  return 31 - Math.clz32(x & -x);
}

export function getBit(b: Bitmap, i: number): boolean {
  return (b[i >>> 5]! & (1 << (i & 31))) !== 0;
}

/** Number of set bits. */
export function countBits(b: Bitmap): number {
  let n = 0;
  for (let w = 0; w < b.length; w++) {
    const x = b[w]!;
    if (x !== 0) n += popcount(x);
  }
  return n;
}

/** Number of bits set in `a` and clear in `b`. */
export function countAndNot(a: Bitmap, b: Bitmap): number {
  let n = 0;
  for (let w = 0; w < a.length; w++) {
    const x = a[w]! & ~b[w]!;
    if (x !== 0) n += popcount(x);
  }
  return n;
}

/** Sets bits `[from, to)`. */
export function setRange(b: Bitmap, from: number, to: number): void {
  if (to <= from) return;
  const w0 = from >>> 5;
  const w1 = (to - 1) >>> 5;
  const m0 = ~0 << (from & 31);
  const m1 = ~0 >>> (31 - ((to - 1) & 31));
  if (w0 === w1) {
    b[w0]! |= m0 & m1;
    return;
  }
  b[w0]! |= m0;
  for (let w = w0 + 1; w < w1; w++) b[w] = 0xffffffff;
  b[w1]! |= m1;
}

/** Mask of the valid bits of the last word of a bitmap over `bits` bits. */
export function lastWordMask(bits: number): number {
  const r = bits & 31;
  return r === 0 ? 0xffffffff : (1 << r) - 1;
}
