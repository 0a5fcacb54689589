/**
 * `result.json`'s text (browser-safe).
 *
 * @module
 */

import type { DatacenterResult } from "@vx/datacenter";
import type { Provenance } from "../scenario/internal/run-core.js";

/**
 * The JSON of a result as `result.json` holds it: two-space indented, with a final newline.
 * Deterministic: the same result gives the same bytes.
 *
 * @param result - a data-center run.
 * @returns the JSON text.
 */
export function resultToJson(
  result: DatacenterResult & { readonly provenance?: Provenance },
): string {
  return `${JSON.stringify(result, null, 2)}\n`;
}
