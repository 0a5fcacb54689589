/**
 * Small SVG charts (lines over x, bars by label), drawn with the DOM: no chart library, so the
 * first load stays small.
 */

const SVG = "http://www.w3.org/2000/svg";
const COLORS = [
  "#1f77b4",
  "#d62728",
  "#2ca02c",
  "#ff7f0e",
  "#9467bd",
  "#8c564b",
  "#e377c2",
  "#17becf",
];
const W = 560;
const H = 260;
const M = { left: 64, right: 12, top: 28, bottom: 40 };

function el<K extends keyof SVGElementTagNameMap>(
  name: K,
  attrs: Record<string, string | number>,
  text?: string,
): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Round tick values between lo and hi (about five). */
function ticks(lo: number, hi: number): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / 5;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(v);
  return out;
}

function short(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e9) return `${+(v / 1e9).toPrecision(3)}G`;
  if (a >= 1e6) return `${+(v / 1e6).toPrecision(3)}M`;
  if (a >= 1e3) return `${+(v / 1e3).toPrecision(3)}k`;
  return `${+v.toPrecision(3)}`;
}

function frame(id: string, title: string, xLabel: string, yLabel: string): SVGSVGElement {
  const svg = el("svg", {
    viewBox: `0 0 ${W} ${H}`,
    class: "chart",
    "data-chart": id,
    role: "img",
  });
  svg.append(el("text", { x: W / 2, y: 16, "text-anchor": "middle", class: "title" }, title));
  svg.append(el("text", { x: W / 2, y: H - 4, "text-anchor": "middle", class: "axis" }, xLabel));
  svg.append(
    el(
      "text",
      {
        x: 12,
        y: H / 2,
        "text-anchor": "middle",
        class: "axis",
        transform: `rotate(-90 12 ${H / 2})`,
      },
      yLabel,
    ),
  );
  return svg;
}

/** One line of a {@link lineChart}. */
export interface Line {
  readonly name: string;
  readonly x: readonly number[];
  readonly y: readonly (number | null)[];
}

/**
 * A line chart.
 *
 * @param options - id (for tests), title, axis labels, lines.
 * @returns the SVG element.
 */
export function lineChart(options: {
  readonly id: string;
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly lines: readonly Line[];
  readonly step?: boolean;
}): SVGSVGElement {
  const svg = frame(options.id, options.title, options.xLabel, options.yLabel);
  let x0 = Number.POSITIVE_INFINITY;
  let x1 = Number.NEGATIVE_INFINITY;
  let y1 = 0;
  let y0 = 0;
  for (const l of options.lines) {
    for (const v of l.x) {
      if (v < x0) x0 = v;
      if (v > x1) x1 = v;
    }
    for (const v of l.y) {
      if (v !== null && v > y1) y1 = v;
      if (v !== null && v < y0) y0 = v;
    }
  }
  if (!Number.isFinite(x0)) {
    x0 = 0;
    x1 = 1;
  }
  if (x1 === x0) x1 = x0 + 1;
  if (y1 === y0) y1 = y0 + 1;
  const px = (v: number): number => M.left + ((v - x0) / (x1 - x0)) * (W - M.left - M.right);
  const py = (v: number): number => H - M.bottom - ((v - y0) / (y1 - y0)) * (H - M.top - M.bottom);
  for (const t of ticks(y0, y1)) {
    svg.append(el("line", { x1: M.left, x2: W - M.right, y1: py(t), y2: py(t), class: "grid" }));
    svg.append(
      el("text", { x: M.left - 4, y: py(t) + 4, "text-anchor": "end", class: "tick" }, short(t)),
    );
  }
  for (const t of ticks(x0, x1)) {
    svg.append(
      el(
        "text",
        { x: px(t), y: H - M.bottom + 14, "text-anchor": "middle", class: "tick" },
        short(t),
      ),
    );
  }
  svg.append(
    el("path", {
      d: `M${M.left},${M.top}V${H - M.bottom}H${W - M.right}`,
      class: "axes",
      fill: "none",
    }),
  );
  options.lines.forEach((l, i) => {
    let d = "";
    let pen = false;
    for (let k = 0; k < l.x.length; k++) {
      const y = l.y[k];
      if (y === null || y === undefined) {
        pen = false;
        continue;
      }
      const X = px(l.x[k] as number).toFixed(1);
      const Y = py(y).toFixed(1);
      if (!pen) d += `M${X},${Y}`;
      else if (options.step === true) d += `H${X}V${Y}`;
      else d += `L${X},${Y}`;
      pen = true;
    }
    const color = COLORS[i % COLORS.length] as string;
    svg.append(
      el("path", { d, stroke: color, fill: "none", "stroke-width": 1.6, "data-line": l.name }),
    );
    svg.append(
      el("rect", {
        x: M.left + 8 + (i % 3) * 160,
        y: M.top + 4 + Math.floor(i / 3) * 14,
        width: 10,
        height: 10,
        fill: color,
      }),
    );
    svg.append(
      el(
        "text",
        { x: M.left + 22 + (i % 3) * 160, y: M.top + 13 + Math.floor(i / 3) * 14, class: "legend" },
        l.name,
      ),
    );
  });
  return svg;
}

/**
 * A bar chart.
 *
 * @param options - id, title, axis label, one bar per label.
 * @returns the SVG element.
 */
export function barChart(options: {
  readonly id: string;
  readonly title: string;
  readonly yLabel: string;
  readonly bars: readonly { readonly label: string; readonly value: number }[];
}): SVGSVGElement {
  const svg = frame(options.id, options.title, "", options.yLabel);
  let top = 0;
  for (const b of options.bars) if (b.value > top) top = b.value;
  if (top === 0) top = 1;
  const py = (v: number): number => H - M.bottom - (v / top) * (H - M.top - M.bottom);
  for (const t of ticks(0, top)) {
    svg.append(el("line", { x1: M.left, x2: W - M.right, y1: py(t), y2: py(t), class: "grid" }));
    svg.append(
      el("text", { x: M.left - 4, y: py(t) + 4, "text-anchor": "end", class: "tick" }, short(t)),
    );
  }
  const slot = (W - M.left - M.right) / Math.max(1, options.bars.length);
  options.bars.forEach((b, i) => {
    const x = M.left + i * slot + slot * 0.15;
    svg.append(
      el("rect", {
        x,
        y: py(b.value),
        width: slot * 0.7,
        height: Math.max(0, H - M.bottom - py(b.value)),
        fill: COLORS[i % COLORS.length] as string,
        "data-bar": b.label,
      }),
    );
    svg.append(
      el(
        "text",
        { x: x + slot * 0.35, y: H - M.bottom + 14, "text-anchor": "middle", class: "tick" },
        b.label,
      ),
    );
  });
  return svg;
}
