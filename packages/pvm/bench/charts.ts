/**
 * Draws the charts of docs/numa-pvm.md from the model's output: `npx tsx bench/charts.ts` (in
 * packages/pvm) writes SVG files to docs/img/ at the repository root. Deterministic: the same
 * code gives the same files.
 *
 * - pvm-remote-guest.svg: behaviour 1, one I/O-bound guest on the node the static pVM is not on;
 * - pvm-scaling.svg: behaviour 2, throughput against the number of I/O guests;
 * - pvm-footprint.svg: behaviour 3, CPUs held over time as guests go busy, idle, busy;
 * - pvm-reaction.svg: Closer's reaction delay against the demand it serves under bursts.
 * - pvm-policy-map.svg: where each policy wins over guest load × I/O load, for three
 *   remote-latency ratios and memory-stall shares, guests spread or all on node 1.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  comparePvmPolicies,
  mapPolicies,
  type PolicyMap,
  type PolicyMapWinner,
  type PvmRunResult,
  simulatePvm,
} from "../src/index.js";

const OUT = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "docs", "img");
const COLORS = { static: "#c0392b", closer: "#2471a3", extra: "#7d8c8d" } as const;

interface Line {
  readonly name: string;
  readonly color: string;
  readonly points: readonly (readonly [number, number])[];
  readonly dashed?: boolean;
}

function niceStep(span: number, ticks: number): number {
  const raw = span / ticks;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const norm = raw / mag;
  return (norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10) * mag;
}

function fmt(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(Math.abs(x) < 1 ? 2 : 1);
}

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function svg(width: number, height: number, body: string[]): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    ...body,
    "</svg>",
    "",
  ].join("\n");
}

/** A line chart with linear axes from 0. */
function lineChart(options: {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly lines: readonly Line[];
  readonly yMax?: number;
  readonly yMin?: number;
  readonly notes?: readonly { readonly x: number; readonly y: number; readonly text: string }[];
}): string {
  const W = 680;
  const H = 380;
  const m = { left: 64, right: 20, top: 40, bottom: 52 };
  const xs = options.lines.flatMap((l) => l.points.map((p) => p[0]));
  const ys = options.lines.flatMap((l) => l.points.map((p) => p[1]));
  const xMax = Math.max(...xs);
  const yTop = options.yMax ?? Math.max(...ys) * 1.08;
  const yBottom = options.yMin ?? 0;
  const xStep = niceStep(xMax, 8);
  const yStep = niceStep(yTop - yBottom, 6);
  const px = (x: number): number => m.left + (x / xMax) * (W - m.left - m.right);
  const py = (y: number): number =>
    H - m.bottom - ((y - yBottom) / (yTop - yBottom)) * (H - m.top - m.bottom);
  const body: string[] = [
    `<text x="${W / 2}" y="22" text-anchor="middle" font-size="14" font-weight="bold">${escapeXml(options.title)}</text>`,
    `<clipPath id="plot"><rect x="${m.left}" y="${m.top}" width="${W - m.left - m.right}" height="${H - m.top - m.bottom}"/></clipPath>`,
  ];
  for (let y = yBottom; y <= yTop + 1e-9; y += yStep) {
    body.push(
      `<line x1="${m.left}" x2="${W - m.right}" y1="${py(y).toFixed(1)}" y2="${py(y).toFixed(1)}" stroke="#e5e5e5"/>`,
      `<text x="${m.left - 6}" y="${(py(y) + 4).toFixed(1)}" text-anchor="end">${fmt(y)}</text>`,
    );
  }
  for (let x = 0; x <= xMax + 1e-9; x += xStep) {
    body.push(
      `<line x1="${px(x).toFixed(1)}" x2="${px(x).toFixed(1)}" y1="${H - m.bottom}" y2="${H - m.bottom + 4}" stroke="#333"/>`,
      `<text x="${px(x).toFixed(1)}" y="${H - m.bottom + 18}" text-anchor="middle">${fmt(x)}</text>`,
    );
  }
  body.push(
    `<line x1="${m.left}" x2="${W - m.right}" y1="${H - m.bottom}" y2="${H - m.bottom}" stroke="#333"/>`,
    `<line x1="${m.left}" x2="${m.left}" y1="${m.top}" y2="${H - m.bottom}" stroke="#333"/>`,
    `<text x="${(m.left + W - m.right) / 2}" y="${H - 12}" text-anchor="middle">${escapeXml(options.xLabel)}</text>`,
    `<text transform="translate(16 ${(m.top + H - m.bottom) / 2}) rotate(-90)" text-anchor="middle">${escapeXml(options.yLabel)}</text>`,
  );
  options.lines.forEach((line, k) => {
    const d = line.points.map((p) => `${px(p[0]).toFixed(1)},${py(p[1]).toFixed(1)}`).join(" ");
    body.push(
      `<polyline points="${d}" fill="none" stroke="${line.color}" stroke-width="2.2" clip-path="url(#plot)"${line.dashed === true ? ' stroke-dasharray="6 4"' : ""}/>`,
    );
    const ly = m.top + 8 + 18 * k;
    body.push(
      `<rect x="${m.left + 8}" y="${ly - 9}" width="${8 + 7.2 * line.name.length + 40}" height="18" fill="#ffffff" fill-opacity="0.85"/>`,
      `<line x1="${m.left + 14}" x2="${m.left + 40}" y1="${ly}" y2="${ly}" stroke="${line.color}" stroke-width="2.2"${line.dashed === true ? ' stroke-dasharray="6 4"' : ""}/>`,
      `<text x="${m.left + 46}" y="${ly + 4}">${escapeXml(line.name)}</text>`,
    );
  });
  for (const note of options.notes ?? []) {
    body.push(
      `<text x="${px(note.x).toFixed(1)}" y="${py(note.y).toFixed(1)}" text-anchor="middle" fill="#555">${escapeXml(note.text)}</text>`,
    );
  }
  return svg(W, H, body);
}

/** Grouped bars: one group per metric, one bar per policy, each group on its own scale. */
function barChart(options: {
  readonly title: string;
  readonly groups: readonly {
    readonly label: string;
    readonly unit: string;
    readonly values: readonly number[];
  }[];
  readonly series: readonly { readonly name: string; readonly color: string }[];
}): string {
  const W = 680;
  const H = 340;
  const m = { left: 30, right: 20, top: 56, bottom: 50 };
  const groupW = (W - m.left - m.right) / options.groups.length;
  const barW = Math.min(70, (groupW * 0.6) / options.series.length);
  const body: string[] = [
    `<text x="${W / 2}" y="22" text-anchor="middle" font-size="14" font-weight="bold">${escapeXml(options.title)}</text>`,
  ];
  options.series.forEach((s, k) => {
    body.push(
      `<rect x="${m.left + 10 + 110 * k}" y="34" width="14" height="10" fill="${s.color}"/>`,
      `<text x="${m.left + 30 + 110 * k}" y="43">${escapeXml(s.name)}</text>`,
    );
  });
  const base = H - m.bottom;
  options.groups.forEach((g, gi) => {
    const top = Math.max(...g.values) * 1.15 || 1;
    const cx = m.left + groupW * (gi + 0.5);
    const x0 = cx - (barW * g.values.length) / 2;
    g.values.forEach((v, k) => {
      const h = (v / top) * (base - m.top - 10);
      const x = x0 + barW * k;
      body.push(
        `<rect x="${x.toFixed(1)}" y="${(base - h).toFixed(1)}" width="${(barW - 6).toFixed(1)}" height="${h.toFixed(1)}" fill="${options.series[k]!.color}"/>`,
        `<text x="${(x + (barW - 6) / 2).toFixed(1)}" y="${(base - h - 5).toFixed(1)}" text-anchor="middle">${escapeXml(`${fmt(Number(v.toPrecision(3)))}${g.unit}`)}</text>`,
      );
    });
    body.push(
      `<text x="${cx.toFixed(1)}" y="${base + 20}" text-anchor="middle">${escapeXml(g.label)}</text>`,
    );
  });
  body.push(`<line x1="${m.left}" x2="${W - m.right}" y1="${base}" y2="${base}" stroke="#333"/>`);
  return svg(W, H, body);
}

const WINNER_STYLE: Record<PolicyMapWinner, { readonly fill: string; readonly label: string }> = {
  closer: { fill: "#2471a3", label: "Closer: more I/O or guest CPU, less of neither" },
  "closer-more-io": { fill: "#a9cce3", label: "trade-off: Closer more I/O, less guest CPU" },
  tie: { fill: "#f2f3f4", label: "tie (within 1 %)" },
  "static-more-io": { fill: "#f5b7b1", label: "trade-off: static more I/O, less guest CPU" },
  static: { fill: "#c0392b", label: "static: more I/O or guest CPU, less of neither" },
};

/** Small multiples of policy maps: one panel per map, cells coloured by winner. */
function policyMapChart(options: {
  readonly title: string;
  readonly rows: readonly { readonly label: string; readonly maps: readonly PolicyMap[] }[];
  readonly columnLabels: readonly string[];
}): string {
  const cols = options.columnLabels.length;
  const cell = 22;
  const first = options.rows[0]!.maps[0]!;
  const nx = first.guestLoads.length;
  const ny = first.ioBytesPerSecond.length;
  const panelW = nx * cell;
  const panelH = ny * cell;
  const left = 200;
  const top = 64;
  const gapX = 36;
  const gapY = 60;
  const W = left + cols * panelW + (cols - 1) * gapX + 24;
  const legendY = top + options.rows.length * (panelH + gapY) + 6;
  const H = legendY + 5 * 18 + 16;
  const body: string[] = [
    `<text x="${W / 2}" y="22" text-anchor="middle" font-size="14" font-weight="bold">${escapeXml(options.title)}</text>`,
  ];
  options.columnLabels.forEach((label, c) => {
    const x0 = left + c * (panelW + gapX);
    body.push(
      `<text x="${x0 + panelW / 2}" y="${top - 14}" text-anchor="middle">${escapeXml(label)}</text>`,
    );
  });
  options.rows.forEach((row, r) => {
    const y0 = top + r * (panelH + gapY);
    body.push(
      `<text x="12" y="${y0 + panelH / 2 - 6}">${escapeXml(row.label)}</text>`,
      `<text x="12" y="${y0 + panelH / 2 + 10}" fill="#555">rows: I/O per guest (Gbit/s)</text>`,
    );
    row.maps.forEach((map, c) => {
      const x0 = left + c * (panelW + gapX);
      map.cells.forEach((cellData) => {
        const i = map.guestLoads.indexOf(cellData.guestLoad);
        const j = map.ioBytesPerSecond.indexOf(cellData.ioBytesPerSecond);
        const x = x0 + i * cell;
        const y = y0 + (ny - 1 - j) * cell;
        body.push(
          `<rect x="${x}" y="${y}" width="${cell - 1}" height="${cell - 1}" fill="${WINNER_STYLE[cellData.winner].fill}"/>`,
        );
      });
      map.ioBytesPerSecond.forEach((io, j) => {
        body.push(
          `<text x="${x0 - 4}" y="${y0 + (ny - 1 - j) * cell + cell / 2 + 4}" text-anchor="end" font-size="10">${Number(((io * 8) / 1e9).toPrecision(3))}</text>`,
        );
      });
      map.guestLoads.forEach((load, i) => {
        if (i % 3 === 0 || i === nx - 1) {
          body.push(
            `<text x="${x0 + i * cell + cell / 2}" y="${y0 + panelH + 12}" text-anchor="middle" font-size="10">${Math.round(load * 100)}</text>`,
          );
        }
      });
      body.push(
        `<text x="${x0 + panelW / 2}" y="${y0 + panelH + 26}" text-anchor="middle" font-size="11">guest CPU load (%)</text>`,
      );
    });
  });
  (Object.keys(WINNER_STYLE) as PolicyMapWinner[]).forEach((w, k) => {
    const y = legendY + 18 * k;
    body.push(
      `<rect x="${left}" y="${y}" width="14" height="12" fill="${WINNER_STYLE[w].fill}" stroke="#999" stroke-width="0.5"/>`,
      `<text x="${left + 20}" y="${y + 10}">${escapeXml(WINNER_STYLE[w].label)}</text>`,
    );
  });
  return svg(W, H, body);
}

const gbps = (r: PvmRunResult): number => (r.summary.throughputBytesPerSecond * 8) / 1e9;
const charts: Record<string, string> = {};

// 1. One I/O-bound guest on node 1; the static pVM is on node 0.
{
  const [fixed, closer] = comparePvmPolicies({
    topology: "2-socket",
    duration: "2s",
    guests: [{ name: "web", node: 1, network: { rate: "10Gbps" } }],
  }).results as [PvmRunResult, PvmRunResult];
  charts["pvm-remote-guest.svg"] = barChart({
    title: "One I/O-bound guest on node 1 of a 2-socket host (static pVM on node 0)",
    series: [
      { name: "static", color: COLORS.static },
      { name: "Closer", color: COLORS.closer },
    ],
    groups: [
      { label: "throughput (Gbit/s)", unit: "", values: [gbps(fixed), gbps(closer)] },
      {
        label: "pVM accesses remote (%)",
        unit: "%",
        values: [
          fixed.summary.remoteAccessFraction * 100,
          closer.summary.remoteAccessFraction * 100,
        ],
      },
      {
        label: "packet latency, full ring (µs)",
        unit: "",
        values: [fixed.summary.meanLatencySeconds! * 1e6, closer.summary.meanLatencySeconds! * 1e6],
      },
    ],
  });
}

// 2. Throughput against the number of 2 Gbit/s guests.
{
  const counts = [8, 16, 24, 32, 48, 64, 80, 96, 112, 128, 144, 160, 192, 224, 256];
  const points = counts.map((count) => {
    const [fixed, closer] = comparePvmPolicies({
      topology: "2-socket",
      duration: "1s",
      guests: [{ count, vcpus: 1, memory: "1GiB", network: { rate: "2Gbps" } }],
    }).results as [PvmRunResult, PvmRunResult];
    return { count, fixed: gbps(fixed), closer: gbps(closer), demand: (count * 2) as number };
  });
  charts["pvm-scaling.svg"] = lineChart({
    title: "I/O guests of 2 Gbit/s each on a 2-socket host",
    xLabel: "guests",
    yLabel: "throughput served (Gbit/s)",
    lines: [
      {
        name: "demand",
        color: COLORS.extra,
        dashed: true,
        points: points.map((p) => [p.count, p.demand]),
      },
      {
        name: "static pVM (8 vCPUs on node 0)",
        color: COLORS.static,
        points: points.map((p) => [p.count, p.fixed]),
      },
      { name: "Closer", color: COLORS.closer, points: points.map((p) => [p.count, p.closer]) },
    ],
    yMax: 320,
    notes: [{ x: 180, y: 228, text: "saturated: guests + charged I/O fill the CPUs" }],
  });
}

// 3. CPUs held over time: 8 guests busy for 2 s, idle for 3 s, busy again.
{
  const scenario = {
    topology: "2-socket",
    duration: "8s",
    sample: "50ms",
    guests: [
      {
        count: 8,
        network: { rate: "5Gbps" },
        demand: {
          kind: "steps" as const,
          steps: [
            { at: "0s", level: 1 },
            { at: "2s", level: 0 },
            { at: "5s", level: 1 },
          ],
        },
      },
    ],
  };
  const fixed = simulatePvm(scenario, "static");
  const closer = simulatePvm(scenario, "closer");
  const series = (r: PvmRunResult, key: "cpuReserved" | "cpuUsed"): [number, number][] =>
    r.series.time.map((t, i) => [t, r.series[key][i]!]);
  charts["pvm-footprint.svg"] = lineChart({
    title: "CPUs of the pVM: 8 guests busy, idle from 2 s to 5 s, busy again",
    xLabel: "time (s)",
    yLabel: "CPUs",
    lines: [
      { name: "static: held", color: COLORS.static, points: series(fixed, "cpuReserved") },
      { name: "Closer: held", color: COLORS.closer, points: series(closer, "cpuReserved") },
      { name: "busy (both)", color: COLORS.extra, dashed: true, points: series(closer, "cpuUsed") },
    ],
    yMax: 12,
  });
}

// 4. Reaction delay against the share of a bursty demand served.
{
  const delays = [0, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1];
  const served = delays.map((d) => {
    const r = simulatePvm(
      {
        topology: "2-socket",
        duration: "20s",
        seed: 3,
        guests: [
          {
            count: 32,
            node: 1,
            network: { rate: "4Gbps" },
            demand: { kind: "on-off", meanOn: "500ms", meanOff: "1s" },
          },
        ],
        pvm: { closer: { reactionDelay: d, shrinkHold: "200ms" } },
      },
      "closer",
    );
    return [d * 1000, r.summary.servedFraction * 100] as [number, number];
  });
  charts["pvm-reaction.svg"] = lineChart({
    title: "Closer's reaction delay under bursts (on 0.5 s, off 1 s on average)",
    xLabel: "reaction delay (ms)",
    yLabel: "demand served (%)",
    lines: [{ name: "Closer, 32 bursty guests of 4 Gbit/s", color: COLORS.closer, points: served }],
    yMin: 80,
    yMax: 100,
  });
}

// 5. Where each policy wins: guest load × I/O load, three NUMA settings, two guest placements.
{
  const settings = [
    { remoteLatencyRatio: 1, memoryStallFraction: 0, label: "remote = local, no stalls" },
    { remoteLatencyRatio: 1.66, memoryStallFraction: 0.5, label: "remote 1.66×, 50 % stalls" },
    { remoteLatencyRatio: 2.3, memoryStallFraction: 0.9, label: "remote 2.3×, 90 % stalls" },
  ];
  const placements = [
    { guestNode: "spread" as const, label: "16 guests, spread" },
    { guestNode: 1, label: "16 guests on node 1" },
  ];
  charts["pvm-policy-map.svg"] = policyMapChart({
    title: "Static pVM (8 vCPUs on node 0) vs Closer: what the guests get, 2-socket host",
    columnLabels: settings.map((x) => x.label),
    rows: placements.map((p) => ({
      label: p.label,
      maps: settings.map((x) =>
        mapPolicies({
          remoteLatencyRatio: x.remoteLatencyRatio,
          memoryStallFraction: x.memoryStallFraction,
          guestNode: p.guestNode,
        }),
      ),
    })),
  });
}

mkdirSync(OUT, { recursive: true });
for (const [name, text] of Object.entries(charts)) {
  writeFileSync(join(OUT, name), text);
  console.log(`wrote ${join(OUT, name)}`);
}
