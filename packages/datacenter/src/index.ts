/**
 * `@vx/datacenter`: a data center of hosts and VMs driven by real workloads (PlanetLab, CSV,
 * synthetic), consolidated by Beloglazov & Buyya's policies as CloudSim 4.0 runs them, with live
 * migrations that are real `@vx/migration` sessions on a star or tree network of `@vx/core`
 * fluid links. Browser-safe: file readers live in `@vx/datacenter/node`.
 *
 * @packageDocumentation
 */

export {
  BAD_SPEC,
  type CheckSpecOptions,
  checkDatacenterSpec,
  crossCheckSpec,
  estimateMemoryBytes,
  fitsHostType,
  parseDatacenterSpec,
  type SpecCheck,
} from "./checks.js";
// CloudSim compatibility.
export {
  CLOUDSIM_HOST_TYPES,
  CLOUDSIM_VM_TYPES,
  type CloudsimPlanetLabOptions,
  cloudsimPlanetLabSpec,
} from "./cloudsim.js";
export {
  CLOUDSIM_QUIRKS,
  type CloudsimInput,
  type CloudsimQuirkChoice,
  type CloudsimQuirks,
  type CloudsimSpec,
  cloudsimSpecSchema,
  resolveQuirks,
  VX_SEMANTICS,
} from "./compat.js";
// Extensions.
export type {
  ContextMigrateOptions,
  DatacenterContext,
  DatacenterExtension,
  DatacenterNetwork,
  ExtensionResult,
  FlowOptions,
  HostState,
  InServiceOptions,
  VmLifeState,
  VmState,
} from "./extension.js";
export { type MemoryTraces, memoryTraceLoader, type TraceLoader } from "./loader.js";
export {
  cloudsimMigrationModel,
  type MigrationModel,
  type MigrationRequest,
} from "./migration-model.js";
export {
  type CloudsimMigrationSpec,
  type ConcurrencyLimit,
  type HybridMigrationSpec,
  MIGRATION_DEFAULTS,
  MIGRATION_MODEL_NAMES,
  MIGRATION_MODELS,
  type MigrationInput,
  type MigrationModelEntry,
  type MigrationModelName,
  type MigrationSpec,
  migrationSchema,
  type PostcopyMigrationSpec,
  type PrecopyMigrationSpec,
  type SimgridMigrationSpec,
} from "./migration-models.js";
export {
  NETWORK_DEFAULTS,
  type NetworkInput,
  type NetworkSpec,
  networkSchema,
  type VmTrafficInput,
  type VmTrafficSpec,
} from "./network-spec.js";
// The registries: one entry per policy and per migration model.
export {
  CLOUDSIM_PARAMETERS,
  FALLBACK_THRESHOLD,
  LR_WINDOW,
  MIN_HISTORY_IQR_MAD,
  OVERLOAD_DETECTORS,
  OVERLOAD_NAMES,
  type OverloadDetector,
  type OverloadDetectorEntry,
  type OverloadName,
  type PolicyParameter,
} from "./overload.js";
export {
  PLACEMENT_NAMES,
  PLACEMENTS,
  type PlacementEntry,
  type PlacementName,
} from "./placement.js";
export {
  POLICY_DEFAULTS,
  type PolicyInput,
  type PolicySpec,
  policyLabel,
  policySchema,
  type UnplacedRule,
} from "./policy.js";
export { checkPowerTable, POWER_HP_ML110_G4, POWER_HP_ML110_G5, specPower } from "./power.js";
export type { QuantityInput } from "./quantity.js";
// Results.
export type {
  DatacenterResult,
  DatacenterSeries,
  DatacenterSummary,
  MigrationRecord,
  MigrationRecordOutcome,
} from "./result.js";
// Running a data center.
export { type RunDatacenterOptions, runDatacenter } from "./run.js";
export {
  SELECTION_NAMES,
  type SelectionName,
  VM_SELECTORS,
  type VmSelector,
  type VmSelectorEntry,
} from "./selection.js";
// The spec: schema, defaults, limits.
export {
  DATACENTER_DEFAULTS,
  type DatacenterSpec,
  type DatacenterSpecInput,
  datacenterSpecSchema,
  type HostGroupSpec,
  type HostTypeInput,
  type HostTypeSpec,
  type ParsedDatacenterSpec,
  SPEC_FIELDS,
  SPEC_KEYS,
  SPEC_LIMITS,
  TYPE_NAME_PATTERN,
  type VmGroupInput,
  type VmGroupSpec,
  type VmTypeInput,
  type VmTypeSpec,
} from "./spec.js";
export { DATACENTER_VERSION } from "./version.js";
export { type CsvTraceOptions, parseCsvTraces } from "./workloads/csv.js";
export {
  type PlanetLabFile,
  type PlanetLabOptions,
  parsePlanetLabTraces,
  planetLabDayTable,
} from "./workloads/planetlab.js";
// Workloads.
export {
  type BurstyWorkload,
  type ConstantWorkload,
  type CsvWorkload,
  type DiurnalWorkload,
  type FileWorkload,
  type IdleSpikesWorkload,
  type PlanetLabWorkload,
  type SyntheticWorkload,
  WORKLOAD_DEFAULTS,
  WORKLOAD_KINDS,
  type WorkloadInput,
  type WorkloadSpec,
  workloadSchema,
} from "./workloads/spec.js";
export {
  checkSyntheticCost,
  generateSyntheticTraces,
  MAX_CYCLES_PER_STEP,
  type SyntheticOptions,
} from "./workloads/synthetic.js";
export { regularTraceTable, type TraceTable, traceUtilisation } from "./workloads/trace.js";
