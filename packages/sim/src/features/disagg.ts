/**
 * The `disagg` section: the scenario's own VMs and workload on the clustered data center (the
 * run itself) and on a disaggregated rack of the same total capacity built from the scenario's
 * hosts (`@vx/disagg`'s `disaggComparison`, a data-center extension), side by side.
 *
 * @module
 */
import { formatBytes, formatPercent, formatTable } from "@vx/core";
import {
  type ComparisonOptions,
  type ComparisonSide,
  checkComparison,
  comparisonSchema,
  type DisaggComparison,
  disaggComparison,
} from "@vx/disagg";
import { defineFeature, type Feature, type SectionIssue } from "./feature.js";

/** The `disagg` feature of scenario files (a data-center extension: it watches the run). */
export const disaggFeature: Feature = defineFeature<ComparisonOptions, DisaggComparison>({
  name: "disagg",
  description:
    "A disaggregated rack of the same total capacity (@vx/disagg): each host's cores become a compute brick with a share of its RAM local, the rest pooled in its tray's memory brick; the scenario's VMs and workload run on it beside the clustered run; `vx run` compares stranded CPU and memory, hosts and bricks powered, energy, slowdown and migrations.",
  schema: comparisonSchema,
  kind: "datacenter",
  check: (value, scenario) => {
    const issues: SectionIssue[] = [];
    for (const name of Object.keys(value.vmTypes)) {
      if (scenario.vmTypes[name] === undefined) {
        issues.push({
          code: "VX_SIM_BAD_DISAGG",
          message: `VM type "${name}" is not one of the scenario's vmTypes (${Object.keys(scenario.vmTypes).join(", ")}).`,
          path: ["vmTypes", name],
        });
      }
    }
    for (const i of checkComparison(scenario, value)) {
      issues.push({ code: i.code, message: i.message, path: i.path });
    }
    return issues;
  },
  extension: (value) => disaggComparison(value),
  format: formatComparison,
});

const share = (x: number): string => formatPercent(x, { digits: 1 });
const mean = (x: number | null): string => (x === null ? "-" : x.toFixed(2));

function row(label: string, f: (s: ComparisonSide) => string, cmp: DisaggComparison): string[] {
  return [label, f(cmp.clustered), f(cmp.disaggregated)];
}

/**
 * The side-by-side table of a comparison.
 *
 * @param cmp - the extension's output.
 * @returns the table, with a heading line.
 */
function formatComparison(cmp: DisaggComparison): string {
  const c = cmp.capacity;
  const d = cmp.disaggregated;
  const rows = [
    ["", "clustered", "disaggregated"],
    row("VMs placed / refused", (s) => `${s.placed} / ${s.refused}`, cmp),
    row("cores reserved", (s) => share(s.reservedCores), cmp),
    row("memory reserved", (s) => share(s.reservedMemory), cmp),
    row("stranded cores", (s) => share(s.strandedCores), cmp),
    row("stranded memory", (s) => share(s.strandedMemory), cmp),
    row(
      "powered (mean / peak / all)",
      (s) => `${s.poweredMean.toFixed(1)} / ${s.poweredPeak} / ${s.units}`,
      cmp,
    ),
    row("energy, kWh", (s) => (s.energyJoules / 3.6e6).toFixed(2), cmp),
    row(
      "slowdown (mean / p95 / max)",
      (s) => `${mean(s.slowdown.mean)} / ${mean(s.slowdown.p95)} / ${mean(s.slowdown.max)}`,
      cmp,
    ),
    row("migrations", (s) => String(s.migrations), cmp),
  ];
  const refused = Object.entries(d.rejected)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${n} ${k}`)
    .join(", ");
  return [
    `Clustered vs disaggregated (disagg section): ${c.hosts} hosts = ${c.computeBricks} compute + ${c.memoryBricks} memory bricks in ${c.trays} trays; ${c.cores} cores, ${formatBytes(c.memoryBytes)} (${formatBytes(c.localMemoryBytes)} local, ${formatBytes(c.pooledMemoryBytes)} pooled, ${formatBytes(c.usableMemoryBytes)} in ${formatBytes(c.sectionBytes)} sections); ${cmp.vms} VMs.`,
    formatTable(rows),
    `Rack energy: compute ${(d.energy.compute / 3.6e6).toFixed(2)}, memory ${(d.energy.memory / 3.6e6).toFixed(2)}, fabric ${(d.energy.fabric / 3.6e6).toFixed(2)} kWh; ${d.reconfigurations} circuits set up${refused === "" ? "" : `; refused: ${refused}`}.`,
  ].join("\n");
}
