/**
 * The clustered-vs-disaggregated figures of `docs/disagg.md`: the same workload on a clustered
 * data center (`@vx/datacenter`) and on a rack of the same total capacity (`disaggComparison`),
 * on the PlanetLab day 2011-03-03 (`@vx/traces-planetlab`, 800 hosts, 1052 VMs) and on synthetic
 * memory-heavy and CPU-heavy mixes (those of `examples/scenarios/disagg-*.yaml`). Prints the
 * markdown table and writes `docs/img/disagg-powered.svg`. Deterministic.
 *
 * Usage (inside the package): `npx tsx --conditions=@vx/source bench/compare.ts [img-folder]`.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import {
  type DatacenterResult,
  type DatacenterSpecInput,
  memoryTraceLoader,
  regularTraceTable,
  runDatacenter,
} from "@vx/datacenter";
import { loadPlanetLabDay } from "@vx/traces-planetlab/node";
import {
  type ComparisonInput,
  type DisaggComparison,
  disaggComparison,
  parseComparison,
} from "../src/index.js";

// ---------------------------------------------------------------------------------------------
// The workloads.

const G4 = [86, 89.4, 92.6, 96, 99.5, 102, 106, 108, 112, 114, 117];
const G5 = [93.7, 97, 101, 105, 110, 116, 121, 125, 129, 133, 135];

/** Beloglazov & Buyya's PlanetLab set-up (CloudSim 4.0), with vx semantics (VMs hold their RAM). */
function planetlab(): { spec: DatacenterSpecInput; loader: ReturnType<typeof memoryTraceLoader> } {
  const day = loadPlanetLabDay("20110303");
  const columns: Float64Array[] = [];
  for (let v = 0; v < day.names.length; v++) {
    const pct = day.percent.subarray(v * day.samplesPerVm, (v + 1) * day.samplesPerVm);
    columns.push(Float64Array.from(pct, (p) => p / 100));
  }
  const table = regularTraceTable({
    source: "planetlab/20110303",
    names: day.names,
    intervalSeconds: day.intervalSeconds,
    columns,
  });
  return {
    loader: memoryTraceLoader({ folders: { "20110303": table } }),
    spec: {
      name: "planetlab-20110303",
      duration: "24h",
      step: "300s",
      hostTypes: {
        "hp-ml110-g4": { cores: 2, mips: 1860, ram: "4096MB", nic: "1Gbps", power: G4 },
        "hp-ml110-g5": { cores: 2, mips: 2660, ram: "4096MB", nic: "1Gbps", power: G5 },
      },
      hosts: [
        { type: "hp-ml110-g4", count: 400 },
        { type: "hp-ml110-g5", count: 400 },
      ],
      vmTypes: {
        "high-cpu-medium": { cores: 1, mips: 2500, ram: "870MB", nic: "100Mbps" },
        "extra-large": { cores: 1, mips: 2000, ram: "1740MB", nic: "100Mbps" },
        small: { cores: 1, mips: 1000, ram: "1740MB", nic: "100Mbps" },
        micro: { cores: 1, mips: 500, ram: "613MB", nic: "100Mbps" },
      },
      vms: [
        {
          types: ["high-cpu-medium", "extra-large", "small", "micro"],
          workload: { kind: "planetlab", folder: "20110303" },
        },
      ],
      policy: { overload: "thr", parameter: 0.8, selection: "mmt", placement: "pabfd" },
      migration: { model: "cloudsim" },
    },
  };
}

const R640 = [58, 98, 114, 128, 142, 158, 176, 198, 224, 252, 282];

/** `examples/scenarios/disagg-{memory,cpu}-heavy.yaml`: 32 servers, 100 VMs of c5, m5, r5. */
function mix(kind: "memory" | "cpu"): DatacenterSpecInput {
  const [r5, c5] = kind === "memory" ? [70, 10] : [10, 70];
  return {
    name: `disagg-${kind}-heavy`,
    seed: kind === "memory" ? 11 : 12,
    duration: "24h",
    step: "300s",
    hostTypes: {
      "dell-r640": { cores: 32, mips: 2600, ram: "192GiB", nic: "10Gbps", power: R640 },
    },
    hosts: [{ type: "dell-r640", count: 32 }],
    vmTypes: {
      "c5-2xlarge": { cores: 8, mips: 2600, ram: "16GiB", nic: "1Gbps" },
      "m5-2xlarge": { cores: 8, mips: 2600, ram: "32GiB", nic: "1Gbps" },
      "r5-2xlarge": { cores: 8, mips: 2600, ram: "64GiB", nic: "1Gbps" },
    },
    vms: [
      {
        types: "r5-2xlarge",
        count: r5,
        workload: { kind: "diurnal", mean: 0.3, amplitude: 0.15, period: "24h", noise: 0.05 },
      },
      {
        types: "m5-2xlarge",
        count: 20,
        workload: { kind: "diurnal", mean: 0.4, amplitude: 0.2, period: "24h", noise: 0.05 },
      },
      {
        types: "c5-2xlarge",
        count: c5,
        workload: { kind: "bursty", base: 0.1, peak: 0.9, meanGap: "3h", meanBurst: "1h" },
      },
    ],
    policy: { overload: "thr", parameter: 0.8, selection: "mmt", placement: "pabfd" },
    migration: { model: "cloudsim" },
  };
}

const FAMILIES: ComparisonInput["vmTypes"] = {
  "c5-2xlarge": { memoryStallFraction: 0.1 },
  "m5-2xlarge": { memoryStallFraction: 0.2 },
  "r5-2xlarge": { memoryStallFraction: 0.3 },
};

// ---------------------------------------------------------------------------------------------
// The runs.

interface Case {
  readonly label: string;
  readonly result: DatacenterResult;
  readonly cmp: DisaggComparison;
}

function run(
  label: string,
  spec: DatacenterSpecInput,
  section: ComparisonInput,
  loader?: ReturnType<typeof memoryTraceLoader>,
): Case {
  const t0 = performance.now();
  const result = runDatacenter(spec, {
    ...(loader === undefined ? {} : { loader }),
    extensions: [disaggComparison(parseComparison(section))],
  });
  const ext = result.extensions?.disagg as { output: DisaggComparison } | undefined;
  if (ext === undefined) throw new Error("no comparison in the result");
  console.error(`${label}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return { label, result, cmp: ext.output };
}

const pl = planetlab();
const cases: Case[] = [
  run("PlanetLab, locality-aware", pl.spec, { settings: { policy: "locality-aware" } }, pl.loader),
  run(
    "PlanetLab, fragmentation-aware",
    pl.spec,
    { settings: { policy: "fragmentation-aware" } },
    pl.loader,
  ),
  run(
    "PlanetLab, locality-aware, 2 vCPUs per core",
    pl.spec,
    { vcpusPerCore: 2, settings: { policy: "locality-aware" } },
    pl.loader,
  ),
  run("memory-heavy, locality-aware", mix("memory"), {
    vmTypes: FAMILIES,
    settings: { policy: "locality-aware" },
  }),
  run("memory-heavy, fragmentation-aware", mix("memory"), {
    vmTypes: FAMILIES,
    settings: { policy: "fragmentation-aware" },
  }),
  run("memory-heavy, packet fabric", mix("memory"), {
    vmTypes: FAMILIES,
    fabric: { kind: "packet" },
    settings: { policy: "fragmentation-aware" },
  }),
  run("CPU-heavy, fragmentation-aware", mix("cpu"), {
    vmTypes: FAMILIES,
    settings: { policy: "fragmentation-aware" },
  }),
  run("CPU-heavy, fragmentation-aware, 2 vCPUs per core", mix("cpu"), {
    vmTypes: FAMILIES,
    vcpusPerCore: 2,
    settings: { policy: "fragmentation-aware" },
  }),
];

// ---------------------------------------------------------------------------------------------
// The table.

const pct = (x: number): string => `${(x * 100).toFixed(1)} %`;
const kwh = (j: number): string => (j / 3.6e6).toFixed(0);
const f2 = (x: number | null): string => (x === null ? "-" : x.toFixed(2));
const lines = [
  "| workload, rack policy | side | placed | stranded cores | stranded memory | powered (mean / peak / all) | energy, kWh | slowdown (mean / p95) | migrations |",
  "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
];
for (const c of cases) {
  for (const [side, s] of [
    ["clustered", c.cmp.clustered],
    ["disaggregated", c.cmp.disaggregated],
  ] as const) {
    lines.push(
      `| ${side === "clustered" ? c.label : ""} | ${side} | ${s.placed} / ${s.placed + s.refused} | ${pct(s.strandedCores)} | ${pct(s.strandedMemory)} | ${s.poweredMean.toFixed(0)} / ${s.poweredPeak} / ${s.units} | ${kwh(s.energyJoules)} | ${f2(s.slowdown.mean)} / ${f2(s.slowdown.p95)} | ${s.migrations} |`,
    );
  }
}
console.log(lines.join("\n"));
for (const c of cases) {
  const e = c.cmp.disaggregated.energy;
  console.log(
    `${c.label}: rack energy compute ${kwh(e.compute)}, memory ${kwh(e.memory)}, fabric ${kwh(e.fabric)} kWh; ${c.cmp.disaggregated.reconfigurations} circuits; rejected ${JSON.stringify(c.cmp.disaggregated.rejected)}`,
  );
}

// ---------------------------------------------------------------------------------------------
// The chart: hosts on (clustered) and bricks powered (rack) over the PlanetLab day.

const W = 720;
const H = 400;
const M = { left: 72, right: 24, top: 56, bottom: 56 };
const num = (v: number): string => (Math.round(v * 10) / 10).toFixed(1);

function poweredChart(c: Case, racks: readonly Case[]): string {
  const pw = W - M.left - M.right;
  const ph = H - M.top - M.bottom;
  const xMax = 24;
  const yMax = 1000;
  const sx = (h: number): number => M.left + (h / xMax) * pw;
  const sy = (v: number): number => M.top + ph - (Math.min(v, yMax) / yMax) * ph;
  const series = (r: DatacenterResult): { x: number[]; y: number[] } => {
    const ext = r.extensions?.disagg as
      | { series: Record<string, { time: number[]; value: number[] }> }
      | undefined;
    const s = ext?.series.bricksPowered;
    return { x: (s?.time ?? []).map((t) => t / 3600), y: s?.value ?? [] };
  };
  const lines: { name: string; color: string; x: readonly number[]; y: readonly number[] }[] = [
    {
      name: "clustered: hosts on",
      color: "#1b9e77",
      x: c.result.series.time.map((t) => t / 3600),
      y: c.result.series.activeHosts,
    },
    ...racks.map((r, k) => ({
      name: `rack: ${r.label.replace(/^PlanetLab, /, "")}`,
      color: ["#d95f02", "#7570b3", "#e7298a"][k] ?? "#666666",
      ...series(r.result),
    })),
  ];
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="#ffffff"/>`,
    `<text x="${M.left}" y="22" font-size="15" font-weight="bold">PlanetLab 2011-03-03: hosts on against bricks powered</text>`,
    `<text x="${M.left}" y="40" fill="#555555">800 hosts (1600 cores, 3.0 TiB) vs 800 compute + 100 memory bricks of the same capacity; 1052 VMs</text>`,
  ];
  for (let v = 0; v <= yMax; v += 200) {
    out.push(
      `<line x1="${M.left}" y1="${num(sy(v))}" x2="${W - M.right}" y2="${num(sy(v))}" stroke="#e5e5e5"/>`,
      `<text x="${M.left - 6}" y="${num(sy(v))}" text-anchor="end" dominant-baseline="middle" fill="#333333">${v}</text>`,
    );
  }
  for (let h = 0; h <= xMax; h += 4) {
    out.push(
      `<text x="${num(sx(h))}" y="${M.top + ph + 18}" text-anchor="middle" fill="#333333">${h}</text>`,
    );
  }
  out.push(
    `<line x1="${M.left}" y1="${M.top + ph}" x2="${W - M.right}" y2="${M.top + ph}" stroke="#333333"/>`,
    `<line x1="${M.left}" y1="${M.top}" x2="${M.left}" y2="${M.top + ph}" stroke="#333333"/>`,
    `<text x="${M.left + pw / 2}" y="${H - 14}" text-anchor="middle">hour of the day</text>`,
    `<text transform="translate(18 ${M.top + ph / 2}) rotate(-90)" text-anchor="middle">units powered</text>`,
  );
  let ly = M.top + 14;
  for (const l of lines) {
    const pts: string[] = [];
    for (let i = 0; i < l.x.length; i++)
      pts.push(`${num(sx(l.x[i] as number))},${num(sy(l.y[i] as number))}`);
    out.push(
      `<polyline fill="none" stroke="${l.color}" stroke-width="2" points="${pts.join(" ")}"/>`,
      `<line x1="${W - M.right - 330}" y1="${ly}" x2="${W - M.right - 308}" y2="${ly}" stroke="${l.color}" stroke-width="2"/>`,
      `<text x="${W - M.right - 302}" y="${ly}" dominant-baseline="middle">${l.name}</text>`,
    );
    ly += 18;
  }
  out.push("</svg>");
  return `${out.join("\n")}\n`;
}

const outDir = resolve(
  process.argv[2] ?? join(fileURLToPath(new URL(".", import.meta.url)), "../../../docs/img"),
);
mkdirSync(outDir, { recursive: true });
writeFileSync(
  join(outDir, "disagg-powered.svg"),
  poweredChart(cases[0] as Case, cases.slice(0, 3)),
);
console.error(`wrote ${join(outDir, "disagg-powered.svg")}`);
