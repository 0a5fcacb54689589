/**
 * Generates the charts of `docs/pageflip.md` from the model's output, as standalone SVG files in
 * `docs/img/pageflip-*.svg`. Deterministic: the same model gives byte-identical files.
 *
 * Usage (inside the package): `npx tsx --conditions=@vx/source bench/charts.ts [out-folder]`
 * (default `../../docs/img`).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { PageflipOptionsInput, PageflipResult } from "../src/index.js";
import { comparePaths, DELIVERY_PATHS, simulatePageflip } from "../src/index.js";

// ---------------------------------------------------------------------------------------------
// A small SVG line-chart writer.

interface Series {
  readonly name: string;
  readonly x: readonly number[];
  readonly y: readonly number[];
  readonly color: string;
  readonly dash?: string;
}

interface Chart {
  readonly title: string;
  readonly subtitle: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly series: readonly Series[];
  readonly xMax: number;
  readonly yMax: number;
  readonly xTicks: readonly number[];
  readonly yTicks: readonly number[];
  readonly xFormat?: (v: number) => string;
  readonly yFormat?: (v: number) => string;
  /** Where the legend goes. */
  readonly legend?: "top-left" | "bottom-right" | "top-right";
}

const COLORS: Record<string, string> = {
  "grant-copy": "#1b9e77",
  flip: "#d95f02",
  "informed-flip": "#7570b3",
  "numa-aware-flip": "#e7298a",
};

const W = 720;
const H = 400;
const M = { left: 72, right: 24, top: 56, bottom: 56 };

const num = (v: number): string => (Math.round(v * 10) / 10).toFixed(1);
const esc = (s: string): string =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

function lineChart(c: Chart): string {
  const pw = W - M.left - M.right;
  const ph = H - M.top - M.bottom;
  const sx = (v: number): number => M.left + (Math.min(v, c.xMax) / c.xMax) * pw;
  const sy = (v: number): number => M.top + ph - (Math.min(v, c.yMax) / c.yMax) * ph;
  const fx = c.xFormat ?? String;
  const fy = c.yFormat ?? String;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="#ffffff"/>`,
    `<text x="${M.left}" y="22" font-size="15" font-weight="bold">${esc(c.title)}</text>`,
    `<text x="${M.left}" y="40" fill="#555555">${esc(c.subtitle)}</text>`,
  );
  for (const t of c.yTicks) {
    const y = num(sy(t));
    out.push(
      `<line x1="${M.left}" y1="${y}" x2="${W - M.right}" y2="${y}" stroke="#e5e5e5"/>`,
      `<text x="${M.left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle" fill="#333333">${esc(fy(t))}</text>`,
    );
  }
  for (const t of c.xTicks) {
    const x = num(sx(t));
    out.push(
      `<line x1="${x}" y1="${M.top + ph}" x2="${x}" y2="${M.top + ph + 4}" stroke="#333333"/>`,
      `<text x="${x}" y="${M.top + ph + 18}" text-anchor="middle" fill="#333333">${esc(fx(t))}</text>`,
    );
  }
  out.push(
    `<line x1="${M.left}" y1="${M.top + ph}" x2="${W - M.right}" y2="${M.top + ph}" stroke="#333333"/>`,
    `<line x1="${M.left}" y1="${M.top}" x2="${M.left}" y2="${M.top + ph}" stroke="#333333"/>`,
    `<text x="${M.left + pw / 2}" y="${H - 14}" text-anchor="middle">${esc(c.xLabel)}</text>`,
    `<text transform="translate(18 ${M.top + ph / 2}) rotate(-90)" text-anchor="middle">${esc(c.yLabel)}</text>`,
  );
  for (const s of c.series) {
    const points: string[] = [];
    for (let i = 0; i < s.x.length; i++) points.push(`${num(sx(s.x[i]!))},${num(sy(s.y[i]!))}`);
    const dash = s.dash === undefined ? "" : ` stroke-dasharray="${s.dash}"`;
    out.push(
      `<polyline fill="none" stroke="${s.color}" stroke-width="2"${dash} points="${points.join(" ")}"/>`,
    );
  }
  const legend = c.legend ?? "top-left";
  const lx = legend === "top-left" ? M.left + 12 : W - M.right - 250;
  let ly = legend === "bottom-right" ? M.top + ph - 14 - 18 * (c.series.length - 1) : M.top + 14;
  for (const s of c.series) {
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

const range = (from: number, to: number, step: number): number[] => {
  const xs: number[] = [];
  for (let v = from; v <= to + 1e-9; v += step) xs.push(Math.round(v * 1e6) / 1e6);
  return xs;
};

// ---------------------------------------------------------------------------------------------
// The runs.

const outDir = resolve(
  process.argv[2] ?? join(fileURLToPath(new URL(".", import.meta.url)), "../../../docs/img"),
);
mkdirSync(outDir, { recursive: true });
const write = (name: string, svg: string): void => {
  writeFileSync(join(outDir, name), svg);
  console.log(`wrote ${join(outDir, name)}`);
};

// 1. Drift: 1 Gbit/s for 60 s, every default otherwise (4 GiB guest, half in use, 64 MiB/s churn).
const drift = comparePaths({ offeredRate: "1Gbps", duration: "60s", sampleInterval: "500ms" });
write(
  "pageflip-drift.svg",
  lineChart({
    title: "Vanilla flipping drifts the guest's memory to the pVM's node",
    subtitle:
      "1 Gbit/s of 1500-byte packets, 60 s; guest 4 GiB on node 0 (half in use, 64 MiB/s churn), pVM 4 GiB on node 1",
    xLabel: "packets received (millions)",
    yLabel: "guest memory on a remote node",
    series: drift.results.map((r) => ({
      name: r.path,
      x: r.samples.packets.map((p) => p / 1e6),
      y: r.samples.remoteFraction,
      color: COLORS[r.path]!,
    })),
    xMax: 5,
    yMax: 1,
    xTicks: range(0, 5, 1),
    yTicks: range(0, 1, 0.25),
    yFormat: (v) => `${Math.round(v * 100)} %`,
    legend: "bottom-right",
  }),
);

// 2. The mitigations at 10 Gbit/s for 60 s (50 million flips each), and informed flipping with a
//    guest too slow to keep up, whose ring stays full.
const fast = comparePaths({ offeredRate: "10Gbps", duration: "60s" });
const slowGuest = simulatePageflip({
  path: "informed-flip",
  offeredRate: "10Gbps",
  duration: "60s",
  guest: { cores: 1.4 },
});
const byPath = (path: string): PageflipResult => fast.results.find((r) => r.path === path)!;
const kib = (r: PageflipResult): number[] => r.samples.remoteBytes.map((b) => b / 1024);
const mpk = (r: PageflipResult): number[] => r.samples.packets.map((p) => p / 1e6);
write(
  "pageflip-bounded.svg",
  lineChart({
    title: "Informed flipping stays within ring size × page size; NUMA-aware flipping near zero",
    subtitle: "10 Gbit/s of 1500-byte packets, 60 s, 256-slot ring of 4 KiB pages (bound: 1 MiB)",
    xLabel: "packets received (millions)",
    yLabel: "guest memory on a remote node (KiB)",
    series: [
      {
        name: "ring × page = 1,024 KiB",
        x: [0, 50],
        y: [1024, 1024],
        color: "#999999",
        dash: "6 4",
      },
      {
        name: "informed-flip, guest CPU-bound (1.4 cores)",
        x: mpk(slowGuest),
        y: kib(slowGuest),
        color: COLORS["informed-flip"]!,
        dash: "2 3",
      },
      ...["informed-flip", "numa-aware-flip", "grant-copy"].map((p) => ({
        name: p,
        x: mpk(byPath(p)),
        y: kib(byPath(p)),
        color: COLORS[p]!,
      })),
    ],
    xMax: 50,
    yMax: 1280,
    xTicks: range(0, 50, 10),
    yTicks: range(0, 1280, 256),
    legend: "top-right",
  }),
);

write(
  "pageflip-slowdown.svg",
  lineChart({
    title: "Slowdown of a memory-bound workload in the guest",
    subtitle:
      "10 Gbit/s, 60 s; remote latency 1.66× local (SLIT 21, @vx/numa); the workload's pages turn over at 64 MiB/s",
    xLabel: "time (s)",
    yLabel: "run time / all-local run time",
    series: fast.results.map((r) => ({
      name: r.path,
      x: r.samples.time,
      y: r.samples.slowdown.map((s) => s - 1),
      color: COLORS[r.path]!,
    })),
    xMax: 60,
    yMax: 0.4,
    xTicks: range(0, 60, 10),
    yTicks: range(0, 0.4, 0.1),
    yFormat: (v) => (1 + v).toFixed(1),
    legend: "top-left",
  }),
);

// 3. Throughput against offered load with a small pVM CPU budget (one core at 2.5 GHz).
const offered = range(1, 16, 1);
const small: PageflipOptionsInput = {
  duration: "1s",
  guest: { memory: "256MiB", cores: 4 },
  pvm: { memory: "256MiB" },
};
const sweep = (path: (typeof DELIVERY_PATHS)[number], cores: number): number[] =>
  offered.map(
    (g) =>
      simulatePageflip({
        ...small,
        path,
        offeredRate: `${g}Gbps`,
        pvm: { memory: "256MiB", cores },
      }).summary.bitsPerSecond / 1e9,
  );
write(
  "pageflip-throughput.svg",
  lineChart({
    title: "Grant copy loses at high packet rates with a small pVM CPU budget",
    subtitle: "1500-byte packets; the pVM's netback has one 2.5 GHz core (dashed: two cores)",
    xLabel: "offered load (Gbit/s)",
    yLabel: "received by the guest (Gbit/s)",
    series: [
      ...DELIVERY_PATHS.map((p) => ({ name: p, x: offered, y: sweep(p, 1), color: COLORS[p]! })),
      {
        name: "grant-copy, 2 cores",
        x: offered,
        y: sweep("grant-copy", 2),
        color: COLORS["grant-copy"]!,
        dash: "6 4",
      },
    ],
    xMax: 16,
    yMax: 16,
    xTicks: range(0, 16, 2),
    yTicks: range(0, 16, 4),
    legend: "top-left",
  }),
);

// 4. pVM CPU per packet against packet size: per byte for a copy, per page for a flip.
const sizes = [64, 256, 512, 1024, 1500, 2048, 3072, 4096];
const cpu = (path: (typeof DELIVERY_PATHS)[number]): number[] =>
  sizes.map(
    (size) =>
      simulatePageflip({
        ...small,
        path,
        packetSize: size,
        offeredRate: 300_000 * size, // the same packet rate, so the same batches, for every size
        pvm: { memory: "256MiB", cores: 4 },
      }).summary.pvmCyclesPerPacket,
  );
write(
  "pageflip-cpu.svg",
  lineChart({
    title: "pVM cycles per packet: a copy costs per byte, a flip per page",
    subtitle: "300,000 packets/s: per-batch costs shared by the 30 packets of a 100 µs batch",
    xLabel: "packet size (bytes)",
    yLabel: "pVM cycles per packet",
    series: (["grant-copy", "flip"] as const).map((p) => ({
      name: p,
      x: sizes,
      y: cpu(p),
      color: COLORS[p]!,
    })),
    xMax: 4096,
    yMax: 9000,
    xTicks: [0, 1024, 2048, 3072, 4096],
    yTicks: range(0, 9000, 1500),
    legend: "top-left",
  }),
);
