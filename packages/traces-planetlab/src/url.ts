/**
 * Where a day's file is, as a URL that browsers, bundlers and Node all resolve.
 *
 * @module
 */

import { checkDay } from "./internal/check-day.js";

/**
 * The URL of a day's file (`data/<day>.bin` in this package), to `fetch` in a browser or a Web
 * Worker and decode with {@link decodePlanetLabDay}. It is a `new URL` relative to this module's
 * `import.meta.url`, written as a template string: Node resolves it to a `file:` URL (read it
 * with `loadPlanetLabDay` from `@vx/traces-planetlab/node`), and bundlers that understand that
 * form (Vite, for one) copy the files with the app. Elsewhere, serve the package's `data/` folder
 * (also exported as `@vx/traces-planetlab/data/*`) and fetch from there.
 *
 * @param day - one of {@link PLANETLAB_DAYS}.
 * @returns the file's URL.
 * @throws {@link @vx/core!VxError} `VX_PLANETLAB_UNKNOWN_DAY` (path `["day"]`) for any other
 * value, listing the ten days.
 * @example
 * ```ts
 * import { decodePlanetLabDay, planetLabDayUrl } from "@vx/traces-planetlab";
 *
 * const response = await fetch(planetLabDayUrl("20110303"));
 * const day = decodePlanetLabDay(new Uint8Array(await response.arrayBuffer()), "20110303");
 * ```
 */
export function planetLabDayUrl(day: string): URL {
  const checked = checkDay(day);
  return new URL(`../data/${checked}.bin`, import.meta.url);
}
