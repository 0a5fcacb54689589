/**
 * The statistics CloudSim's power package takes from Apache Commons Math 3, reproduced operation
 * for operation so the policies compare the same floating-point numbers: median (Percentile,
 * legacy estimation), CloudSim's IQR and MAD, `SimpleRegression`, CloudSim's (robust) Loess
 * estimates, and the R² of an OLS fit with intercept (`OLSMultipleLinearRegression`, Householder
 * QR).
 *
 * @internal
 */

/** Scratch for sorting without allocating in hot paths. */
let scratch = new Float64Array(64);

function sortedCopy(data: ArrayLike<number>, n: number): Float64Array {
  if (scratch.length < n) scratch = new Float64Array(n * 2);
  const s = scratch.subarray(0, n);
  for (let i = 0; i < n; i++) s[i] = data[i] as number;
  s.sort();
  return s;
}

/**
 * Commons Math `Percentile.evaluate(values, 50)` with the legacy estimation: the median, averaged
 * as `lower + 0.5 * (upper - lower)` for an even count.
 */
export function median(data: ArrayLike<number>, n: number): number {
  if (n === 0) return Number.NaN;
  const s = sortedCopy(data, n);
  const pos = (50 * (n + 1)) / 100;
  const fpos = Math.floor(pos);
  const intPos = fpos;
  const dif = pos - fpos;
  if (pos < 1) return s[0] as number;
  if (pos >= n) return s[n - 1] as number;
  const lower = s[intPos - 1] as number;
  const upper = s[intPos] as number;
  return lower + dif * (upper - lower);
}

/** CloudSim `MathUtil.iqr`: sort, then `data[round(0.75 (n+1)) - 1] - data[round(0.25 (n+1)) - 1]`. */
export function iqr(data: ArrayLike<number>, n: number): number {
  const s = sortedCopy(data, n);
  const q1 = Math.floor(0.25 * (n + 1) + 0.5) - 1;
  const q3 = Math.floor(0.75 * (n + 1) + 0.5) - 1;
  return (s[q3] as number) - (s[q1] as number);
}

const devScratch = new Float64Array(32);

/** CloudSim `MathUtil.mad`: the median of absolute deviations from the median. */
export function mad(data: ArrayLike<number>, n: number): number {
  if (n === 0) return 0;
  const m = median(data, n);
  const dev = n <= devScratch.length ? devScratch : new Float64Array(n);
  for (let i = 0; i < n; i++) dev[i] = Math.abs(m - (data[i] as number));
  return median(dev, n);
}

/** Commons Math `SimpleRegression` (with intercept), updating formulas and all. */
export class SimpleRegression {
  private n = 0;
  private sumX = 0;
  private sumY = 0;
  private sumXX = 0;
  private sumXY = 0;
  private xbar = 0;
  private ybar = 0;

  add(x: number, y: number): void {
    if (this.n === 0) {
      this.xbar = x;
      this.ybar = y;
    } else {
      const fact1 = 1.0 + this.n;
      const fact2 = this.n / (1.0 + this.n);
      const dx = x - this.xbar;
      const dy = y - this.ybar;
      this.sumXX += dx * dx * fact2;
      this.sumXY += dx * dy * fact2;
      this.xbar += dx / fact1;
      this.ybar += dy / fact1;
    }
    this.sumX += x;
    this.sumY += y;
    this.n++;
  }

  slope(): number {
    if (this.n < 2) return Number.NaN;
    if (Math.abs(this.sumXX) < 10 * Number.MIN_VALUE) return Number.NaN;
    return this.sumXY / this.sumXX;
  }

  intercept(): number {
    return (this.sumY - this.slope() * this.sumX) / this.n;
  }

  predict(x: number): number {
    const b1 = this.slope();
    return (this.sumY - b1 * this.sumX) / this.n + b1 * x;
  }

  /** `regress().getParameterEstimates()`; `undefined` where Commons Math throws (n < 3). */
  estimates(out: Float64Array): boolean {
    if (this.n < 3) return false;
    if (Math.abs(this.sumXX) > SAFE_MIN) {
      out[0] = this.intercept();
      out[1] = this.slope();
    } else {
      out[0] = this.sumY / this.n;
      out[1] = Number.NaN;
    }
    return true;
  }
}

/** Commons Math `Precision.SAFE_MIN` = 2^-1022. */
const SAFE_MIN = 2.2250738585072014e-308;

/** CloudSim `MathUtil.getTricubeWeigts(n)` (sic): inverse tricube weights, first three equal. */
export function tricubeWeights(n: number, out: Float64Array): void {
  const top = n - 1;
  const spread = top;
  for (let i = 2; i < n; i++) {
    const k = (1 - ((top - i) / spread) ** 3) ** 3;
    out[i] = k > 0 ? 1 / k : Number.MAX_VALUE;
  }
  out[0] = out[1] = out[2] as number;
}

/**
 * CloudSim `MathUtil.createWeigthedLinearRegression`: weights are applied (as √w·x, √w·y) only
 * when at least 40 % of them are ≤ 0; otherwise the plain regression of y on x.
 */
function weightedRegression(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  w: ArrayLike<number>,
  n: number,
): SimpleRegression {
  let zeros = 0;
  for (let i = 0; i < n; i++) if ((w[i] as number) <= 0) zeros++;
  const apply = zeros >= 0.4 * n;
  const r = new SimpleRegression();
  for (let i = 0; i < n; i++) {
    if (apply) {
      const s = Math.sqrt(w[i] as number);
      r.add(s * (x[i] as number), s * (y[i] as number));
    } else {
      r.add(x[i] as number, y[i] as number);
    }
  }
  return r;
}

const xs = new Float64Array(64);
const ws = new Float64Array(64);
const ws2 = new Float64Array(64);
const res = new Float64Array(64);
for (let i = 0; i < xs.length; i++) xs[i] = i + 1;

/**
 * CloudSim `MathUtil.getLoessParameterEstimates(y)`: `[intercept, slope]` of the (tricube-"weighted")
 * regression of y on 1..n. Because CloudSim's weights are never ≤ 0, this is ordinary least squares.
 * Returns false where CloudSim throws (n < 3).
 */
export function loessEstimates(y: ArrayLike<number>, n: number, out: Float64Array): boolean {
  tricubeWeights(n, ws);
  return weightedRegression(xs, y, ws, n).estimates(out);
}

/**
 * CloudSim `MathUtil.getRobustLoessParameterEstimates(y)`: a second regression with tricube ×
 * bisquare weights from the residuals of the first; the first one's estimates if the second gives
 * NaN. Returns false where CloudSim throws (n < 3).
 */
export function robustLoessEstimates(y: ArrayLike<number>, n: number, out: Float64Array): boolean {
  tricubeWeights(n, ws);
  const first = weightedRegression(xs, y, ws, n);
  for (let i = 0; i < n; i++) res[i] = (y[i] as number) - first.predict(xs[i] as number);
  // getTricubeBisquareWeigts(residuals)
  for (let i = 0; i < n; i++) ws2[i] = Math.abs(res[i] as number);
  const s6 = median(ws2, n) * 6;
  tricubeWeights(n, ws);
  for (let i = 2; i < n; i++) {
    const k = (1 - ((res[i] as number) / s6) ** 2) ** 2;
    ws2[i] = k > 0 ? (1 / k) * (ws[i] as number) : Number.MAX_VALUE;
  }
  ws2[0] = ws2[1] = ws2[2] as number;
  const second = weightedRegression(xs, y, ws2, n);
  if (!second.estimates(out)) return false;
  if (Number.isNaN(out[0] as number) || Number.isNaN(out[1] as number)) return first.estimates(out);
  return true;
}

/**
 * R² of the OLS fit (with intercept) of `y` on the columns of `x` (`x[j]` is predictor j, each
 * of length m), as Commons Math's `OLSMultipleLinearRegression.calculateRSquared` computes it
 * (Householder QR, SSR from the residuals, SST from Welford's second moment).
 *
 * @returns the R², or `undefined` where Commons Math throws an `IllegalArgumentException`
 * (no data, fewer rows than parameters, a singular design) and CloudSim falls back.
 */
export function olsRSquared(
  y: ArrayLike<number>,
  x: readonly ArrayLike<number>[],
  m: number,
): number | undefined {
  const p = x.length; // predictors
  if (p === 0 || m === 0) return undefined; // Array2DRowRealMatrix: at least one row / column
  if (p + 1 > m) return undefined; // NOT_ENOUGH_DATA_FOR_NUMBER_OF_PREDICTORS
  const n = p + 1; // parameters (intercept first)
  // qrt[col][row]: the transposed design matrix.
  const qrt: Float64Array[] = [];
  const ones = new Float64Array(m).fill(1);
  qrt.push(ones);
  for (let j = 0; j < p; j++) {
    const col = new Float64Array(m);
    const src = x[j] as ArrayLike<number>;
    for (let i = 0; i < m; i++) col[i] = src[i] as number;
    qrt.push(col);
  }
  const rDiag = new Float64Array(Math.min(m, n));
  for (let minor = 0; minor < Math.min(n, m); minor++) {
    const qm = qrt[minor] as Float64Array;
    let xNormSqr = 0;
    for (let row = minor; row < m; row++) {
      const c = qm[row] as number;
      xNormSqr += c * c;
    }
    const a = (qm[minor] as number) > 0 ? -Math.sqrt(xNormSqr) : Math.sqrt(xNormSqr);
    rDiag[minor] = a;
    if (a !== 0) {
      qm[minor] = (qm[minor] as number) - a;
      for (let col = minor + 1; col < n; col++) {
        const qc = qrt[col] as Float64Array;
        let alpha = 0;
        for (let row = minor; row < m; row++) alpha -= (qc[row] as number) * (qm[row] as number);
        alpha /= a * (qm[minor] as number);
        for (let row = minor; row < m; row++)
          qc[row] = (qc[row] as number) - alpha * (qm[row] as number);
      }
    }
  }
  for (let i = 0; i < rDiag.length; i++) if (Math.abs(rDiag[i] as number) <= 0) return undefined; // singular
  // Solve: apply Q^T to y, then back-substitute R.
  const yy = new Float64Array(m);
  for (let i = 0; i < m; i++) yy[i] = y[i] as number;
  for (let minor = 0; minor < Math.min(m, n); minor++) {
    const qm = qrt[minor] as Float64Array;
    let dot = 0;
    for (let row = minor; row < m; row++) dot += (yy[row] as number) * (qm[row] as number);
    dot /= (rDiag[minor] as number) * (qm[minor] as number);
    for (let row = minor; row < m; row++) yy[row] = (yy[row] as number) + dot * (qm[row] as number);
  }
  const beta = new Float64Array(n);
  for (let row = rDiag.length - 1; row >= 0; --row) {
    yy[row] = (yy[row] as number) / (rDiag[row] as number);
    const yRow = yy[row] as number;
    const qr = qrt[row] as Float64Array;
    beta[row] = yRow;
    for (let i = 0; i < row; i++) yy[i] = (yy[i] as number) - yRow * (qr[i] as number);
  }
  // Residual sum of squares: y - X·beta (row-wise dot products).
  let ssr = 0;
  for (let i = 0; i < m; i++) {
    let fit = beta[0] as number; // 1.0 * beta[0] first
    fit = 1.0 * (beta[0] as number);
    for (let j = 0; j < p; j++)
      fit += ((x[j] as ArrayLike<number>)[i] as number) * (beta[j + 1] as number);
    const e = (y[i] as number) - fit;
    ssr += e * e;
  }
  // Total sum of squares: Commons Math SecondMoment (Welford).
  let m1 = 0;
  let m2 = 0;
  for (let i = 0; i < m; i++) {
    const k = i + 1;
    const dev = (y[i] as number) - m1;
    const nDev = dev / k;
    m1 += nDev;
    m2 += (k - 1) * dev * nDev;
  }
  return 1 - ssr / m2;
}
