/** The Closer vs static panel (`@vx/pvm`). */
import { lineChart } from "../chart.js";
import { type comparePvm, PVM_CASES, PVM_PARAMS } from "../compute/pvm.js";
import { bytes, percent, rate } from "../format.js";
import { charts, h, type Panel, table } from "./panel.js";

export const pvm: Panel = {
  id: "pvm",
  title: "Closer vs static",
  intro:
    "The privileged VM sized statically (8 vCPUs pinned to node 0, 7 GiB there) against Closer (backends on their guest's node, vCPUs and memory grown and shrunk with the load), with @vx/pvm.",
  fields: [
    {
      key: "case",
      label: "case",
      kind: "select",
      options: PVM_CASES.map((c, i) => ({ value: String(i), label: c.title })),
    },
  ],
  defaults: { case: String(PVM_PARAMS.case) },
  task: (f) => ({ kind: "pvm", params: { case: Number(f.case ?? 0) } }),
  show: (out, result) => {
    const r = result as ReturnType<typeof comparePvm>;
    out.append(
      h("p", {}, `${r.title} — host ${r.host}`),
      table(
        "policies",
        [
          "policy",
          "throughput",
          "served",
          "p99 latency",
          "remote accesses",
          "vCPUs held",
          "memory held",
          "guest CPU",
        ],
        r.rows.map((x) => [
          x.policy,
          rate(x.throughputBytesPerSecond),
          percent(x.servedFraction),
          x.p99LatencySeconds === null ? "-" : `${(x.p99LatencySeconds * 1e6).toFixed(1)} µs`,
          percent(x.remoteAccessFraction, 2),
          x.cpuReservedMean.toFixed(2),
          bytes(x.memoryReservedMeanBytes),
          percent(x.guestCpuServedFraction),
        ]),
      ),
      charts(
        lineChart({
          id: "throughput",
          title: "I/O served",
          xLabel: "seconds",
          yLabel: "bytes/s",
          lines: r.rows.map((x) => ({
            name: x.policy,
            x: x.series.time,
            y: x.series.throughputBytesPerSecond,
          })),
        }),
        lineChart({
          id: "vcpus",
          title: "vCPUs held by the pVM",
          xLabel: "seconds",
          yLabel: "vCPUs",
          lines: r.rows.map((x) => ({ name: x.policy, x: x.series.time, y: x.series.cpuReserved })),
          step: true,
        }),
      ),
    );
  },
};
