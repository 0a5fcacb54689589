/**
 * Number and text formatting shared by the report writers. Everything here is deterministic
 * (no locale, no clock): the same result always renders to the same bytes.
 */

import { formatBytes, formatDuration, VxError } from "@vx/core";
import type { DatacenterResult, DatacenterSummary } from "../../datacenter/result.js";

/** A number for CSV: the shortest text that reads back to the same double; empty when not finite. */
export function csvNumber(value: number): string {
  return Number.isFinite(value) ? String(Object.is(value, -0) ? 0 : value) : "";
}

/** One CSV field, quoted when it holds a comma, a quote or a line break (RFC 4180). */
export function csvField(value: string | number): string {
  if (typeof value === "number") return csvNumber(value);
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** Rows of fields → CSV text with a trailing newline. */
export function toCsv(rows: readonly (readonly (string | number)[])[]): string {
  let out = "";
  for (const row of rows) out += `${row.map(csvField).join(",")}\n`;
  return out;
}

/** `x` with `digits` decimals, trailing zeros kept (tables line up). */
export function fixed(x: number, digits: number): string {
  if (!Number.isFinite(x)) return "–";
  const text = x.toFixed(digits);
  return /^-0\.?0*$/.test(text) ? text.slice(1) : text;
}

/** A short number for tick labels and tables: at most `digits` significant digits, no exponent below 1e-4. */
export function short(x: number, digits = 4): string {
  if (!Number.isFinite(x)) return "–";
  if (x === 0) return "0";
  const abs = Math.abs(x);
  if (abs < 1e-4 || abs >= 1e15) return x.toExponential(digits - 1).replace(/\.?0+e/, "e");
  const text = x.toPrecision(digits);
  return text.includes("e")
    ? String(Number(text))
    : text.includes(".")
      ? text.replace(/\.?0+$/, "")
      : text;
}

/** Escapes text for HTML and SVG content and attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

/** One row of the summary: a label, a formatted value, and what it means. */
export interface SummaryRow {
  readonly label: string;
  readonly value: string;
  readonly note: string;
}

/**
 * The headline figures in reading order, formatted the way CloudSim's `Helper.printResults`
 * prints them (energy to 2 decimals in kWh; SLATAH, PDM in % to 2 decimals; SLAV in % to 5).
 */
export function summaryRows(s: DatacenterSummary): SummaryRow[] {
  const rows: SummaryRow[] = [
    { label: "scenario", value: s.scenario, note: "" },
    { label: "seed", value: String(s.seed), note: "" },
    { label: "hosts", value: String(s.hosts), note: "" },
    { label: "VMs", value: String(s.vms), note: "" },
    { label: "simulated time", value: formatDuration(s.simulatedSeconds), note: "" },
    { label: "energy", value: `${fixed(s.energyKWh, 2)} kWh`, note: "consumed by all hosts" },
    { label: "migrations", value: String(s.migrations), note: "VM live migrations" },
    {
      label: "SLATAH",
      value: `${fixed(s.slatah * 100, 2)} %`,
      note: "SLA violation time per active host: time at 100 % CPU / time active",
    },
    {
      label: "PDM",
      value: `${fixed(s.pdm * 100, 2)} %`,
      note: "performance degradation due to migration",
    },
    { label: "SLAV", value: `${fixed(s.slav * 100, 5)} %`, note: "SLATAH × PDM" },
    { label: "ESV", value: short(s.esv, 4), note: "energy (kWh) × SLAV" },
    {
      label: "host shutdowns",
      value: String(s.hostShutdowns),
      note: "times a host was switched off",
    },
    { label: "mean active hosts", value: fixed(s.meanActiveHosts, 2), note: "time-weighted" },
  ];
  if (s.migrationBytes !== undefined) {
    rows.push({
      label: "bytes migrated",
      value: formatBytes(s.migrationBytes),
      note: "by all migrations",
    });
  }
  if (s.meanDowntimeSeconds !== undefined) {
    rows.push({
      label: "mean downtime",
      value: formatDuration(s.meanDowntimeSeconds),
      note: "per migration",
    });
  }
  if (s.maxDowntimeSeconds !== undefined) {
    rows.push({
      label: "max downtime",
      value: formatDuration(s.maxDowntimeSeconds),
      note: "of one migration",
    });
  }
  return rows;
}

const SERIES_KEYS = [
  "activeHosts",
  "powerWatts",
  "meanUtilisation",
  "migrations",
  "overloadedHosts",
] as const;

/**
 * Checks that a result has the shape reports need (every series as long as `time`).
 *
 * @throws VxError `VX_SIM_BAD_RESULT` naming the offending field.
 */
export function checkResult(result: DatacenterResult): void {
  const bad = (message: string, path: (string | number)[]): never => {
    throw new VxError("VX_SIM_BAD_RESULT", message, { path });
  };
  if (typeof result !== "object" || result === null)
    bad("expected a data-center result object", []);
  if (typeof result.summary !== "object" || result.summary === null)
    bad("missing summary", ["summary"]);
  const series = result.series;
  if (typeof series !== "object" || series === null || !Array.isArray(series.time)) {
    bad("missing series.time", ["series", "time"]);
  }
  const n = series.time.length;
  for (const key of SERIES_KEYS) {
    const values = series[key];
    if (!Array.isArray(values) || values.length !== n) {
      bad(
        `series.${key} must have one value per time point (${n}), got ${Array.isArray(values) ? values.length : typeof values}`,
        ["series", key],
      );
    }
  }
  if (!Array.isArray(result.migrationLog)) bad("missing migrationLog", ["migrationLog"]);
}
