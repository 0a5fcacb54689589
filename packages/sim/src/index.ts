/**
 * `@vx/sim`: the umbrella of vx. It composes the feature packages into scenario files (one
 * feature registry), runs them (the data center of `@vx/datacenter` with its extensions, and the
 * standalone features), writes reports and sweeps, and provides the `vx` command line. No model
 * lives here: import models from their packages (`@vx/datacenter`, `@vx/migration`, …).
 *
 * @packageDocumentation
 */

export type { CliIo } from "./cli/io.js";
// The command line.
export { ExitCode } from "./cli/io.js";
export { runCli } from "./cli/main.js";
// Features: the sections of scenario files that feature packages contribute.
export {
  type DatacenterFeatureDefinition,
  defineFeature,
  type Feature,
  type FeatureDefinition,
  type FeatureExtension,
  type FeatureRun,
  mergeFeatures,
  type SectionIssue,
  type StandaloneFeatureDefinition,
} from "./features/feature.js";
export { FEATURES } from "./features/index.js";
export {
  PVM_FEATURE_DEFAULTS,
  type PvmArchitectureTotals,
  type PvmHostRow,
  type PvmOutput,
  type PvmSection,
} from "./features/pvm.js";
// Reports.
export {
  MIGRATIONS_CSV_COLUMNS,
  migrationsToCsv,
  SERIES_CSV_COLUMNS,
  SERIES_CSV_NETWORK_COLUMNS,
  seriesToCsv,
} from "./report/csv.js";
export {
  REPORT_CHARTS,
  REPORT_OPTIONAL_CHARTS,
  type ReportHtmlOptions,
  renderReportHtml,
} from "./report/html.js";
export { type ProgressBarOptions, progressBar, shouldShowProgress } from "./report/progress.js";
export { formatSummaryTable } from "./report/summary-table.js";
export {
  renderSweepHtml,
  SWEEP_SUMMARY_COLUMNS,
  type SweepHtmlOptions,
  type SweepPoint,
  sweepToCsv,
} from "./report/sweep.js";
export {
  checkReportDir,
  checkWritableDir,
  REPORT_FILES,
  resultToJson,
  writeFileAtomic,
  writeFilesAtomic,
  writeReport,
} from "./report/write.js";
// Scenario files: parse, validate, JSON Schema, the embedded default, running them.
export { DEFAULT_SCENARIO_YAML, defaultScenario } from "./scenario/default.js";
export { type ScenarioJsonSchemaOptions, scenarioJsonSchema } from "./scenario/json-schema.js";
export {
  BAD_SCENARIO,
  formatScenarioIssue,
  isScenarioIssue,
  loadScenario,
  type ParseScenarioOptions,
  parseScenario,
  type ScenarioIssue,
} from "./scenario/parse.js";
export {
  type Provenance,
  provenanceOf,
  type RunScenarioOptions,
  runScenario,
  type ScenarioResult,
  type ScenarioRun,
} from "./scenario/run.js";
export { summariseScenario } from "./scenario/summary.js";
export { type Scenario, scenarioSpec } from "./scenario/types.js";
// Sweeps.
export { applyParams, detectorDefaults, PARAM_SHORTHANDS } from "./sweep/apply.js";
export {
  pointDocument,
  pointScenario,
  readSweepBase,
  type SweepBase,
} from "./sweep/base.js";
export { type CombineOptions, type CombineOutcome, writeCombined } from "./sweep/combine.js";
export {
  expandGrid,
  formatParam,
  type GridPoint,
  parseParam,
  parseShard,
  type Shard,
  type SweepParam,
  shardPoints,
} from "./sweep/grid.js";
export {
  canonicalJson,
  pointKey,
  SWEEP_FORMAT,
  scenarioHash,
  sha256,
} from "./sweep/identity.js";
export {
  type JobsDecision,
  type JobsOptions,
  resolveJobs,
  SWEEP_JOBS_DEFAULTS,
} from "./sweep/jobs.js";
export {
  KUBERNETES_DEFAULTS,
  KUBERNETES_FILES,
  type KubernetesManifests,
  type KubernetesOptions,
  kubernetesManifests,
  kubernetesMemory,
  writeKubernetesManifests,
} from "./sweep/kubernetes.js";
export {
  manifestText,
  readManifest,
  SWEEP_MANIFEST,
  type SweepManifest,
  sameSweep,
  sweepManifest,
} from "./sweep/manifest.js";
export { PLAN_DEFAULTS, type PlanOptions, planSweep, type SweepPlan } from "./sweep/plan.js";
export { type PointFile, pointFilePath, pointFileText, readPointFile } from "./sweep/points.js";
export {
  type PreparedSweep,
  prepareSweep,
  runSweep,
  type SweepFailure,
  type SweepOptions,
  type SweepOutcome,
  type SweepTask,
  type SweepTaskResult,
  sweepExitCode,
} from "./sweep/run.js";
export {
  SLURM_DEFAULTS,
  SLURM_FILES,
  type SlurmJob,
  type SlurmOptions,
  type SlurmSubmission,
  type SubmitOptions,
  slurmMemory,
  slurmTime,
  submitSlurmJob,
  writeSlurmJob,
} from "./sweep/slurm.js";
export { VERSION } from "./version.js";
