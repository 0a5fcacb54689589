/**
 * The `numa` section: the privileged VM on a NUMA host, statically sized vs Closer, with
 * `@vx/pvm` (topology, placement and access costs from `@vx/numa`).
 *
 * @module
 */
import { formatBytes, formatPercent, formatRate, formatTable } from "@vx/core";
import {
  comparePvmPolicies,
  type PvmComparison,
  type PvmScenario,
  pvmScenarioSectionSchema,
  type TopologyFileReader,
} from "@vx/pvm";
import { defineFeature, type Feature } from "./feature.js";

/**
 * Reads a host captured from Linux (`{ sysfs }`, `{ numactl }`) for a scenario read from
 * `baseDir`: relative paths resolve against that folder. In Node, `features/index.ts` gives one
 * that reads the file system; the browser entry gives none (such a host is refused with
 * `VX_PVM_NO_TOPOLOGY_READER`).
 */
export type ScenarioTopologyReader = (baseDir: string) => TopologyFileReader;

/**
 * The `numa` feature of scenario files (standalone: it runs beside the data center).
 *
 * @param readTopology - reads captured hosts relative to the scenario's folder; none in a browser.
 * @returns the feature.
 */
export function createNumaFeature(readTopology: ScenarioTopologyReader | undefined): Feature {
  return defineFeature<PvmScenario, PvmComparison>({
    name: "numa",
    description:
      "The privileged VM (Xen dom0) on a NUMA host (@vx/numa, @vx/pvm): guests' I/O served by a statically sized pVM or by Closer; `vx run` compares them (throughput, latency, remote accesses, reserved CPU and memory).",
    schema: pvmScenarioSectionSchema,
    kind: "standalone",
    // A topology imported from a file resolves against the scenario file's folder.
    run: (value, scenario) =>
      comparePvmPolicies(value, {
        path: ["numa"],
        ...(readTopology === undefined ? {} : { readTopology: readTopology(scenario.baseDir) }),
      }),
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
}
