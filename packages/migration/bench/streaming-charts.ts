/**
 * Draws the charts of docs/migration/streaming.md from the model's output:
 * `npx tsx bench/streaming-charts.ts` (in packages/migration) writes SVG files to docs/img/ at the
 * repository root and prints the figures the page quotes. Deterministic: the same code gives the
 * same files.
 *
 * - stream-training.svg: the share of used blocks fetched on demand (vTube, VMTorrent) against
 *   the number of training sessions mined (the default 8 GiB appliance over LTE, 8 test sessions);
 * - stream-bandwidth.svg: start-up delay and stall time against the link's rate (log scales);
 * - stream-timeline.svg: one session's progress (VM seconds run) against wall-clock time, per
 *   streaming strategy (full download starts far to the right): flat stretches are waits.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  type AccessModel,
  type AccessTrace,
  createAppliance,
  mineAccessModel,
  STREAM_STRATEGY_NAMES,
  type StreamResult,
  type StreamStrategyName,
  streamSession,
} from "../src/index.js";

const OUT = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "docs", "img");
const COLOR: Record<StreamStrategyName, string> = {
  "full-download": "#7d8c8d",
  demand: "#c0392b",
  vmtorrent: "#d68910",
  vtube: "#2471a3",
};

interface Series {
  readonly name: string;
  readonly color: string;
  readonly points: readonly (readonly [number, number])[];
  readonly dashed?: boolean;
}

interface Axis {
  readonly label: string;
  readonly log: boolean;
  readonly min: number;
  readonly max: number;
  readonly ticks: readonly number[];
  readonly format: (v: number) => string;
}

const esc = (t: string): string =>
  t.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** A line chart (linear or log axes) with a legend; points drawn as dots on the lines. */
function chart(title: string, x: Axis, y: Axis, lines: readonly Series[], step = false): string {
  const W = 820;
  const H = 400;
  const m = { left: 70, right: 190, top: 44, bottom: 56 };
  const scale = (a: Axis, v: number, lo: number, hi: number): number => {
    const t = a.log
      ? (Math.log10(v) - Math.log10(a.min)) / (Math.log10(a.max) - Math.log10(a.min))
      : (v - a.min) / (a.max - a.min);
    return lo + t * (hi - lo);
  };
  const px = (v: number): number => scale(x, v, m.left, W - m.right);
  const py = (v: number): number => scale(y, v, H - m.bottom, m.top);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="#ffffff"/>`,
    `<text x="${W / 2}" y="24" text-anchor="middle" font-size="14" font-weight="bold">${esc(title)}</text>`,
  ];
  for (const t of y.ticks) {
    out.push(
      `<line x1="${m.left}" x2="${W - m.right}" y1="${py(t).toFixed(1)}" y2="${py(t).toFixed(1)}" stroke="#e5e5e5"/>`,
      `<text x="${m.left - 6}" y="${(py(t) + 4).toFixed(1)}" text-anchor="end">${esc(y.format(t))}</text>`,
    );
  }
  for (const t of x.ticks) {
    out.push(
      `<line x1="${px(t).toFixed(1)}" x2="${px(t).toFixed(1)}" y1="${H - m.bottom}" y2="${H - m.bottom + 4}" stroke="#333"/>`,
      `<text x="${px(t).toFixed(1)}" y="${H - m.bottom + 18}" text-anchor="middle">${esc(x.format(t))}</text>`,
    );
  }
  out.push(
    `<line x1="${m.left}" x2="${W - m.right}" y1="${H - m.bottom}" y2="${H - m.bottom}" stroke="#333"/>`,
    `<line x1="${m.left}" x2="${m.left}" y1="${m.top}" y2="${H - m.bottom}" stroke="#333"/>`,
    `<text x="${(m.left + W - m.right) / 2}" y="${H - 14}" text-anchor="middle">${esc(x.label)}</text>`,
    `<text transform="translate(18 ${(m.top + H - m.bottom) / 2}) rotate(-90)" text-anchor="middle">${esc(y.label)}</text>`,
  );
  lines.forEach((line, k) => {
    const pts = line.points.map(([a, b]) => `${px(a).toFixed(1)},${py(b).toFixed(1)}`);
    const dash = line.dashed === true ? ' stroke-dasharray="6 4"' : "";
    out.push(
      `<polyline points="${pts.join(" ")}" fill="none" stroke="${line.color}" stroke-width="2.2"${dash}/>`,
    );
    if (!step) {
      for (const [a, b] of line.points) {
        out.push(
          `<circle cx="${px(a).toFixed(1)}" cy="${py(b).toFixed(1)}" r="3" fill="${line.color}"/>`,
        );
      }
    }
    // The legend sits right of the plot.
    const lx = W - m.right + 14;
    const ly = m.top + 10 + 20 * k;
    out.push(
      `<line x1="${lx}" x2="${lx + 26}" y1="${ly}" y2="${ly}" stroke="${line.color}" stroke-width="2.2"${dash}/>`,
      `<text x="${lx + 32}" y="${ly + 4}">${esc(line.name)}</text>`,
    );
  });
  out.push("</svg>", "");
  return out.join("\n");
}

const pct = (v: number): string => `${Math.round(v * 100)}%`;
const num = (v: number): string => (v >= 1000 ? `${v / 1000}k` : String(v));

function mean(rs: readonly StreamResult[], f: (r: StreamResult) => number): number {
  return rs.reduce((s, r) => s + f(r), 0) / rs.length;
}

function runAll(
  model: AccessModel,
  tests: readonly AccessTrace[],
  strategy: StreamStrategyName,
  link: string | { bandwidth: string; rtt: string },
): StreamResult[] {
  return tests.map((t) => streamSession(model, t, { strategy, link }));
}

mkdirSync(OUT, { recursive: true });
const appliance = createAppliance();
const tests = appliance.sessions(1000, 8);

// 1. The miss rate against the number of training sessions.
const counts = [1, 2, 4, 8, 16, 32, 64];
const training: Record<string, [number, number][]> = { vtube: [], vmtorrent: [] };
console.log("training sessions → share of used blocks fetched on demand (mean of 8 sessions, LTE)");
for (const n of counts) {
  const model = mineAccessModel(appliance.sessions(0, n));
  const row: string[] = [];
  for (const s of ["vtube", "vmtorrent"] as const) {
    const rs = runAll(model, tests, s, "lte");
    const miss = mean(rs, (r) => r.missRate);
    training[s]!.push([n, miss]);
    row.push(
      `${s} ${pct(miss)} (${mean(rs, (r) => r.stalls).toFixed(0)} stalls, ${mean(rs, (r) => r.stallSeconds).toFixed(0)} s)`,
    );
  }
  console.log(`  ${String(n).padStart(2)}: ${row.join(", ")}`);
}
writeFileSync(
  join(OUT, "stream-training.svg"),
  chart(
    "Misses fall as more sessions are mined (8 GiB appliance, 4G LTE)",
    { label: "training sessions mined", log: true, min: 1, max: 64, ticks: counts, format: num },
    {
      label: "used blocks fetched on demand",
      log: false,
      min: 0,
      max: 1,
      ticks: [0, 0.2, 0.4, 0.6, 0.8, 1],
      format: pct,
    },
    [
      { name: "vtube", color: COLOR.vtube, points: training.vtube! },
      { name: "vmtorrent", color: COLOR.vmtorrent, points: training.vmtorrent! },
    ],
  ),
);

// 2. Start-up delay and stall time against the link's rate.
const model = mineAccessModel(appliance.sessions(0, 20));
const rates = [2, 5, 10, 20, 50, 100];
const startup: Series[] = [];
const stalled: Series[] = [];
console.log("\nlink rate (70 ms) → start-up delay / stall time, seconds (mean of 8 sessions)");
for (const s of STREAM_STRATEGY_NAMES) {
  const a: [number, number][] = [];
  const b: [number, number][] = [];
  for (const r of rates) {
    const rs = runAll(model, tests, s, { bandwidth: `${r}Mbps`, rtt: "70ms" });
    a.push([
      r,
      Math.max(
        1,
        mean(rs, (x) => x.startupDelaySeconds),
      ),
    ]);
    b.push([
      r,
      Math.max(
        1,
        mean(rs, (x) => x.stallSeconds),
      ),
    ]);
  }
  console.log(
    `  ${s.padEnd(13)} ${a.map(([r, v], i) => `${r}M: ${v.toFixed(0)}/${b[i]![1].toFixed(0)}`).join("  ")}`,
  );
  if (s !== "demand" && s !== "vmtorrent")
    startup.push({ name: `${s} start-up`, color: COLOR[s], points: a });
  if (s !== "full-download") {
    stalled.push({ name: `${s} stall time`, color: COLOR[s], points: b, dashed: true });
  }
}
const secondsAxis: Axis = {
  label: "seconds (log scale; below 1 s drawn at 1 s)",
  log: true,
  min: 1,
  max: 100_000,
  ticks: [1, 10, 100, 1000, 10_000, 100_000],
  format: num,
};
writeFileSync(
  join(OUT, "stream-bandwidth.svg"),
  chart(
    "Start-up delay and stall time against the link's rate (8 GiB appliance)",
    {
      label: "link rate, Mbit/s (log scale)",
      log: true,
      min: 2,
      max: 100,
      ticks: rates,
      format: num,
    },
    secondsAxis,
    [...startup, ...stalled],
  ),
);

// 3. One session over LTE: VM progress against wall-clock time.
const one = tests[1]!;
const lines: Series[] = [];
console.log(`\none session over LTE (${one.durationSeconds.toFixed(0)} VM seconds)`);
let end = 0;
let fullStart = 0;
for (const s of STREAM_STRATEGY_NAMES) {
  const r = streamSession(model, one, { strategy: s, link: "lte" });
  const pts: [number, number][] = r.series.timeSeconds.map((t, i) => [
    t / 60,
    r.series.vmSeconds[i]! / 60,
  ]);
  if (s === "full-download") fullStart = r.startupDelaySeconds / 60;
  else {
    end = Math.max(end, r.sessionSeconds / 60);
    lines.push({ name: s, color: COLOR[s], points: pts });
  }
  console.log(
    `  ${s.padEnd(13)} start ${r.startupDelaySeconds.toFixed(0)} s, ${r.stalls} stalls (${r.stallSeconds.toFixed(0)} s), ` +
      `ends at ${r.sessionSeconds.toFixed(0)} s; ${(r.bytesTransferred / 2 ** 20).toFixed(0)} MiB moved, ${(r.bytesWasted / 2 ** 20).toFixed(0)} MiB wasted`,
  );
}
const xmax = Math.ceil(end / 5) * 5;
writeFileSync(
  join(OUT, "stream-timeline.svg"),
  chart(
    `One session over 4G LTE: progress against time (full download starts at ${fullStart.toFixed(0)} min)`,
    {
      label: "wall-clock minutes since the request",
      log: false,
      min: 0,
      max: xmax,
      ticks: Array.from({ length: xmax / 5 + 1 }, (_, i) => i * 5),
      format: String,
    },
    {
      label: "VM minutes run",
      log: false,
      min: 0,
      max: Math.ceil(one.durationSeconds / 60),
      ticks: Array.from(
        { length: Math.ceil(one.durationSeconds / 300) + 1 },
        (_, i) => i * 5,
      ).filter((v) => v <= Math.ceil(one.durationSeconds / 60)),
      format: String,
    },
    lines,
    true,
  ),
);
console.log(`\nwrote ${OUT}/stream-{training,bandwidth,timeline}.svg`);
