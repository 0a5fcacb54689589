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
import { execFileSync } from "node:child_process";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
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

const fmt = (n: number, digits = 2): string =>
  n.toLocaleString("en-US", { maximumFractionDigits: digits });
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
function summary(runs: Record<string, number>[], key: string): string {
  const xs = runs.map((r) => r[key]!);
  let lo = xs[0]!;
  let hi = xs[0]!;
  for (const x of xs) {
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  return `${fmt(median(xs))} (${fmt(lo)}–${fmt(hi)})`;
}

const argv = process.argv.slice(2).filter((a) => a !== "--");
if (argv[0] === "--case") {
  process.stdout.write(JSON.stringify(CASES[argv[1]!]!()));
} else {
  const names = argv[0] === undefined ? Object.keys(CASES) : [argv[0]];
  if (!names.every((n) => n in CASES)) {
    console.error(`unknown benchmark "${argv[0]}"; use one of ${Object.keys(CASES).join(", ")}`);
    process.exit(2);
  }
  console.log(
    `vx disagg benchmarks: node ${process.version}, ${process.platform}/${process.arch}; median (min–max) of ${REPEATS} fresh processes each`,
  );
  for (const name of names) {
    const runs: Record<string, number>[] = [];
    for (let i = 0; i < REPEATS; i++) {
      const out = execFileSync(
        process.execPath,
        ["--import", "tsx", fileURLToPath(import.meta.url), "--case", name],
        { encoding: "utf8" },
      );
      runs.push(JSON.parse(out) as Record<string, number>);
    }
    if (name === "shared-region") {
      console.log(
        `shared region, lock, event by event: ${summary(runs, "rate")} M accesses/s (${fmt(runs[0]!.accesses!, 0)} accesses)`,
      );
    } else {
      const wall = median(runs.map((r) => r.wall!));
      const r0 = runs[0]!;
      console.log(
        `${name === "rack-day" ? "rack, circuit fabric, first fit" : "rack, packet fabric, locality-aware"}: 10,000 slot requests over a day (${fmt(r0.admitted!, 0)} admitted, ${fmt(r0.plugs!, 0)} plugs, ${fmt(r0.unplugs!, 0)} unplugs): ${summary(runs, "wall")} s wall, ${summary(runs, "cpu")} s CPU; target < ${TARGET_SECONDS} s: ${wall < TARGET_SECONDS ? "met" : "NOT met"}`,
      );
    }
  }
}
