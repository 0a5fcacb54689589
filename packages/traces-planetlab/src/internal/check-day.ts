/**
 * The one check of a day name given by a user.
 *
 * @module
 */

import { VxError } from "@vx/core";
import { isPlanetLabDay, PLANETLAB_DAYS, type PlanetLabDay } from "../days.js";

/**
 * Checks a day name from user input.
 *
 * @param day - anything.
 * @returns the day, typed.
 * @throws {@link @vx/core!VxError} `VX_PLANETLAB_UNKNOWN_DAY` unless it is one of the ten.
 */
export function checkDay(day: unknown): PlanetLabDay {
  if (isPlanetLabDay(day)) return day;
  const hint = typeof day === "number" ? ` (a number: write it as the string "${day}")` : "";
  throw new VxError(
    "VX_PLANETLAB_UNKNOWN_DAY",
    `${JSON.stringify(day) ?? String(day)} is not a PlanetLab day${hint}; use one of ${PLANETLAB_DAYS.join(", ")}.`,
    { path: ["day"] },
  );
}
