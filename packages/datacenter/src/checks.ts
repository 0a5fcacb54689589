/**
 * Everything checked before a run, in one place: the schema, the rules between fields
 * (references, fits, counts, time, totals) and the traces the workloads read. `runDatacenter`
 * and `@vx/sim`'s `vx validate` / `vx run` call the same functions, so what validates runs and
 * what fails fails the same way.
 *
 * @module
 */

import { formatBytes, formatPath, parseWith, VxError, type VxIssue, type VxPath } from "@vx/core";
import type { ZodType } from "zod";
import type { TraceLoader } from "./loader.js";
import {
  type DatacenterSpec,
  datacenterSpecSchema,
  type HostTypeSpec,
  type ParsedDatacenterSpec,
  SPEC_FIELDS,
  SPEC_LIMITS,
  TYPE_NAME_PATTERN,
  type VmGroupSpec,
  type VmTypeSpec,
} from "./spec.js";
import type { FileWorkload } from "./workloads/spec.js";
import { checkSyntheticCost } from "./workloads/synthetic.js";
import type { TraceTable } from "./workloads/trace.js";

/** The code of the error that lists a spec's problems. */
export const BAD_SPEC = "VX_SIM_BAD_SCENARIO";

/** Options of {@link checkDatacenterSpec} and {@link parseDatacenterSpec}. */
export interface CheckSpecOptions {
  /**
   * Reads the traces of file workloads (PlanetLab folders, CSV files). Without one, a spec with
   * a file workload is refused (`VX_SIM_NO_LOADER`).
   */
  readonly loader?: TraceLoader | undefined;
}

/** What {@link checkDatacenterSpec} finds. */
export interface SpecCheck {
  /** Every problem, with its path in the spec; empty when the spec is valid. */
  readonly issues: readonly VxIssue[];
  /** The validated spec, when there is no issue. */
  readonly spec: DatacenterSpec | undefined;
  /**
   * The traces of each VM group (`undefined` for synthetic groups, which the engine generates),
   * when there is no issue.
   *
   * @internal
   */
  readonly tables: readonly (TraceTable | undefined)[] | undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isTypeName(value: unknown): value is string {
  return typeof value === "string" && TYPE_NAME_PATTERN.test(value);
}

/** Parses one piece; `undefined` when it is invalid (its problems are the schema's to report). */
function tryParse<T>(schema: ZodType, value: unknown): T | undefined {
  const r = schema.safeParse(value);
  return r.success ? (r.data as T) : undefined;
}

function list(names: readonly string[]): string {
  const shown = names.slice(0, 12).map((n) => JSON.stringify(n));
  return names.length > 12 ? `${shown.join(", ")}, …` : shown.join(", ") || "none";
}

/**
 * Whether a host type can hold a VM type alone (CloudSim `Host.isSuitableForVm` at the VM's full
 * MIPS): each virtual core fits one physical core, the cores together fit the host's, and the
 * host has the RAM and NIC bandwidth.
 *
 * @param vm - the VM type.
 * @param host - the host type.
 * @returns true when it fits.
 * @example
 * ```ts
 * fitsHostType(CLOUDSIM_VM_TYPES["high-cpu-medium"], CLOUDSIM_HOST_TYPES["hp-ml110-g4"]); // false: 2500 > 1860 MIPS per core
 * ```
 */
export function fitsHostType(
  vm: Pick<VmTypeSpec, "cores" | "mips" | "ram" | "nic">,
  host: Pick<HostTypeSpec, "cores" | "mips" | "ram" | "nic">,
): boolean {
  return (
    host.ram >= vm.ram &&
    host.nic >= vm.nic &&
    host.mips >= vm.mips &&
    host.cores * host.mips >= vm.cores * vm.mips
  );
}

/**
 * The rules between fields, checked on the value as written, piece by piece, so that they are
 * reported even when other parts of the spec are invalid (a piece that fails its own schema is
 * skipped here: its schema issues say what is wrong with it).
 *
 * - `step ≤ duration`, at most {@link SPEC_LIMITS}`.steps` steps;
 * - host and VM groups name existing types;
 * - every VM type a group uses fits some host type the spec instantiates (cores, per-core MIPS,
 *   RAM, NIC: {@link fitsHostType});
 * - at most {@link SPEC_LIMITS}`.hosts` hosts and `.vms` VMs (counted where given);
 * - synthetic groups have a count, bursts are above the base load, spikes above the idle load,
 *   and on/off cycles are not so short that generating them would cost more than the steps;
 * - QEMU refuses xbzrle with multifd;
 * - the traces of file workloads can be read (through `options.loader`, in full: a malformed
 *   line is found here, not during the run) and hold at least as many traces as the group has
 *   VMs.
 *
 * @param raw - the spec as written (any value).
 * @param options - the trace loader (without one, file workloads are `VX_SIM_NO_LOADER`).
 * @returns the problems found, with their paths.
 * @example
 * ```ts
 * crossCheckSpec({ hostTypes: {}, hosts: [{ type: "g6", count: 1 }] }); // [] : hostTypes is the schema's
 * ```
 */
export function crossCheckSpec(raw: unknown, options: CheckSpecOptions = {}): VxIssue[] {
  const issues: VxIssue[] = [];
  if (!isRecord(raw)) return issues;
  const F = SPEC_FIELDS;

  // Time.
  const duration = tryParse<number>(F.duration, raw.duration);
  const step = tryParse<number>(F.step, raw.step);
  if (duration !== undefined && step !== undefined) {
    if (step > duration) {
      issues.push({
        code: "VX_SIM_STEP_TOO_LONG",
        message: `the step (${step} s) is longer than the duration (${duration} s); make it at most the duration`,
        path: [raw.step === undefined ? "duration" : "step"],
      });
    } else if (duration / step > SPEC_LIMITS.steps) {
      issues.push({
        code: "VX_SIM_TOO_MANY_STEPS",
        message: `duration / step = ${Math.ceil(duration / step)} steps, more than ${SPEC_LIMITS.steps}; use a longer step or a shorter duration`,
        path: ["step"],
      });
    }
  }

  // Host types and hosts.
  const hostTypeNames = isRecord(raw.hostTypes) ? Object.keys(raw.hostTypes) : undefined;
  const usedHostTypes = new Set<string>();
  let hostTotal = 0;
  if (Array.isArray(raw.hosts)) {
    raw.hosts.forEach((group: unknown, i) => {
      if (!isRecord(group)) return;
      if (typeof group.count === "number" && Number.isFinite(group.count)) hostTotal += group.count;
      if (!isTypeName(group.type) || hostTypeNames === undefined) return;
      if (!hostTypeNames.includes(group.type)) {
        issues.push({
          code: "VX_SIM_UNKNOWN_TYPE",
          message: `unknown host type ${JSON.stringify(group.type)}; the host types are ${list(hostTypeNames)}`,
          path: ["hosts", i, "type"],
        });
      } else usedHostTypes.add(group.type);
    });
  }
  if (hostTotal > SPEC_LIMITS.hosts) {
    issues.push({
      code: "VX_SIM_TOO_LARGE",
      message: `the spec has ${hostTotal} hosts in all, more than ${SPEC_LIMITS.hosts}; split the study or use fewer hosts`,
      path: ["hosts"],
    });
  }

  // VM types and groups.
  const vmTypeNames = isRecord(raw.vmTypes) ? Object.keys(raw.vmTypes) : undefined;
  const usedVmTypes = new Set<string>();
  let vmTotal = 0;
  if (Array.isArray(raw.vms)) {
    raw.vms.forEach((group: unknown, i) => {
      if (!isRecord(group)) return;
      if (typeof group.count === "number" && Number.isFinite(group.count)) vmTotal += group.count;
      const check = (name: unknown, path: VxPath): void => {
        if (!isTypeName(name) || vmTypeNames === undefined) return;
        if (!vmTypeNames.includes(name)) {
          issues.push({
            code: "VX_SIM_UNKNOWN_TYPE",
            message: `unknown VM type ${JSON.stringify(name)}; the VM types are ${list(vmTypeNames)}`,
            path,
          });
        } else usedVmTypes.add(name);
      };
      const types = group.types;
      if (Array.isArray(types)) {
        types.forEach((t, j) => {
          check(t, ["vms", i, "types", j]);
        });
      } else check(types, ["vms", i, "types"]);
    });
  }
  if (vmTotal > SPEC_LIMITS.vms) {
    issues.push({
      code: "VX_SIM_TOO_LARGE",
      message: `the spec has ${vmTotal} VMs in all, more than ${SPEC_LIMITS.vms}; split the study or use fewer VMs`,
      path: ["vms"],
    });
  }

  // Fit: every VM type used fits some host type instantiated.
  if (isRecord(raw.hostTypes) && isRecord(raw.vmTypes) && usedHostTypes.size > 0) {
    const hostTypes: [string, HostTypeSpec][] = [];
    let allHostsOk = true;
    for (const name of usedHostTypes) {
      const parsed = tryParse<Record<string, HostTypeSpec>>(F.hostTypes, {
        [name]: raw.hostTypes[name],
      });
      const t = parsed?.[name];
      if (t === undefined) allHostsOk = false;
      else hostTypes.push([name, t]);
    }
    if (allHostsOk) {
      for (const name of usedVmTypes) {
        const parsed = tryParse<Record<string, VmTypeSpec>>(F.vmTypes, {
          [name]: raw.vmTypes[name],
        });
        const vm = parsed?.[name];
        if (vm === undefined) continue;
        if (hostTypes.some(([, h]) => fitsHostType(vm, h))) continue;
        const hosts = hostTypes
          .map(
            ([n, h]) =>
              `${n}: ${h.cores} × ${h.mips} MIPS, ${formatBytes(h.ram)}, ${formatBytes(h.nic)}/s`,
          )
          .join("; ");
        issues.push({
          code: "VX_SIM_VM_TOO_LARGE",
          message: `VM type ${JSON.stringify(name)} (${vm.cores} × ${vm.mips} MIPS, ${formatBytes(vm.ram)}, ${formatBytes(vm.nic)}/s) fits no host of the spec (${hosts}): a VM needs a host with cores at least as fast as its own, as many MIPS in all, and the RAM and NIC; shrink it or add a larger host type`,
          path: ["vmTypes", name],
        });
      }
    }
  }

  // Workloads.
  if (Array.isArray(raw.vms)) {
    const stepSeconds = step ?? (raw.step === undefined ? 300 : undefined);
    raw.vms.forEach((value: unknown, i) => {
      if (!isRecord(value)) return;
      const group = tryParse<readonly VmGroupSpec[]>(F.vms, [value])?.[0];
      if (group === undefined) return;
      const w = group.workload;
      const at = (...rest: (string | number)[]): VxPath => ["vms", i, ...rest];
      if (w.kind === "planetlab" || w.kind === "csv") {
        const read = loadTraces(w, group.count, i, options.loader);
        for (const issue of read.issues) issues.push(issue);
        return;
      }
      if (group.count === undefined) {
        issues.push({
          code: "VX_SIM_COUNT_REQUIRED",
          message: `a ${w.kind} workload needs a count: how many VMs this group has`,
          path: at("count"),
        });
      }
      if (w.kind === "bursty" && w.peak < w.base) {
        const raw = value.workload as Record<string, unknown>;
        issues.push({
          code: "VX_SIM_BAD_WORKLOAD",
          message: `peak (${pct(w.peak)}${raw.peak === undefined ? ", the default" : ""}) is below base (${pct(w.base)}${raw.base === undefined ? ", the default" : ""}); a burst must be at least the base load`,
          path: at("workload", raw.peak === undefined ? "base" : "peak"),
        });
      }
      if (w.kind === "idle-spikes" && w.spike < w.idle) {
        const raw = value.workload as Record<string, unknown>;
        issues.push({
          code: "VX_SIM_BAD_WORKLOAD",
          message: `spike (${pct(w.spike)}${raw.spike === undefined ? ", the default" : ""}) is below idle (${pct(w.idle)}${raw.idle === undefined ? ", the default" : ""}); a spike must be at least the idle load`,
          path: at("workload", raw.spike === undefined ? "idle" : "spike"),
        });
      }
      if (stepSeconds !== undefined) {
        const problem = checkSyntheticCost(w, stepSeconds);
        if (problem !== undefined) {
          issues.push({
            code: "VX_SIM_BAD_WORKLOAD",
            message: problem.message,
            path: at("workload", problem.field),
          });
        }
      }
    });
  }

  // Migration.
  if (isRecord(raw.migration) && raw.migration.model === "precopy") {
    if (raw.migration.xbzrle === true && raw.migration.multifd === true) {
      issues.push({
        code: "VX_SIM_BAD_MIGRATION",
        message: "xbzrle cannot be combined with multifd (QEMU refuses it); enable one of them",
        path: ["migration", "xbzrle"],
      });
    }
  }
  return issues;
}

function pct(fraction: number): string {
  return `${Number((fraction * 100).toPrecision(6))} %`;
}

/** Bytes per host, per VM, per step and per stored sample the memory estimate counts. */
const BYTES = { host: 1200, vm: 1000, step: 200, sample: 8, link: 300 } as const;

/**
 * The memory a run of a spec is estimated to need, in bytes: hosts, VMs, per-step series,
 * network links, and the utilisation samples of every trace table (synthetic ones are generated
 * for the whole duration, one column per VM). An order of magnitude, to refuse a spec that
 * cannot run before it allocates anything (above {@link SPEC_LIMITS}`.memoryBytes`).
 *
 * @param spec - a spec after the schema, with counts resolved.
 * @param tableSamples - samples held by the file workloads' tables (already read).
 * @returns bytes.
 * @example
 * ```ts
 * estimateMemoryBytes(spec, 0) / 2 ** 20; // MiB
 * ```
 */
export function estimateMemoryBytes(spec: DatacenterSpec, tableSamples: number): number {
  let hosts = 0;
  for (const g of spec.hosts) hosts += g.count;
  let vms = 0;
  let synthetic = 0;
  const steps = Math.ceil(spec.duration / spec.step) + 2;
  for (const g of spec.vms) {
    vms += g.count;
    const w = g.workload;
    if (w.kind === "constant") synthetic += steps;
    else if (w.kind !== "planetlab" && w.kind !== "csv") synthetic += g.count * steps;
  }
  const racks = spec.network.topology === "tree" ? Math.ceil(hosts / spec.network.hostsPerRack) : 0;
  return (
    hosts * BYTES.host +
    vms * BYTES.vm +
    steps * BYTES.step +
    (2 * hosts + 2 * racks) * BYTES.link +
    (synthetic + tableSamples) * BYTES.sample
  );
}

/**
 * Checks a spec completely, before anything runs: its schema, {@link crossCheckSpec}, and the
 * traces of its file workloads (read through the loader: counts against traces, malformed
 * files), then the totals and the memory estimate.
 *
 * @param input - the spec as written (any value: a wrong type is an issue, not a crash).
 * @param options - the trace loader.
 * @returns the issues, and the validated spec when there is none.
 * @example
 * ```ts
 * const { issues, spec } = checkDatacenterSpec(input, { loader: nodeTraceLoader() });
 * for (const issue of issues) console.error(formatPath(issue.path), issue.message);
 * ```
 */
export function checkDatacenterSpec(input: unknown, options: CheckSpecOptions = {}): SpecCheck {
  const { data, issues } = schemaIssues(input);
  for (const issue of crossCheckSpec(input, options)) issues.push(issue);
  if (data === undefined || issues.length > 0) {
    return { issues, spec: undefined, tables: undefined };
  }
  return resolve(data, options.loader);
}

/** The schema's issues (with the "got …" detail), or the parsed spec. */
function schemaIssues(input: unknown): {
  readonly data: ParsedDatacenterSpec | undefined;
  readonly issues: VxIssue[];
} {
  try {
    return { data: parseWith(datacenterSpecSchema, input), issues: [] };
  } catch (error) {
    if (!VxError.isInstance(error)) throw error;
    return { data: undefined, issues: [...error.issues] };
  }
}

/**
 * Reads the traces of a file workload: its table and how many VMs it gives the group, or the
 * issues (the loader's, with the workload's path in front, or too few traces).
 */
function loadTraces(
  w: FileWorkload,
  count: number | undefined,
  i: number,
  loader: TraceLoader | undefined,
): { readonly issues: VxIssue[]; readonly table: TraceTable | undefined; readonly count: number } {
  const at: VxPath = ["vms", i, "workload"];
  if (loader === undefined) {
    return {
      issues: [
        {
          code: "VX_SIM_NO_LOADER",
          message: `a ${w.kind} workload reads files, and no trace loader was given; pass one (nodeTraceLoader from @vx/datacenter/node, or memoryTraceLoader)`,
          path: at,
        },
      ],
      table: undefined,
      count: 0,
    };
  }
  let table: TraceTable;
  try {
    table = loader.load(w);
  } catch (error) {
    if (!VxError.isInstance(error)) throw error;
    const list = error.issues.length > 0 ? error.issues : [error];
    return {
      issues: list.map((issue) => ({
        code: issue.code,
        message: issue.message,
        path: [...at, ...issue.path],
      })),
      table: undefined,
      count: 0,
    };
  }
  const traces = table.names.length;
  // A CSV file with one value column serves every VM of the group; otherwise one trace per VM.
  const shared = traces === 1 && w.kind === "csv";
  const n = count ?? traces;
  if (!shared && n > traces) {
    return {
      issues: [
        {
          code: "VX_SIM_TOO_FEW_TRACES",
          message: `count is ${n} but ${table.source} gives ${traces} ${w.kind === "planetlab" ? "trace files" : "utilisation columns"} (one VM per trace${w.kind === "csv" ? ", or one column shared by all" : ""}); lower the count or omit it to use them all`,
          path: ["vms", i, "count"],
        },
      ],
      table,
      count: n,
    };
  }
  return { issues: [], table, count: n };
}

/** Reads the file workloads (again: loaders cache), resolves counts, checks totals and memory. */
function resolve(spec: ParsedDatacenterSpec, loader: TraceLoader | undefined): SpecCheck {
  const issues: VxIssue[] = [];
  const tables: (TraceTable | undefined)[] = [];
  const counts: number[] = [];
  let tableSamples = 0;
  const seen = new Set<TraceTable>();
  spec.vms.forEach((g, i) => {
    const w = g.workload;
    if (w.kind !== "planetlab" && w.kind !== "csv") {
      tables.push(undefined);
      counts.push(g.count ?? 0);
      return;
    }
    const read = loadTraces(w, g.count, i, loader);
    for (const issue of read.issues) issues.push(issue);
    tables.push(read.table);
    counts.push(read.count);
    if (read.table !== undefined && !seen.has(read.table)) {
      seen.add(read.table);
      tableSamples += read.table.values.length;
    }
  });
  if (issues.length > 0) return { issues, spec: undefined, tables: undefined };
  const resolved: DatacenterSpec = {
    ...spec,
    vms: spec.vms.map((g, i) => ({ ...g, count: counts[i] as number })),
  };
  let vms = 0;
  for (const c of counts) vms += c;
  if (vms > SPEC_LIMITS.vms) {
    issues.push({
      code: "VX_SIM_TOO_LARGE",
      message: `the spec has ${vms} VMs in all, more than ${SPEC_LIMITS.vms}; split the study or use fewer VMs`,
      path: ["vms"],
    });
  }
  const memory = estimateMemoryBytes(resolved, tableSamples);
  if (issues.length === 0 && memory > SPEC_LIMITS.memoryBytes) {
    issues.push({
      code: "VX_SIM_TOO_LARGE",
      message: `this spec needs about ${formatBytes(memory)} of memory (hosts, VMs, ${Math.ceil(resolved.duration / resolved.step)} steps of series and workload samples), more than the ${formatBytes(SPEC_LIMITS.memoryBytes)} a run may use; use fewer hosts or VMs, a longer step or a shorter duration`,
      path: [],
    });
  }
  if (issues.length > 0) return { issues, spec: undefined, tables: undefined };
  return { issues, spec: resolved, tables };
}

/**
 * One error listing every problem of a spec.
 *
 * @param issues - the problems (at least one).
 * @param what - what was checked, for the message (default `"data-center spec"`).
 * @returns a `VX_SIM_BAD_SCENARIO` error whose `issues` are the problems.
 * @internal
 */
export function badSpec(issues: readonly VxIssue[], what = "data-center spec"): VxError {
  const count = issues.length;
  let message = `Invalid ${what} (${count} ${count === 1 ? "problem" : "problems"}):`;
  for (const issue of issues) {
    const where = issue.path.length === 0 ? "" : `${formatPath(issue.path)}: `;
    message += `\n  ${where}${issue.message} [${issue.code}]`;
  }
  return new VxError(BAD_SPEC, message, { path: issues[0]?.path ?? [], issues });
}

/**
 * Validates a spec completely ({@link checkDatacenterSpec}) and returns it resolved, or throws one
 * error listing every problem.
 *
 * @param input - the spec as written.
 * @param options - the trace loader.
 * @returns the validated spec: base units, defaults filled, every group's count known.
 * @throws {@link @vx/core!VxError} `VX_SIM_BAD_SCENARIO` whose `issues` list every problem with its
 * path and code (`VX_SCHEMA_*`, `VX_SIM_UNKNOWN_TYPE`, `VX_SIM_VM_TOO_LARGE`, `VX_SIM_STEP_TOO_LONG`,
 * `VX_SIM_TOO_MANY_STEPS`, `VX_SIM_TOO_LARGE`, `VX_SIM_COUNT_REQUIRED`, `VX_SIM_BAD_WORKLOAD`,
 * `VX_SIM_BAD_PARAMETER`, `VX_SIM_TOO_FEW_TRACES`, `VX_SIM_NO_LOADER`, the loaders'
 * `VX_SIM_TRACE_*` and `VX_SIM_CSV_*`).
 * @example
 * ```ts
 * const spec = parseDatacenterSpec({ hostTypes, hosts, vmTypes, vms });
 * spec.duration; // 86400
 * ```
 */
export function parseDatacenterSpec(
  input: unknown,
  options: CheckSpecOptions = {},
): DatacenterSpec {
  const check = checkDatacenterSpec(input, options);
  if (check.spec === undefined) throw badSpec(check.issues);
  return check.spec;
}
