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
export type { Appliance, ApplianceOptions, ApplianceSpec } from "./streaming/appliance.js";
export { APPLIANCE_DEFAULTS, createAppliance } from "./streaming/appliance.js";
export type {
  StreamComparison,
  StreamComparisonOptions,
  StreamSessionOptions,
  StreamSummary,
  TraceSplit,
} from "./streaming/compare.js";
export { COMPARE_DEFAULTS, compareStreaming, streamSession } from "./streaming/compare.js";
export { BAD_ACCESS_TRACE, BAD_STREAM_OPTIONS } from "./streaming/errors.js";
export type { LinkPreset, LinkPresetName } from "./streaming/links.js";
export { LINK_PRESET_NAMES, LINK_PRESETS } from "./streaming/links.js";
export type {
  AccessModel,
  AccessModelSummary,
  ClusterTransition,
  MiningOptions,
  MiningSpec,
} from "./streaming/mining.js";
export { MINING_DEFAULTS, mineAccessModel } from "./streaming/mining.js";
export type {
  CrossTrafficOptions,
  CrossTrafficSpec,
  FullDownloadOptions,
  LinkInput,
  LinkSpec,
  StreamOptions,
  StreamSpec,
  VmtorrentOptions,
  VtubeOptions,
} from "./streaming/options.js";
export { resolveStreamOptions, STREAM_DEFAULTS } from "./streaming/options.js";
export type {
  StallRecord,
  StreamOutcome,
  StreamResult,
  StreamSeries,
} from "./streaming/result.js";
export type {
  StartStreamingOptions,
  StreamingSession,
  StreamingWorld,
  StreamPlan,
} from "./streaming/session.js";
export { prepareStreaming, startStreamingSession } from "./streaming/session.js";
export type { StartRule, StreamStrategyInfo, StreamStrategyName } from "./streaming/strategies.js";
export { STREAM_STRATEGIES, STREAM_STRATEGY_NAMES } from "./streaming/strategies.js";
export type {
  AccessTrace,
  AccessTraceSet,
  StateArea,
  StateLayout,
} from "./streaming/trace.js";
export {
  DEFAULT_TRACE_BLOCK_BYTES,
  formatAccessTraces,
  parseAccessTraces,
  stateLayout,
} from "./streaming/trace.js";
export type {
  DirtyTrace,
  DirtyTraceInterval,
  DirtyTracePagesInterval,
  DirtyTraceRateInterval,
} from "./trace.js";
export { parseDirtyTrace } from "./trace.js";
