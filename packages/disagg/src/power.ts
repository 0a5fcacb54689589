/**
 * The brick power model: a powered brick draws its idle power plus a share of the span to its
 * peak proportional to its utilisation; a brick with nothing allocated is off and draws nothing
 * (the energy-proportionality argument for disaggregation: memory and devices no slot needs can
 * be switched off, which a server with idle DIMMs cannot do).
 *
 * @module
 */

import type { BrickKind, BrickPower } from "./layout.js";

/**
 * The power a brick draws, linear in its utilisation between idle and peak: the model Fan, Weber
 * and Barroso found accurate for whole servers ("Power provisioning for a warehouse-sized
 * computer", ISCA 2007), as CloudSim's `PowerModelLinear` does.
 *
 * What utilisation means by kind: compute, the busy share of its cores (each VM's vCPUs times
 * its CPU utilisation); memory, the share of its sections in use (unused sections are assumed in
 * self-refresh, *assumption*); device bricks, the share of units attached.
 *
 * @param power - idle and peak watts.
 * @param utilisation - 0–1 (clamped).
 * @param powered - whether the brick is on; off draws 0.
 * @returns watts.
 * @example
 * ```ts
 * brickPowerWatts({ idleWatts: 60, peakWatts: 160 }, 0.5, true); // 110
 * ```
 */
export function brickPowerWatts(power: BrickPower, utilisation: number, powered: boolean): number {
  if (!powered) return 0;
  const u = utilisation < 0 ? 0 : utilisation > 1 ? 1 : utilisation;
  return power.idleWatts + (power.peakWatts - power.idleWatts) * u;
}

/** Energy by where it went, joules. */
export interface EnergyBreakdown {
  /** Compute bricks. */
  readonly compute: number;
  /** Memory bricks. */
  readonly memory: number;
  /** Accelerator, NIC and storage bricks. */
  readonly devices: number;
  /** Ports in use and the switch. */
  readonly fabric: number;
  /** The sum. */
  readonly total: number;
}

/**
 * Which energy bucket a brick kind falls in.
 *
 * @param kind - the brick kind.
 * @returns `compute`, `memory` or `devices`.
 */
export function energyBucket(kind: BrickKind): "compute" | "memory" | "devices" {
  return kind === "compute" ? "compute" : kind === "memory" ? "memory" : "devices";
}
