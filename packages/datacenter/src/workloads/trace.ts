/**
 * A table of CPU-utilisation time series that share one time grid: what every workload source
 * (PlanetLab folder, synthetic generator, CSV file) becomes before the data-center model runs.
 *
 * @module
 */

/**
 * Utilisation time series (fractions of a VM's cores, 0..1) sharing one time grid.
 *
 * Column `c` holds `samples + 1` values from `values[c * (samples + 1)]`: the samples, then the
 * last sample repeated, as CloudSim's `UtilizationModelPlanetLabInMemory` pads its 288 samples to
 * 289. On a regular grid (`intervalSeconds > 0`) sample `i` is at `i * intervalSeconds`; on an
 * irregular one (`times` set) it is at `times[i]`. Read values with {@link traceUtilisation}.
 */
export interface TraceTable {
  /** Where the table comes from (folder, file or generator), for messages. */
  readonly source: string;
  /** One name per column (file names, CSV column names, or generated names). */
  readonly names: readonly string[];
  /** Samples per column (without the padding). */
  readonly samples: number;
  /** Seconds between samples on a regular grid; 0 when `times` gives the grid. */
  readonly intervalSeconds: number;
  /** Sample times in seconds (strictly increasing) for an irregular grid. */
  readonly times: Float64Array | undefined;
  /** Column-major values, `samples + 1` per column (last sample repeated). */
  readonly values: Float64Array;
}

/**
 * Builds a regular-grid table from per-column samples, adding CloudSim's padding.
 *
 * @param options - source, names, interval and the samples (one array per column, equal lengths).
 * @returns the table.
 * @example
 * ```ts
 * const t = regularTraceTable({ source: "demo", names: ["a"], intervalSeconds: 300, columns: [[0.1, 0.3]] });
 * traceUtilisation(t, 0, 150); // 0.2
 * ```
 */
export function regularTraceTable(options: {
  readonly source: string;
  readonly names: readonly string[];
  readonly intervalSeconds: number;
  readonly columns: readonly ArrayLike<number>[];
}): TraceTable {
  const { columns } = options;
  const samples = columns.length === 0 ? 0 : (columns[0] as ArrayLike<number>).length;
  const stride = samples + 1;
  const values = new Float64Array(columns.length * stride);
  for (let c = 0; c < columns.length; c++) {
    const col = columns[c] as ArrayLike<number>;
    const base = c * stride;
    for (let i = 0; i < samples; i++) values[base + i] = col[i] as number;
    values[base + samples] = samples > 0 ? (col[samples - 1] as number) : 0;
  }
  return {
    source: options.source,
    names: options.names,
    samples,
    intervalSeconds: options.intervalSeconds,
    times: undefined,
    values,
  };
}

/**
 * The utilisation of column `column` at time `t`, interpolated linearly between samples.
 *
 * On a regular grid this is exactly CloudSim's `UtilizationModelPlanetLabInMemory.getUtilization`
 * (the sample itself when `t` is a multiple of the interval, else the line between the two
 * samples around `t`, with the last sample repeated after the end); before the first or after the
 * last sample of an irregular grid the nearest sample holds.
 *
 * @param table - the table.
 * @param column - a column index, `0 <= column < names.length`.
 * @param t - seconds, ≥ 0.
 * @returns the utilisation (a fraction of the VM's cores).
 * @example
 * ```ts
 * traceUtilisation(table, 3, 450); // halfway between samples 1 and 2 of column 3 at 300 s
 * ```
 */
export function traceUtilisation(table: TraceTable, column: number, t: number): number {
  const n = table.samples;
  const base = column * (n + 1);
  const v = table.values;
  if (table.times === undefined) {
    const dt = table.intervalSeconds;
    if (t % dt === 0) {
      const k = Math.trunc(t / dt);
      return v[base + (k < n ? k : n)] as number;
    }
    const k1 = Math.floor(t / dt);
    const k2 = Math.ceil(t / dt);
    if (k2 > n) return v[base + n] as number;
    // t / dt can round to an integer although t is not a multiple of dt: no line to follow.
    if (k1 === k2) return v[base + k1] as number;
    const u1 = v[base + k1] as number;
    const u2 = v[base + k2] as number;
    const delta = (u2 - u1) / ((k2 - k1) * dt);
    return u1 + delta * (t - k1 * dt);
  }
  const times = table.times;
  if (t <= (times[0] as number)) return v[base] as number;
  if (t >= (times[n - 1] as number)) return v[base + n - 1] as number;
  let lo = 0;
  let hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if ((times[mid] as number) <= t) lo = mid;
    else hi = mid;
  }
  const t1 = times[lo] as number;
  const t2 = times[hi] as number;
  const u1 = v[base + lo] as number;
  const u2 = v[base + hi] as number;
  return u1 + ((u2 - u1) * (t - t1)) / (t2 - t1);
}
