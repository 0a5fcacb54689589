/**
 * Closer vs static: the privileged VM sized statically (8 vCPUs pinned to node 0, 7 GiB there)
 * against Closer (`@vx/pvm`), in the cases of the closer-vs-static example. Pure: the page's
 * worker and the Node check run the same function.
 */
import { VxError } from "@vx/core";
import { comparePvmPolicies, type PvmScenarioInput } from "@vx/pvm";

/** The cases offered (the closer-vs-static example's, where Closer wins and where it loses). */
export const PVM_CASES: readonly { readonly title: string; readonly scenario: PvmScenarioInput }[] =
  [
    {
      title: "64 I/O guests of 2 Gbit/s, more than the static pVM's 8 vCPUs serve",
      scenario: {
        topology: "2-socket",
        duration: "2s",
        guests: [{ name: "io", count: 64, vcpus: 1, memory: "1GiB", network: { rate: "2Gbps" } }],
      },
    },
    {
      title: "one I/O-bound guest on node 1 (the static pVM is on node 0)",
      scenario: {
        topology: "2-socket",
        duration: "2s",
        guests: [{ name: "web", node: 1, network: { rate: "10Gbps" } }],
      },
    },
    {
      title: "8-node EPYC, 200 guests whose demand changes every 10 ms",
      scenario: {
        topology: "8-node-epyc",
        duration: "5s",
        guests: [
          {
            name: "mixed",
            count: 200,
            vcpus: 1,
            memory: "2GiB",
            network: { rate: "1Gbps" },
            demand: { kind: "random", every: "10ms" },
          },
        ],
      },
    },
    {
      title: "16 guests 90 % busy with their own work (where the static pVM wins)",
      scenario: {
        topology: "2-socket",
        duration: "2s",
        guests: [
          {
            name: "busy",
            count: 16,
            vcpus: 1,
            memory: "1GiB",
            cpuUtilisation: 0.9,
            network: { rate: "2Gbps" },
          },
        ],
      },
    },
  ];

/** What the panel asks for: a case of {@link PVM_CASES}. */
export interface PvmParams {
  readonly case: number;
}

/** The default: the first case. */
export const PVM_PARAMS: PvmParams = { case: 0 };

/** One policy's figures. */
export interface PvmRow {
  readonly policy: string;
  readonly throughputBytesPerSecond: number;
  readonly servedFraction: number;
  readonly p99LatencySeconds: number | null;
  readonly remoteAccessFraction: number;
  readonly cpuReservedMean: number;
  readonly memoryReservedMeanBytes: number;
  readonly guestCpuServedFraction: number;
  readonly series: {
    readonly time: readonly number[];
    readonly throughputBytesPerSecond: readonly number[];
    readonly cpuReserved: readonly number[];
  };
}

/**
 * Runs a case under both policies.
 *
 * @param p - the case.
 * @returns one row per policy (static, then Closer).
 * @throws VxError `VX_PLAYGROUND_BAD_PARAM` (path `["case"]`) for a case that is not listed.
 */
export function comparePvm(p: PvmParams): { title: string; host: string; rows: PvmRow[] } {
  const chosen = PVM_CASES[p.case];
  if (chosen === undefined) {
    throw new VxError(
      "VX_PLAYGROUND_BAD_PARAM",
      `case must be 0–${PVM_CASES.length - 1}; got ${JSON.stringify(p.case)}.`,
      { path: ["case"] },
    );
  }
  const cmp = comparePvmPolicies(chosen.scenario);
  return {
    title: chosen.title,
    host: cmp.topology,
    rows: cmp.results.map((r) => ({
      policy: r.summary.policy,
      throughputBytesPerSecond: r.summary.throughputBytesPerSecond,
      servedFraction: r.summary.servedFraction,
      p99LatencySeconds: r.summary.p99LatencySeconds,
      remoteAccessFraction: r.summary.remoteAccessFraction,
      cpuReservedMean: r.summary.cpuReservedMean,
      memoryReservedMeanBytes: r.summary.memoryReservedMeanBytes,
      guestCpuServedFraction: r.summary.guestCpuServedFraction,
      series: {
        time: r.series.time,
        throughputBytesPerSecond: r.series.throughputBytesPerSecond,
        cpuReserved: r.series.cpuReserved,
      },
    })),
  };
}
