/**
 * `@vx/traces-planetlab/node`: the day files read from disk, for Node (and Bun, Deno).
 *
 * @packageDocumentation
 */

import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { VxError } from "@vx/core";
import { PLANETLAB_VM_COUNTS } from "./days.js";
import { decodePlanetLabDay, type PlanetLabDayData } from "./decode.js";
import { checkDay } from "./internal/check-day.js";
import { planetLabDayUrl } from "./url.js";

/**
 * The path of a day's file on disk (`<package>/data/<day>.bin`).
 *
 * @param day - one of `PLANETLAB_DAYS`.
 * @returns an absolute path.
 * @throws {@link @vx/core!VxError} `VX_PLANETLAB_UNKNOWN_DAY` (path `["day"]`) for any other value.
 * @example
 * ```ts
 * import { planetLabDayPath } from "@vx/traces-planetlab/node";
 * planetLabDayPath("20110303"); // ".../node_modules/@vx/traces-planetlab/data/20110303.bin"
 * ```
 */
export function planetLabDayPath(day: string): string {
  return fileURLToPath(planetLabDayUrl(day));
}

/**
 * Reads and decodes one day of PlanetLab traces, synchronously (about 10 ms a day; `pnpm bench` measures it).
 *
 * Each call reads the file again and returns fresh arrays: cache the result if you load a day
 * more than once.
 *
 * @param day - one of `PLANETLAB_DAYS` (`"20110303"` … `"20110420"`).
 * @returns the day's names (sorted) and integer percentages (VM-major, 288 per VM).
 * @throws {@link @vx/core!VxError} `VX_PLANETLAB_UNKNOWN_DAY` (path `["day"]`) for a name that is
 * not one of the ten; `VX_PLANETLAB_DATA_MISSING` when the file cannot be read (a damaged
 * install); `VX_PLANETLAB_CORRUPT` when its bytes are damaged or it holds another number of VMs
 * than the day has.
 * @example
 * ```ts
 * import { loadPlanetLabDay } from "@vx/traces-planetlab/node";
 *
 * const day = loadPlanetLabDay("20110303");
 * day.names.length; // 1052
 * day.names[0]; // "146-179_surfsnel_dsl_internl_net_colostate_557"
 * Array.from(day.percent.subarray(0, 4)); // [24, 34, 29, 26]: VM 0 at 0, 300, 600, 900 s
 * ```
 */
export function loadPlanetLabDay(day: string): PlanetLabDayData {
  const checked = checkDay(day);
  const path = planetLabDayPath(checked);
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new VxError(
      "VX_PLANETLAB_DATA_MISSING",
      `cannot read ${path} (${error instanceof Error ? error.message : String(error)}); the install of @vx/traces-planetlab is incomplete: install it again.`,
      { path: ["day"], cause: error },
    );
  }
  const data = decodePlanetLabDay(bytes, checked);
  const expected = PLANETLAB_VM_COUNTS[checked];
  if (data.names.length !== expected) {
    throw new VxError(
      "VX_PLANETLAB_CORRUPT",
      `${path} holds ${data.names.length} VMs but day ${checked} has ${expected}; install @vx/traces-planetlab again.`,
      { path: ["bytes"] },
    );
  }
  return data;
}

export type { PlanetLabDayData } from "./decode.js";
