/**
 * The `pageflip` section: compares grant copy, page flipping, informed and NUMA-aware flipping on
 * a host's receive path with `@vx/netio-pageflip`.
 *
 * @module
 */
import { formatPercent, formatTable } from "@vx/core";
import {
  comparePaths,
  type PageflipComparison,
  type PageflipScenarioSection,
  pageflipScenarioSectionSchema,
} from "@vx/netio-pageflip";
import { defineFeature, type Feature } from "./feature.js";

/** The `pageflip` feature of scenario files (standalone: it runs beside the data center). */
export const pageflipFeature: Feature = defineFeature<PageflipScenarioSection, PageflipComparison>({
  name: "pageflip",
  description:
    "Network receive paths on one host (@vx/netio-pageflip): grant copy, page flipping, informed and NUMA-aware flipping; `vx run` compares them (remote memory, throughput, CPU, slowdown).",
  schema: pageflipScenarioSectionSchema,
  kind: "standalone",
  run: (value) => comparePaths(value, {}, ["pageflip"]),
  format: (cmp) => {
    const rows = [["path", "Gbit/s", "packets/s", "pVM cycles/pkt", "remote memory", "slowdown"]];
    for (const r of cmp.results) {
      const s = r.summary;
      rows.push([
        r.path,
        (s.bitsPerSecond / 1e9).toFixed(2),
        Math.round(s.packetsPerSecond).toLocaleString("en-US"),
        Math.round(s.pvmCyclesPerPacket).toLocaleString("en-US"),
        formatPercent(s.remoteFraction),
        `${s.slowdown.toFixed(3)}x`,
      ]);
    }
    return `Receive paths (pageflip section):\n${formatTable(rows)}`;
  },
});
