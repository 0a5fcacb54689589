/**
 * `pnpm --filter @vx/disagg bench`: the speed target of issue 14 and what the parts cost.
 *
 * - rack-day: a rack-scale run of 10,000 slot requests with hot-plug and unplug over a day
 *   (8 trays of 8 compute and 8 memory bricks, an optical circuit fabric, first fit; a balanced
 *   synthetic mix living 30 min on average, each VM resized twice). Target: under 2 s.
 * - rack-day-packet: the same on a packet fabric with the locality-aware policy.
 * - shared-region: one million accesses of a lock-serialised region simulated event by event.
 *
 * Each case runs in a fresh Node process, five times; median and range, as the other packages'
 * benchmarks do. Wall time is what the target is about; CPU time (all threads of the process) is
 * printed beside it because the machine may be shared.
 */
import { performance } from "node:perf_hooks";
import {
  benchArgs,
  benchHeader,
  fmt,
  measure,
  median,
  runCaseIfAsked,
  selectCases,
  spread,
} from "@vx/dev/bench";
import {
  parseRackLayout,
  parseRackSettings,
  runDisaggScenario,
  simulateSharedRegion,
  syntheticWorkload,
} from "@vx/disagg";

const REPEATS = 5;
const TARGET_SECONDS = 2;

function rackDay(
  kind: "circuit" | "packet",
  policy: "first-fit" | "locality-aware",
): Record<string, number> {
  const rack = parseRackLayout({
    trays: Array.from({ length: 8 }, () => ({
      bricks: [
        { kind: "compute" as const, count: 8 },
        { kind: "memory" as const, count: 8 },
      ],
    })),
    fabric: { kind },
  });
  const workload = syntheticWorkload({
    vms: 10_000,
    durationSeconds: 86_400,
    meanLifetimeSeconds: 1800,
    mix: "balanced",
    resizes: 2,
    seed: 1,
  });
  const settings = parseRackSettings({ policy });
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const r = runDisaggScenario({ rack, workload, settings, durationSeconds: 86_400 });
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(c0);
  const s = r.summary;
  return {
    wall,
    cpu: (cpu.user + cpu.system) / 1e6,
    admitted: s.admitted,
    plugs: s.hotplug.plugs,
    unplugs: s.hotplug.unplugs,
  };
}

function sharedRegion(): Record<string, number> {
  const accessors = [0, 1, 2, 3].map((brick) => ({
    brick,
    accessesPerSecond: 2500,
    criticalSectionSeconds: 50e-6,
    oneWaySeconds: 1e-6,
  }));
  const t0 = performance.now();
  const run = simulateSharedRegion({
    method: "lock",
    accessors,
    bytesPerSecond: 3.125e9,
    durationSeconds: 100,
  });
  const wall = (performance.now() - t0) / 1000;
  return { rate: run.accesses / wall / 1e6, accesses: run.accesses };
}

const CASES: Record<string, () => Record<string, number>> = {
  "rack-day": () => rackDay("circuit", "first-fit"),
  "rack-day-packet": () => rackDay("packet", "locality-aware"),
  "shared-region": sharedRegion,
};

const argv = benchArgs();
if (!runCaseIfAsked(CASES, argv)) {
  const names = selectCases(argv[0], Object.keys(CASES));
  console.log(benchHeader("disagg", REPEATS));
  for (const name of names) {
    const runs = measure(import.meta.url, name, { repeats: REPEATS });
    if (name === "shared-region") {
      console.log(
        `shared region, lock, event by event: ${spread(runs, "rate")} M accesses/s (${fmt(runs[0]!.accesses!, 0)} accesses)`,
      );
    } else {
      const wall = median(runs.map((r) => r.wall!));
      const r0 = runs[0]!;
      console.log(
        `${name === "rack-day" ? "rack, circuit fabric, first fit" : "rack, packet fabric, locality-aware"}: 10,000 slot requests over a day (${fmt(r0.admitted!, 0)} admitted, ${fmt(r0.plugs!, 0)} plugs, ${fmt(r0.unplugs!, 0)} unplugs): ${spread(runs, "wall")} s wall, ${spread(runs, "cpu")} s CPU; target < ${TARGET_SECONDS} s: ${wall < TARGET_SECONDS ? "met" : "NOT met"}`,
      );
    }
  }
}
