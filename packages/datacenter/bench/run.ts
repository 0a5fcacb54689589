/**
 * The speed targets of @vx/datacenter (issue 9, item 8), on the PlanetLab day 20110303 (800
 * hosts, 1052 VMs, 24 h at 300 s, THR 0.8 + MMT + PABFD):
 *
 * - `day-cloudsim`: the CloudSim-compatible configuration (CloudSim's migration model and
 *   quirks): wall time < 1 s (CloudSim 4.0: 70–93 s and 2.5 GB on this machine kind).
 * - `day-precopy`: vx semantics, every migration a QEMU pre-copy session on a star network:
 *   wall time < 3 s, peak memory < 400 MiB.
 * - `x10-tree`: the day replicated 10× (8,000 hosts, 10,520 VMs), pre-copy on a 4:1 tree
 *   (40 hosts per rack): wall time < 30 s.
 * - For information: the day replicated 100× with CloudSim's model (80,000 hosts, 105,200 VMs),
 *   and the other policies on the day with pre-copy.
 *
 * Each case runs in a fresh Node process (nothing left over from another case) and repeats; the
 * median is reported with the range, because this machine is shared and its speed varies from run
 * to run. Wall time covers building the spec, checking it, reading the 1052 trace files and the
 * run (not Node's start nor compiling the sources); CPU time is the process's user + system time
 * over the same span (`process.cpuUsage`), steadier than wall time on a loaded machine; memory
 * is the process's peak resident set (`process.resourceUsage().maxRSS`), which includes Node
 * itself. Wall-clock reads are allowed here: benchmarks measure the simulator, they are not
 * models.
 *
 * Usage (in packages/datacenter): `pnpm bench` (the three targets), `pnpm bench all`,
 * `pnpm bench x100`, `pnpm bench policies`, or one case by name (`pnpm bench day-precopy`). The
 * traces are the day 20110303 of `@vx/traces-planetlab` (or a folder of trace files:
 * `VX_PLANETLAB=<folder>`).
 */
import { existsSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { benchArgs, fmt, measure, runCaseIfAsked, selectCases, spread } from "@vx/dev/bench";
import {
  cloudsimPlanetLabSpec,
  type DatacenterSpecInput,
  type OverloadName,
  runDatacenter,
} from "../src/index.js";
import { nodeTraceLoader } from "../src/node.js";

const here = fileURLToPath(import.meta.url);
/** A folder of CloudSim's trace files (`VX_PLANETLAB`), else the day packaged in @vx/traces-planetlab. */
const FOLDER: string | undefined = process.env.VX_PLANETLAB;
const DAY = FOLDER ?? "@vx/traces-planetlab 20110303";
const TRACES: { readonly folder: string } | { readonly day: string } =
  FOLDER === undefined ? { day: "20110303" } : { folder: FOLDER };

type Facts = Record<string, number>;

/** The day with CloudSim's model and quirks, or with pre-copy sessions on a network. */
function spec(
  mode: "cloudsim" | "precopy",
  replicas: number,
  topology: "star" | "tree",
  overload: OverloadName = "thr",
  selection: "mmt" | "mc" = "mmt",
): DatacenterSpecInput {
  const base = cloudsimPlanetLabSpec({
    ...TRACES,
    policy: { overload, selection },
    replicas,
    quirks: mode === "cloudsim",
  });
  if (mode === "cloudsim") return base;
  return {
    ...base,
    network: { topology },
    migration: { model: "precopy" },
  };
}

function run(input: DatacenterSpecInput): Facts {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const result = runDatacenter(input, { loader: nodeTraceLoader() });
  const cpu = process.cpuUsage(c0);
  const wall = (performance.now() - t0) / 1000;
  const s = result.summary;
  return {
    wall,
    cpu: (cpu.user + cpu.system) / 1e6,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
    hosts: s.hosts,
    vms: s.vms,
    energyKWh: s.energyKWh,
    migrations: s.migrations,
    slatah: s.slatah,
    pdm: s.pdm,
  };
}

interface Case {
  readonly label: string;
  readonly targets?: { readonly wall?: number; readonly rss?: number };
  readonly repeats: number;
  readonly input: () => DatacenterSpecInput;
}

const CASES: Record<string, Case> = {
  "day-cloudsim": {
    label: "day, CloudSim-compatible",
    targets: { wall: 1 },
    repeats: 5,
    input: () => spec("cloudsim", 1, "star"),
  },
  "day-precopy": {
    label: "day, pre-copy on a star",
    targets: { wall: 3, rss: 400 },
    repeats: 5,
    input: () => spec("precopy", 1, "star"),
  },
  "x10-tree": {
    label: "day x10, pre-copy on a 4:1 tree",
    targets: { wall: 30 },
    repeats: 3,
    input: () => spec("precopy", 10, "tree"),
  },
  x100: {
    label: "day x100, CloudSim-compatible",
    repeats: 3,
    input: () => spec("cloudsim", 100, "star"),
  },
  ...Object.fromEntries(
    (["iqr", "mad", "lr", "lrr"] as const).map((d) => [
      `${d}-precopy`,
      {
        label: `day, ${d.toUpperCase()}-MMT, pre-copy on a star`,
        repeats: 3,
        input: () => spec("precopy", 1, "star", d),
      },
    ]),
  ),
  "mc-precopy": {
    label: "day, THR-MC, pre-copy on a star",
    repeats: 3,
    input: () => spec("precopy", 1, "star", "thr", "mc"),
  },
};

const GROUPS: Record<string, readonly string[]> = {
  targets: ["day-cloudsim", "day-precopy", "x10-tree"],
  all: Object.keys(CASES),
  policies: ["iqr-precopy", "mad-precopy", "lr-precopy", "lrr-precopy", "mc-precopy"],
};

/** Each case as the harness runs it in a fresh process. */
const RUNS = Object.fromEntries(
  Object.entries(CASES).map(([name, c]) => [name, () => run(c.input())] as const),
);

const argv = benchArgs();
if (!runCaseIfAsked(RUNS, argv)) {
  const names = selectCases(argv[0], Object.keys(CASES), GROUPS, "targets");
  if (FOLDER !== undefined && !existsSync(FOLDER)) {
    console.log(
      `vx datacenter benchmarks: VX_PLANETLAB=${FOLDER} does not exist; unset it to use the packaged day. Nothing measured.`,
    );
    process.exit(1);
  }
  console.log(
    `vx datacenter benchmarks: node ${process.version}, ${process.platform}/${process.arch}; median (min–max) of fresh processes; traces ${DAY}`,
  );
  for (const name of names) {
    const c = CASES[name] as Case;
    const runs = measure(here, name, {
      repeats: c.repeats,
      nodeArgs: ["--conditions=@vx/source"],
    });
    const r0 = runs[0] as Facts;
    const wallTarget = c.targets?.wall === undefined ? "" : ` [target < ${c.targets.wall}]`;
    const rssTarget = c.targets?.rss === undefined ? "" : ` [target < ${c.targets.rss}]`;
    console.log(
      `${c.label} (${fmt(r0.hosts as number, 0)} hosts, ${fmt(r0.vms as number, 0)} VMs): ` +
        `${spread(runs, "wall")} s wall${wallTarget}, ${spread(runs, "cpu")} s CPU, ` +
        `peak RSS ${spread(runs, "peakRssMiB", 0)} MiB${rssTarget}; ` +
        `${fmt(r0.energyKWh as number)} kWh, ${fmt(r0.migrations as number, 0)} migrations, ` +
        `SLATAH ${fmt(100 * (r0.slatah as number), 2)} %, PDM ${fmt(100 * (r0.pdm as number), 3)} %`,
    );
  }
}
