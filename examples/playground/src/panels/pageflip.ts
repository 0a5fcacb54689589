/** The page-flip drift panel (`@vx/netio-pageflip`). */
import { lineChart } from "../chart.js";
import { PAGEFLIP_PARAMS, type PageflipRow } from "../compute/pageflip.js";
import { bytes, percent } from "../format.js";
import { charts, type Panel, table } from "./panel.js";

export const pageflip: Panel = {
  id: "pageflip",
  title: "Page-flip drift",
  intro:
    "A guest on node 0 of a two-socket host receives packets through a pVM on node 1 (@vx/netio-pageflip). Page flipping swaps a guest page for a pVM page with every packet, so the guest's memory drifts to the pVM's node; informed and NUMA-aware flipping stop the drift; grant copy never moves a page.",
  fields: [
    { key: "offeredRate", label: "offered rate", kind: "text" },
    { key: "churn", label: "guest memory churn", kind: "text" },
    { key: "duration", label: "duration", kind: "text" },
  ],
  defaults: { ...PAGEFLIP_PARAMS },
  task: (f) => ({
    kind: "pageflip",
    params: {
      offeredRate: f.offeredRate ?? "",
      churn: f.churn ?? "",
      duration: f.duration ?? "",
    },
  }),
  show: (out, result) => {
    const rows = result as PageflipRow[];
    out.append(
      table(
        "paths",
        [
          "path",
          "remote memory at the end",
          "remote bytes",
          "workload remote",
          "slowdown",
          "received",
        ],
        rows.map((r) => [
          r.path,
          percent(r.remoteFraction, 2),
          bytes(r.remoteBytes),
          percent(r.workloadRemoteFraction, 2),
          r.slowdown.toFixed(3),
          `${(r.bitsPerSecond / 1e9).toFixed(2)} Gbit/s`,
        ]),
      ),
      charts(
        lineChart({
          id: "drift",
          title: "Share of the guest's memory on the pVM's node",
          xLabel: "seconds",
          yLabel: "fraction",
          lines: rows.map((r) => ({ name: r.path, x: r.time, y: r.remoteFractionOverTime })),
        }),
      ),
    );
  },
};
