/**
 * closer-vs-static: the privileged VM sized statically (8 vCPUs pinned to node 0, 7 GiB there, as
 * `dom0_max_vcpus=8 dom0_vcpus_pin dom0_mem=7G` does) against Closer (backends on their guest's
 * node, vCPUs and memory grown and shrunk with the load), in the three situations where Closer
 * is claimed to win, plus a busy 8-node host. Prints one comparison table.
 *
 * Run: `pnpm start` (or `pnpm exec tsx src/main.ts`).
 */
import { formatBytes, formatDuration, formatPercent, formatRate } from "@vx/core";
import { formatTopology, presetTopology } from "@vx/numa";
import { comparePvmPolicies, type PvmRunResult, type PvmScenarioInput } from "@vx/pvm";

const cases: { readonly title: string; readonly scenario: PvmScenarioInput }[] = [
  {
    title: "1. one I/O-bound guest on node 1 (static pVM on node 0)",
    scenario: {
      topology: "2-socket",
      duration: "2s",
      guests: [{ name: "web", node: 1, network: { rate: "10Gbps" } }],
    },
  },
  {
    title: "2. 64 I/O guests of 2 Gbit/s, more than the static pVM's 8 vCPUs can serve",
    scenario: {
      topology: "2-socket",
      duration: "2s",
      guests: [{ name: "io", count: 64, vcpus: 1, memory: "1GiB", network: { rate: "2Gbps" } }],
    },
  },
  {
    title: "3. four idle guests",
    scenario: {
      topology: "2-socket",
      duration: "2s",
      guests: [{ name: "idle", count: 4, demand: { kind: "idle" } }],
    },
  },
  {
    title: "4. 8-node EPYC, 200 guests whose demand changes every 10 ms",
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
];

const header = [
  "policy",
  "throughput",
  "served",
  "p99 latency",
  "remote accesses",
  "CPUs used / held",
  "memory used / held",
];

function row(r: PvmRunResult): string[] {
  const s = r.summary;
  return [
    s.policy,
    formatRate(s.throughputBytesPerSecond),
    formatPercent(s.servedFraction),
    s.p99LatencySeconds === null ? "-" : formatDuration(s.p99LatencySeconds),
    formatPercent(s.remoteAccessFraction, { digits: 2 }),
    `${s.cpuUsedMean.toFixed(1)} / ${s.cpuReservedMean.toFixed(1)}`,
    `${formatBytes(s.memoryUsedMeanBytes)} / ${formatBytes(s.memoryReservedMeanBytes)}`,
  ];
}

function print(rows: string[][]): void {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  for (const r of rows) {
    console.log(
      `  ${r
        .map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!)))
        .join("  ")}`,
    );
  }
}

console.log("closer-vs-static: a static pVM against Closer\n");
console.log(formatTopology(presetTopology("2-socket")));
for (const { title, scenario } of cases) {
  const comparison = comparePvmPolicies(scenario);
  console.log(`${title}`);
  print([header, ...comparison.results.map(row)]);
  const [fixed, closer] = comparison.results as [PvmRunResult, PvmRunResult];
  const gain = closer.summary.throughputBytesPerSecond / fixed.summary.throughputBytesPerSecond;
  console.log(
    Number.isFinite(gain)
      ? `  Closer/static throughput: ${gain.toFixed(2)}×\n`
      : `  CPUs held: static ${fixed.summary.cpuReservedMean}, Closer ${closer.summary.cpuReservedMean}\n`,
  );
}
