/**
 * Cross-field checks of a scenario file: what one field's schema cannot see alone. They run on
 * the raw value, piece by piece, so they report problems even when other parts of the file are
 * invalid; a piece that fails its own schema is skipped here (its schema issues are reported).
 */

import { formatBytes, parseWith, type VxIssue } from "@vx/core";
import type { z } from "zod";
import {
  coreFields,
  type HostTypeInput,
  hostTypeSchema,
  MAX_STEPS,
  TYPE_NAME_PATTERN,
  type VmGroupInput,
  type VmTypeInput,
  vmGroupSchema,
  vmTypeSchema,
} from "../schema.js";
import { DEFAULTS, WORKLOAD } from "./defaults.js";
import { probeCsvHeader, probeTraceFolder } from "./files.js";

/** What the checks learnt that normalisation needs: traces available per VM group. */
export interface CheckFacts {
  /** For planetlab and csv groups (by index in `vms`): traces (files or value columns) available. */
  readonly traces: ReadonlyMap<number, number>;
}

/** Parses one piece; `undefined` when it is invalid (its problems are reported by the schema). */
export function tryParse<T>(schema: z.ZodType<T, unknown>, value: unknown): T | undefined {
  const result = schema.safeParse(value);
  return result.success ? result.data : undefined;
}

/** Schema issues of `value`, with the "got …" detail that `parseWith` adds. */
export function schemaIssues(
  schema: z.ZodType<unknown, unknown>,
  value: unknown,
): {
  readonly data: unknown;
  readonly issues: readonly VxIssue[];
} {
  try {
    return { data: parseWith(schema, value), issues: [] };
  } catch (error) {
    if (typeof error === "object" && error !== null && "issues" in error) {
      return { data: undefined, issues: (error as { issues: readonly VxIssue[] }).issues };
    }
    throw error;
  }
}

/** A well-formed type name (a malformed one is reported by the schema, not again here). */
function isTypeName(value: unknown): value is string {
  return typeof value === "string" && TYPE_NAME_PATTERN.test(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function list(names: readonly string[]): string {
  const shown = names.slice(0, 12).map((n) => JSON.stringify(n));
  return names.length > 12 ? `${shown.join(", ")}, …` : shown.join(", ");
}

function pct(fraction: number): string {
  return `${Number((fraction * 100).toPrecision(6))} %`;
}

/**
 * Runs every cross-field check.
 *
 * @param raw - the file's top-level object.
 * @param baseDir - folder that relative paths resolve against.
 * @returns the issues found and facts for normalisation.
 */
export function crossCheck(
  raw: Record<string, unknown>,
  baseDir: string,
): { readonly issues: VxIssue[]; readonly facts: CheckFacts } {
  const issues: VxIssue[] = [];
  const traces = new Map<number, number>();

  // Time: step ≤ duration and a bounded number of steps.
  const duration = tryParse(coreFields.duration, raw.duration);
  const step = tryParse(coreFields.step, raw.step);
  const durationOk = raw.duration === undefined || duration !== undefined;
  const stepOk = raw.step === undefined || step !== undefined;
  if (durationOk && stepOk) {
    const d = duration ?? DEFAULTS.durationSeconds;
    const s = step ?? DEFAULTS.stepSeconds;
    if (s > d) {
      issues.push({
        code: "VX_SIM_STEP_TOO_LONG",
        message: `the step (${s} s) is longer than the duration (${d} s); make it at most the duration`,
        path: [raw.step === undefined ? "duration" : "step"],
      });
    } else if (d / s > MAX_STEPS) {
      issues.push({
        code: "VX_SIM_TOO_MANY_STEPS",
        message: `duration / step = ${Math.ceil(d / s)} steps, more than ${MAX_STEPS}; use a longer step or a shorter duration`,
        path: ["step"],
      });
    }
  }

  // References to host types.
  const hostTypeNames = isRecord(raw.hostTypes) ? Object.keys(raw.hostTypes) : undefined;
  if (hostTypeNames !== undefined && Array.isArray(raw.hosts)) {
    raw.hosts.forEach((group: unknown, i) => {
      if (!isRecord(group) || !isTypeName(group.type)) return;
      if (!hostTypeNames.includes(group.type)) {
        issues.push({
          code: "VX_SIM_UNKNOWN_TYPE",
          message: `unknown host type ${JSON.stringify(group.type)}; the host types are ${list(hostTypeNames)}`,
          path: ["hosts", i, "type"],
        });
      }
    });
  }

  // References to VM types.
  const vmTypeNames = isRecord(raw.vmTypes) ? Object.keys(raw.vmTypes) : undefined;
  if (vmTypeNames !== undefined && Array.isArray(raw.vms)) {
    raw.vms.forEach((group: unknown, i) => {
      if (!isRecord(group)) return;
      const types = group.types;
      const check = (name: unknown, path: (string | number)[]): void => {
        if (isTypeName(name) && !vmTypeNames.includes(name)) {
          issues.push({
            code: "VX_SIM_UNKNOWN_TYPE",
            message: `unknown VM type ${JSON.stringify(name)}; the VM types are ${list(vmTypeNames)}`,
            path,
          });
        }
      };
      if (Array.isArray(types)) {
        types.forEach((t, j) => {
          check(t, ["vms", i, "types", j]);
        });
      } else {
        check(types, ["vms", i, "types"]);
      }
    });
  }

  // A VM type that fits no host type (CPU capacity cores × MIPS, or RAM).
  if (isRecord(raw.hostTypes) && isRecord(raw.vmTypes)) {
    const hostTypes: [string, HostTypeInput][] = [];
    let allHostsOk = true;
    for (const [name, value] of Object.entries(raw.hostTypes)) {
      const parsed = tryParse(hostTypeSchema, value);
      if (parsed === undefined) allHostsOk = false;
      else hostTypes.push([name, parsed]);
    }
    if (allHostsOk && hostTypes.length > 0) {
      for (const [name, value] of Object.entries(raw.vmTypes)) {
        const vm: VmTypeInput | undefined = tryParse(vmTypeSchema, value);
        if (vm === undefined) continue;
        const vmMips = (vm.cores ?? DEFAULTS.vmCores) * vm.mips;
        const fits = hostTypes.some(([, h]) => vmMips <= h.cores * h.mips && vm.ram <= h.ram);
        if (!fits) {
          const hosts = hostTypes
            .map(([n, h]) => `${n}: ${h.cores * h.mips} MIPS, ${formatBytes(h.ram)}`)
            .join("; ");
          issues.push({
            code: "VX_SIM_VM_TOO_LARGE",
            message: `VM type ${JSON.stringify(name)} (${vmMips} MIPS, ${formatBytes(vm.ram)}) is larger than every host type (${hosts}); shrink it or add a larger host type`,
            path: ["vmTypes", name],
          });
        }
      }
    }
  }

  // Policy parameter: allowed and in range for its overload detection.
  if (isRecord(raw.policy)) {
    const policy = tryParse(coreFields.policy, raw.policy);
    if (policy?.parameter !== undefined) {
      const overload = policy.overload ?? "thr";
      if (overload === "none" || overload === "dvfs") {
        issues.push({
          code: "VX_SIM_BAD_PARAMETER",
          message: `overload detection "${overload}" takes no parameter; remove it`,
          path: ["policy", "parameter"],
        });
      } else if (overload === "thr" && policy.parameter > 1) {
        issues.push({
          code: "VX_SIM_BAD_PARAMETER",
          message: `the THR threshold is a utilisation, at most 1; got ${policy.parameter}`,
          path: ["policy", "parameter"],
        });
      }
    }
  }

  // Workloads: counts, levels, and the files they read.
  if (Array.isArray(raw.vms)) {
    raw.vms.forEach((value: unknown, i) => {
      const group = tryParse(vmGroupSchema, value);
      if (group !== undefined) checkWorkload(group, i, baseDir, issues, traces);
    });
  }

  return { issues, facts: { traces } };
}

function checkWorkload(
  group: VmGroupInput,
  i: number,
  baseDir: string,
  issues: VxIssue[],
  traces: Map<number, number>,
): void {
  const w = group.workload;
  const at = (...rest: (string | number)[]): (string | number)[] => ["vms", i, ...rest];
  switch (w.kind) {
    case "planetlab": {
      const probe = probeTraceFolder(baseDir, w.folder);
      if (!probe.ok) {
        issues.push({
          code: "VX_SIM_TRACE_NOT_FOUND",
          message: probe.message,
          path: at("workload", "folder"),
        });
        return;
      }
      traces.set(i, probe.files);
      if (group.count !== undefined && group.count > probe.files) {
        issues.push({
          code: "VX_SIM_TOO_FEW_TRACES",
          message: `count is ${group.count} but the trace folder has ${probe.files} files (one VM per file); lower the count or omit it to use them all`,
          path: at("count"),
        });
      }
      return;
    }
    case "csv": {
      const probe = probeCsvHeader(baseDir, w.file);
      if (!probe.ok) {
        issues.push({
          code: "VX_SIM_CSV_NOT_FOUND",
          message: probe.message,
          path: at("workload", "file"),
        });
        return;
      }
      const timeColumn = w.timeColumn ?? WORKLOAD.csv.timeColumn;
      let ok = true;
      if (!probe.header.includes(timeColumn)) {
        ok = false;
        issues.push({
          code: "VX_SIM_CSV_BAD_COLUMN",
          message: `the CSV file has no column ${JSON.stringify(timeColumn)}; its columns are ${list(probe.header)}`,
          path: at("workload", w.timeColumn === undefined ? "file" : "timeColumn"),
        });
      }
      let columns: number;
      if (w.columns === undefined || w.columns === "all") {
        columns = probe.header.filter((c) => c !== timeColumn).length;
        if (columns === 0) {
          ok = false;
          issues.push({
            code: "VX_SIM_CSV_BAD_COLUMN",
            message: "the CSV file has no utilisation column besides the time column",
            path: at("workload", "file"),
          });
        }
      } else {
        columns = w.columns.length;
        w.columns.forEach((c, j) => {
          if (!probe.header.includes(c)) {
            ok = false;
            issues.push({
              code: "VX_SIM_CSV_BAD_COLUMN",
              message: `the CSV file has no column ${JSON.stringify(c)}; its columns are ${list(probe.header)}`,
              path: at("workload", "columns", j),
            });
          }
        });
      }
      if (!ok) return;
      traces.set(i, columns);
      if (group.count !== undefined && columns > 1 && group.count > columns) {
        issues.push({
          code: "VX_SIM_TOO_FEW_TRACES",
          message: `count is ${group.count} but the CSV file gives ${columns} utilisation columns (one per VM, or one shared by all); lower the count or omit it`,
          path: at("count"),
        });
      }
      return;
    }
    case "bursty": {
      requireCount(group, i, issues);
      const base = w.base ?? WORKLOAD.bursty.base;
      const peak = w.peak ?? WORKLOAD.bursty.peak;
      if (peak < base) {
        issues.push({
          code: "VX_SIM_BAD_WORKLOAD",
          message: `peak (${pct(peak)}${w.peak === undefined ? ", the default" : ""}) is below base (${pct(base)}${w.base === undefined ? ", the default" : ""}); a burst must be at least the base load`,
          path: at("workload", w.peak === undefined ? "base" : "peak"),
        });
      }
      return;
    }
    case "idle-spikes": {
      requireCount(group, i, issues);
      const idle = w.idle ?? WORKLOAD.idleSpikes.idle;
      const spike = w.spike ?? WORKLOAD.idleSpikes.spike;
      if (spike < idle) {
        issues.push({
          code: "VX_SIM_BAD_WORKLOAD",
          message: `spike (${pct(spike)}${w.spike === undefined ? ", the default" : ""}) is below idle (${pct(idle)}${w.idle === undefined ? ", the default" : ""}); a spike must be at least the idle load`,
          path: at("workload", w.spike === undefined ? "idle" : "spike"),
        });
      }
      return;
    }
    default:
      requireCount(group, i, issues);
  }
}

function requireCount(group: VmGroupInput, i: number, issues: VxIssue[]): void {
  if (group.count === undefined) {
    issues.push({
      code: "VX_SIM_COUNT_REQUIRED",
      message: `a ${group.workload.kind} workload needs a count: how many VMs this group has`,
      path: ["vms", i, "count"],
    });
  }
}
