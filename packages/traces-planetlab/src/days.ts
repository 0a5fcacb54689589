/**
 * The ten days of PlanetLab traces in this package, and how many VMs each has.
 *
 * @module
 */

/**
 * The ten day names (`YYYYMMDD`, March and April 2011), in date order: the folders of CloudSim's
 * `workload/planetlab`, the workload of Beloglazov & Buyya (CCPE 2012), one simulation per day.
 *
 * @example
 * ```ts
 * import { PLANETLAB_DAYS } from "@vx/traces-planetlab";
 * PLANETLAB_DAYS[0]; // "20110303"
 * PLANETLAB_DAYS.length; // 10
 * ```
 */
export const PLANETLAB_DAYS = [
  "20110303",
  "20110306",
  "20110309",
  "20110322",
  "20110325",
  "20110403",
  "20110409",
  "20110411",
  "20110412",
  "20110420",
] as const;

/** One of the ten day names of {@link PLANETLAB_DAYS}. */
export type PlanetLabDay = (typeof PLANETLAB_DAYS)[number];

/**
 * The number of VMs (trace files) of each day, as CloudSim ships them: every file is one VM.
 *
 * @example
 * ```ts
 * import { PLANETLAB_VM_COUNTS } from "@vx/traces-planetlab";
 * PLANETLAB_VM_COUNTS["20110303"]; // 1052
 * ```
 */
export const PLANETLAB_VM_COUNTS: Readonly<Record<PlanetLabDay, number>> = {
  "20110303": 1052,
  "20110306": 898,
  "20110309": 1061,
  "20110322": 1516,
  "20110325": 1078,
  "20110403": 1463,
  "20110409": 1358,
  "20110411": 1233,
  "20110412": 1054,
  "20110420": 1033,
};

/**
 * Whether `value` is one of the ten day names.
 *
 * @param value - anything (a scenario field, a CLI flag).
 * @returns true for `"20110303"` … `"20110420"` (strings only: YAML's `day: 20110303` is a
 * number; convert it with `String` first).
 * @example
 * ```ts
 * isPlanetLabDay("20110303"); // true
 * isPlanetLabDay("20110304"); // false
 * ```
 */
export function isPlanetLabDay(value: unknown): value is PlanetLabDay {
  return typeof value === "string" && Object.hasOwn(PLANETLAB_VM_COUNTS, value);
}
