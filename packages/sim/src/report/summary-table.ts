/**
 * The summary table `vx run` prints on the terminal.
 *
 * @module
 */

import { formatDuration } from "@vx/core";
import type { DatacenterResult } from "@vx/datacenter";
import { summaryRows } from "./internal/format.js";

/** Rows shown in the title line rather than in the table. */
const IDENTITY: ReadonlySet<string> = new Set([
  "scenario",
  "seed",
  "hosts",
  "VMs",
  "simulated time",
]);

/**
 * Formats the headline figures of a run as an aligned plain-text table (metric, value, meaning),
 * the way `vx run` prints them after a run.
 *
 * Energy is in kWh to 2 decimals (CloudSim's `Helper.printResults` style); SLATAH, PDM, SLAV (in
 * %) and ESV to 3 significant digits, so that a small figure never prints as 0. Unplaced VMs are
 * always shown; bytes moved, migration times, downtimes, queueing and link utilisation appear
 * when the run used a real migration model or a network.
 *
 * @param result - a data-center run (only its summary is read).
 * @returns lines ending in a newline, no colours (safe to pipe).
 * @example
 * ```ts
 * process.stdout.write(formatSummaryTable(runDatacenter(scenario)));
 * ```
 */
export function formatSummaryTable(result: Pick<DatacenterResult, "summary">): string {
  const s = result.summary;
  // The run's identity goes in a title line; the table holds the measured figures.
  const rows = summaryRows(s).filter((r) => !IDENTITY.has(r.label));
  const header = { label: "metric", value: "value", note: "meaning" };
  const labelWidth = rows.reduce((w, r) => Math.max(w, r.label.length), header.label.length);
  const valueWidth = rows.reduce((w, r) => Math.max(w, r.value.length), header.value.length);
  const line = (label: string, value: string, note: string): string =>
    `${label.padEnd(labelWidth)}  ${value.padStart(valueWidth)}  ${note}`.trimEnd();
  const out = [
    `${s.scenario} (seed ${s.seed}): ${s.hosts} hosts, ${s.vms} VMs, ${formatDuration(s.simulatedSeconds)} simulated`,
    "",
    line(header.label, header.value, header.note),
    `${"-".repeat(labelWidth)}  ${"-".repeat(valueWidth)}  ${"-".repeat(7)}`,
    ...rows.map((r) => line(r.label, r.value, r.note)),
  ];
  return `${out.join("\n")}\n`;
}
