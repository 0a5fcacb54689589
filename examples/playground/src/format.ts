/** Number formatting for the page (the worker's results stay raw numbers). */

/** Bytes with a binary unit: "1.50 GiB". */
export function bytes(b: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let v = b;
  let u = 0;
  while (Math.abs(v) >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(u === 0 ? 0 : 2)} ${units[u]}`;
}

/** Seconds as ms or s: "350 ms", "12.4 s". */
export function duration(s: number): string {
  if (Math.abs(s) < 1) return `${(s * 1000).toFixed(s < 0.01 ? 2 : 0)} ms`;
  return `${s.toFixed(s < 100 ? 2 : 0)} s`;
}

/** A fraction as a percentage. */
export function percent(f: number, digits = 1): string {
  return `${(f * 100).toFixed(digits)} %`;
}

/** Bits per second from bytes per second: "9.80 Gbit/s". */
export function rate(bytesPerSecond: number): string {
  return `${((bytesPerSecond * 8) / 1e9).toFixed(2)} Gbit/s`;
}
