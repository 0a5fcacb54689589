/**
 * The PlanetLab day of CCPE 2012's set-up (800 hosts, one VM per trace) from
 * `@vx/traces-planetlab`, shipped in the repository: a spec and an in-memory trace loader.
 */
import {
  cloudsimPlanetLabSpec,
  type DatacenterSpecInput,
  type MigrationInput,
  memoryTraceLoader,
  regularTraceTable,
  type TraceLoader,
} from "@vx/datacenter";
import { loadPlanetLabDay } from "@vx/traces-planetlab/node";

/** The day's spec (vx semantics, no CloudSim quirks) and a loader serving its traces. */
export function planetLabDay(
  day: string,
  migration: MigrationInput = { model: "cloudsim" },
): { spec: DatacenterSpecInput; loader: TraceLoader } {
  const data = loadPlanetLabDay(day);
  const n = data.samplesPerVm;
  const columns: Float64Array[] = [];
  for (let i = 0; i < data.names.length; i++) {
    const col = new Float64Array(n);
    for (let k = 0; k < n; k++) col[k] = (data.percent[i * n + k] as number) / 100;
    columns.push(col);
  }
  const table = regularTraceTable({
    source: `planetlab/${day}`,
    names: data.names,
    intervalSeconds: data.intervalSeconds,
    columns,
  });
  const base = cloudsimPlanetLabSpec({ folder: day, quirks: false });
  return {
    spec: { ...base, name: `planetlab-${day}`, migration },
    loader: memoryTraceLoader({ folders: { [day]: table } }),
  };
}
