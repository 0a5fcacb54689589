/**
 * Canonical Huffman codes over a small alphabet (the 101 percentages): code lengths from symbol
 * counts (Huffman 1952), limited to a maximum length, and the canonical assignment of codes to
 * lengths of RFC 1951 §3.2.2 (shorter codes first, then by symbol), which lets a file store only
 * the lengths.
 *
 * @module
 */

/**
 * Optimal prefix-code lengths for the given symbol counts (Huffman's algorithm), no longer than
 * `maxBits`. Symbols of count 0 get length 0 (no code). A single used symbol gets length 1.
 *
 * When the optimal code is too deep, every count is halved (keeping used symbols at ≥ 1) and the
 * code rebuilt, which flattens the tree until it fits: not optimal, but within a few bytes of it
 * for this data, and deterministic. Ties between equal weights go to the lower node index, so the
 * lengths depend on the counts only.
 *
 * @param counts - occurrences of each symbol.
 * @param maxBits - the longest allowed code (at least ⌈log2(used symbols)⌉).
 * @returns one length per symbol.
 */
export function huffmanLengths(counts: ArrayLike<number>, maxBits: number): Uint8Array {
  const n = counts.length;
  const weights = Float64Array.from(counts);
  for (;;) {
    const lengths = buildLengths(weights);
    let longest = 0;
    for (let s = 0; s < n; s++) longest = Math.max(longest, lengths[s] as number);
    if (longest <= maxBits) return lengths;
    for (let s = 0; s < n; s++) {
      const w = weights[s] as number;
      if (w > 0) weights[s] = Math.max(1, Math.floor(w / 2));
    }
  }
}

/** Huffman's algorithm on at most a few hundred symbols: pick the two lightest nodes, merge. */
function buildLengths(weights: Float64Array): Uint8Array {
  const n = weights.length;
  const lengths = new Uint8Array(n);
  // Nodes 0..n-1 are the symbols; merged nodes follow. parent[i] = -1 while a node is a root.
  const weight: number[] = [];
  const parent: number[] = [];
  const alive: boolean[] = [];
  let used = 0;
  for (let s = 0; s < n; s++) {
    const w = weights[s] as number;
    weight.push(w);
    parent.push(-1);
    alive.push(w > 0);
    if (w > 0) used++;
  }
  if (used === 0) return lengths;
  if (used === 1) {
    for (let s = 0; s < n; s++) if ((weights[s] as number) > 0) lengths[s] = 1;
    return lengths;
  }
  for (let roots = used; roots > 1; roots--) {
    let a = -1;
    let b = -1;
    for (let i = 0; i < weight.length; i++) {
      if (!alive[i]) continue;
      const w = weight[i] as number;
      if (a < 0 || w < (weight[a] as number)) {
        b = a;
        a = i;
      } else if (b < 0 || w < (weight[b] as number)) {
        b = i;
      }
    }
    const merged = weight.length;
    weight.push((weight[a] as number) + (weight[b] as number));
    parent.push(-1);
    alive.push(true);
    alive[a] = false;
    alive[b] = false;
    parent[a] = merged;
    parent[b] = merged;
  }
  for (let s = 0; s < n; s++) {
    if ((weights[s] as number) === 0) continue;
    let depth = 0;
    for (let p = parent[s] as number; p >= 0; p = parent[p] as number) depth++;
    lengths[s] = depth;
  }
  return lengths;
}

/**
 * The canonical codes of RFC 1951 §3.2.2 for the given lengths: codes of one length are
 * consecutive integers in symbol order, and each length's first code follows the previous
 * length's last.
 *
 * @param lengths - one code length per symbol (0: no code).
 * @param maxBits - the longest length present may not exceed this.
 * @returns the code of each symbol (its low `lengths[s]` bits, most significant first).
 */
export function canonicalCodes(lengths: Uint8Array, maxBits: number): Uint32Array {
  const perLength = new Uint32Array(maxBits + 1);
  for (const len of lengths) if (len > 0) perLength[len] = (perLength[len] as number) + 1;
  const next = new Uint32Array(maxBits + 1);
  let code = 0;
  for (let len = 1; len <= maxBits; len++) {
    code = (code + (perLength[len - 1] as number)) << 1;
    next[len] = code;
  }
  // perLength[0] counts nothing (lengths of 0 are skipped), so the first code of length 1 is 0.
  const codes = new Uint32Array(lengths.length);
  for (let s = 0; s < lengths.length; s++) {
    const len = lengths[s] as number;
    if (len === 0) continue;
    codes[s] = next[len] as number;
    next[len] = (next[len] as number) + 1;
  }
  return codes;
}

/** Bits of the first-level lookup table: codes up to this long decode in one step. */
export const LOOKUP_BITS = 10;

/**
 * A canonical code ready for decoding: a lookup table for the short codes (most samples), and
 * counts and symbols to decode longer ones bit by bit (the method of zlib's `puff.c`).
 */
export interface DecodeTable {
  /**
   * Indexed by the next {@link LOOKUP_BITS} bits: `symbol << 5 | length` of the code they start
   * with when that code is at most `LOOKUP_BITS` long, else 0.
   */
  readonly lookup: Uint16Array;
  /** `count[len]`: how many symbols have a code of length `len`. */
  readonly count: Uint32Array;
  /** The symbols ordered by (code length, symbol): the order of their codes. */
  readonly symbols: Uint8Array;
  /** The longest code length in use; 0 when the code is empty. */
  readonly maxBits: number;
}

/**
 * Builds the decoding table of a canonical code, or says why the lengths cannot be one.
 *
 * @param lengths - one code length per symbol.
 * @param maxBits - the longest length allowed.
 * @returns the table (with `maxBits` 0 when no symbol has a code: a context that never occurs),
 * or a message when a length is too long or the lengths over-subscribe the code space (Kraft sum
 * > 1: no prefix code has them).
 */
export function decodeTable(lengths: Uint8Array, maxBits: number): DecodeTable | string {
  const count = new Uint32Array(maxBits + 1);
  let longest = 0;
  for (let s = 0; s < lengths.length; s++) {
    const len = lengths[s] as number;
    if (len > maxBits) return `the code length of value ${s} is ${len}, longer than ${maxBits}`;
    if (len > 0) {
      count[len] = (count[len] as number) + 1;
      longest = Math.max(longest, len);
    }
  }
  // Kraft: left = code space still free at each length; negative means over-subscribed.
  let left = 1;
  for (let len = 1; len <= longest; len++) {
    left = left * 2 - (count[len] as number);
    if (left < 0) return "the code lengths over-subscribe the code space (no prefix code has them)";
  }
  const offsets = new Uint32Array(longest + 2);
  for (let len = 1; len <= longest; len++) {
    offsets[len + 1] = (offsets[len] as number) + (count[len] as number);
  }
  const symbols = new Uint8Array(offsets[longest + 1] as number);
  for (let s = 0; s < lengths.length; s++) {
    const len = lengths[s] as number;
    if (len === 0) continue;
    symbols[offsets[len] as number] = s;
    offsets[len] = (offsets[len] as number) + 1;
  }
  const lookup = new Uint16Array(1 << LOOKUP_BITS);
  const codes = canonicalCodes(lengths, maxBits);
  for (let s = 0; s < lengths.length; s++) {
    const len = lengths[s] as number;
    if (len === 0 || len > LOOKUP_BITS) continue;
    const from = (codes[s] as number) << (LOOKUP_BITS - len);
    lookup.fill((s << 5) | len, from, from + (1 << (LOOKUP_BITS - len)));
  }
  return { lookup, count, symbols, maxBits: longest };
}
