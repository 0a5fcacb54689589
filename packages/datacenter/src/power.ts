/**
 * SPECpower host power models: watts at 0 %, 10 %, …, 100 % CPU load, linear in between.
 *
 * @module
 */

import { VxError } from "@vx/core";

/**
 * SPECpower_ssj2008 table of the HP ProLiant ML110 G4 (1 × Xeon 3040, 2 cores × 1860 MHz, 4 GB):
 * watts at 0 %, 10 %, …, 100 % load.
 *
 * Source: CloudSim 4.0 `PowerModelSpecPowerHpProLiantMl110G4Xeon3040`, from
 * <http://www.spec.org/power_ssj2008/results/res2011q1/power_ssj2008-20110127-00342.html>;
 * Beloglazov & Buyya, CCPE 24(13), 2012, Table 1.
 */
export const POWER_HP_ML110_G4: readonly number[] = [
  86, 89.4, 92.6, 96, 99.5, 102, 106, 108, 112, 114, 117,
];

/**
 * SPECpower_ssj2008 table of the HP ProLiant ML110 G5 (1 × Xeon 3075, 2 cores × 2660 MHz, 4 GB):
 * watts at 0 %, 10 %, …, 100 % load.
 *
 * Source: CloudSim 4.0 `PowerModelSpecPowerHpProLiantMl110G5Xeon3075`, from
 * <http://www.spec.org/power_ssj2008/results/res2011q1/power_ssj2008-20110124-00339.html>;
 * Beloglazov & Buyya, CCPE 24(13), 2012, Table 1.
 */
export const POWER_HP_ML110_G5: readonly number[] = [
  93.7, 97, 101, 105, 110, 116, 121, 125, 129, 133, 135,
];

/**
 * The power a host draws at a CPU utilisation, interpolated linearly in its SPECpower table.
 *
 * The arithmetic is CloudSim's `PowerModelSpecPower.getPower` operation for operation (so the
 * power-aware placement compares the same floating-point numbers): the table value when
 * `utilisation % 0.1 === 0`, else `p1 + (p2 − p1) / 10 · (u − i1 / 10) · 100` between the two
 * surrounding points. CloudSim rejects a utilisation outside [0, 1]; this function clamps it.
 * A switched-off host draws nothing: that is decided by the caller, not here.
 *
 * @param table - 11 watt values at 0 %, 10 %, …, 100 % load.
 * @param utilisation - CPU utilisation, a fraction (clamped to [0, 1]).
 * @returns watts.
 * @example
 * ```ts
 * specPower(POWER_HP_ML110_G4, 0.55); // 104 W, halfway between 102 W and 106 W
 * ```
 */
export function specPower(table: ArrayLike<number>, utilisation: number): number {
  const u = utilisation < 0 ? 0 : utilisation > 1 ? 1 : utilisation;
  if (u % 0.1 === 0) return table[Math.trunc(u * 10)] as number;
  const i1 = Math.floor(u * 10);
  const i2 = Math.ceil(u * 10);
  const p1 = table[i1] as number;
  const p2 = table[i2] as number;
  const delta = (p2 - p1) / 10;
  return p1 + delta * (u - i1 / 10) * 100;
}

/**
 * Checks a SPECpower table: 11 finite, non-negative, non-decreasing watt values.
 *
 * @param table - the table to check.
 * @param path - where it sits in the input, for the error.
 * @throws {@link @vx/core!VxError} `VX_SIM_BAD_POWER_TABLE` naming the offending entry.
 * @example
 * ```ts
 * checkPowerTable(POWER_HP_ML110_G5, ["hostTypes", "g5", "powerWatts"]);
 * ```
 */
export function checkPowerTable(
  table: readonly number[],
  path: readonly (string | number)[],
): void {
  if (table.length !== 11) {
    throw new VxError(
      "VX_SIM_BAD_POWER_TABLE",
      `a power table needs 11 values (watts at 0 %, 10 %, …, 100 % load); got ${table.length}.`,
      { path },
    );
  }
  for (let i = 0; i < 11; i++) {
    const w = table[i] as number;
    if (!(w >= 0 && Number.isFinite(w))) {
      throw new VxError(
        "VX_SIM_BAD_POWER_TABLE",
        `watts must be finite and ≥ 0; got ${String(w)}.`,
        {
          path: [...path, i],
        },
      );
    }
    if (i > 0 && w < (table[i - 1] as number)) {
      throw new VxError(
        "VX_SIM_BAD_POWER_TABLE",
        `a host cannot draw less at ${i * 10} % load (${w} W) than at ${(i - 1) * 10} % (${table[i - 1]} W).`,
        { path: [...path, i] },
      );
    }
  }
}
