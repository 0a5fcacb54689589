/**
 * `runDatacenter`: the entry point of the data-center model.
 *
 * @module
 */

import { createRandom, type RandomStream, VxError } from "@vx/core";
import { badSpec, checkDatacenterSpec } from "./checks.js";
import { resolveQuirks } from "./compat.js";
import type { DatacenterExtension } from "./extension.js";
import { runEngine } from "./internal/engine.js";
import type { WorldSpec } from "./internal/world.js";
import type { TraceLoader } from "./loader.js";
import type { DatacenterResult } from "./result.js";
import type { DatacenterSpec, DatacenterSpecInput, HostTypeSpec, VmTypeSpec } from "./spec.js";
import { generateSyntheticTraces } from "./workloads/synthetic.js";
import type { TraceTable } from "./workloads/trace.js";

/** Options of {@link runDatacenter}. */
export interface RunDatacenterOptions {
  /**
   * Reads the traces of file workloads (PlanetLab folders, CSV files):
   * `nodeTraceLoader({ baseDir })` from `@vx/datacenter/node`, or `memoryTraceLoader` in a
   * browser. Default none: a spec with a file workload is refused (`VX_SIM_NO_LOADER`).
   */
  readonly loader?: TraceLoader;
  /**
   * Called after each scheduling round with the fraction of rounds done (0 < f ≤ 1), e.g. to draw
   * a progress bar. Default: none.
   */
  readonly onProgress?: (fraction: number) => void;
  /** Extensions that act during the run (idle parking, upgrades, …). Default none. */
  readonly extensions?: readonly DatacenterExtension[];
}

/**
 * Runs the data-center model on a spec and returns its result (plain JSON data).
 *
 * The model is Beloglazov & Buyya's dynamic VM consolidation (CCPE 2012) as CloudSim 4.0's power
 * package implements it: hosts with SPECpower models, VMs whose CPU demand follows their
 * workload, a scheduling round every `step` that detects overloaded hosts (the
 * {@link OVERLOAD_DETECTORS}), selects VMs to move off them ({@link VM_SELECTORS}), places them
 * ({@link PLACEMENTS}) and evacuates under-loaded hosts; the non-power-aware (`none`) and DVFS
 * baselines place VMs first-fit and never migrate. Migrations follow `migration.model`
 * ({@link MIGRATION_MODELS}): CloudSim's delay, or `@vx/migration` sessions on the spec's network
 * (star or tree of fluid links), which contend with each other and with the VMs' own traffic,
 * dirty memory as the VMs use CPU, cause downtime, and may be cancelled when they do not
 * converge. Metrics are computed as CloudSim's `Helper` does. See `docs/datacenter.md`;
 * CloudSim's remaining quirks are switches of the spec's `cloudsim` field
 * (`docs/cloudsim-comparison.md`).
 *
 * Everything is checked before the run starts, with the same checks `vx validate` runs
 * ({@link checkDatacenterSpec}); what happens inside the simulated world (a VM that fits no host,
 * a migration that does not converge, a VM lost) is part of the result. Deterministic: the same
 * spec (and seed) gives the same result, byte for byte.
 *
 * @param spec - the spec, as written (quantities as numbers or strings) or already parsed.
 * @param options - trace loader, progress callback, extensions.
 * @returns the summary, per-round series, migration log, and what the extensions contributed.
 * @throws {@link @vx/core!VxError} `VX_SIM_BAD_SCENARIO` listing every problem of the spec (see
 * {@link parseDatacenterSpec}); `VX_SIM_UNPLACED_VMS` when VMs fit no host and
 * `policy.unplaced` is `refuse`; `VX_DC_BAD_EXTENSION` for extensions without distinct names or
 * with a hook that is not a function; `VX_SIM_BAD_OPTION` for options that are not an object.
 * @example
 * ```ts
 * const result = runDatacenter({
 *   hostTypes: { h: { cores: 2, mips: 2660, ram: "4GiB", power: [93.7, 97, 101, 105, 110, 116, 121, 125, 129, 133, 135] } },
 *   hosts: [{ type: "h", count: 10 }],
 *   vmTypes: { vm: { mips: 1000, ram: "1GiB" } },
 *   vms: [{ types: "vm", count: 20, workload: { kind: "diurnal" } }],
 *   migration: { model: "precopy" },
 * });
 * console.log(result.summary.energyKWh, result.summary.migrations);
 * ```
 */
export function runDatacenter(
  spec: DatacenterSpecInput,
  options: RunDatacenterOptions = {},
): DatacenterResult {
  if (typeof options !== "object" || options === null) {
    throw new VxError(
      "VX_SIM_BAD_OPTION",
      `runDatacenter's options must be an object; got ${options === null ? "null" : typeof options}.`,
      { path: [] },
    );
  }
  const check = checkDatacenterSpec(spec, { loader: options.loader });
  const parsed = check.spec;
  if (parsed === undefined || check.tables === undefined) throw badSpec(check.issues);
  const extensions = options.extensions ?? [];
  if (!Array.isArray(extensions)) {
    throw new VxError("VX_DC_BAD_EXTENSION", "extensions must be an array.", {
      path: ["extensions"],
    });
  }
  const world = buildWorld(parsed);
  const workloads = buildWorkloads(parsed, check.tables, world.spec.vmMipsPerCore.length);
  return runEngine({
    spec: parsed,
    quirks: resolveQuirks(parsed.cloudsim),
    world: world.spec,
    hostTypeNames: world.hostTypeNames,
    vmTypeNames: world.vmTypeNames,
    vmTypes: world.vmTypes,
    tables: workloads.tables,
    vmTable: workloads.vmTable,
    vmColumn: workloads.vmColumn,
    onProgress: options.onProgress,
    extensions,
  });
}

interface BuiltWorld {
  readonly spec: WorldSpec;
  readonly hostTypeNames: readonly string[];
  readonly vmTypeNames: readonly string[];
  readonly vmTypes: readonly VmTypeSpec[];
}

function buildWorld(s: DatacenterSpec): BuiltWorld {
  let H = 0;
  for (const g of s.hosts) H += g.count;
  const typeIndex = new Map<string, number>();
  const typePower: (readonly number[])[] = [];
  const hostTypeNames: string[] = [];
  const hostPeMips = new Float64Array(H);
  const hostCores = new Int32Array(H);
  const hostRam = new Float64Array(H);
  const hostNic = new Float64Array(H);
  const hostType = new Int32Array(H);
  let h = 0;
  for (const g of s.hosts) {
    const t = s.hostTypes[g.type] as HostTypeSpec;
    let ti = typeIndex.get(g.type);
    if (ti === undefined) {
      ti = typePower.length;
      typeIndex.set(g.type, ti);
      typePower.push(t.power);
      hostTypeNames.push(g.type);
    }
    for (let k = 0; k < g.count; k++, h++) {
      hostPeMips[h] = t.mips;
      hostCores[h] = t.cores;
      hostRam[h] = t.ram;
      hostNic[h] = t.nic;
      hostType[h] = ti;
    }
  }
  let V = 0;
  for (const g of s.vms) V += g.count;
  const vmTypeNames = Object.keys(s.vmTypes);
  const vmTypes = vmTypeNames.map((n) => s.vmTypes[n] as VmTypeSpec);
  const vmMipsPerCore = new Float64Array(V);
  const vmCores = new Int32Array(V);
  const vmRam = new Float64Array(V);
  const vmNic = new Float64Array(V);
  const vmType = new Int32Array(V);
  let vm = 0;
  for (const g of s.vms) {
    const block = Math.ceil(g.count / g.types.length);
    for (let j = 0; j < g.count; j++, vm++) {
      // CloudSim Helper.createVmList: VM j gets types[j / ceil(count / types)].
      const name = g.types[Math.floor(j / block)] as string;
      const t = s.vmTypes[name] as VmTypeSpec;
      vmMipsPerCore[vm] = t.mips;
      vmCores[vm] = t.cores;
      vmRam[vm] = t.ram;
      vmNic[vm] = t.nic;
      vmType[vm] = vmTypeNames.indexOf(name);
    }
  }
  return {
    spec: {
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
      vmType,
      hostTypeName: hostTypeNames,
    },
    hostTypeNames,
    vmTypeNames,
    vmTypes,
  };
}

interface Workloads {
  readonly tables: TraceTable[];
  readonly vmTable: Int32Array;
  readonly vmColumn: Int32Array;
}

function buildWorkloads(
  s: DatacenterSpec,
  fileTables: readonly (TraceTable | undefined)[],
  V: number,
): Workloads {
  const tables: TraceTable[] = [];
  const index = new Map<TraceTable, number>();
  const vmTable = new Int32Array(V);
  const vmColumn = new Int32Array(V);
  const random: RandomStream = createRandom(s.seed).stream("workloads");
  let vm = 0;
  s.vms.forEach((g, gi) => {
    const w = g.workload;
    let table = fileTables[gi];
    if (table === undefined) {
      if (w.kind === "planetlab" || w.kind === "csv") throw new Error("file workload not read");
      table = generateSyntheticTraces(w, {
        count: g.count,
        durationSeconds: s.duration,
        intervalSeconds: s.step,
        random: random.stream(`group-${gi}`),
      });
    }
    let ti = index.get(table);
    if (ti === undefined) {
      ti = tables.push(table) - 1;
      index.set(table, ti);
    }
    // A CSV file with one value column serves every VM of the group; otherwise one trace per VM.
    const shared = table.names.length === 1 && w.kind !== "planetlab";
    for (let j = 0; j < g.count; j++, vm++) {
      vmTable[vm] = ti;
      vmColumn[vm] = shared ? 0 : j;
    }
  });
  return { tables, vmTable, vmColumn };
}
