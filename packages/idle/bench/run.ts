/**
 * The speed target of @vx/idle (issue 11): the PlanetLab day 20110303 (800 hosts, 1052 VMs, 24 h
 * at 300 s, THR 0.8 + MMT + PABFD, vx semantics, QEMU pre-copy migrations on a star) with idle
 * parking on (SEaMLESS, threshold 5 %, 15 min): under 2 s. For information, the same day with
 * each other technique and with consolidation alone, and SEaMLESS with CloudSim's migration delay
 * (slower: with that model every event re-processes every host, as CloudSim does).
 *
 * Each case runs `REPEATS` times in this process after one warm-up run; the median wall time is
 * printed with the range, and the CPU time (`process.cpuUsage`), steadier on a shared machine.
 * Wall time covers the run (`runDatacenter`: checking the spec, building the world, the run), not
 * decoding the day. Wall-clock reads are allowed here: benchmarks measure the simulator.
 *
 * Usage (in packages/idle): `pnpm bench`.
 */
import { performance } from "node:perf_hooks";
import { runDatacenter } from "@vx/datacenter";
import { type IdleTechniqueName, idleParking, idleParkingResult } from "../src/index.js";
import { planetLabDay } from "./planetlab.js";

const REPEATS = 3;
const TARGET_SECONDS = 2;

interface Case {
  readonly name: string;
  readonly technique: IdleTechniqueName | undefined;
  readonly precopy: boolean;
}

const CASES: readonly Case[] = [
  { name: "day-seamless", technique: "seamless", precopy: true },
  { name: "day-swap", technique: "suspend-to-swap", precopy: true },
  { name: "day-disk", technique: "suspend-to-disk", precopy: true },
  { name: "day-consolidation-only", technique: undefined, precopy: true },
  { name: "day-seamless-cloudsim", technique: "seamless", precopy: false },
];

const median = (xs: number[]): number => {
  const s = xs.slice().sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
};

const cheap = planetLabDay("20110303");
const pre = planetLabDay("20110303", { model: "precopy" });
for (const c of CASES) {
  const { spec, loader } = c.precopy ? pre : cheap;
  const walls: number[] = [];
  const cpus: number[] = [];
  let parks = 0;
  let energy = 0;
  for (let i = 0; i <= REPEATS; i++) {
    const extensions = c.technique === undefined ? [] : [idleParking({ technique: c.technique })];
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const r = runDatacenter(spec, { loader, extensions });
    const cpu = process.cpuUsage(c0);
    const wall = (performance.now() - t0) / 1000;
    if (i === 0) continue; // warm-up
    walls.push(wall);
    cpus.push((cpu.user + cpu.system) / 1e6);
    parks = idleParkingResult(r)?.output.parks ?? 0;
    energy = r.summary.energyKWh;
  }
  const target = c.name === "day-seamless" ? `  (target < ${TARGET_SECONDS} s)` : "";
  console.log(
    `${c.name.padEnd(24)} wall ${median(walls).toFixed(3)} s [${Math.min(...walls).toFixed(3)}–${Math.max(...walls).toFixed(3)}]  cpu ${median(cpus).toFixed(3)} s  parks ${parks}  energy ${energy.toFixed(2)} kWh${target}`,
  );
}
