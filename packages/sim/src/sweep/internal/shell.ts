/** Quoting for POSIX shells, for the scripts and manifests `vx sweep slurm|kubernetes` write. */

/**
 * Quotes one word for a POSIX shell: plain words stay as they are, anything else goes in single
 * quotes (a single quote inside becomes `'\''`).
 *
 * @param word - the word.
 * @returns the quoted word.
 */
export function shellQuote(word: string): string {
  if (/^[\w@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * Quotes every word and joins them with spaces.
 *
 * @param words - the words of a command.
 * @returns one command line.
 */
export function shellJoin(words: readonly string[]): string {
  return words.map(shellQuote).join(" ");
}
