/**
 * The speed targets of the data-center model of @vx/sim (issue 4):
 *
 * - PlanetLab day 20110303, the CloudSim-compatible configuration (800 hosts, 1052 VMs, 24 h at
 *   300 s), THR 0.8 + MMT: wall time < 2 s and peak memory < 300 MiB (CloudSim 4.0: 70–93 s and
 *   2.5 GB on this machine kind).
 * - The same day replicated 100× (80,000 hosts, 105,200 VMs): wall time < 60 s.
 * - For information: the other policies on the day.
 *
 * Each case runs in a fresh Node process (nothing left over from another case) and repeats; the
 * median is reported with the range, because this machine is shared and its speed varies from run
 * to run. Wall time covers building the scenario, reading the 1052 trace files and the run;
 * memory is the process's peak resident set (`process.resourceUsage().maxRSS`), which includes
 * Node itself. Wall-clock reads are allowed here: benchmarks measure the simulator, they are not
 * models.
 *
 * Usage (in packages/sim): `npx tsx bench/run.ts` (all cases), `npx tsx bench/run.ts day`,
 * `npx tsx bench/run.ts x100`, `npx tsx bench/run.ts policies`. The traces are read from
 * `../shared/data/planetlab/20110303` next to the repository (or `VX_PLANETLAB=<folder>`).
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { cloudsimPlanetLabSpec, type PolicyInput, runDatacenter } from "../src/index.js";
import { nodeTraceLoader } from "../src/node.js";

const here = fileURLToPath(import.meta.url);
const repoRoot = resolve(here, "..", "..", "..", "..");
const DAY =
  process.env.VX_PLANETLAB ?? resolve(repoRoot, "..", "shared", "data", "planetlab", "20110303");

type Case = () => Record<string, number>;

function run(policy: PolicyInput, replicas: number): Record<string, number> {
  const t0 = performance.now();
  const spec = cloudsimPlanetLabSpec({ folder: DAY, policy, replicas });
  const result = runDatacenter(spec, { loader: nodeTraceLoader() });
  const wall = (performance.now() - t0) / 1000;
  const s = result.summary;
  return {
    wall,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
    hosts: s.hosts,
    vms: s.vms,
    energyKWh: s.energyKWh,
    migrations: s.migrations,
    slatah: s.slatah,
    pdm: s.pdm,
  };
}

const CASES: Record<string, Case> = {
  day: () => run({ overload: "thr", selection: "mmt" }, 1),
  x100: () => run({ overload: "thr", selection: "mmt" }, 100),
  iqr: () => run({ overload: "iqr", selection: "mmt" }, 1),
  mad: () => run({ overload: "mad", selection: "mmt" }, 1),
  lr: () => run({ overload: "lr", selection: "mmt" }, 1),
  lrr: () => run({ overload: "lrr", selection: "mmt" }, 1),
  mc: () => run({ overload: "thr", selection: "mc" }, 1),
};

const GROUPS: Record<string, string[]> = {
  all: ["day", "x100", "iqr", "mad", "lr", "lrr", "mc"],
  day: ["day"],
  x100: ["x100"],
  policies: ["iqr", "mad", "lr", "lrr", "mc"],
};

const REPEATS: Record<string, number> = { x100: 3 };

const fmt = (n: number, digits = 2): string =>
  n.toLocaleString("en-US", { maximumFractionDigits: digits });

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

function measure(name: string): Record<string, number>[] {
  const runs: Record<string, number>[] = [];
  const repeats = REPEATS[name] ?? 5;
  for (let i = 0; i < repeats; i++) {
    const out = execFileSync(process.execPath, ["--import", "tsx", here, "--case", name], {
      encoding: "utf8",
      maxBuffer: 1 << 20,
    });
    runs.push(JSON.parse(out) as Record<string, number>);
  }
  return runs;
}

function summary(runs: Record<string, number>[], key: string, digits = 2): string {
  const xs = runs.map((r) => r[key] as number);
  return `${fmt(median(xs), digits)} (${fmt(Math.min(...xs), digits)}–${fmt(Math.max(...xs), digits)})`;
}

const argv = process.argv.slice(2).filter((a) => a !== "--");
if (argv[0] === "--case") {
  process.stdout.write(JSON.stringify((CASES[argv[1] as string] as Case)()));
} else {
  const group = argv[0] ?? "all";
  const names = GROUPS[group];
  if (names === undefined) {
    console.error(`unknown benchmark "${group}"; use one of ${Object.keys(GROUPS).join(", ")}`);
    process.exit(2);
  }
  if (!existsSync(DAY)) {
    console.log(
      `vx sim benchmarks: the PlanetLab traces are not at ${DAY}; set VX_PLANETLAB=<folder of 20110303>. Nothing measured.`,
    );
    process.exit(0);
  }
  console.log(
    `vx sim benchmarks: node ${process.version}, ${process.platform}/${process.arch}; median (min–max) of fresh processes; traces ${DAY}`,
  );
  for (const name of names) {
    const runs = measure(name);
    const r0 = runs[0] as Record<string, number>;
    const facts = `${fmt(r0.hosts as number, 0)} hosts, ${fmt(r0.vms as number, 0)} VMs: ${fmt(r0.energyKWh as number)} kWh, ${fmt(r0.migrations as number, 0)} migrations, SLATAH ${fmt(100 * (r0.slatah as number), 2)} %, PDM ${fmt(100 * (r0.pdm as number), 3)} %`;
    if (name === "day") {
      console.log(
        `PlanetLab 20110303, CloudSim-compatible, THR-MMT: ${summary(runs, "wall")} s wall [target < 2], ` +
          `peak RSS ${summary(runs, "peakRssMiB", 0)} MiB [target < 300]; ${facts}`,
      );
    } else if (name === "x100") {
      console.log(
        `the same day replicated 100x: ${summary(runs, "wall")} s wall [target < 60], ` +
          `peak RSS ${summary(runs, "peakRssMiB", 0)} MiB; ${facts}`,
      );
    } else {
      const label = name === "mc" ? "THR-MC" : `${name.toUpperCase()}-MMT`;
      console.log(
        `  ${label.padEnd(8)} on the day: ${summary(runs, "wall")} s wall, peak RSS ${summary(runs, "peakRssMiB", 0)} MiB; ${facts}`,
      );
    }
  }
}
