/**
 * `@vx/sim`: the umbrella of vx. It composes the feature packages into a trace-driven data-center
 * simulator (scenario files, consolidation policies, migrations, reports, sweeps) and provides the
 * `vx` command line.
 *
 * @packageDocumentation
 */

export type { CliIo } from "./cli/io.js";
// The command line.
export { ExitCode } from "./cli/io.js";
export { runCli } from "./cli/main.js";
// The data-center model and its workload sources.
export * from "./datacenter/index.js";
// Reports.
export {
  MIGRATIONS_CSV_COLUMNS,
  migrationsToCsv,
  SERIES_CSV_COLUMNS,
  seriesToCsv,
} from "./report/csv.js";
export { REPORT_CHARTS, type ReportHtmlOptions, renderReportHtml } from "./report/html.js";
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
// Scenario files: parse, validate, JSON Schema, the embedded default, extension sections.
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
  defineScenarioSection,
  type ScenarioSection,
  type SectionIssue,
} from "./scenario/section.js";
export { summariseScenario } from "./scenario/summary.js";
export type {
  HostGroup,
  HostType,
  MigrationSpec,
  NetworkSpec,
  PolicySpec,
  Scenario,
  VmGroup,
  VmType,
  WorkloadSpec,
} from "./scenario/types.js";
// Sweeps.
export { applyParams, PARAM_SHORTHANDS } from "./sweep/apply.js";
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
