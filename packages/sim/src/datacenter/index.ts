/**
 * The data-center model of `@vx/sim`: Beloglazov & Buyya's dynamic VM consolidation as CloudSim
 * 4.0 implements it, on typed arrays; plus the workload sources it reads.
 *
 * @module
 */

export { type CsvTraceOptions, readCsvTraces } from "../workloads/csv.js";
export {
  listPlanetLabFiles,
  type PlanetLabOptions,
  readPlanetLabTraces,
} from "../workloads/planetlab.js";
export {
  generateSyntheticTraces,
  type SyntheticOptions,
  type SyntheticWorkload,
} from "../workloads/synthetic.js";
export { regularTraceTable, type TraceTable, traceUtilisation } from "../workloads/trace.js";
export {
  CLOUDSIM_HOST_TYPES,
  CLOUDSIM_PARAMETERS,
  CLOUDSIM_VM_TYPES,
  type CloudsimPlanetLabOptions,
  cloudsimPlanetLabScenario,
} from "./cloudsim-scenario.js";
export {
  CLOUDSIM_QUIRKS,
  type CloudsimQuirkChoice,
  type CloudsimQuirks,
  type CloudsimSection,
  cloudsimSection,
  cloudsimSectionSchema,
  resolveQuirks,
  VX_SEMANTICS,
} from "./compat.js";
export {
  cloudsimMigrationModel,
  type MigrationModel,
  type MigrationRequest,
  migrationModelFor,
} from "./migration-model.js";
export { checkPowerTable, POWER_HP_ML110_G4, POWER_HP_ML110_G5, specPower } from "./power.js";
export type {
  DatacenterResult,
  DatacenterSeries,
  DatacenterSummary,
  MigrationRecord,
} from "./result.js";
export { type RunDatacenterOptions, runDatacenter } from "./run.js";
