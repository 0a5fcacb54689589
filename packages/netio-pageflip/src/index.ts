/**
 * `@vx/netio-pageflip`: the network receive path between a NIC, the pVM's backend and a guest,
 * with four ways to deliver a packet (grant copy, page flipping, informed flipping, NUMA-aware
 * flipping), and what each does to the guest's memory locality, throughput and CPU. Page
 * ownership is tracked at page level per domain and NUMA node over millions of packets.
 *
 * @packageDocumentation
 */

export type { AccessCostModel, NumaAccessCostOptions } from "./access-cost.js";
export { numaAccessCostModel } from "./access-cost.js";
export type { PageflipComparison } from "./compare.js";
export { comparePaths } from "./compare.js";
export type {
  DeliveryPath,
  PageflipAccess,
  PageflipCosts,
  PageflipDomain,
  PageflipDomainInput,
  PageflipHost,
  PageflipModelInput,
  PageflipModelOptions,
  PageflipOptions,
  PageflipOptionsInput,
  PageflipScenarioSection,
  PageflipScenarioSectionInput,
} from "./options.js";
export {
  DEFAULT_PAGEFLIP_COSTS,
  DELIVERY_PATHS,
  pageflipOptionsSchema,
  pageflipScenarioSectionSchema,
  parsePageflipOptions,
  parsePageflipSection,
} from "./options.js";
export type { PageFramesOptions } from "./page-frames.js";
export { NO_OWNER, PageFrames } from "./page-frames.js";
export type {
  PageflipResult,
  PageflipRunExtras,
  PageflipSamples,
  PageflipSummary,
} from "./receive-path.js";
export { simulatePageflip } from "./receive-path.js";
