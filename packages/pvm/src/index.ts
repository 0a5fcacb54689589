/**
 * `@vx/pvm`: the privileged VM (Xen's dom0). Sizing and placement on a NUMA host: the pVM's
 * backend work (network and block backends, device model) under a static policy or Closer, with
 * guest I/O throughput and latency, remote memory accesses, CPU and memory used and held, and a
 * map of where each policy wins. Resilience: the pVM's components failing (crash, hang,
 * corruption), detected and recovered under vanilla Xen, Xoar-like, Remus-like and the resilient
 * pVM, in seeded fault campaigns.
 *
 * @packageDocumentation
 */

export type {
  ArchitectureSettings,
  ComponentRecovery,
  CrashDetection,
  FaultKind,
  HangDetection,
  PvmArchitecture,
  PvmArchitectureName,
  PvmComponent,
  PvmFunction,
  RecoveryMechanism,
  StatePolicy,
} from "./architectures.js";
export {
  FAULT_KINDS,
  PVM_ARCHITECTURE_NAMES,
  PVM_ARCHITECTURES,
  PVM_COMPONENTS,
} from "./architectures.js";
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
export type { ResilienceRunOptions } from "./resilience.js";
export { runFaultCampaign, simulateResilience } from "./resilience.js";
export type {
  ArchitectureInput,
  CampaignSettings,
  ComponentRecoveryInput,
  ControlSettings,
  FaultSettings,
  HostSettings,
  InjectedFault,
  LatencyCriticalGuests,
  ResilienceGuests,
  ResilienceGuestsInput,
  ResilienceScenario,
  ResilienceScenarioInput,
  ThroughputGuests,
} from "./resilience-config.js";
export {
  pvmResilienceSchema,
  RESILIENCE_DEFAULTS,
  RESILIENCE_GUEST_DEFAULTS,
} from "./resilience-config.js";
export type {
  ComponentBreakdown,
  ControlOutcome,
  DetectionPath,
  FaultCampaign,
  FaultRecord,
  LatencyCriticalOutcome,
  ResilienceResult,
  ResilienceSummary,
  ThroughputOutcome,
} from "./resilience-result.js";
export type {
  GuestResult,
  PvmComparison,
  PvmPolicy,
  PvmRunResult,
  PvmSeries,
  PvmSummary,
} from "./result.js";
export type { PvmRunOptions, TopologyFileReader } from "./simulate.js";
export { comparePvmPolicies, resolveTopology, simulatePvm } from "./simulate.js";
