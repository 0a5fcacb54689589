/**
 * `runDatacenter`: the entry point of the data-center model.
 *
 * @module
 */

import { isAbsolute, resolve } from "node:path";
import { createRandom, VxError, type VxPath } from "@vx/core";
import type { HostType, Scenario, VmType, WorkloadSpec } from "../scenario/types.js";
import { readCsvTraces } from "../workloads/csv.js";
import { readPlanetLabTraces } from "../workloads/planetlab.js";
import { generateSyntheticTraces } from "../workloads/synthetic.js";
import type { TraceTable } from "../workloads/trace.js";
import { resolveQuirks } from "./compat.js";
import { runEngine } from "./internal/engine.js";
import type { WorldSpec } from "./internal/world.js";
import { migrationModelFor } from "./migration-model.js";
import { checkPowerTable } from "./power.js";
import type { DatacenterResult } from "./result.js";

/** Options of {@link runDatacenter}. */
export interface RunDatacenterOptions {
  /**
   * Called after each scheduling round with the fraction of rounds done (0 < f ≤ 1), e.g. to draw
   * a progress bar. Default: none.
   */
  readonly onProgress?: (fraction: number) => void;
}

/**
 * Runs the data-center model on a validated scenario and returns its result (plain JSON data).
 *
 * The model is Beloglazov & Buyya's dynamic VM consolidation (CCPE 2012) as CloudSim 4.0's power
 * package implements it: hosts with SPECpower models, VMs whose CPU demand follows their
 * workload, a scheduling round every `stepSeconds` that detects overloaded hosts
 * (THR/IQR/MAD/LR/LRR), selects VMs to move off them (MMT/MC/MU/RS), places them with
 * power-aware best-fit decreasing and evacuates under-loaded hosts; migrations take CloudSim's
 * delay and cost 10 % of the VM's CPU; the non-power-aware (`none`) and DVFS baselines place VMs
 * first-fit and never migrate. Metrics are computed as CloudSim's `Helper` does. See
 * `docs/datacenter.md`; switches reproducing CloudSim's remaining quirks live in the `cloudsim`
 * extension section (`docs/cloudsim-comparison.md`).
 *
 * Deterministic: the same scenario (and seed) gives the same result, byte for byte; the only
 * randomness (RS selection, synthetic workloads) comes from `createRandom(scenario.seed)`.
 * Everything is checked before the run starts; what happens inside the simulated world (a VM
 * that fits no host at the start, a migration still running at the end) is part of the result.
 *
 * @param scenario - a validated scenario (base units, defaults filled).
 * @param options - a progress callback.
 * @returns the summary, per-round series and migration log.
 * @throws {@link @vx/core!VxError} `VX_SIM_UNSUPPORTED` (`migration.model: precopy`), `VX_SIM_UNKNOWN_TYPE`
 * (a host or VM group naming a type that does not exist), `VX_SIM_BAD_SCENARIO` (an impossible
 * value), `VX_SIM_VM_TOO_LARGE` (a VM type no host type can hold), `VX_SIM_BAD_POWER_TABLE`,
 * `VX_SIM_TOO_FEW_TRACES`, the trace readers' errors (`VX_SIM_TRACE_*`, `VX_SIM_CSV_*`) with the
 * path of the workload in the scenario, `VX_SIM_BAD_EXTENSION` (a malformed `cloudsim` section).
 * @example
 * ```ts
 * const scenario = cloudsimPlanetLabScenario({ tracesFolder: "../shared/data/planetlab/20110303" });
 * const result = runDatacenter(scenario, { onProgress: (f) => bar.update(f) });
 * console.log(result.summary.energyKWh, result.summary.migrations);
 * ```
 */
export function runDatacenter(
  scenario: Scenario,
  options: RunDatacenterOptions = {},
): DatacenterResult {
  const migration = migrationModelFor(scenario.migration);
  const quirks = resolveQuirks(scenario);
  checkBasics(scenario);
  const spec = buildWorld(scenario);
  const workloads = buildWorkloads(scenario, spec.vmMipsPerCore.length);
  return runEngine({
    scenario,
    quirks,
    migration,
    spec,
    tables: workloads.tables,
    vmTable: workloads.vmTable,
    vmColumn: workloads.vmColumn,
    onProgress: options.onProgress,
  });
}

function bad(message: string, path: VxPath, code = "VX_SIM_BAD_SCENARIO"): never {
  throw new VxError(code, message, { path });
}

function checkBasics(s: Scenario): void {
  if (!(s.durationSeconds > 0 && Number.isFinite(s.durationSeconds))) {
    bad(`duration must be a finite number of seconds > 0; got ${String(s.durationSeconds)}.`, [
      "duration",
    ]);
  }
  if (!(s.stepSeconds > 0 && Number.isFinite(s.stepSeconds))) {
    bad(`step must be a finite number of seconds > 0; got ${String(s.stepSeconds)}.`, ["step"]);
  }
  if (!Number.isSafeInteger(s.seed))
    bad(`seed must be a safe integer; got ${String(s.seed)}.`, ["seed"]);
  const p = s.policy;
  const overloads = ["thr", "iqr", "mad", "lr", "lrr", "none", "dvfs"];
  if (!overloads.includes(p.overload)) {
    bad(
      `policy.overload must be one of ${overloads.join(", ")}; got ${JSON.stringify(p.overload)}.`,
      ["policy", "overload"],
    );
  }
  if (!["mmt", "mc", "mu", "rs"].includes(p.selection)) {
    bad(`policy.selection must be mmt, mc, mu or rs; got ${JSON.stringify(p.selection)}.`, [
      "policy",
      "selection",
    ]);
  }
  if (p.placement !== "pabfd") {
    bad(`policy.placement must be "pabfd"; got ${JSON.stringify(p.placement)}.`, [
      "policy",
      "placement",
    ]);
  }
  if (!Number.isFinite(p.parameter) || p.parameter < 0) {
    bad(`policy.parameter must be a finite number ≥ 0; got ${String(p.parameter)}.`, [
      "policy",
      "parameter",
    ]);
  }
}

function checkHostType(name: string, t: HostType): void {
  const at = (field: string): VxPath => ["hostTypes", name, field];
  if (!(Number.isInteger(t.cores) && t.cores >= 1))
    bad(`cores must be an integer ≥ 1; got ${String(t.cores)}.`, at("cores"));
  if (!(t.mipsPerCore > 0 && Number.isFinite(t.mipsPerCore)))
    bad(`mips must be > 0; got ${String(t.mipsPerCore)}.`, at("mips"));
  if (!(t.ramBytes > 0 && Number.isFinite(t.ramBytes)))
    bad(`ram must be > 0; got ${String(t.ramBytes)}.`, at("ram"));
  if (!(t.nicBytesPerSecond > 0 && Number.isFinite(t.nicBytesPerSecond))) {
    bad(`nic must be > 0; got ${String(t.nicBytesPerSecond)}.`, at("nic"));
  }
  checkPowerTable(t.powerWatts, ["hostTypes", name, "power"]);
}

function checkVmType(name: string, t: VmType): void {
  const at = (field: string): VxPath => ["vmTypes", name, field];
  if (!(Number.isInteger(t.cores) && t.cores >= 1))
    bad(`cores must be an integer ≥ 1; got ${String(t.cores)}.`, at("cores"));
  if (!(t.mipsPerCore > 0 && Number.isFinite(t.mipsPerCore)))
    bad(`mips must be > 0; got ${String(t.mipsPerCore)}.`, at("mips"));
  if (!(t.ramBytes > 0 && Number.isFinite(t.ramBytes)))
    bad(`ram must be > 0; got ${String(t.ramBytes)}.`, at("ram"));
  if (!(t.nicBytesPerSecond >= 0 && Number.isFinite(t.nicBytesPerSecond))) {
    bad(`nic must be ≥ 0; got ${String(t.nicBytesPerSecond)}.`, at("nic"));
  }
}

/** Whether some host type can hold a VM of type `v` alone (CloudSim `isSuitableForVm` at full MIPS). */
function fitsSomeHost(v: VmType, hostTypes: readonly HostType[]): boolean {
  return hostTypes.some(
    (h) =>
      h.ramBytes >= v.ramBytes &&
      h.nicBytesPerSecond >= v.nicBytesPerSecond &&
      h.mipsPerCore >= v.mipsPerCore &&
      h.cores * h.mipsPerCore >= v.cores * v.mipsPerCore,
  );
}

function buildWorld(s: Scenario): WorldSpec {
  const hostTypeNames = Object.keys(s.hostTypes);
  for (const name of hostTypeNames) checkHostType(name, s.hostTypes[name] as HostType);
  const vmTypeNames = Object.keys(s.vmTypes);
  for (const name of vmTypeNames) checkVmType(name, s.vmTypes[name] as VmType);
  const usedHostTypes: HostType[] = [];
  let H = 0;
  s.hosts.forEach((g, i) => {
    if (!(g.type in s.hostTypes)) {
      bad(
        `host type ${JSON.stringify(g.type)} is not defined; hostTypes has ${hostTypeNames.map((n) => JSON.stringify(n)).join(", ") || "none"}.`,
        ["hosts", i, "type"],
        "VX_SIM_UNKNOWN_TYPE",
      );
    }
    if (!(Number.isInteger(g.count) && g.count >= 0))
      bad(`count must be an integer ≥ 0; got ${String(g.count)}.`, ["hosts", i, "count"]);
    if (g.count > 0) usedHostTypes.push(s.hostTypes[g.type] as HostType);
    H += g.count;
  });
  if (H === 0) bad("the scenario has no host; add hosts with a count ≥ 1.", ["hosts"]);
  const typeIndex = new Map<string, number>();
  const typePower: (readonly number[])[] = [];
  const hostPeMips = new Float64Array(H);
  const hostCores = new Int32Array(H);
  const hostRam = new Float64Array(H);
  const hostNic = new Float64Array(H);
  const hostType = new Int32Array(H);
  let h = 0;
  for (const g of s.hosts) {
    const t = s.hostTypes[g.type] as HostType;
    let ti = typeIndex.get(g.type);
    if (ti === undefined) {
      ti = typePower.length;
      typeIndex.set(g.type, ti);
      typePower.push(t.powerWatts);
    }
    for (let k = 0; k < g.count; k++, h++) {
      hostPeMips[h] = t.mipsPerCore;
      hostCores[h] = t.cores;
      hostRam[h] = t.ramBytes;
      hostNic[h] = t.nicBytesPerSecond;
      hostType[h] = ti;
    }
  }
  let V = 0;
  s.vms.forEach((g, i) => {
    if (g.types.length === 0) bad("a VM group needs at least one type.", ["vms", i, "types"]);
    g.types.forEach((name, j) => {
      const v = s.vmTypes[name];
      if (v === undefined) {
        bad(
          `VM type ${JSON.stringify(name)} is not defined; vmTypes has ${vmTypeNames.map((n) => JSON.stringify(n)).join(", ") || "none"}.`,
          ["vms", i, "types", j],
          "VX_SIM_UNKNOWN_TYPE",
        );
      }
      if (g.count > 0 && !fitsSomeHost(v, usedHostTypes)) {
        bad(
          `VM type ${JSON.stringify(name)} (${v.cores} × ${v.mipsPerCore} MIPS, ${v.ramBytes} B RAM) is larger than every host of the scenario; no host could ever run it.`,
          ["vms", i, "types", j],
          "VX_SIM_VM_TOO_LARGE",
        );
      }
    });
    if (!(Number.isInteger(g.count) && g.count >= 0))
      bad(`count must be an integer ≥ 0; got ${String(g.count)}.`, ["vms", i, "count"]);
    V += g.count;
  });
  const vmMipsPerCore = new Float64Array(V);
  const vmCores = new Int32Array(V);
  const vmRam = new Float64Array(V);
  const vmNic = new Float64Array(V);
  let vm = 0;
  for (const g of s.vms) {
    const block = Math.ceil(g.count / g.types.length);
    for (let j = 0; j < g.count; j++, vm++) {
      // CloudSim Helper.createVmList: VM j gets types[j / ceil(count / types)].
      const t = s.vmTypes[g.types[Math.floor(j / block)] as string] as VmType;
      vmMipsPerCore[vm] = t.mipsPerCore;
      vmCores[vm] = t.cores;
      vmRam[vm] = t.ramBytes;
      vmNic[vm] = t.nicBytesPerSecond;
    }
  }
  return {
    hostPeMips,
    hostCores,
    hostRam,
    hostNic,
    hostType,
    typePower,
    vmMipsPerCore,
    vmCores,
    vmRam,
    vmNic,
  };
}

interface Workloads {
  readonly tables: TraceTable[];
  readonly vmTable: Int32Array;
  readonly vmColumn: Int32Array;
}

function buildWorkloads(s: Scenario, V: number): Workloads {
  const tables: TraceTable[] = [];
  const cache = new Map<string, number>();
  const vmTable = new Int32Array(V);
  const vmColumn = new Int32Array(V);
  const random = createRandom(s.seed).stream("workloads");
  let vm = 0;
  s.vms.forEach((g, gi) => {
    const at: VxPath = ["vms", gi, "workload"];
    const table = loadTable(s, g.workload, g.count, gi, at, tables, cache, random);
    const t = tables[table] as TraceTable;
    const columns = t.names.length;
    // A CSV file with one value column serves every VM of the group; otherwise one trace per VM.
    const shared = columns === 1 && g.workload.kind !== "planetlab";
    if (!shared && g.count > columns) {
      bad(
        `count is ${g.count} but ${t.source} gives ${columns} traces (one VM per trace); lower the count or omit it.`,
        ["vms", gi, "count"],
        "VX_SIM_TOO_FEW_TRACES",
      );
    }
    for (let j = 0; j < g.count; j++, vm++) {
      vmTable[vm] = table;
      vmColumn[vm] = shared ? 0 : j;
    }
  });
  return { tables, vmTable, vmColumn };
}

function loadTable(
  s: Scenario,
  w: WorkloadSpec,
  count: number,
  group: number,
  at: VxPath,
  tables: TraceTable[],
  cache: Map<string, number>,
  random: ReturnType<typeof createRandom>,
): number {
  const place = (key: string | undefined, make: () => TraceTable): number => {
    if (key !== undefined) {
      const hit = cache.get(key);
      if (hit !== undefined) return hit;
    }
    let table: TraceTable;
    try {
      table = make();
    } catch (error) {
      if (!VxError.isInstance(error)) throw error;
      const issue = error.issues[0];
      throw new VxError(error.code, issue?.message ?? error.message, {
        path: [...at, ...(issue?.path ?? error.path)],
        cause: error,
      });
    }
    tables.push(table);
    if (key !== undefined) cache.set(key, tables.length - 1);
    return tables.length - 1;
  };
  const path = (p: string): string => (isAbsolute(p) ? p : resolve(s.baseDir, p));
  switch (w.kind) {
    case "planetlab": {
      const folder = path(w.folder);
      return place(`planetlab:${folder}:${w.intervalSeconds}`, () =>
        readPlanetLabTraces(folder, { intervalSeconds: w.intervalSeconds }),
      );
    }
    case "csv": {
      const file = path(w.file);
      return place(`csv:${file}:${w.timeColumn}:${JSON.stringify(w.columns)}:${w.percent}`, () =>
        readCsvTraces(file, { timeColumn: w.timeColumn, columns: w.columns, percent: w.percent }),
      );
    }
    default:
      return place(undefined, () =>
        generateSyntheticTraces(w, {
          count,
          durationSeconds: s.durationSeconds,
          intervalSeconds: s.stepSeconds,
          random: random.stream(`group-${group}`),
        }),
      );
  }
}
