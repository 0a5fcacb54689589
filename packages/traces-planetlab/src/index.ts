/**
 * `@vx/traces-planetlab`: the ten days of PlanetLab CPU-utilisation traces that CloudSim ships
 * (CoMon, March and April 2011; 11,746 VMs, 288 five-minute samples each), packed to about 4.2 bits
 * a sample, with a decoder that runs in any JavaScript runtime. Node code loads a day by name
 * from `@vx/traces-planetlab/node`.
 *
 * @packageDocumentation
 */

export type { PlanetLabDay } from "./days.js";
export { isPlanetLabDay, PLANETLAB_DAYS, PLANETLAB_VM_COUNTS } from "./days.js";
export type { PlanetLabDayData } from "./decode.js";
export { decodePlanetLabDay } from "./decode.js";
export type { PlanetLabDayInput } from "./encode.js";
export { encodePlanetLabDay, PLANETLAB_DEFAULTS } from "./encode.js";
export { planetLabDayUrl } from "./url.js";
