/**
 * closer-vs-static: the privileged VM sized statically (8 vCPUs pinned to node 0, 7 GiB there, as
 * `dom0_max_vcpus=8 dom0_vcpus_pin dom0_mem=7G` does) against Closer (backends on their guest's
 * node and charged to it, vCPUs and memory grown and shrunk with the load), in the three
 * situations where Closer is claimed to win, a busy 8-node host, and one where it loses; then
 * the map of where each wins. Prints the tables and checks the hand-computed figures.
 *
 * Run: `pnpm start` (or `pnpm exec tsx src/main.ts`).
 */
import { formatBytes, formatDuration, formatPercent, formatRate, formatTable } from "@vx/core";
import { formatTopology, presetTopology } from "@vx/numa";
import {
  comparePvmPolicies,
  mapPolicies,
  type PolicyMapWinner,
  type PvmRunResult,
  type PvmScenarioInput,
} from "@vx/pvm";

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
  {
    title:
      "5. 16 guests 90 % busy with their own work, 2 Gbit/s of I/O each (where the static pVM wins)",
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

const header = [
  "policy",
  "throughput",
  "served",
  "p99 latency",
  "remote accesses",
  "CPUs used / held",
  "memory used / held",
  "guest CPU",
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
    formatPercent(s.guestCpuServedFraction),
  ];
}

function print(rows: string[][]): void {
  console.log(formatTable(rows, { indent: "  " }));
}

const gbps = (r: PvmRunResult): number => (r.summary.throughputBytesPerSecond * 8) / 1e9;
const failures: string[] = [];
/** Checks a figure against its hand-computed value (relative tolerance). */
function check(what: string, actual: number, expected: number, tolerance = 1e-6): void {
  if (!(Math.abs(actual - expected) <= tolerance * Math.max(1, Math.abs(expected)))) {
    failures.push(`${what}: got ${actual}, expected ${expected}`);
  }
}

console.log("closer-vs-static: a static pVM against Closer\n");
console.log(formatTopology(presetTopology("2-socket")));
const runs: [PvmRunResult, PvmRunResult][] = [];
for (const { title, scenario } of cases) {
  const comparison = comparePvmPolicies(scenario);
  console.log(`${title}`);
  print([header, ...comparison.results.map(row)]);
  const [fixed, closer] = comparison.results as [PvmRunResult, PvmRunResult];
  runs.push([fixed, closer]);
  const gain = closer.summary.throughputBytesPerSecond / fixed.summary.throughputBytesPerSecond;
  console.log(
    Number.isFinite(gain)
      ? `  Closer/static throughput: ${gain.toFixed(2)}×\n`
      : `  CPUs held: static ${fixed.summary.cpuReservedMean}, Closer ${closer.summary.cpuReservedMean}\n`,
  );
}

// The map: 16 one-vCPU guests spread over the host, guest load × I/O load.
const LETTER: Record<PolicyMapWinner, string> = {
  closer: "C",
  "closer-more-io": "c",
  tie: ".",
  "static-more-io": "s",
  static: "S",
};
const map = mapPolicies();
console.log(
  "6. Where each wins (16 one-vCPU guests spread; C Closer, S static, . tie,\n" +
    "   c / s: more I/O for Closer / static but less CPU for the guests' own work)",
);
console.log(
  `   I/O per guest   guest CPU load ${map.guestLoads.map((l) => `${l * 100}`.padStart(3)).join("")} %`,
);
for (let r = map.ioBytesPerSecond.length - 1; r >= 0; r--) {
  const io = map.ioBytesPerSecond[r]!;
  const cells = map.cells.filter((c) => c.ioBytesPerSecond === io);
  console.log(
    `   ${`${(io * 8) / 1e9} Gbit/s`.padStart(11)}   ${" ".repeat(15)}${cells.map((c) => LETTER[c.winner].padStart(3)).join("")}`,
  );
}

// Hand-computed figures (docs/numa-pvm.md): a failure here means the model changed.
const [one, many, idle, , busy] = runs as [PvmRunResult, PvmRunResult][] as [
  [PvmRunResult, PvmRunResult],
  [PvmRunResult, PvmRunResult],
  [PvmRunResult, PvmRunResult],
  [PvmRunResult, PvmRunResult],
  [PvmRunResult, PvmRunResult],
];
check("1. static, 1500 B / 2.6625 µs", gbps(one[0]), (1500 * 8) / 2.6625e-6 / 1e9);
check("1. Closer, 1500 B / 2.25 µs", gbps(one[1]), (1500 * 8) / 2.25e-6 / 1e9);
check("2. static plateau", gbps(many[0]), ((4 / 2.25e-6 + 4 / 2.6625e-6) * 1500 * 8) / 1e9);
check("2. Closer serves all", gbps(many[1]), 128);
check("3. static holds 8 vCPUs", idle[0].summary.cpuReservedMean, 8);
check("3. Closer holds 1", idle[1].summary.cpuReservedMean, 1);
check("5. static serves all", gbps(busy[0]), 32);
check("5. Closer: 1 / 1.275 of 32", gbps(busy[1]), 32 / 1.275);
check(
  "5. Closer's guests: 1 / 1.275 of their CPU",
  busy[1].summary.guestCpuServedFraction,
  1 / 1.275,
);
if (failures.length > 0) {
  console.error(
    `\n${failures.length} figure(s) differ from the hand-computed ones:\n  ${failures.join("\n  ")}`,
  );
  process.exit(1);
}
console.log("\nThe hand-computed figures check out.");
