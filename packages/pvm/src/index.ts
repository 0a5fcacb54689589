/**
 * `@vx/pvm`: the privileged VM (Xen's dom0) on a NUMA host. It sizes and places the pVM's backend
 * work (network and block backends, device model) under a static policy or Closer, and reports
 * guest I/O throughput and latency, remote memory accesses, and CPU and memory used and held.
 *
 * @packageDocumentation
 */

export type {
  BackendCosts,
  BackendCostsInput,
  CloserSettings,
  DemandPattern,
  DemandPatternInput,
  GuestGroup,
  GuestGroupInput,
  PvmScenario,
  PvmScenarioInput,
  PvmSettings,
  PvmSettingsInput,
  QuantityInput,
  StaticPvmSettings,
  TaskCost,
  TaskCostInput,
  TopologySource,
} from "./config.js";
export {
  BACKEND_DEFAULTS,
  GUEST_DEFAULTS,
  PVM_DEFAULTS,
  pvmScenarioSectionSchema,
} from "./config.js";
export type {
  PolicyMap,
  PolicyMapCell,
  PolicyMapOptions,
  PolicyMapOutcome,
  PolicyMapWinner,
} from "./policy-map.js";
export { classifyCell, mapPolicies, POLICY_MAP_DEFAULTS } from "./policy-map.js";
export type {
  GuestResult,
  PvmComparison,
  PvmPolicy,
  PvmRunResult,
  PvmSeries,
  PvmSummary,
} from "./result.js";
export type { PvmRunOptions } from "./simulate.js";
export { comparePvmPolicies, resolveTopology, simulatePvm } from "./simulate.js";
