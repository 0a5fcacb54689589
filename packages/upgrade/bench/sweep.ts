/**
 * The sweep of `docs/upgrade.md`: campaign makespan as the link bandwidth and the spare capacity
 * shrink, for evacuation and for the in-place strategies. Prints a Markdown table and writes
 * `docs/img/upgrade-sweep-bandwidth.svg` and `docs/img/upgrade-sweep-spares.svg`. Deterministic:
 * the same model gives the same table and byte-identical charts.
 *
 * The cluster: 20 hosts of 10 VMs of 16 GiB at 20 % CPU (each host exactly full), 4 hosts upgraded
 * at once, on a star of host NICs (`compareUpgradeStrategies`). Bandwidth sweep: 1 to 40 Gbit/s
 * with 4 spare hosts; spare sweep: 1 to 8 spare hosts at 10 Gbit/s.
 *
 * Usage (in packages/upgrade): `npx tsx --conditions=@vx/source bench/sweep.ts [out-folder]`
 * (default `../../docs/img`).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { compareUpgradeStrategies, type StrategyName } from "../src/index.js";

const here = fileURLToPath(import.meta.url);
const outDir = resolve(process.argv[2] ?? join(here, "..", "..", "..", "..", "docs", "img"));

const STRATEGIES: readonly StrategyName[] = ["evacuate", "hyfix", "multifix", "cpr-reboot"];
const COLORS: Readonly<Record<string, string>> = {
  evacuate: "#d62728",
  hyfix: "#1f77b4",
  multifix: "#2ca02c",
  "cpr-reboot": "#9467bd",
};
const BASE = { hosts: 20, vmsPerHost: 10, ram: "16GiB", concurrency: 4 } as const;
const LINKS = [1, 2.5, 5, 10, 25, 40];
const SPARES = [1, 2, 4, 8];

interface Series {
  readonly name: string;
  readonly x: number[];
  readonly y: number[];
}

function sweep(points: readonly number[], options: (p: number) => object): Series[] {
  const series = STRATEGIES.map((name) => ({ name, x: [] as number[], y: [] as number[] }));
  for (const p of points) {
    const cmp = compareUpgradeStrategies({ ...BASE, ...options(p), strategies: STRATEGIES });
    cmp.results.forEach((r, i) => {
      if (r.outcome !== "completed" || r.makespanSeconds === null) {
        throw new Error(`${r.strategy} at ${p}: ${r.outcome}`);
      }
      const s = series[i] as Series;
      s.x.push(p);
      s.y.push(r.makespanSeconds);
    });
  }
  return series;
}

const W = 720;
const H = 400;
const M = { left: 72, right: 170, top: 56, bottom: 56 };
const num = (v: number): string => (Math.round(v * 10) / 10).toFixed(1);
const esc = (s: string): string =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** A line chart with a log-scaled y axis (seconds) and log- or linear-scaled x. */
function chart(
  title: string,
  subtitle: string,
  xLabel: string,
  series: readonly Series[],
  xs: readonly number[],
  logX: boolean,
): string {
  const pw = W - M.left - M.right;
  const ph = H - M.top - M.bottom;
  const xMin = xs[0] as number;
  const xMax = xs[xs.length - 1] as number;
  const fx = (v: number): number => (logX ? Math.log10(v) : v);
  const sx = (v: number): number => M.left + ((fx(v) - fx(xMin)) / (fx(xMax) - fx(xMin))) * pw;
  const yLo = 1;
  const yHi = 1e5;
  const sy = (v: number): number =>
    M.top + ph - ((Math.log10(Math.max(v, yLo)) - 0) / (Math.log10(yHi) - 0)) * ph;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="#ffffff"/>`,
    `<text x="${M.left}" y="22" font-size="15" font-weight="bold">${esc(title)}</text>`,
    `<text x="${M.left}" y="40" fill="#555555">${esc(subtitle)}</text>`,
  ];
  const yTicks: readonly [number, string][] = [
    [1, "1 s"],
    [10, "10 s"],
    [60, "1 min"],
    [600, "10 min"],
    [3600, "1 h"],
    [36_000, "10 h"],
  ];
  for (const [t, label] of yTicks) {
    const y = num(sy(t));
    out.push(
      `<line x1="${M.left}" y1="${y}" x2="${M.left + pw}" y2="${y}" stroke="#e5e5e5"/>`,
      `<text x="${M.left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle" fill="#333333">${label}</text>`,
    );
  }
  for (const t of xs) {
    const x = num(sx(t));
    out.push(
      `<line x1="${x}" y1="${M.top + ph}" x2="${x}" y2="${M.top + ph + 4}" stroke="#333333"/>`,
      `<text x="${x}" y="${M.top + ph + 18}" text-anchor="middle" fill="#333333">${t}</text>`,
    );
  }
  out.push(
    `<line x1="${M.left}" y1="${M.top + ph}" x2="${M.left + pw}" y2="${M.top + ph}" stroke="#333333"/>`,
    `<line x1="${M.left}" y1="${M.top}" x2="${M.left}" y2="${M.top + ph}" stroke="#333333"/>`,
    `<text x="${M.left + pw / 2}" y="${H - 14}" text-anchor="middle">${esc(xLabel)}</text>`,
    `<text transform="translate(18 ${M.top + ph / 2}) rotate(-90)" text-anchor="middle">campaign makespan (log scale)</text>`,
  );
  let ly = M.top + 10;
  for (const s of series) {
    const color = COLORS[s.name] ?? "#333333";
    const points = s.x.map((x, i) => `${num(sx(x))},${num(sy(s.y[i] as number))}`);
    out.push(
      `<polyline fill="none" stroke="${color}" stroke-width="2" points="${points.join(" ")}"/>`,
    );
    for (const p of points) {
      const [cx, cy] = p.split(",");
      out.push(`<circle cx="${cx}" cy="${cy}" r="3" fill="${color}"/>`);
    }
    const lx = M.left + pw + 16;
    out.push(
      `<line x1="${lx}" y1="${ly}" x2="${lx + 22}" y2="${ly}" stroke="${color}" stroke-width="2"/>`,
      `<text x="${lx + 28}" y="${ly}" dominant-baseline="middle">${esc(s.name)}</text>`,
    );
    ly += 18;
  }
  out.push("</svg>");
  return `${out.join("\n")}\n`;
}

function table(head: string, xs: readonly number[], series: readonly Series[]): void {
  console.log(`| ${head} | ${series.map((s) => s.name).join(" | ")} |`);
  console.log(`|---|${series.map(() => "---").join("|")}|`);
  xs.forEach((x, i) => {
    console.log(
      `| ${x} | ${series.map((s) => `${(s.y[i] as number).toFixed(1)} s`).join(" | ")} |`,
    );
  });
  console.log("");
}

const byLink = sweep(LINKS, (gbps) => ({ link: `${gbps}Gbps`, spareHosts: 4 }));
const bySpare = sweep(SPARES, (spareHosts) => ({ link: "10Gbps", spareHosts }));
table("link (Gbit/s), 4 spares", LINKS, byLink);
table("spare hosts, 10 Gbit/s", SPARES, bySpare);
mkdirSync(outDir, { recursive: true });
const subtitle = "20 hosts × 10 VMs of 16 GiB at 20 % CPU, 4 hosts at a time, QEMU pre-copy";
writeFileSync(
  join(outDir, "upgrade-sweep-bandwidth.svg"),
  chart(
    "Evacuation slows as the links shrink; in place does not",
    `${subtitle}, 4 spare hosts`,
    "host link (Gbit/s, log scale)",
    byLink,
    LINKS,
    true,
  ),
);
writeFileSync(
  join(outDir, "upgrade-sweep-spares.svg"),
  chart(
    "Evacuation slows as spare room shrinks; in place needs none",
    `${subtitle}, 10 Gbit/s links`,
    "spare hosts",
    bySpare,
    SPARES,
    false,
  ),
);
console.log(`wrote ${join(outDir, "upgrade-sweep-bandwidth.svg")} and upgrade-sweep-spares.svg`);
