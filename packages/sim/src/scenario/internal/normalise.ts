/**
 * Turns a validated scenario file (schema output) into the {@link Scenario} contract: defaults
 * filled in, names of the contract, types as lists, counts of trace-driven groups resolved.
 */

import type { ScenarioFileInput, WorkloadInput } from "../schema.js";
import type {
  HostType,
  MigrationSpec,
  NetworkSpec,
  PolicySpec,
  Scenario,
  VmGroup,
  VmType,
  WorkloadSpec,
} from "../types.js";
import type { CheckFacts } from "./checks.js";
import { DEFAULTS, POLICY_PARAMETER, WORKLOAD } from "./defaults.js";

/**
 * Builds the scenario.
 *
 * @param file - the schema's output (every cross-check passed).
 * @param facts - traces available per trace-driven group.
 * @param name - name to use when the file gives none.
 * @param baseDir - absolute folder of the file.
 * @param extensions - parsed extension sections present in the file.
 */
export function normalise(
  file: ScenarioFileInput,
  facts: CheckFacts,
  name: string,
  baseDir: string,
  extensions: Readonly<Record<string, unknown>>,
): Scenario {
  const hostTypes: Record<string, HostType> = {};
  for (const [key, h] of Object.entries(file.hostTypes)) {
    hostTypes[key] = {
      cores: h.cores,
      mipsPerCore: h.mips,
      ramBytes: h.ram,
      nicBytesPerSecond: h.nic ?? DEFAULTS.hostNicBytesPerSecond,
      powerWatts: h.power.slice(),
    };
  }
  const vmTypes: Record<string, VmType> = {};
  for (const [key, v] of Object.entries(file.vmTypes)) {
    vmTypes[key] = {
      cores: v.cores ?? DEFAULTS.vmCores,
      mipsPerCore: v.mips,
      ramBytes: v.ram,
      nicBytesPerSecond: v.nic ?? DEFAULTS.vmNicBytesPerSecond,
    };
  }
  const vms: VmGroup[] = file.vms.map((g, i) => ({
    types: typeof g.types === "string" ? [g.types] : g.types.slice(),
    // Trace-driven groups default to one VM per trace; synthetic ones were checked to have a count.
    count: g.count ?? facts.traces.get(i) ?? 0,
    workload: workload(g.workload),
  }));
  return {
    name: file.name ?? name,
    seed: file.seed ?? DEFAULTS.seed,
    durationSeconds: file.duration ?? DEFAULTS.durationSeconds,
    stepSeconds: file.step ?? DEFAULTS.stepSeconds,
    hostTypes,
    hosts: file.hosts.map((g) => ({ type: g.type, count: g.count })),
    vmTypes,
    vms,
    network: network(file),
    policy: policy(file),
    migration: migration(file),
    extensions,
    baseDir,
  };
}

function workload(w: WorkloadInput): WorkloadSpec {
  switch (w.kind) {
    case "planetlab":
      return {
        kind: "planetlab",
        folder: w.folder,
        intervalSeconds: w.interval ?? DEFAULTS.planetlabIntervalSeconds,
      };
    case "constant":
      return { kind: "constant", utilisation: w.utilisation ?? WORKLOAD.constant.utilisation };
    case "diurnal":
      return {
        kind: "diurnal",
        mean: w.mean ?? WORKLOAD.diurnal.mean,
        amplitude: w.amplitude ?? WORKLOAD.diurnal.amplitude,
        periodSeconds: w.period ?? WORKLOAD.diurnal.periodSeconds,
        noise: w.noise ?? WORKLOAD.diurnal.noise,
      };
    case "bursty":
      return {
        kind: "bursty",
        base: w.base ?? WORKLOAD.bursty.base,
        peak: w.peak ?? WORKLOAD.bursty.peak,
        meanGapSeconds: w.meanGap ?? WORKLOAD.bursty.meanGapSeconds,
        meanBurstSeconds: w.meanBurst ?? WORKLOAD.bursty.meanBurstSeconds,
      };
    case "idle-spikes":
      return {
        kind: "idle-spikes",
        idle: w.idle ?? WORKLOAD.idleSpikes.idle,
        spike: w.spike ?? WORKLOAD.idleSpikes.spike,
        meanGapSeconds: w.meanGap ?? WORKLOAD.idleSpikes.meanGapSeconds,
        spikeSeconds: w.spikeDuration ?? WORKLOAD.idleSpikes.spikeSeconds,
      };
    case "csv":
      return {
        kind: "csv",
        file: w.file,
        timeColumn: w.timeColumn ?? WORKLOAD.csv.timeColumn,
        columns: w.columns === undefined || w.columns === "all" ? "all" : w.columns.slice(),
        percent: w.percent ?? WORKLOAD.csv.percent,
      };
  }
}

function network(file: ScenarioFileInput): NetworkSpec {
  const n = file.network;
  if (n === undefined) return { topology: "star", latencySeconds: DEFAULTS.latencySeconds };
  if (n.topology === "star") {
    return { topology: "star", latencySeconds: n.latency ?? DEFAULTS.latencySeconds };
  }
  return {
    topology: "tree",
    hostsPerRack: n.hostsPerRack ?? DEFAULTS.hostsPerRack,
    oversubscription: n.oversubscription ?? DEFAULTS.oversubscription,
    latencySeconds: n.latency ?? DEFAULTS.latencySeconds,
  };
}

function policy(file: ScenarioFileInput): PolicySpec {
  const p = file.policy ?? {};
  const overload = p.overload ?? "thr";
  return {
    overload,
    parameter: p.parameter ?? POLICY_PARAMETER[overload],
    selection: p.selection ?? "mmt",
    placement: p.placement ?? "pabfd",
    underload: p.underload ?? true,
  };
}

function migration(file: ScenarioFileInput): MigrationSpec {
  const m = file.migration;
  if (m === undefined || m.model === "cloudsim") return { model: "cloudsim" };
  return {
    model: "precopy",
    rules: m.rules ?? "qemu",
    downtimeLimitSeconds: m.downtimeLimit ?? DEFAULTS.downtimeLimitSeconds,
    maxBandwidthBytesPerSecond: m.maxBandwidth ?? DEFAULTS.maxBandwidthBytesPerSecond,
    dirtyBytesPerSecondAtFullLoad: m.dirtyRateAtFullLoad ?? DEFAULTS.dirtyBytesPerSecondAtFullLoad,
  };
}
