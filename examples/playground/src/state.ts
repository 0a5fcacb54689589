/**
 * The page's state in the URL's fragment (`#panel=migration&ram=32GiB`), so a result can be
 * shared as a link: only values that differ from the defaults are written.
 */

/** The panel shown and its fields. */
export interface PageState {
  readonly panel: string;
  readonly fields: Readonly<Record<string, string>>;
}

/**
 * Reads the state from a fragment.
 *
 * @param hash - `location.hash`.
 * @returns the panel (empty when none) and the fields given.
 */
export function readState(hash: string): PageState {
  const params = new URLSearchParams(hash.replace(/^#/, ""));
  const fields: Record<string, string> = {};
  for (const [k, v] of params) if (k !== "panel") fields[k] = v;
  return { panel: params.get("panel") ?? "", fields };
}

/**
 * Writes the state as a fragment.
 *
 * @param panel - the panel shown.
 * @param fields - its fields.
 * @param defaults - their defaults (left out of the URL).
 * @returns the fragment, with its `#`.
 */
export function writeState(
  panel: string,
  fields: Readonly<Record<string, string>>,
  defaults: Readonly<Record<string, string>>,
): string {
  const params = new URLSearchParams({ panel });
  for (const [k, v] of Object.entries(fields)) if (defaults[k] !== v) params.set(k, v);
  return `#${params.toString()}`;
}
