/**
 * `@vx/migration`: live migration of virtual machines, from one VM studied page by page to a storm
 * of tens of thousands sharing a network. Memory images and dirtying models; pre-copy with QEMU's,
 * legacy Xen's, SimGrid's and CloudSim's rules, post-copy, hybrid and enlightened post-copy, and
 * the closed-form estimate, all as actors on `@vx/core`'s fluid links and CPUs.
 *
 * @packageDocumentation
 */

export type { EstimateRound, PrecopyEstimate, PrecopyEstimateInput } from "./analytic.js";
export { estimatePrecopy } from "./analytic.js";
export type {
  CloudSimSettings,
  HybridSettings,
  LimitSettings,
  MigrationDefaults,
  PostcopySettings,
  QemuSettings,
  SimGridSettings,
  VmDefaults,
  XenSettings,
} from "./defaults.js";
export {
  CLOUDSIM_DEFAULTS,
  HYBRID_DEFAULTS,
  LIMIT_DEFAULTS,
  MAX_ROUNDS_LIMIT,
  MIGRATION_DEFAULTS,
  POSTCOPY_DEFAULTS,
  QEMU_DEFAULTS,
  ROUND_RECORDS_KEPT,
  SIMGRID_DEFAULTS,
  VM_DEFAULTS,
  XEN_DEFAULTS,
} from "./defaults.js";
export type {
  CompareEvacuationOptions,
  EvacuationFields,
  EvacuationOptions,
  EvacuationResult,
} from "./evacuate.js";
export { compareEvacuations, evacuateHost, MAX_EVACUATION_VMS } from "./evacuate.js";
export type { GuestCpuOptions } from "./guest-cpu.js";
export { GuestCpu } from "./guest-cpu.js";
export type { MemoryCounts, MemoryImageOptions } from "./memory.js";
export { createMemoryImage, MemoryImage } from "./memory.js";
export type { CompareOptions, FaultOptions, LinkOptions, MigrateOptions } from "./migrate.js";
export { compareStrategies, migrate } from "./migrate.js";
export type {
  FailureTarget,
  MigrationWorld,
  PageView,
  StartMigrationOptions,
} from "./migration.js";
export { Migration, MigrationPlan, prepareMigration, startMigration } from "./migration.js";
export type {
  BytesInput,
  CloudSimOptions,
  CpuCoupledDirtying,
  DirtyModelOptions,
  DurationInput,
  Fidelity,
  FractionInput,
  HotColdDirtying,
  HybridOptions,
  LimitOptions,
  MigrationOptions,
  NoDirtying,
  PostcopyOptions,
  QemuOptions,
  RateInput,
  ScanDirtying,
  SimGridOptions,
  StrategyName,
  TraceDirtying,
  UniformDirtying,
  VmOptions,
  XenOptions,
  ZipfDirtying,
} from "./options.js";
export { FLUID_ONLY_STRATEGIES, STRATEGIES } from "./options.js";
export type {
  BytesSent,
  MigrationOutcome,
  MigrationResult,
  MigrationSeries,
  OmittedRounds,
  PageStats,
  PostcopyStats,
  RoundPhase,
  RoundRecord,
  ThrottleStep,
} from "./result.js";
export type { Route } from "./route.js";
export type { NetworkModelFactors, SimGridLink, SimGridLinkOptions } from "./simgrid-network.js";
export { CM02, LV08, SimGridNetwork } from "./simgrid-network.js";
export type {
  DirtyTrace,
  DirtyTraceInterval,
  DirtyTracePagesInterval,
  DirtyTraceRateInterval,
} from "./trace.js";
export { parseDirtyTrace } from "./trace.js";
export { readDirtyTrace } from "./trace-file.js";
