/**
 * `pnpm --filter @vx/pvm bench`: the speed targets of @vx/pvm.
 *
 * - Sizing: an 8-node host (two EPYC 7601) with 200 guests spread over its nodes, each guest's I/O
 *   demand redrawn every 10 ms (uniform between 0 and its 1 Gbit/s peak), 60 simulated seconds:
 *   6,000 steps of 200 demand changes each (1.2 million). Each policy runs alone; target under 1 s
 *   of wall time each.
 * - Resilience: a seeded campaign of 10,000 injected faults on a host with 50 guests (25
 *   latency-critical, 25 throughput), run on all four architectures; target under 5 s for the
 *   whole campaign (issue 12).
 *
 * Each case runs in a fresh Node process, repeats, and reports the median with the range, as
 * packages/core/bench/run.ts does. Wall-clock reads are allowed here: benchmarks measure the
 * simulator, they are not models.
 *
 * Usage: `pnpm bench` (both policies), `pnpm bench static`, `pnpm bench closer`.
 */
import { performance } from "node:perf_hooks";
import {
  benchArgs,
  benchHeader,
  fmt,
  measure,
  runCaseIfAsked,
  selectCases,
  spread,
} from "@vx/dev/bench";
import {
  type PvmPolicy,
  type PvmScenarioInput,
  type ResilienceScenarioInput,
  runFaultCampaign,
  simulatePvm,
} from "@vx/pvm";

const REPEATS = 5;

const SCENARIO: PvmScenarioInput = {
  topology: "8-node-epyc",
  duration: "60s",
  step: "10ms",
  sample: "1s",
  seed: 1,
  guests: [
    {
      name: "io",
      count: 200,
      node: "spread",
      vcpus: 1,
      memory: "2GiB",
      network: { rate: "1Gbps" },
      demand: { kind: "random", min: 0, max: 1, every: "10ms" },
    },
  ],
};

const CAMPAIGN: ResilienceScenarioInput = {
  seed: 1,
  guests: [
    { kind: "latency-critical", count: 25 },
    { kind: "throughput", count: 25 },
  ],
  faults: { campaign: { count: 10_000 } },
};

function runCampaign(): Record<string, number> {
  runFaultCampaign({ ...CAMPAIGN, faults: { campaign: { count: 500 } } }); // warm-up
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const c = runFaultCampaign(CAMPAIGN);
  const wall = (performance.now() - t0) / 1000;
  const used = process.cpuUsage(c0);
  const resilient = c.results.find((r) => r.summary.architecture === "resilient")!.summary;
  const vanilla = c.results.find((r) => r.summary.architecture === "vanilla")!.summary;
  return {
    wall,
    cpu: (used.user + used.system) / 1e6,
    faults: c.faultCount,
    simulatedDays: c.simulatedSeconds / 86_400,
    vanillaNetwork: vanilla.availability.network,
    resilientNetwork: resilient.availability.network,
  };
}

function run(policy: PvmPolicy): Record<string, number> {
  simulatePvm({ ...SCENARIO, duration: "1s" }, policy); // warm-up: compile the hot paths
  const t0 = performance.now();
  const r = simulatePvm(SCENARIO, policy);
  const wall = (performance.now() - t0) / 1000;
  return {
    wall,
    throughputGbps: (r.summary.throughputBytesPerSecond * 8) / 1e9,
    servedFraction: r.summary.servedFraction,
    fabricSaturatedFraction: r.summary.fabricSaturatedFraction,
  };
}

const CASES = {
  static: () => run("static"),
  closer: () => run("closer"),
  campaign: runCampaign,
};

const argv = benchArgs();
if (!runCaseIfAsked(CASES, argv)) {
  const cases = selectCases(argv[0], Object.keys(CASES));
  const policies = cases.filter((p) => p !== "campaign");
  console.log(benchHeader("pvm", REPEATS));
  for (const policy of policies) {
    const runs = measure(import.meta.url, policy, { repeats: REPEATS });
    const r0 = runs[0]!;
    console.log(
      `${policy.padEnd(6)} pVM, 8 nodes, 200 guests, demand changing every 10 ms, 60 s simulated: ` +
        `${spread(runs, "wall")} s wall [target < 1], peak RSS ${spread(runs, "peakRssMiB")} MiB; ` +
        `served ${fmt(r0.throughputGbps!)} Gbit/s (${fmt(r0.servedFraction! * 100, 1)} % of demand), ` +
        `fabric saturated in ${fmt(r0.fabricSaturatedFraction! * 100, 1)} % of steps`,
    );
  }
  if (cases.includes("campaign")) {
    const runs = measure(import.meta.url, "campaign", { repeats: REPEATS });
    const r0 = runs[0]!;
    console.log(
      `fault campaign, ${fmt(r0.faults!, 0)} injected faults, 50 guests, 4 architectures ` +
        `(${fmt(r0.simulatedDays!, 0)} simulated days each): ${spread(runs, "wall")} s wall [target < 5], ` +
        `${spread(runs, "cpu")} s CPU, ` +
        `peak RSS ${spread(runs, "peakRssMiB")} MiB; network availability vanilla ` +
        `${fmt(r0.vanillaNetwork! * 100, 2)} %, resilient ${fmt(r0.resilientNetwork! * 100, 3)} %`,
    );
  }
}
