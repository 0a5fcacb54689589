/**
 * The PlanetLab day of CCPE 2012's set-up (800 hosts, one VM per trace) from
 * `@vx/traces-planetlab`, shipped in the repository: a spec and an in-memory trace loader.
 */
import {
  cloudsimPlanetLabSpec,
  type DatacenterSpecInput,
  type MigrationInput,
  memoryTraceLoader,
  planetLabDayTable,
  type TraceLoader,
} from "@vx/datacenter";
import { loadPlanetLabDay } from "@vx/traces-planetlab/node";

/** The day's spec (vx semantics, no CloudSim quirks) and a loader serving its traces. */
export function planetLabDay(
  day: string,
  migration: MigrationInput = { model: "cloudsim" },
): { spec: DatacenterSpecInput; loader: TraceLoader } {
  const base = cloudsimPlanetLabSpec({ folder: day, quirks: false });
  return {
    spec: { ...base, name: `planetlab-${day}`, migration },
    loader: memoryTraceLoader({ folders: { [day]: planetLabDayTable(loadPlanetLabDay(day)) } }),
  };
}
