/**
 * The comparison of `docs/cloudsim-comparison.md` ("CloudSim's delay vs real migrations"): the
 * PlanetLab day 20110303, THR-MMT-0.8, vx semantics, with CloudSim's migration delay and with
 * QEMU pre-copy sessions on a star, on a 4:1 tree, and on the tree with the VMs' own traffic;
 * the delay, star and tree again with CloudSim's quirks on; then the day ×10 with CloudSim's
 * delay and with pre-copy on the tree. Prints a Markdown table and writes the charts
 * `docs/img/datacenter-migration-times.svg` and `…-quirks.svg` (the distribution of migration
 * times). Deterministic: the same model gives the same table and byte-identical charts.
 *
 * Usage (in packages/datacenter): `npx tsx --conditions=@vx/source bench/compare.ts [out-folder]`
 * (default `../../docs/img`); `VX_PLANETLAB=<folder>` as for `bench/run.ts`. Takes a few minutes
 * (the ×10 runs).
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import {
  cloudsimPlanetLabSpec,
  type DatacenterResult,
  type DatacenterSpecInput,
  type NetworkInput,
  runDatacenter,
} from "../src/index.js";
import { nodeTraceLoader } from "../src/node.js";

const here = fileURLToPath(import.meta.url);
/** A folder of CloudSim's trace files (`VX_PLANETLAB`), else the day packaged in @vx/traces-planetlab. */
const FOLDER: string | undefined = process.env.VX_PLANETLAB;
const _DAY = FOLDER ?? "@vx/traces-planetlab 20110303";
const TRACES: { readonly folder: string } | { readonly day: string } =
  FOLDER === undefined ? { day: "20110303" } : { folder: FOLDER };

interface Case {
  readonly key: string;
  readonly label: string;
  readonly replicas: number;
  readonly model: "cloudsim" | "precopy";
  readonly network: NetworkInput;
  /** CloudSim's quirks on (its world: VMs need no RAM after creation, idle VMs vanish, …). */
  readonly quirks?: boolean;
  readonly color: string;
  readonly dash?: string;
}

const CASES: readonly Case[] = [
  {
    key: "cloudsim",
    label: "CloudSim delay",
    replicas: 1,
    model: "cloudsim",
    network: { topology: "star" },
    color: "#999999",
    dash: "6 4",
  },
  {
    key: "star",
    label: "pre-copy, star",
    replicas: 1,
    model: "precopy",
    network: { topology: "star" },
    color: "#1b9e77",
  },
  {
    key: "tree",
    label: "pre-copy, 4:1 tree",
    replicas: 1,
    model: "precopy",
    network: { topology: "tree" },
    color: "#d95f02",
  },
  {
    key: "tree-traffic",
    label: "pre-copy, 4:1 tree, VM traffic",
    replicas: 1,
    model: "precopy",
    network: { topology: "tree", vmTraffic: { kind: "trace" } },
    color: "#7570b3",
    dash: "2 3",
  },
  {
    key: "q-cloudsim",
    label: "quirks, CloudSim delay",
    replicas: 1,
    model: "cloudsim",
    network: { topology: "star" },
    quirks: true,
    color: "#999999",
    dash: "6 4",
  },
  {
    key: "q-star",
    label: "quirks, pre-copy, star",
    replicas: 1,
    model: "precopy",
    network: { topology: "star" },
    quirks: true,
    color: "#1b9e77",
  },
  {
    key: "q-tree",
    label: "quirks, pre-copy, 4:1 tree",
    replicas: 1,
    model: "precopy",
    network: { topology: "tree" },
    quirks: true,
    color: "#d95f02",
  },
  {
    key: "x10-cloudsim",
    label: "×10, CloudSim delay",
    replicas: 10,
    model: "cloudsim",
    network: { topology: "star" },
    color: "#999999",
  },
  {
    key: "x10-tree",
    label: "×10, pre-copy, 4:1 tree",
    replicas: 10,
    model: "precopy",
    network: { topology: "tree" },
    color: "#e7298a",
  },
];

function spec(c: Case): DatacenterSpecInput {
  const base = cloudsimPlanetLabSpec({
    ...TRACES,
    replicas: c.replicas,
    quirks: c.quirks === true,
  });
  return { ...base, network: c.network, migration: { model: c.model } };
}

// ---------------------------------------------------------------------------------------------
// The table.

const fixed = (v: number, digits: number): string =>
  v.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
const pct = (v: number | null | undefined, digits = 1): string =>
  v === null || v === undefined ? "—" : `${fixed(100 * v, digits)}`;
const peak = (xs: readonly number[] | undefined): number | undefined =>
  xs === undefined ? undefined : xs.reduce((a, b) => (b > a ? b : a), 0);
const ms = (s: number): string => (s === 0 ? "0" : fixed(1000 * s, 0));

function row(c: Case, r: DatacenterResult): string {
  const s = r.summary;
  const moved = s.migrationsCompleted;
  return [
    c.label,
    fixed(s.energyKWh, 2),
    `${fixed(s.migrations, 0)}${s.migrationsCancelled > 0 ? ` (${s.migrationsCancelled} cancelled)` : ""}`,
    fixed(100 * s.slatah, 3),
    fixed(100 * s.pdm, 5),
    `${fixed(s.meanMigrationSeconds, 1)} / ${fixed(s.maxMigrationSeconds, 1)}`,
    `${ms(s.meanDowntimeSeconds)} / ${ms(s.p95DowntimeSeconds)} / ${ms(s.maxDowntimeSeconds)}`,
    fixed(s.migrationBytes / 1e9, 1),
    moved > 0 ? fixed(s.migrationBytes / 1e6 / moved, 0) : "—",
    fixed(s.maxQueueSeconds, 1),
    `${pct(s.meanNicUtilisation, 2)} / ${pct(peak(r.series.nicPeakUtilisation))}`,
    `${pct(s.meanUplinkUtilisation, 2)} / ${pct(peak(r.series.uplinkPeakUtilisation))}`,
  ].join(" | ");
}

// ---------------------------------------------------------------------------------------------
// A small SVG line chart (as in netio-pageflip's bench/charts.ts).

interface Series {
  readonly name: string;
  readonly x: readonly number[];
  readonly y: readonly number[];
  readonly color: string;
  readonly dash?: string | undefined;
}

const W = 720;
const H = 400;
const M = { left: 72, right: 24, top: 56, bottom: 56 };
const num = (v: number): string => (Math.round(v * 10) / 10).toFixed(1);
const esc = (s: string): string =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

function cdfChart(title: string, subtitle: string, series: readonly Series[]): string {
  const xMax = 90;
  const pw = W - M.left - M.right;
  const ph = H - M.top - M.bottom;
  const sx = (v: number): number => M.left + (Math.min(v, xMax) / xMax) * pw;
  const sy = (v: number): number => M.top + ph - v * ph;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="#ffffff"/>`,
    `<text x="${M.left}" y="22" font-size="15" font-weight="bold">${esc(title)}</text>`,
    `<text x="${M.left}" y="40" fill="#555555">${esc(subtitle)}</text>`,
  ];
  for (const t of [0, 0.25, 0.5, 0.75, 1]) {
    const y = num(sy(t));
    out.push(
      `<line x1="${M.left}" y1="${y}" x2="${W - M.right}" y2="${y}" stroke="#e5e5e5"/>`,
      `<text x="${M.left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle" fill="#333333">${Math.round(t * 100)} %</text>`,
    );
  }
  for (let t = 0; t <= xMax; t += 10) {
    const x = num(sx(t));
    out.push(
      `<line x1="${x}" y1="${M.top + ph}" x2="${x}" y2="${M.top + ph + 4}" stroke="#333333"/>`,
      `<text x="${x}" y="${M.top + ph + 18}" text-anchor="middle" fill="#333333">${t}</text>`,
    );
  }
  out.push(
    `<line x1="${M.left}" y1="${M.top + ph}" x2="${W - M.right}" y2="${M.top + ph}" stroke="#333333"/>`,
    `<line x1="${M.left}" y1="${M.top}" x2="${M.left}" y2="${M.top + ph}" stroke="#333333"/>`,
    `<text x="${M.left + pw / 2}" y="${H - 14}" text-anchor="middle">migration time, start to end (s)</text>`,
    `<text transform="translate(18 ${M.top + ph / 2}) rotate(-90)" text-anchor="middle">migrations that took at most that</text>`,
  );
  for (const s of series) {
    const points: string[] = [];
    for (let i = 0; i < s.x.length; i++) {
      points.push(`${num(sx(s.x[i] as number))},${num(sy(s.y[i] as number))}`);
    }
    const dash = s.dash === undefined ? "" : ` stroke-dasharray="${s.dash}"`;
    out.push(
      `<polyline fill="none" stroke="${s.color}" stroke-width="2"${dash} points="${points.join(" ")}"/>`,
    );
  }
  const lx = W - M.right - 250;
  let ly = M.top + ph - 14 - 18 * (series.length - 1);
  for (const s of series) {
    const dash = s.dash === undefined ? "" : ` stroke-dasharray="${s.dash}"`;
    out.push(
      `<line x1="${lx}" y1="${ly}" x2="${lx + 22}" y2="${ly}" stroke="${s.color}" stroke-width="2"${dash}/>`,
      `<text x="${lx + 28}" y="${ly}" dominant-baseline="middle">${esc(s.name)}</text>`,
    );
    ly += 18;
  }
  out.push("</svg>");
  return `${out.join("\n")}\n`;
}

/** The empirical distribution of completed migrations' times, as a step line. */
function cdf(c: Case, r: DatacenterResult): Series {
  const times = r.migrationLog
    .filter((m) => m.outcome === "completed")
    .map((m) => m.durationSeconds)
    .sort((a, b) => a - b);
  const x: number[] = [0];
  const y: number[] = [0];
  const n = times.length;
  for (let i = 0; i < n; i++) {
    const t = times[i] as number;
    // Steps: one point per distinct time (a vertical rise), thinned to whole 0.1 s.
    if (i + 1 < n && Math.round((times[i + 1] as number) * 10) === Math.round(t * 10)) continue;
    x.push(t, t);
    y.push(y[y.length - 1] as number, (i + 1) / n);
  }
  x.push(90);
  y.push(1);
  return { name: c.label, x, y, color: c.color, dash: c.dash };
}

// ---------------------------------------------------------------------------------------------

if (FOLDER !== undefined && !existsSync(FOLDER)) {
  console.log(
    `VX_PLANETLAB=${FOLDER} does not exist; unset it to use the packaged day. Nothing run.`,
  );
  process.exit(1);
}
const outDir = resolve(process.argv[2] ?? join(here, "..", "..", "..", "..", "docs", "img"));
const loader = nodeTraceLoader();
const results = new Map<string, DatacenterResult>();
console.log(
  "| run | energy kWh | migrations | SLATAH % | PDM % | migration s mean / max | downtime ms mean / p95 / max | GB moved | MB per migration | queue s max | NIC % mean / peak | uplink % mean / peak |",
);
console.log("|---|---|---|---|---|---|---|---|---|---|---|---|");
for (const c of CASES) {
  const r = runDatacenter(spec(c), { loader });
  results.set(c.key, r);
  console.log(`| ${row(c, r)} |`);
}
mkdirSync(outDir, { recursive: true });
const chart = (name: string, title: string, subtitle: string, keys: readonly string[]): void => {
  const file = join(outDir, name);
  const series = CASES.filter((c) => keys.includes(c.key)).map((c) =>
    cdf(c, results.get(c.key) as DatacenterResult),
  );
  writeFileSync(file, cdfChart(title, subtitle, series));
  console.log(`wrote ${file}`);
};
const first = (results.get("tree") as DatacenterResult).migrationLog.filter(
  (m) => m.time === 0,
).length;
chart(
  "datacenter-migration-times.svg",
  `${first} migrations at the first round: on a 4:1 tree the racks' down-links decide`,
  "PlanetLab 20110303, THR-MMT-0.8, vx semantics: completed migrations by time taken (queue excluded)",
  ["cloudsim", "star", "tree", "tree-traffic"],
);
chart(
  "datacenter-migration-times-quirks.svg",
  "CloudSim's world (quirks on): real migrations spread around its three delays",
  "PlanetLab 20110303, THR-MMT-0.8, CloudSim's quirks: completed migrations by time taken (queue excluded)",
  ["q-cloudsim", "q-star", "q-tree"],
);
