/**
 * Inline SVG charts for the HTML reports: a time chart (line, step or bars) and a horizontal bar
 * chart with whiskers (sweeps). Plain strings, no DOM, no scripts; coordinates are rounded to
 * 0.1 px so the output is small and deterministic.
 */

import { escapeHtml, short } from "./format.js";

const WIDTH = 760;
const MARGIN = { left: 70, right: 20, top: 40, bottom: 50 } as const;
/** Most points drawn per series; longer series are reduced to a min/max envelope. */
const MAX_POINTS = 1200;

/** A chart of one quantity over time. */
export interface TimeChartSpec {
  /** Unique within the page (used for element ids). */
  readonly id: string;
  readonly title: string;
  /** Vertical axis title, with its unit: `power (kW)`. */
  readonly yLabel: string;
  /** Horizontal axis title, with its unit: `time (h)`. */
  readonly xLabel: string;
  /** Start of each interval, in display units. */
  readonly x: readonly number[];
  /** End of the last interval, in display units. */
  readonly xEnd: number;
  /** One value per interval, in display units. */
  readonly values: readonly number[];
  /** `step`: the value holds over its interval; `line`: straight segments; `bars`: one bar per interval. */
  readonly style: "step" | "line" | "bars";
  readonly color: string;
  /** Fixed vertical range; default 0 (or the minimum, if negative) to a round number above the maximum. */
  readonly yMin?: number;
  readonly yMax?: number;
}

/** One category of a bar chart: a mean with a min–max whisker over `n` runs. */
export interface BarDatum {
  readonly label: string;
  readonly mean: number;
  readonly min: number;
  readonly max: number;
  readonly n: number;
}

/** A horizontal bar chart, one bar per category. */
export interface BarChartSpec {
  readonly id: string;
  readonly title: string;
  /** Value axis title, with its unit. */
  readonly xLabel: string;
  readonly bars: readonly BarDatum[];
  readonly color: string;
}

const c = (v: number): string => {
  const text = v.toFixed(1);
  return text.endsWith(".0") ? text.slice(0, -2) : text;
};

/** Round steps (1, 2, 5 × 10^k) covering [lo, hi] in about `count` ticks. */
export function niceTicks(lo: number, hi: number, count = 5): { ticks: number[]; step: number } {
  if (!(hi > lo)) hi = lo + 1;
  const raw = (hi - lo) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const f = raw / power;
  const step = (f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10) * power;
  const ticks: number[] = [];
  const first = Math.ceil(lo / step - 1e-9);
  for (let i = first; i * step <= hi + step * 1e-9; i++) ticks.push(roundTo(i * step, step));
  return { ticks, step };
}

/** Rounds away binary noise (0.30000000000000004) relative to the tick step. */
function roundTo(value: number, step: number): number {
  const decimals = Math.max(0, Math.min(15, 2 - Math.floor(Math.log10(step))));
  return Number(value.toFixed(decimals));
}

/** Decimals needed to write multiples of `step` exactly (2.5 → 1, 0.25 → 2, 50 → 0). */
function decimalsOf(step: number): number {
  for (let d = 0; d < 10; d++) {
    const scaled = step * 10 ** d;
    if (Math.abs(scaled - Math.round(scaled)) < 1e-6 * Math.max(1, scaled)) return d;
  }
  return 10;
}

/** The top of an axis: the first round tick at or above `max`. */
function niceTop(lo: number, max: number): number {
  const top = max > lo ? max : lo + 1;
  const { step } = niceTicks(lo, top);
  return roundTo(Math.ceil(top / step - 1e-9) * step, step);
}

function tickLabel(value: number, step: number): string {
  const decimals = decimalsOf(step);
  if (Math.abs(value) >= 1e6 || (Math.abs(value) < 1e-3 && value !== 0)) return short(value, 3);
  const text = value.toFixed(decimals);
  return text.includes(".") ? text.replace(/\.?0+$/, "") : text;
}

function finiteRange(values: readonly number[]): { min: number; max: number } | undefined {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return min <= max ? { min, max } : undefined;
}

/**
 * Keeps at most {@link MAX_POINTS} points: each bucket of consecutive points becomes its minimum
 * and its maximum, in the order they occur, so peaks stay visible.
 */
function reduce(
  x: readonly number[],
  values: readonly number[],
): { x: number[]; values: number[]; bucket: number } {
  const n = values.length;
  if (n <= MAX_POINTS) return { x: x.slice(), values: values.slice(), bucket: 1 };
  const bucket = Math.ceil(n / (MAX_POINTS / 2));
  const rx: number[] = [];
  const rv: number[] = [];
  for (let start = 0; start < n; start += bucket) {
    const end = Math.min(n, start + bucket);
    let lo = -1;
    let hi = -1;
    for (let i = start; i < end; i++) {
      const v = values[i]!;
      if (!Number.isFinite(v)) continue;
      if (lo < 0 || v < values[lo]!) lo = i;
      if (hi < 0 || v > values[hi]!) hi = i;
    }
    if (lo < 0) {
      rx.push(x[start]!);
      rv.push(Number.NaN);
      continue;
    }
    for (const i of lo <= hi ? [lo, hi] : [hi, lo]) {
      if (rx.length > 0 && rx[rx.length - 1] === x[i] && rv[rv.length - 1] === values[i]) continue;
      rx.push(x[i]!);
      rv.push(values[i]!);
    }
  }
  return { x: rx, values: rv, bucket };
}

/** Max of each bucket of `bucket` intervals (bars of long series). */
function bucketMax(
  x: readonly number[],
  values: readonly number[],
): { x: number[]; values: number[]; bucket: number } {
  const n = values.length;
  if (n <= MAX_POINTS / 2) return { x: x.slice(), values: values.slice(), bucket: 1 };
  const bucket = Math.ceil(n / (MAX_POINTS / 2));
  const rx: number[] = [];
  const rv: number[] = [];
  for (let start = 0; start < n; start += bucket) {
    let max = Number.NaN;
    for (let i = start; i < Math.min(n, start + bucket); i++) {
      const v = values[i]!;
      if (Number.isFinite(v) && !(v <= max)) max = v;
    }
    rx.push(x[start]!);
    rv.push(max);
  }
  return { x: rx, values: rv, bucket };
}

function frame(id: string, title: string, desc: string, height: number, body: string): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" data-chart="${escapeHtml(id)}" ` +
    `viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" role="img" ` +
    `aria-labelledby="${id}-title ${id}-desc" font-family="system-ui, -apple-system, 'Segoe UI', sans-serif" font-size="12">` +
    `<title id="${id}-title">${escapeHtml(title)}</title><desc id="${id}-desc">${escapeHtml(desc)}</desc>` +
    `<rect width="${WIDTH}" height="${height}" fill="#fff"/>` +
    `<text x="${MARGIN.left}" y="22" font-size="15" font-weight="600" fill="#111">${escapeHtml(title)}</text>` +
    body +
    "</svg>"
  );
}

/**
 * Renders a time chart with axes, ticks, grid lines, axis titles (with units) and a title.
 *
 * @param spec - what to draw.
 * @returns an `<svg>` element as text.
 */
export function timeChart(spec: TimeChartSpec): string {
  const height = 280;
  const left = MARGIN.left;
  const top = MARGIN.top;
  const pw = WIDTH - MARGIN.left - MARGIN.right;
  const ph = height - MARGIN.top - MARGIN.bottom;
  const bottom = top + ph;

  const x0 = spec.x.length > 0 ? spec.x[0]! : 0;
  const x1 = spec.xEnd > x0 ? spec.xEnd : x0 + 1;
  const range = finiteRange(spec.values);
  const yLo = spec.yMin ?? Math.min(0, range?.min ?? 0);
  const yHi = spec.yMax ?? niceTop(yLo, range?.max ?? 0);
  const yTicks = niceTicks(yLo, yHi);
  const xTicks = niceTicks(x0, x1, 8);
  const sx = (v: number): number => left + ((v - x0) / (x1 - x0)) * pw;
  const sy = (v: number): number => bottom - ((v - yLo) / (yHi - yLo || 1)) * ph;

  let body = "";
  // Grid and ticks.
  body += '<g stroke="#e3e3e3" stroke-width="1">';
  for (const t of yTicks.ticks)
    if (t >= yLo && t <= yHi)
      body += `<line x1="${left}" x2="${left + pw}" y1="${c(sy(t))}" y2="${c(sy(t))}"/>`;
  body += "</g>";
  body += '<g fill="#444" text-anchor="end">';
  for (const t of yTicks.ticks) {
    if (t < yLo || t > yHi) continue;
    body += `<text x="${left - 6}" y="${c(sy(t) + 4)}">${tickLabel(t, yTicks.step)}</text>`;
  }
  body += "</g>";
  body += '<g fill="#444" text-anchor="middle">';
  for (const t of xTicks.ticks) {
    if (t < x0 || t > x1) continue;
    body += `<line x1="${c(sx(t))}" x2="${c(sx(t))}" y1="${bottom}" y2="${bottom + 5}" stroke="#444"/>`;
    body += `<text x="${c(sx(t))}" y="${bottom + 18}">${tickLabel(t, xTicks.step)}</text>`;
  }
  body += "</g>";

  // Data.
  let note = "";
  if (spec.values.length === 0) {
    body += `<text x="${c(left + pw / 2)}" y="${c(top + ph / 2)}" text-anchor="middle" fill="#888">no data</text>`;
  } else if (spec.style === "bars") {
    const reduced = bucketMax(spec.x, spec.values);
    if (reduced.bucket > 1) note = ` (max of every ${reduced.bucket} intervals)`;
    let d = "";
    const base = sy(Math.max(yLo, 0));
    for (let i = 0; i < reduced.x.length; i++) {
      const v = reduced.values[i]!;
      if (!Number.isFinite(v) || v === 0) continue;
      const a = sx(reduced.x[i]!);
      const b = sx(i + 1 < reduced.x.length ? reduced.x[i + 1]! : x1);
      const gap = b - a > 4 ? 0.5 : 0;
      d += `M${c(a + gap)} ${c(base)}V${c(sy(v))}H${c(b - gap)}V${c(base)}Z`;
    }
    body += `<path d="${d}" fill="${spec.color}" stroke="none"/>`;
  } else {
    const reduced = reduce(spec.x, spec.values);
    const step = spec.style === "step" && reduced.bucket === 1;
    let d = "";
    let pen = false;
    for (let i = 0; i < reduced.x.length; i++) {
      const v = reduced.values[i]!;
      if (!Number.isFinite(v)) {
        pen = false;
        continue;
      }
      const px = sx(reduced.x[i]!);
      const py = sy(v);
      if (!pen) d += `M${c(px)} ${c(py)}`;
      else if (step) d += `V${c(py)}`;
      else d += `L${c(px)} ${c(py)}`;
      pen = true;
      if (step) {
        const next = i + 1 < reduced.x.length ? reduced.x[i + 1]! : x1;
        d += `H${c(sx(next))}`;
      }
    }
    if (reduced.values.length === 1 && !step) {
      const v = reduced.values[0]!;
      if (Number.isFinite(v)) d += `H${c(sx(x1))}`;
    }
    body += `<path d="${d}" fill="none" stroke="${spec.color}" stroke-width="1.8" stroke-linejoin="round"/>`;
  }

  // Axes and their titles.
  body += `<path d="M${left} ${top}V${bottom}H${left + pw}" fill="none" stroke="#444" stroke-width="1"/>`;
  body += `<text x="${c(left + pw / 2)}" y="${height - 10}" text-anchor="middle" fill="#222">${escapeHtml(spec.xLabel)}</text>`;
  body += `<text transform="translate(16 ${c(top + ph / 2)}) rotate(-90)" text-anchor="middle" fill="#222">${escapeHtml(spec.yLabel)}</text>`;

  const desc =
    range === undefined
      ? "no data"
      : `${spec.values.length} intervals; min ${short(range.min)}, max ${short(range.max)} ${spec.yLabel}${note}`;
  return frame(spec.id, spec.title + note, desc, height, body);
}

/**
 * Renders a horizontal bar chart: one bar per category (its mean), a whisker from min to max when
 * several runs share the category, the value written at the bar's end.
 *
 * @param spec - what to draw.
 * @returns an `<svg>` element as text.
 */
export function barChart(spec: BarChartSpec): string {
  const rowHeight = 22;
  const labelWidth = 190;
  const left = MARGIN.left + labelWidth - 50;
  const right = 90;
  const top = MARGIN.top;
  const ph = Math.max(1, spec.bars.length) * rowHeight;
  const height = top + ph + MARGIN.bottom;
  const pw = WIDTH - left - right;
  const bottom = top + ph;

  const all = spec.bars.flatMap((b) => [b.min, b.max, b.mean]);
  const range = finiteRange(all);
  const lo = Math.min(0, range?.min ?? 0);
  const hi = niceTop(lo, range?.max ?? 0);
  const ticks = niceTicks(lo, hi);
  const sx = (v: number): number => left + ((v - lo) / (hi - lo || 1)) * pw;

  let body = '<g stroke="#e3e3e3">';
  for (const t of ticks.ticks)
    if (t >= lo && t <= hi)
      body += `<line x1="${c(sx(t))}" x2="${c(sx(t))}" y1="${top}" y2="${bottom}"/>`;
  body += '</g><g fill="#444" text-anchor="middle">';
  for (const t of ticks.ticks) {
    if (t < lo || t > hi) continue;
    body += `<text x="${c(sx(t))}" y="${bottom + 18}">${tickLabel(t, ticks.step)}</text>`;
  }
  body += "</g>";

  if (spec.bars.length === 0) {
    body += `<text x="${c(left + pw / 2)}" y="${c(top + ph / 2 + 4)}" text-anchor="middle" fill="#888">no data</text>`;
  }
  spec.bars.forEach((bar, i) => {
    const y = top + i * rowHeight;
    const mid = y + rowHeight / 2;
    const label = bar.label.length > 30 ? `${bar.label.slice(0, 29)}…` : bar.label;
    body += `<text x="${left - 8}" y="${c(mid + 4)}" text-anchor="end" fill="#222"><title>${escapeHtml(bar.label)}</title>${escapeHtml(label)}</text>`;
    if (Number.isFinite(bar.mean)) {
      const a = sx(Math.min(0, bar.mean));
      const b = sx(Math.max(0, bar.mean));
      body += `<rect x="${c(a)}" y="${c(y + 4)}" width="${c(Math.max(0.5, b - a))}" height="${rowHeight - 8}" fill="${spec.color}"/>`;
    }
    if (bar.n > 1 && Number.isFinite(bar.min) && Number.isFinite(bar.max) && bar.max > bar.min) {
      body += `<path d="M${c(sx(bar.min))} ${c(mid)}H${c(sx(bar.max))}M${c(sx(bar.min))} ${c(mid - 5)}V${c(mid + 5)}M${c(sx(bar.max))} ${c(mid - 5)}V${c(mid + 5)}" stroke="#222" stroke-width="1.2" fill="none"/>`;
    }
    const end = Math.max(
      sx(Number.isFinite(bar.max) ? bar.max : 0),
      sx(Number.isFinite(bar.mean) ? bar.mean : 0),
    );
    const text = `${short(bar.mean)}${bar.n > 1 ? ` (n=${bar.n})` : ""}`;
    body += `<text x="${c(end + 6)}" y="${c(mid + 4)}" fill="#444">${escapeHtml(text)}</text>`;
  });

  body += `<path d="M${left} ${top}V${bottom}H${left + pw}" fill="none" stroke="#444"/>`;
  body += `<text x="${c(left + pw / 2)}" y="${height - 10}" text-anchor="middle" fill="#222">${escapeHtml(spec.xLabel)}</text>`;
  const desc = `${spec.bars.length} categories; ${spec.xLabel}`;
  return frame(spec.id, spec.title, desc, height, body);
}
