/**
 * `@vx/disagg`: virtual machines on disaggregated hardware. Compute, memory and device bricks on
 * an optical circuit or packet fabric of `@vx/core` fluid links; an orchestrator that assembles a
 * slot for each VM (first fit, locality-aware, fragmentation-aware); guest memory hot-plug by
 * Linux memory sections; remote-memory slowdown; shared regions (lock, token, versions);
 * migration of the compute or of the memory against classic live migration; remote device
 * passthrough; utilisation, stranding, bricks powered and energy.
 *
 * @packageDocumentation
 */

export type {
  ClusterHosts,
  ComparisonInput,
  ComparisonOptions,
  ComparisonSide,
  DisaggComparison,
  VmMemoryBehaviour,
} from "./comparison.js";
export {
  COMPARISON_DEFAULTS,
  checkComparison,
  comparisonSchema,
  disaggComparison,
  hostCapacities,
  parseComparison,
} from "./comparison.js";
export type { FabricOptions } from "./fabric.js";
export { Fabric } from "./fabric.js";
export type {
  Brick,
  BrickGroupInput,
  BrickKind,
  BrickPower,
  DeviceDefaults,
  DeviceKind,
  FabricInput,
  FabricKind,
  FabricSpec,
  QuantityInput,
  RackLayout,
  RackLayoutInput,
  TrayInput,
} from "./layout.js";
export {
  BRICK_DEFAULTS,
  BRICK_KINDS,
  DEVICE_KINDS,
  FABRIC_DEFAULTS,
  FIBRE_SECONDS_PER_METRE,
  fabricInputSchema,
  parseRackLayout,
  rackLayoutSchema,
} from "./layout.js";
export type {
  CompareMigrationsOptions,
  ComputeMigrationOptions,
  DisaggMigrationCost,
  DisaggMigrationKind,
  MemoryMigrationOptions,
  MigrationComparison,
  MigrationPath,
} from "./migration.js";
export {
  compareMigrations,
  computeMigrationCost,
  MIGRATION_DEFAULTS,
  memoryMigrationCost,
} from "./migration.js";
export type {
  OrchestratorPolicy,
  OrchestratorPolicyName,
  PlacementView,
} from "./orchestrator.js";
export { ORCHESTRATOR_POLICIES, ORCHESTRATOR_POLICY_NAMES } from "./orchestrator.js";
export type { EnergyBreakdown } from "./power.js";
export { brickPowerWatts } from "./power.js";
export type { RackWorld } from "./rack.js";
export { DisaggregatedRack } from "./rack.js";
export type {
  DisaggResult,
  DisaggSeries,
  DisaggSummary,
  Distribution,
  MigrationRecord,
  MigrationSummary,
  RejectReason,
  ResourceShares,
  SharedRegionOutcome,
  VmOutcome,
} from "./result.js";
export type { HostCapacity, SameCapacityOptions, SameCapacityRack } from "./same-capacity.js";
export { SAME_CAPACITY_DEFAULTS, sameCapacityRack } from "./same-capacity.js";
export type {
  DisaggScenario,
  DisaggScenarioInput,
  SyntheticInput,
} from "./scenario.js";
export { parseDisaggScenario, runDisaggregated, runDisaggScenario } from "./scenario.js";
export type { PageSize, SectionArch, SectionOptions, SectionRule } from "./sections.js";
export {
  PAGE_SIZES,
  parseKernelVersion,
  SECTION_ARCHS,
  SECTION_DEFAULTS,
  SECTION_RULES,
  sectionBytes,
  sectionRule,
  sectionsFor,
} from "./sections.js";
export type { RackSettings, RackSettingsInput } from "./settings.js";
export { parseRackSettings, rackSettingsSchema, TIMING_DEFAULTS } from "./settings.js";
export type {
  AccessorCost,
  SerialisationMethod,
  SerialisationMethodInfo,
  SharedAccessor,
  SharedRegionCost,
  SharedRegionOptions,
  SharedRegionRun,
  SimulateSharedRegionOptions,
} from "./shared-region.js";
export {
  estimateSharedRegion,
  SERIALISATION_METHOD_NAMES,
  SERIALISATION_METHODS,
  SHARED_ACCESSOR_DEFAULTS,
  simulateSharedRegion,
} from "./shared-region.js";
export type { RemoteMemoryCost, RemoteMemoryOptions } from "./slowdown.js";
export { REMOTE_MEMORY_DEFAULTS, remoteMemorySlowdown } from "./slowdown.js";
export type {
  DeviceDemand,
  MigrationRequest,
  SharedRegionSpec,
  SharedUse,
  Step,
  SyntheticWorkloadOptions,
  VmRequest,
  VmRequestInput,
  Workload,
  WorkloadInput,
  WorkloadMix,
} from "./workload.js";
export {
  parseWorkload,
  SYNTHETIC_MIXES,
  syntheticWorkload,
  VM_DEFAULTS,
  workloadInputSchema,
} from "./workload.js";
