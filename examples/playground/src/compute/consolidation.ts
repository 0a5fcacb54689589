/**
 * Consolidation on a real PlanetLab day: Beloglazov & Buyya's policies in CloudSim's PlanetLab
 * configuration (`cloudsimPlanetLabSpec` of `@vx/datacenter`: 800 hosts, one VM per trace, 300 s
 * rounds, 24 h), the day decoded by `@vx/traces-planetlab` and served by a `memoryTraceLoader`.
 * Pure: the page's worker and the Node check run the same function on the same day.
 */
import { VxError } from "@vx/core";
import {
  CLOUDSIM_PARAMETERS,
  cloudsimPlanetLabSpec,
  type DatacenterSpecInput,
  MIGRATION_MODEL_NAMES,
  type MigrationModelName,
  memoryTraceLoader,
  OVERLOAD_DETECTORS,
  type OverloadName,
  runDatacenter,
  type TraceTable,
} from "@vx/datacenter";
import { isPlanetLabDay, PLANETLAB_DAYS, type PlanetLabDayData } from "@vx/traces-planetlab";

/** What the consolidation panel asks for. */
export interface ConsolidationParams {
  /** One of `PLANETLAB_DAYS`. */
  readonly day: string;
  /** An overload detector of `OVERLOAD_DETECTORS` (MMT selection, PABFD placement). */
  readonly overload: OverloadName;
  /** A migration model of `MIGRATION_MODELS`: CloudSim's delay, or pre-copy on a network. */
  readonly migration: MigrationModelName;
}

/** The defaults: the first day, THR 0.8 with MMT (CloudSim's example), CloudSim's delay. */
export const CONSOLIDATION_PARAMS: ConsolidationParams = {
  day: PLANETLAB_DAYS[0] as string,
  overload: "thr",
  migration: "cloudsim",
};

/** The detectors offered (every registry entry), with CloudSim's parameter for each. */
export const OVERLOAD_CHOICES: readonly { name: OverloadName; label: string }[] = (
  Object.keys(OVERLOAD_DETECTORS) as OverloadName[]
).map((name) => {
  const entry = OVERLOAD_DETECTORS[name];
  const label = entry.consolidates
    ? `${entry.label} ${CLOUDSIM_PARAMETERS[name]} + MMT`
    : entry.label;
  return { name, label };
});

/** The migration models offered (every registry entry). */
export const MIGRATION_CHOICES: readonly MigrationModelName[] = MIGRATION_MODEL_NAMES;

/** What the page shows of a run. */
export interface ConsolidationRun {
  readonly name: string;
  readonly summary: {
    readonly hosts: number;
    readonly vms: number;
    readonly energyKWh: number;
    readonly migrations: number;
    readonly slatah: number;
    readonly pdm: number;
    readonly slav: number;
    readonly esv: number;
    readonly hostShutdowns: number;
    readonly meanActiveHosts: number;
    readonly meanMigrationSeconds: number;
    readonly meanDowntimeSeconds: number;
  };
  readonly series: {
    readonly time: readonly number[];
    readonly activeHosts: readonly number[];
    readonly powerWatts: readonly number[];
    /** Energy used by the end of each interval, kWh (the mean power times the interval). */
    readonly energyKWh: readonly number[];
  };
}

/**
 * A decoded day as the data-center model's trace table: one column per VM, percent / 100, with
 * CloudSim's padding (the same values `parsePlanetLabTraces` gives from the text files).
 *
 * @param data - the day from `decodePlanetLabDay` or `loadPlanetLabDay`.
 * @returns the table.
 */
export function planetLabTable(data: PlanetLabDayData): TraceTable {
  const n = data.names.length;
  const s = data.samplesPerVm;
  const values = new Float64Array(n * (s + 1));
  for (let c = 0; c < n; c++) {
    const from = c * s;
    const to = c * (s + 1);
    for (let i = 0; i < s; i++) values[to + i] = (data.percent[from + i] as number) / 100;
    values[to + s] = values[to + s - 1] as number;
  }
  return {
    source: `planetlab/${data.day}`,
    names: data.names,
    samples: s,
    intervalSeconds: data.intervalSeconds,
    times: undefined,
    values,
  };
}

/**
 * Checks the parameters (they may come from a URL).
 *
 * @param p - day, detector, migration model.
 * @throws VxError `VX_PLAYGROUND_BAD_PARAM` (path `["day"]`, `["overload"]` or `["migration"]`)
 * for a value that is not one of the choices.
 */
export function checkConsolidationParams(p: ConsolidationParams): void {
  const bad = (field: string, value: unknown, choices: readonly string[]): never => {
    throw new VxError(
      "VX_PLAYGROUND_BAD_PARAM",
      `${field} must be one of ${choices.join(", ")}; got ${JSON.stringify(value)}.`,
      { path: [field] },
    );
  };
  if (!isPlanetLabDay(p.day)) bad("day", p.day, PLANETLAB_DAYS);
  if (!Object.hasOwn(OVERLOAD_DETECTORS, p.overload)) {
    bad("overload", p.overload, Object.keys(OVERLOAD_DETECTORS));
  }
  if (!MIGRATION_MODEL_NAMES.includes(p.migration))
    bad("migration", p.migration, MIGRATION_MODEL_NAMES);
}

/**
 * The spec: CloudSim's configuration on the day's folder; CloudSim's quirks with its delay model,
 * vx semantics and a star network with the real migration models.
 *
 * @param p - day, detector, migration model.
 * @returns the spec.
 * @throws VxError `VX_PLAYGROUND_BAD_PARAM` as {@link checkConsolidationParams}.
 */
export function consolidationSpec(p: ConsolidationParams): DatacenterSpecInput {
  checkConsolidationParams(p);
  const cloudsim = p.migration === "cloudsim";
  const spec = cloudsimPlanetLabSpec({
    folder: p.day,
    policy: { overload: p.overload },
    quirks: cloudsim,
  });
  return cloudsim
    ? spec
    : { ...spec, network: { topology: "star" }, migration: { model: p.migration } };
}

/**
 * Runs the day.
 *
 * @param p - day, detector, migration model.
 * @param table - the day's traces ({@link planetLabTable}).
 * @param onProgress - the fraction of rounds done.
 * @returns the summary and series the page shows.
 */
export function runConsolidation(
  p: ConsolidationParams,
  table: TraceTable,
  onProgress?: (fraction: number) => void,
): ConsolidationRun {
  const loader = memoryTraceLoader({ folders: { [p.day]: table } });
  const result = runDatacenter(consolidationSpec(p), {
    loader,
    ...(onProgress === undefined ? {} : { onProgress }),
  });
  const s = result.summary;
  const { time, activeHosts, powerWatts } = result.series;
  const energyKWh: number[] = [];
  let joules = 0;
  for (let i = 0; i < time.length; i++) {
    const end = i + 1 < time.length ? (time[i + 1] as number) : s.simulatedSeconds;
    const dt = end - (time[i] as number);
    joules += (powerWatts[i] as number) * dt;
    energyKWh.push(joules / 3.6e6);
  }
  return {
    name: s.scenario,
    summary: {
      hosts: s.hosts,
      vms: s.vms,
      energyKWh: s.energyKWh,
      migrations: s.migrations,
      slatah: s.slatah,
      pdm: s.pdm,
      slav: s.slav,
      esv: s.esv,
      hostShutdowns: s.hostShutdowns,
      meanActiveHosts: s.meanActiveHosts,
      meanMigrationSeconds: s.meanMigrationSeconds,
      meanDowntimeSeconds: s.meanDowntimeSeconds,
    },
    series: { time, activeHosts, powerWatts, energyKWh },
  };
}
