/**
 * Max-min fair shares of one capacity (progressive filling), over typed arrays.
 *
 * @module
 */

/**
 * Max-min shares of one capacity: the demands `want[ids[i]]` (`start ≤ i < end`) share `capacity`;
 * writes each share to `grant[ids[i]]` and returns their sum. A demand at or below the common
 * level is met in full and leaves the others more room (progressive filling: D. Bertsekas and
 * R. Gallager, _Data Networks_, 2nd ed., 1992, §6.5.2). A few passes over the ids, no allocation.
 *
 * @param ids - indices into `want` and `grant`.
 * @param start - first position of `ids` to use.
 * @param end - one past the last position of `ids` to use.
 * @param want - demands (≥ 0).
 * @param grant - receives the shares.
 * @param capacity - what is shared (≥ 0).
 * @returns the sum of the shares (≤ `capacity`).
 */
export function waterfill(
  ids: Int32Array,
  start: number,
  end: number,
  want: Float64Array,
  grant: Float64Array,
  capacity: number,
): number {
  let sum = 0;
  for (let i = start; i < end; i++) sum += want[ids[i]!]!;
  if (sum <= capacity) {
    for (let i = start; i < end; i++) grant[ids[i]!] = want[ids[i]!]!;
    return sum;
  }
  // Raise a common level; demands at or below it are met in full and leave the rest more room.
  let remaining = capacity;
  let active = end - start;
  let previous = 0;
  let level = 0;
  for (;;) {
    level = remaining / active;
    let met = 0;
    let metSum = 0;
    for (let i = start; i < end; i++) {
      const v = want[ids[i]!]!;
      if (v > previous && v <= level) {
        met++;
        metSum += v;
      }
    }
    if (met === 0 || met === active) break;
    remaining -= metSum;
    active -= met;
    previous = level;
  }
  let used = 0;
  for (let i = start; i < end; i++) {
    const v = want[ids[i]!]!;
    const share = v < level ? v : level;
    grant[ids[i]!] = share;
    used += share;
  }
  return used;
}
