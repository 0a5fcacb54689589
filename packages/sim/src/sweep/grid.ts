/**
 * Sweep grids: `--param name=v1,v2 --param seed=1..10` expanded into an ordered list of points,
 * split into shards for job arrays, each with a stable id used as its result file name.
 *
 * @module
 */
import { VxError } from "@vx/core";

/** One swept parameter and the values it takes. */
export interface SweepParam {
  /** A path into the scenario (`seed`, `policy.overload`) or a shorthand (`policy`, `selection`). */
  readonly name: string;
  readonly values: readonly (string | number)[];
}

/** One point of a sweep: a value per parameter, in the order the parameters were given. */
export interface GridPoint {
  /** Position in the full grid (0-based), stable for a given list of parameters. */
  readonly index: number;
  /** A stable, file-name-safe id: `policy-thr_seed-3`. */
  readonly id: string;
  readonly params: Readonly<Record<string, string | number>>;
}

/** A shard `i/n`: this process runs the points whose index mod n is i − 1. */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

const NAME = /^[A-Za-z_][\w.-]*$/;
const RANGE = /^(-?\d+)\.\.(-?\d+)(?::(\d+))?$/;

/**
 * Parses one `--param` flag: `name=a,b,c` (numbers stay numbers) or `name=1..10[:step]`
 * (an inclusive integer range).
 *
 * @param text - the flag's value.
 * @param index - its position among the flags, for error paths.
 * @returns the parameter.
 * @throws {@link @vx/core!VxError} `VX_SIM_BAD_SWEEP_PARAM` naming the flag and the accepted forms.
 * @example
 * ```ts
 * parseParam("seed=1..3"); // { name: "seed", values: [1, 2, 3] }
 * ```
 */
export function parseParam(text: string, index = 0): SweepParam {
  const eq = text.indexOf("=");
  const name = eq < 0 ? "" : text.slice(0, eq).trim();
  const spec = eq < 0 ? "" : text.slice(eq + 1).trim();
  const fail = (why: string): never => {
    throw new VxError(
      "VX_SIM_BAD_SWEEP_PARAM",
      `--param "${text}": ${why}; use name=v1,v2,… or name=first..last[:step] (e.g. policy=thr,mad or seed=1..10).`,
      { path: ["param", index] },
    );
  };
  if (!NAME.test(name)) fail("the name must be a field path such as seed or policy.overload");
  if (spec === "") fail("give at least one value");
  const range = RANGE.exec(spec);
  if (range !== null) {
    const first = Number(range[1]);
    const last = Number(range[2]);
    const step = range[3] === undefined ? 1 : Number(range[3]);
    if (step < 1) fail("the step must be at least 1");
    if (last < first) fail(`the range ${first}..${last} is empty`);
    if ((last - first) / step > 100_000) fail("the range has more than 100,000 values");
    const values: number[] = [];
    for (let v = first; v <= last; v += step) values.push(v);
    return { name, values };
  }
  const values = spec.split(",").map((raw) => {
    const v = raw.trim();
    if (v === "") fail("a value is empty");
    const n = Number(v);
    return /^-?\d+(\.\d+)?(e[-+]?\d+)?$/i.test(v) && Number.isFinite(n) ? n : v;
  });
  if (new Set(values.map(String)).size !== values.length) fail("a value is listed twice");
  return { name, values };
}

/**
 * Writes a parameter back as the value of a `--param` flag, so that {@link parseParam} reads it
 * back to the same values: an integer progression of three or more values as `first..last[:step]`,
 * anything else as a list.
 *
 * @param param - a parameter (as {@link parseParam} returns).
 * @returns e.g. `seed=1..10` or `policy=thr,mad`.
 * @example
 * ```ts
 * formatParam({ name: "seed", values: [1, 3, 5] }); // "seed=1..5:2"
 * ```
 */
export function formatParam(param: SweepParam): string {
  const vs = param.values;
  const ints = vs.every((v) => typeof v === "number" && Number.isInteger(v) && Math.abs(v) < 1e15);
  if (ints && vs.length >= 3) {
    const first = vs[0] as number;
    const step = (vs[1] as number) - first;
    if (step >= 1 && vs.every((v, i) => v === first + i * step)) {
      const last = vs[vs.length - 1] as number;
      return `${param.name}=${first}..${last}${step === 1 ? "" : `:${step}`}`;
    }
  }
  return `${param.name}=${vs.map((v) => String(v)).join(",")}`;
}

/**
 * Parses `--shard i/n` (1 ≤ i ≤ n).
 *
 * @param text - e.g. `"3/8"`.
 * @returns the shard.
 * @throws {@link @vx/core!VxError} `VX_SIM_BAD_SHARD`.
 */
export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = m === null ? Number.NaN : Number(m[1]);
  const count = m === null ? Number.NaN : Number(m[2]);
  if (!(count >= 1 && index >= 1 && index <= count)) {
    throw new VxError(
      "VX_SIM_BAD_SHARD",
      `--shard "${text}": use i/n with 1 ≤ i ≤ n (e.g. --shard 3/8 runs the third of eight slices; with a Slurm array: --shard $((SLURM_ARRAY_TASK_ID+1))/$SLURM_ARRAY_TASK_COUNT).`,
      { path: ["shard"] },
    );
  }
  return { index, count };
}

/**
 * Expands parameters into the full grid, first parameter varying slowest.
 *
 * @param params - the swept parameters (names must be distinct).
 * @returns every point, in a stable order.
 * @throws {@link @vx/core!VxError} `VX_SIM_BAD_SWEEP_PARAM` for a repeated name or a grid over 1,000,000 points.
 */
export function expandGrid(params: readonly SweepParam[]): GridPoint[] {
  const names = params.map((p) => p.name);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup !== undefined) {
    throw new VxError(
      "VX_SIM_BAD_SWEEP_PARAM",
      `--param ${dup} is given twice; give it once with all its values.`,
      {
        path: ["param", names.lastIndexOf(dup)],
      },
    );
  }
  const total = params.reduce((n, p) => n * p.values.length, 1);
  if (total > 1_000_000) {
    throw new VxError(
      "VX_SIM_BAD_SWEEP_PARAM",
      `the grid has ${total} points; keep it under 1,000,000.`,
      {
        path: ["param"],
      },
    );
  }
  const points: GridPoint[] = [];
  for (let index = 0; index < total; index++) {
    let rest = index;
    const values: (string | number)[] = new Array(params.length);
    for (let k = params.length - 1; k >= 0; k--) {
      const vs = params[k]!.values;
      values[k] = vs[rest % vs.length]!;
      rest = Math.floor(rest / vs.length);
    }
    const entries = params.map((p, k) => [p.name, values[k]!] as const);
    points.push({ index, id: pointId(entries), params: Object.fromEntries(entries) });
  }
  return points;
}

/**
 * The points of one shard.
 *
 * @param points - the full grid.
 * @param shard - which slice; all points when undefined.
 * @returns the slice, in grid order.
 */
export function shardPoints(points: readonly GridPoint[], shard: Shard | undefined): GridPoint[] {
  if (shard === undefined) return [...points];
  return points.filter((p) => p.index % shard.count === shard.index - 1);
}

function pointId(entries: readonly (readonly [string, string | number])[]): string {
  if (entries.length === 0) return "base";
  return entries.map(([k, v]) => `${k}-${String(v)}`.replace(/[^\w.-]+/g, "_")).join("__");
}
