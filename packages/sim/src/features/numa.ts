/**
 * The `numa` section: the privileged VM on a NUMA host, statically sized vs Closer, with
 * `@vx/pvm` (topology, placement and access costs from `@vx/numa`).
 *
 * @module
 */
import { isAbsolute, resolve } from "node:path";
import { formatBytes, formatPercent, formatRate, formatTable } from "@vx/core";
import {
  comparePvmPolicies,
  type PvmComparison,
  type PvmScenario,
  pvmScenarioSectionSchema,
} from "@vx/pvm";
import { defineFeature, type Feature } from "./feature.js";

/** The `numa` feature of scenario files (standalone: it runs beside the data center). */
export const numaFeature: Feature = defineFeature<PvmScenario, PvmComparison>({
  name: "numa",
  description:
    "The privileged VM (Xen dom0) on a NUMA host (@vx/numa, @vx/pvm): guests' I/O served by a statically sized pVM or by Closer; `vx run` compares them (throughput, latency, remote accesses, reserved CPU and memory).",
  schema: pvmScenarioSectionSchema,
  kind: "standalone",
  run: (value, scenario) => {
    // A topology imported from a file resolves against the scenario file's folder.
    const t = value.topology as unknown as Record<string, unknown>;
    let topology = value.topology;
    for (const key of ["sysfs", "numactl"] as const) {
      const p = t[key];
      if (typeof p === "string" && !isAbsolute(p)) {
        topology = { ...t, [key]: resolve(scenario.baseDir, p) } as unknown as typeof topology;
      }
    }
    return comparePvmPolicies({ ...value, topology }, { path: ["numa"] });
  },
  format: (cmp) => {
    const rows = [
      [
        "pVM policy",
        "throughput",
        "served",
        "p99 latency",
        "remote accesses",
        "CPU reserved",
        "memory reserved",
      ],
    ];
    for (const r of cmp.results) {
      const s = r.summary;
      rows.push([
        s.policy,
        formatRate(s.throughputBytesPerSecond),
        formatPercent(s.servedFraction),
        s.p99LatencySeconds === null ? "-" : `${(s.p99LatencySeconds * 1e6).toFixed(1)} µs`,
        formatPercent(s.remoteAccessFraction),
        s.cpuReservedMean.toFixed(2),
        formatBytes(s.memoryReservedMeanBytes),
      ]);
    }
    return `pVM on ${cmp.topology}, ${cmp.guests} guests (numa section):\n${formatTable(rows)}`;
  },
});
