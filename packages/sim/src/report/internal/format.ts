/**
 * Number and text formatting shared by the report writers. Everything here is deterministic
 * (no locale, no clock): the same result always renders to the same bytes.
 */

import { formatBytes, formatDuration, VxError } from "@vx/core";
import { type DatacenterResult, type DatacenterSummary, MIGRATION_MODELS } from "@vx/datacenter";

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

/**
 * `x` to `digits` significant digits, trailing zeros dropped; exponent notation only below 1e-3
 * or from 1e6 (1.99e-6, 0.0642, 844.5): small figures are never printed as 0.
 */
export function sig(x: number, digits = 3): string {
  if (!Number.isFinite(x)) return "–";
  if (x === 0) return "0";
  const abs = Math.abs(x);
  if (abs < 1e-3 || abs >= 1e6) {
    return x
      .toExponential(digits - 1)
      .replace(/\.?0+e/, "e")
      .replace("e+", "e");
  }
  const text = x.toPrecision(digits);
  return text.includes(".") ? text.replace(/\.?0+$/, "") : text;
}

/** A fraction as a percentage with significant digits: `4.87 %`, `1.99e-4 %`. */
export function percent(fraction: number, digits = 3): string {
  return `${sig(fraction * 100, digits)} %`;
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
 * The headline figures in reading order. Energy in kWh to 2 decimals (CloudSim's
 * `Helper.printResults` style) from 1 kWh up, else to 3 significant digits; ratios (SLATAH, PDM,
 * SLAV) in % and ESV to 3 significant digits, so that small figures (a PDM of 1.99e-6) show.
 * Migration figures beyond the count appear for the real migration models, and whenever a
 * migration did not complete.
 */
export function summaryRows(s: DatacenterSummary): SummaryRow[] {
  const rows: SummaryRow[] = [
    { label: "scenario", value: s.scenario, note: "" },
    { label: "seed", value: String(s.seed), note: "" },
    { label: "hosts", value: String(s.hosts), note: "" },
    { label: "VMs", value: String(s.vms), note: "" },
    { label: "simulated time", value: formatDuration(s.simulatedSeconds), note: "" },
    {
      label: "energy",
      value: `${s.energyKWh >= 1 ? fixed(s.energyKWh, 2) : sig(s.energyKWh)} kWh`,
      note: "consumed by all hosts",
    },
    { label: "migrations", value: String(s.migrations), note: "VM live migrations decided" },
    {
      label: "SLATAH",
      value: percent(s.slatah),
      note: "SLA violation time per active host: Σ time at 100 % CPU / Σ time active",
    },
    {
      label: "PDM",
      value: percent(s.pdm),
      note: "performance degradation due to migration: Σ CPU lost / Σ CPU requested",
    },
    { label: "SLAV", value: percent(s.slav), note: "SLATAH × PDM" },
    { label: "ESV", value: sig(s.esv), note: "energy (kWh) × SLAV" },
    {
      label: "host shutdowns",
      value: String(s.hostShutdowns),
      note: "times a host was switched off",
    },
    { label: "mean active hosts", value: fixed(s.meanActiveHosts, 2), note: "time-weighted" },
    {
      label: "unplaced VMs",
      value: String(s.unplacedVms),
      note:
        s.unplacedVms > 0
          ? `fit no host at the start: SLA violated for the whole run (${percent(s.unservedCpuShare)} of the CPU asked went unserved)`
          : "VMs that fit no host at the start",
    },
  ];
  const model = MIGRATION_MODELS[s.migrationModel as keyof typeof MIGRATION_MODELS];
  const real = model !== undefined && !model.cloudsimCpuRule;
  const trouble =
    s.migrationsCancelled > 0 ||
    s.vmsLost > 0 ||
    s.migrationsUnfinished > 0 ||
    s.maxQueueSeconds > 0;
  if (real || trouble) {
    rows.push({
      label: "migration outcomes",
      value: `${s.migrationsCompleted} / ${s.migrationsCancelled} / ${s.migrationsUnfinished}`,
      note: "completed / cancelled (VM stayed on its source) / unfinished at the end",
    });
    rows.push({
      label: "VMs lost",
      value: String(s.vmsLost),
      note: "by a post-copy failure or with a host taken out of service",
    });
  }
  if (real) {
    rows.push(
      {
        label: "bytes migrated",
        value: formatBytes(s.migrationBytes),
        note: "by all migrations",
      },
      {
        label: "migration time",
        value: `${formatDuration(s.meanMigrationSeconds)} / ${formatDuration(s.maxMigrationSeconds)}`,
        note: `mean / max per migration (${formatDuration(s.totalMigrationSeconds)} in all)`,
      },
      {
        label: "downtime",
        value: `${formatDuration(s.meanDowntimeSeconds)} / ${formatDuration(s.p95DowntimeSeconds)} / ${formatDuration(s.maxDowntimeSeconds)}`,
        note: `mean / 95th percentile / max per migration (${formatDuration(s.totalDowntimeSeconds)} in all)`,
      },
      {
        label: "time lost to downtime",
        value: percent(s.downtimeShare),
        note: "share of the VMs' running time",
      },
    );
  }
  if (real || s.maxQueueSeconds > 0) {
    rows.push({
      label: "queueing",
      value: `${formatDuration(s.meanQueueSeconds)} / ${formatDuration(s.maxQueueSeconds)}`,
      note: "mean / max wait for a migration slot",
    });
  }
  if (s.meanNicUtilisation !== null && s.peakNicUtilisation !== null) {
    rows.push({
      label: "NIC utilisation",
      value: `${percent(s.meanNicUtilisation)} / ${percent(s.peakNicUtilisation)}`,
      note: "mean over all host NICs / busiest NIC, over the run",
    });
  }
  if (s.meanUplinkUtilisation !== null && s.peakUplinkUtilisation !== null) {
    rows.push({
      label: "uplink utilisation",
      value: `${percent(s.meanUplinkUtilisation)} / ${percent(s.peakUplinkUtilisation)}`,
      note: "mean over all rack uplinks / busiest uplink, over the run",
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

const OPTIONAL_SERIES_KEYS = [
  "migrationsInFlight",
  "nicUtilisation",
  "nicPeakUtilisation",
  "uplinkUtilisation",
  "uplinkPeakUtilisation",
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
  for (const key of OPTIONAL_SERIES_KEYS) {
    const values = series[key];
    if (values === undefined) continue;
    if (!Array.isArray(values) || values.length !== n) {
      bad(
        `series.${key} must have one value per time point (${n}), got ${Array.isArray(values) ? values.length : typeof values}`,
        ["series", key],
      );
    }
  }
  if (!Array.isArray(result.migrationLog)) bad("missing migrationLog", ["migrationLog"]);
}
