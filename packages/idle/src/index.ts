/**
 * `@vx/idle`: idle VMs parked so their resources can be released: SEaMLESS (the gateway process
 * moved as a proxy into a sink, the VM suspended), suspend-to-swap and plain suspend-to-disk, per
 * VM ({@link simulateIdleVm}) and inside a data-center run ({@link idleParking}).
 *
 * @packageDocumentation
 */

export type {
  IdleParameters,
  IdleParametersInput,
  IdleTechniqueName,
} from "./parameters.js";
export {
  DISK_DEFAULTS,
  IDLE_DEFAULTS,
  IDLE_TECHNIQUE_NAMES,
  idleParametersSchema,
  SEAMLESS_DEFAULTS,
  SWAP_DEFAULTS,
  TCP_DEFAULTS,
} from "./parameters.js";
export type { IdleParkingOutput, IdleParkingResult } from "./parking.js";
export { IDLE_EXTENSION_NAME, idleParking, idleParkingResult } from "./parking.js";
export type { IdleTechniqueEntry } from "./techniques.js";
export {
  IDLE_TECHNIQUES,
  sinkCapacity,
  swapInSeconds,
  synAnsweredAfter,
} from "./techniques.js";
export type {
  IdlePhase,
  IdleVmOptions,
  IdleVmState,
  IdleVmTimeline,
  IdleWake,
  RequestSource,
} from "./timeline.js";
export { requestTimes, simulateIdleVm } from "./timeline.js";
export { IDLE_VERSION } from "./version.js";
