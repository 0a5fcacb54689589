/**
 * "Did you mean …?": the closest of a list of known names to a misspelt one, for error messages
 * about unknown keys, flags, commands and choices.
 *
 * @module
 */

/** Options of {@link closestMatch}. */
export interface ClosestMatchOptions {
  /**
   * Largest edit distance accepted, as a fraction of the longer of the two names (rounded down,
   * at least 1). Default `1/3`: one edit in a name of up to 5 characters, two up to 8, and so on.
   */
  readonly maxRelativeDistance?: number;
}

/** Defaults of {@link closestMatch}. */
export const CLOSEST_MATCH_DEFAULTS: { readonly maxRelativeDistance: number } = {
  maxRelativeDistance: 1 / 3,
};

/** Names longer than this are not compared (the distance table grows with the product). */
const MAX_COMPARED_LENGTH = 64;

/**
 * The optimal-string-alignment distance between `a` and `b`: the fewest insertions, deletions,
 * substitutions and swaps of two adjacent characters that turn one into the other (Damerau's
 * four kinds of single error, 1964, computed as in Boytsov, "Indexing methods for approximate
 * dictionary searching", ACM JEA 16, 2011, §2.1: each substring edited at most once).
 */
function editDistance(a: string, b: string): number {
  const n = a.length;
  const m = b.length;
  // Three rolling rows: i - 2, i - 1 and i.
  let before = new Uint16Array(m + 1);
  let previous = new Uint16Array(m + 1);
  let current = new Uint16Array(m + 1);
  for (let j = 0; j <= m; j++) previous[j] = j;
  for (let i = 1; i <= n; i++) {
    current[0] = i;
    for (let j = 1; j <= m; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let d = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (
        i > 1 &&
        j > 1 &&
        a.charCodeAt(i - 1) === b.charCodeAt(j - 2) &&
        a.charCodeAt(i - 2) === b.charCodeAt(j - 1)
      ) {
        d = Math.min(d, before[j - 2]! + 1);
      }
      current[j] = d;
    }
    const recycled = before;
    before = previous;
    previous = current;
    current = recycled;
  }
  return previous[m]!;
}

/**
 * The known name closest to `input`, or `undefined` when none is close enough to be a likely
 * misspelling.
 *
 * Use it to add "did you mean …?" to a message about an unknown key, flag, command or choice.
 * Names are compared without regard to case (a name differing only in case always matches);
 * the distance counts insertions, deletions, substitutions and swaps of adjacent characters, and
 * must be at most `maxRelativeDistance` of the longer name's length (at least 1). Ties go to
 * the name listed first. Names of more than 64 characters are never suggested.
 *
 * @param input - what was written.
 * @param candidates - the names that would have been accepted.
 * @param options - how far a suggestion may be.
 * @returns the closest candidate, or `undefined`.
 * @example
 * ```ts
 * closestMatch("polcy", ["hosts", "vms", "policy"]); // "policy"
 * closestMatch("--ouput", ["--out", "--json", "--seed"]); // "--out"
 * closestMatch("colour", ["hosts", "vms"]); // undefined
 * ```
 */
export function closestMatch(
  input: string,
  candidates: Iterable<string>,
  options: ClosestMatchOptions = {},
): string | undefined {
  const fraction = options.maxRelativeDistance ?? CLOSEST_MATCH_DEFAULTS.maxRelativeDistance;
  if (input.length === 0 || input.length > MAX_COMPARED_LENGTH) return undefined;
  const lower = input.toLowerCase();
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    if (candidate === input || candidate.length > MAX_COMPARED_LENGTH) continue;
    const distance = editDistance(lower, candidate.toLowerCase());
    const limit = Math.max(1, Math.floor(fraction * Math.max(input.length, candidate.length)));
    // A suggestion must keep something of what was written ("a" does not suggest "b").
    if (distance <= limit && distance < input.length && distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}
