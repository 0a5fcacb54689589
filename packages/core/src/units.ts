/**
 * Units: simulated quantities are plain numbers in base units — bytes, seconds, bytes per second
 * and fractions (`0.05` is 5 %). This module converts to them ({@link GiB}, {@link Gbps},
 * {@link ms}, {@link percent}, …), formats them for tables ({@link formatBytes},
 * {@link formatRate}, {@link formatDuration}, {@link formatPercent}) and reads human strings
 * such as `"64GiB"`, `"10Gbps"`, `"300ms"` or `"5%"` ({@link parseQuantity} and the typed
 * {@link parseBytes}, {@link parseRate}, {@link parseDuration}, {@link parsePercent}).
 *
 * Decimal prefixes (k, M, G, T, P) are powers of 1000 and binary prefixes (Ki, Mi, Gi, Ti, Pi)
 * powers of 1024, as defined by IEC 80000-13; bit rates are converted to bytes per second with
 * 8 bits per byte (1 Gbps = 1e9 / 8 bytes per second).
 *
 * @module
 */

import type { VxPath } from "./errors.js";
import { VxError } from "./errors.js";

// ---------------------------------------------------------------------------------------------
// Factors (all exact in binary floating point)

const KIB = 1024;
const MIB = 1048576;
const GIB = 1073741824;
const TIB = 1099511627776;
const PIB = 1125899906842624;

// ---------------------------------------------------------------------------------------------
// Sizes → bytes

/**
 * Bytes → bytes (the identity); spells out the unit where a size is written.
 *
 * The constructors do no validation: they are plain arithmetic, safe in hot code.
 *
 * @param n - a number of bytes.
 * @returns `n` bytes.
 * @example
 * ```ts
 * bytes(512); // 512
 * ```
 */
export function bytes(n: number): number {
  return n;
}

/**
 * Kilobytes (1000 bytes, SI) → bytes.
 *
 * @param n - a number of kilobytes.
 * @returns `n × 1000` bytes.
 * @example
 * ```ts
 * kB(4); // 4000
 * ```
 */
export function kB(n: number): number {
  return n * 1e3;
}

/**
 * Megabytes (10^6 bytes, SI) → bytes.
 *
 * @param n - a number of megabytes.
 * @returns `n × 10^6` bytes.
 * @example
 * ```ts
 * MB(1.5); // 1_500_000
 * ```
 */
export function MB(n: number): number {
  return n * 1e6;
}

/**
 * Gigabytes (10^9 bytes, SI) → bytes. Disk vendors use this unit; RAM sizes are in {@link GiB}.
 *
 * @param n - a number of gigabytes.
 * @returns `n × 10^9` bytes.
 * @example
 * ```ts
 * GB(2); // 2e9
 * ```
 */
export function GB(n: number): number {
  return n * 1e9;
}

/**
 * Terabytes (10^12 bytes, SI) → bytes.
 *
 * @param n - a number of terabytes.
 * @returns `n × 10^12` bytes.
 * @example
 * ```ts
 * TB(4); // 4e12
 * ```
 */
export function TB(n: number): number {
  return n * 1e12;
}

/**
 * Petabytes (10^15 bytes, SI) → bytes.
 *
 * @param n - a number of petabytes.
 * @returns `n × 10^15` bytes.
 * @example
 * ```ts
 * PB(1); // 1e15
 * ```
 */
export function PB(n: number): number {
  return n * 1e15;
}

/**
 * Kibibytes (1024 bytes, IEC 80000-13) → bytes; a 4 KiB page is `KiB(4)`.
 *
 * @param n - a number of kibibytes.
 * @returns `n × 1024` bytes.
 * @example
 * ```ts
 * KiB(4); // 4096
 * ```
 */
export function KiB(n: number): number {
  return n * KIB;
}

/**
 * Mebibytes (2^20 bytes, IEC 80000-13) → bytes.
 *
 * @param n - a number of mebibytes.
 * @returns `n × 2^20` bytes.
 * @example
 * ```ts
 * MiB(2); // 2_097_152
 * ```
 */
export function MiB(n: number): number {
  return n * MIB;
}

/**
 * Gibibytes (2^30 bytes, IEC 80000-13) → bytes; the usual unit of RAM sizes.
 *
 * @param n - a number of gibibytes.
 * @returns `n × 2^30` bytes.
 * @example
 * ```ts
 * GiB(64); // 68_719_476_736
 * ```
 */
export function GiB(n: number): number {
  return n * GIB;
}

/**
 * Tebibytes (2^40 bytes, IEC 80000-13) → bytes.
 *
 * @param n - a number of tebibytes.
 * @returns `n × 2^40` bytes.
 * @example
 * ```ts
 * TiB(1); // 1_099_511_627_776
 * ```
 */
export function TiB(n: number): number {
  return n * TIB;
}

/**
 * Pebibytes (2^50 bytes, IEC 80000-13) → bytes.
 *
 * @param n - a number of pebibytes.
 * @returns `n × 2^50` bytes.
 * @example
 * ```ts
 * PiB(1); // 1_125_899_906_842_624
 * ```
 */
export function PiB(n: number): number {
  return n * PIB;
}

// ---------------------------------------------------------------------------------------------
// Rates → bytes per second

/**
 * Bits per second → bytes per second (8 bits per byte).
 *
 * @param n - a rate in bit/s.
 * @returns `n / 8` bytes per second.
 * @example
 * ```ts
 * bps(800); // 100
 * ```
 */
export function bps(n: number): number {
  return n / 8;
}

/**
 * Kilobits per second (10^3 bit/s) → bytes per second.
 *
 * @param n - a rate in kbit/s.
 * @returns `n × 125` bytes per second.
 * @example
 * ```ts
 * kbps(8); // 1000
 * ```
 */
export function kbps(n: number): number {
  return n * 125;
}

/**
 * Megabits per second (10^6 bit/s) → bytes per second.
 *
 * @param n - a rate in Mbit/s.
 * @returns `n × 125 000` bytes per second.
 * @example
 * ```ts
 * Mbps(100); // 12_500_000
 * ```
 */
export function Mbps(n: number): number {
  return n * 125e3;
}

/**
 * Gigabits per second (10^9 bit/s) → bytes per second; the usual unit of network links.
 *
 * @param n - a rate in Gbit/s.
 * @returns `n × 1.25e8` bytes per second.
 * @example
 * ```ts
 * Gbps(10); // 1.25e9
 * ```
 */
export function Gbps(n: number): number {
  return n * 125e6;
}

/**
 * Terabits per second (10^12 bit/s) → bytes per second.
 *
 * @param n - a rate in Tbit/s.
 * @returns `n × 1.25e11` bytes per second.
 * @example
 * ```ts
 * Tbps(1); // 1.25e11
 * ```
 */
export function Tbps(n: number): number {
  return n * 125e9;
}

/**
 * Bytes per second → bytes per second (the identity); spells out the unit where a rate is written.
 *
 * @param n - a rate in B/s.
 * @returns `n` bytes per second.
 * @example
 * ```ts
 * Bps(4096); // 4096
 * ```
 */
export function Bps(n: number): number {
  return n;
}

/**
 * Kilobytes per second (10^3 B/s) → bytes per second.
 *
 * @param n - a rate in kB/s.
 * @returns `n × 1000` bytes per second.
 * @example
 * ```ts
 * kBps(2); // 2000
 * ```
 */
export function kBps(n: number): number {
  return n * 1e3;
}

/**
 * Megabytes per second (10^6 B/s) → bytes per second.
 *
 * @param n - a rate in MB/s.
 * @returns `n × 10^6` bytes per second.
 * @example
 * ```ts
 * MBps(500); // 5e8
 * ```
 */
export function MBps(n: number): number {
  return n * 1e6;
}

/**
 * Gigabytes per second (10^9 B/s) → bytes per second.
 *
 * @param n - a rate in GB/s.
 * @returns `n × 10^9` bytes per second.
 * @example
 * ```ts
 * GBps(3); // 3e9
 * ```
 */
export function GBps(n: number): number {
  return n * 1e9;
}

/**
 * Terabytes per second (10^12 B/s) → bytes per second.
 *
 * @param n - a rate in TB/s.
 * @returns `n × 10^12` bytes per second.
 * @example
 * ```ts
 * TBps(1); // 1e12
 * ```
 */
export function TBps(n: number): number {
  return n * 1e12;
}

/**
 * Kibibytes per second (1024 B/s) → bytes per second.
 *
 * @param n - a rate in KiB/s.
 * @returns `n × 1024` bytes per second.
 * @example
 * ```ts
 * KiBps(1); // 1024
 * ```
 */
export function KiBps(n: number): number {
  return n * KIB;
}

/**
 * Mebibytes per second (2^20 B/s) → bytes per second.
 *
 * @param n - a rate in MiB/s.
 * @returns `n × 2^20` bytes per second.
 * @example
 * ```ts
 * MiBps(128); // 134_217_728
 * ```
 */
export function MiBps(n: number): number {
  return n * MIB;
}

/**
 * Gibibytes per second (2^30 B/s) → bytes per second.
 *
 * @param n - a rate in GiB/s.
 * @returns `n × 2^30` bytes per second.
 * @example
 * ```ts
 * GiBps(1); // 1_073_741_824
 * ```
 */
export function GiBps(n: number): number {
  return n * GIB;
}

/**
 * Tebibytes per second (2^40 B/s) → bytes per second.
 *
 * @param n - a rate in TiB/s.
 * @returns `n × 2^40` bytes per second.
 * @example
 * ```ts
 * TiBps(1); // 1_099_511_627_776
 * ```
 */
export function TiBps(n: number): number {
  return n * TIB;
}

// ---------------------------------------------------------------------------------------------
// Durations → seconds (sub-second units divide, so that e.g. ms(300) === 0.3 exactly)

/**
 * Nanoseconds → seconds.
 *
 * @param n - a duration in ns.
 * @returns `n / 10^9` seconds.
 * @example
 * ```ts
 * ns(500); // 5e-7
 * ```
 */
export function ns(n: number): number {
  return n / 1e9;
}

/**
 * Microseconds → seconds.
 *
 * @param n - a duration in µs.
 * @returns `n / 10^6` seconds.
 * @example
 * ```ts
 * us(250); // 0.00025
 * ```
 */
export function us(n: number): number {
  return n / 1e6;
}

/**
 * Milliseconds → seconds.
 *
 * @param n - a duration in ms.
 * @returns `n / 1000` seconds.
 * @example
 * ```ts
 * ms(300); // 0.3
 * ```
 */
export function ms(n: number): number {
  return n / 1e3;
}

/**
 * Seconds → seconds (the identity); spells out the unit where a duration is written.
 *
 * @param n - a duration in seconds.
 * @returns `n` seconds.
 * @example
 * ```ts
 * seconds(42); // 42
 * ```
 */
export function seconds(n: number): number {
  return n;
}

/**
 * Minutes → seconds.
 *
 * @param n - a duration in minutes.
 * @returns `n × 60` seconds.
 * @example
 * ```ts
 * minutes(2); // 120
 * ```
 */
export function minutes(n: number): number {
  return n * 60;
}

/**
 * Hours → seconds.
 *
 * @param n - a duration in hours.
 * @returns `n × 3600` seconds.
 * @example
 * ```ts
 * hours(1.5); // 5400
 * ```
 */
export function hours(n: number): number {
  return n * 3600;
}

/**
 * Days (of 24 hours) → seconds.
 *
 * @param n - a duration in days.
 * @returns `n × 86 400` seconds.
 * @example
 * ```ts
 * days(1); // 86_400
 * ```
 */
export function days(n: number): number {
  return n * 86400;
}

// ---------------------------------------------------------------------------------------------
// Percent → fraction

/**
 * Percent → fraction; vx stores ratios as fractions, so 5 % is `0.05`.
 *
 * @param n - a percentage.
 * @returns `n / 100`.
 * @example
 * ```ts
 * percent(5); // 0.05
 * ```
 */
export function percent(n: number): number {
  return n / 100;
}

// ---------------------------------------------------------------------------------------------
// Formatting

/** A display unit: `value in unit = x × div / mul`. */
interface DisplayUnit {
  readonly name: string;
  readonly mul: number;
  readonly div: number;
}

const u = (name: string, mul: number, div = 1): DisplayUnit => ({ name, mul, div });

// Ascending order.
const BYTES_BINARY: readonly DisplayUnit[] = [
  u("B", 1),
  u("KiB", KIB),
  u("MiB", MIB),
  u("GiB", GIB),
  u("TiB", TIB),
  u("PiB", PIB),
];
const BYTES_DECIMAL: readonly DisplayUnit[] = [
  u("B", 1),
  u("kB", 1e3),
  u("MB", 1e6),
  u("GB", 1e9),
  u("TB", 1e12),
  u("PB", 1e15),
];
const RATE_BYTES_BINARY: readonly DisplayUnit[] = BYTES_BINARY.map((d) => u(`${d.name}/s`, d.mul));
const RATE_BYTES_DECIMAL: readonly DisplayUnit[] = BYTES_DECIMAL.map((d) =>
  u(`${d.name}/s`, d.mul),
);
const RATE_BITS_DECIMAL: readonly DisplayUnit[] = [
  u("bit/s", 1, 8),
  u("kbit/s", 125),
  u("Mbit/s", 125e3),
  u("Gbit/s", 125e6),
  u("Tbit/s", 125e9),
];
const RATE_BITS_BINARY: readonly DisplayUnit[] = [
  u("bit/s", 1, 8),
  u("Kibit/s", KIB / 8),
  u("Mibit/s", MIB / 8),
  u("Gibit/s", GIB / 8),
  u("Tibit/s", TIB / 8),
];
const DURATION_UNITS: readonly DisplayUnit[] = [
  u("ns", 1, 1e9),
  u("µs", 1, 1e6),
  u("ms", 1, 1e3),
  u("s", 1),
  u("min", 60),
  u("h", 3600),
];

/** Options of {@link formatBytes}. */
export interface FormatBytesOptions {
  /** Binary prefixes (KiB, MiB, …; the default) rather than decimal ones (kB, MB, …). */
  readonly binary?: boolean;
  /** Significant digits, 1–21 (default 3); digits left of the decimal point are never dropped. */
  readonly digits?: number;
}

/** Options of {@link formatRate}. */
export interface FormatRateOptions {
  /** Bits per second (`Gbit/s`; the default) rather than bytes per second (`MiB/s`). */
  readonly bits?: boolean;
  /** Binary prefixes; the default is decimal for bits (`Gbit/s`) and binary for bytes (`MiB/s`). */
  readonly binary?: boolean;
  /** Significant digits, 1–21 (default 3); digits left of the decimal point are never dropped. */
  readonly digits?: number;
}

/** Options of {@link formatDuration} and {@link formatPercent}. */
export interface FormatOptions {
  /** Significant digits, 1–21 (default 3); digits left of the decimal point are never dropped. */
  readonly digits?: number;
}

function checkDigits(digits: number | undefined): number {
  if (digits === undefined) return 3;
  if (!Number.isInteger(digits) || digits < 1 || digits > 21) {
    throw new VxError(
      "VX_CORE_INVALID_ARGUMENT",
      `digits must be an integer from 1 to 21, got ${String(digits)}.`,
      { path: ["digits"] },
    );
  }
  return digits;
}

/** Exact powers of ten, 10^0 … 10^22. */
const POW10: readonly number[] = Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));

/**
 * Rounds `a ≥ 0` to `digits` significant digits without dropping integer digits, as a string
 * with trailing zeros trimmed. Uses `toFixed`/`toPrecision`, whose results the ECMAScript spec
 * fixes exactly, so the output is the same on every engine.
 */
function roundToString(a: number, digits: number): string {
  let s: string;
  if (a === 0) return "0";
  if (a < 1 || a >= 1e21) {
    // toFixed would print every integer digit of a huge value; keep `digits` significant ones.
    s = a.toPrecision(digits);
  } else {
    let e = 0;
    while (e < 22 && a >= POW10[e + 1]!) e++;
    s = a.toFixed(Math.max(0, digits - 1 - e));
  }
  // Trim trailing zeros of the fraction, keeping any exponent ("1.20e-7" → "1.2e-7").
  const ePos = s.indexOf("e");
  let mantissa = ePos < 0 ? s : s.slice(0, ePos);
  const exponent = ePos < 0 ? "" : s.slice(ePos);
  if (mantissa.includes(".")) {
    let end = mantissa.length;
    while (mantissa.charCodeAt(end - 1) === 48 /* 0 */) end--;
    if (mantissa.charCodeAt(end - 1) === 46 /* . */) end--;
    mantissa = mantissa.slice(0, end);
  }
  return mantissa + exponent;
}

/** Formats `x` in the largest unit of `units` in which it rounds to a value ≥ 1. */
function formatIn(
  x: number,
  units: readonly DisplayUnit[],
  digits: number,
  space: string,
  name: string,
): string {
  if (typeof x !== "number") {
    // A typed API called with something else (an object, a string): an error, never "∞ B".
    const got = x === null ? "null" : Array.isArray(x) ? "an array" : typeof x;
    throw new VxError("VX_CORE_INVALID_ARGUMENT", `${name} expects a number, got ${got}.`);
  }
  if (!Number.isFinite(x)) {
    // Not a number of any unit: name the base unit (B, s, %; bit/s for bit rates).
    const base = units.find((d) => d.mul === 1 && d.div === 1) ?? units[0]!;
    return `${Number.isNaN(x) ? "NaN" : x < 0 ? "-∞" : "∞"}${space}${base.name}`;
  }
  const a = Math.abs(x);
  let text = "0";
  let unit = units[0]!;
  for (let i = units.length - 1; i >= 0; i--) {
    const candidate = units[i]!;
    const scaled = (a * candidate.div) / candidate.mul;
    const rounded = roundToString(scaled, digits);
    if (i === 0 || Number(rounded) >= 1) {
      text = rounded;
      unit = candidate;
      break;
    }
  }
  const sign = x < 0 && text !== "0" ? "-" : "";
  return `${sign}${text}${space}${unit.name}`;
}

/**
 * Formats a size for tables and messages: `"4 GiB"`, `"1.5 MiB"`, `"512 B"`.
 *
 * Picks the largest unit in which the value is ≥ 1 (after rounding), rounds to `digits`
 * significant digits (default 3) without dropping integer digits, and trims trailing zeros.
 * The output is deterministic and {@link parseBytes} reads it back. Negative values keep their
 * sign; `NaN` gives `"NaN B"` and infinities `"∞ B"` / `"-∞ B"` (in the base unit of the
 * quantity for every formatter: `"∞ s"`, `"∞ bit/s"`, `"NaN%"`). Anything but a number is an
 * error in every formatter (not `"∞ B"`).
 *
 * @param bytes - a size in bytes.
 * @param options - binary (default) or decimal prefixes, significant digits.
 * @returns the formatted size, number and unit separated by a space.
 * @throws {@link VxError} `VX_CORE_INVALID_ARGUMENT` when `bytes` is not a number (an object
 * such as a result's `bytesSent`, a string) or `digits` is not an integer from 1 to 21.
 * @example
 * ```ts
 * formatBytes(GiB(4)); // "4 GiB"
 * formatBytes(1_500_000, { binary: false }); // "1.5 MB"
 * ```
 */
export function formatBytes(bytes: number, options: FormatBytesOptions = {}): string {
  const units = options.binary === false ? BYTES_DECIMAL : BYTES_BINARY;
  return formatIn(bytes, units, checkDigits(options.digits), " ", "formatBytes");
}

/**
 * Formats a rate for tables and messages: `"10 Gbit/s"` (default) or `"128 MiB/s"`.
 *
 * Bits per second with decimal prefixes by default (how links are sold); with `bits: false`,
 * bytes per second with binary prefixes unless `binary: false`. Same rounding as
 * {@link formatBytes}; {@link parseRate} reads the output back.
 *
 * @param bytesPerSecond - a rate in bytes per second.
 * @param options - bits or bytes, binary or decimal prefixes, significant digits.
 * @returns the formatted rate, number and unit separated by a space.
 * @throws {@link VxError} `VX_CORE_INVALID_ARGUMENT` when `digits` is not an integer from 1 to 21.
 * @example
 * ```ts
 * formatRate(Gbps(10)); // "10 Gbit/s"
 * formatRate(MiBps(128), { bits: false }); // "128 MiB/s"
 * ```
 */
export function formatRate(bytesPerSecond: number, options: FormatRateOptions = {}): string {
  const bits = options.bits !== false;
  const binary = options.binary ?? !bits;
  const units = bits
    ? binary
      ? RATE_BITS_BINARY
      : RATE_BITS_DECIMAL
    : binary
      ? RATE_BYTES_BINARY
      : RATE_BYTES_DECIMAL;
  return formatIn(bytesPerSecond, units, checkDigits(options.digits), " ", "formatRate");
}

/**
 * Formats a duration for tables and messages: `"300 ms"`, `"42.6 s"`, `"1.5 h"`.
 *
 * Picks among ns, µs, ms, s, min and h (longer durations stay in hours: `"72 h"`); same
 * rounding as {@link formatBytes}; {@link parseDuration} reads the output back.
 *
 * @param seconds - a duration in seconds.
 * @param options - significant digits.
 * @returns the formatted duration, number and unit separated by a space.
 * @throws {@link VxError} `VX_CORE_INVALID_ARGUMENT` when `digits` is not an integer from 1 to 21.
 * @example
 * ```ts
 * formatDuration(0.3); // "300 ms"
 * formatDuration(5400); // "1.5 h"
 * ```
 */
export function formatDuration(seconds: number, options: FormatOptions = {}): string {
  // Zero reads best in the base unit ("0 s", not "0 ns").
  if (seconds === 0) return "0 s";
  return formatIn(seconds, DURATION_UNITS, checkDigits(options.digits), " ", "formatDuration");
}

const PERCENT_UNITS: readonly DisplayUnit[] = [u("%", 1, 100)];

/**
 * Formats a fraction as a percentage, with no space before the sign: `"5%"`, `"150%"`.
 *
 * Same rounding as {@link formatBytes}; {@link parsePercent} reads the output back.
 *
 * @param fraction - a fraction (`0.05` is 5 %).
 * @param options - significant digits.
 * @returns the percentage, e.g. `"12.3%"`.
 * @throws {@link VxError} `VX_CORE_INVALID_ARGUMENT` when `digits` is not an integer from 1 to 21.
 * @example
 * ```ts
 * formatPercent(0.05); // "5%"
 * ```
 */
export function formatPercent(fraction: number, options: FormatOptions = {}): string {
  return formatIn(fraction, PERCENT_UNITS, checkDigits(options.digits), "", "formatPercent");
}

// ---------------------------------------------------------------------------------------------
// Parsing

/** The kinds of quantity {@link parseQuantity} reads. */
export type QuantityKind = "bytes" | "rate" | "duration" | "percent";

/** A quantity read from a string: its kind and its value in base units. */
export interface Quantity {
  /** Size (bytes), rate (bytes per second), duration (seconds) or percent (fraction). */
  readonly kind: QuantityKind;
  /** The value in base units: bytes, bytes per second, seconds or a fraction. */
  readonly value: number;
}

/** A unit spelling: `value = n × mul / div`. */
interface UnitDef {
  readonly kind: QuantityKind;
  readonly mul: number;
  readonly div: number;
}

const UNIT_TABLE: Record<string, UnitDef> = Object.create(null) as Record<string, UnitDef>;

function addUnit(kind: QuantityKind, mul: number, div: number, ...names: string[]): void {
  const def: UnitDef = { kind, mul, div };
  for (const name of names) UNIT_TABLE[name] = def;
}

addUnit("bytes", 1, 1, "B", "byte", "bytes");
addUnit("bytes", 1e3, 1, "kB", "KB");
addUnit("bytes", 1e6, 1, "MB");
addUnit("bytes", 1e9, 1, "GB");
addUnit("bytes", 1e12, 1, "TB");
addUnit("bytes", 1e15, 1, "PB");
addUnit("bytes", KIB, 1, "KiB");
addUnit("bytes", MIB, 1, "MiB");
addUnit("bytes", GIB, 1, "GiB");
addUnit("bytes", TIB, 1, "TiB");
addUnit("bytes", PIB, 1, "PiB");

addUnit("rate", 1, 8, "bps", "bit/s");
addUnit("rate", 125, 1, "kbps", "Kbps", "kbit/s", "Kbit/s");
addUnit("rate", 125e3, 1, "Mbps", "Mbit/s");
addUnit("rate", 125e6, 1, "Gbps", "Gbit/s");
addUnit("rate", 125e9, 1, "Tbps", "Tbit/s");
addUnit("rate", KIB / 8, 1, "Kibit/s");
addUnit("rate", MIB / 8, 1, "Mibit/s");
addUnit("rate", GIB / 8, 1, "Gibit/s");
addUnit("rate", TIB / 8, 1, "Tibit/s");
addUnit("rate", 1, 1, "B/s", "Bps");
addUnit("rate", 1e3, 1, "kB/s", "KB/s", "kBps", "KBps");
addUnit("rate", 1e6, 1, "MB/s", "MBps");
addUnit("rate", 1e9, 1, "GB/s", "GBps");
addUnit("rate", 1e12, 1, "TB/s", "TBps");
addUnit("rate", 1e15, 1, "PB/s", "PBps");
addUnit("rate", KIB, 1, "KiB/s", "KiBps");
addUnit("rate", MIB, 1, "MiB/s", "MiBps");
addUnit("rate", GIB, 1, "GiB/s", "GiBps");
addUnit("rate", TIB, 1, "TiB/s", "TiBps");
addUnit("rate", PIB, 1, "PiB/s", "PiBps");

addUnit("duration", 1, 1e9, "ns");
addUnit("duration", 1, 1e6, "us", "µs", "μs"); // micro sign U+00B5 and Greek mu U+03BC
addUnit("duration", 1, 1e3, "ms");
addUnit("duration", 1, 1, "s", "sec");
addUnit("duration", 60, 1, "min");
addUnit("duration", 3600, 1, "h", "hr");
addUnit("duration", 86400, 1, "d");

addUnit("percent", 1, 100, "%");

/**
 * A number (decimal, optional exponent, or the words `Infinity` / `NaN` so that they are
 * reported as bad values rather than unreadable), optional spaces, then the unit.
 */
const QUANTITY_RE =
  /^\s*([+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|Infinity|NaN))\s*(\S(?:.*\S)?)?\s*$/;

interface KindInfo {
  /** The noun in messages. */
  readonly noun: string;
  /** An article + noun. */
  readonly aNoun: string;
  /** Accepted units, for messages. */
  readonly units: string;
  /** An example string. */
  readonly example: string;
  /** The base unit as a suffix, for the "has no unit" hint. */
  readonly baseSuffix: string;
  /** What a plain number means. */
  readonly baseName: string;
}

const KINDS: Readonly<Record<QuantityKind, KindInfo>> = {
  bytes: {
    noun: "size",
    aNoun: "a size",
    units: "B, kB, MB, GB, TB, PB, KiB, MiB, GiB, TiB, PiB",
    example: "64GiB",
    baseSuffix: "B",
    baseName: "bytes",
  },
  rate: {
    noun: "rate",
    aNoun: "a rate",
    units:
      "bps, kbps, Mbps, Gbps, Tbps (bits per second) or B/s, kB/s, MB/s, GB/s, TB/s, KiB/s, MiB/s, GiB/s, TiB/s (bytes per second)",
    example: "10Gbps",
    baseSuffix: "B/s",
    baseName: "bytes per second",
  },
  duration: {
    noun: "duration",
    aNoun: "a duration",
    units: "ns, us, ms, s, min, h, d",
    example: "300ms",
    baseSuffix: "s",
    baseName: "seconds",
  },
  percent: {
    noun: "percentage",
    aNoun: "a percentage",
    units: "%",
    example: "5%",
    baseSuffix: "%",
    baseName: "a fraction",
  },
};

const ANY_KIND_HINT =
  'a size (e.g. "64GiB"), a rate (e.g. "10Gbps"), a duration (e.g. "300ms") or a percentage (e.g. "5%")';

/** Quotes user text for a message, shortening very long text. */
function quote(text: string): string {
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}...` : text);
}

function useUnits(kind: QuantityKind): string {
  const info = KINDS[kind];
  return `Use a number and a unit: ${info.units} (e.g. "${info.example}").`;
}

/** Spellings that differ from `unit` only in case, for a "units are case-sensitive" hint. */
function caseHint(unit: string, expected: QuantityKind | undefined): string {
  const lower = unit.toLowerCase();
  const matches: string[] = [];
  for (const name in UNIT_TABLE) {
    const def = UNIT_TABLE[name]!;
    if (name.toLowerCase() === lower && (expected === undefined || def.kind === expected)) {
      matches.push(`"${name}"`);
    }
  }
  if (matches.length === 0) return "";
  return ` Units are case-sensitive: did you mean ${matches.join(" or ")}?`;
}

function unreadable(text: string, expected: QuantityKind | undefined): string {
  return expected === undefined
    ? `Cannot read ${quote(text)} as a quantity. Use a number and a unit: ${ANY_KIND_HINT}.`
    : `Cannot read ${quote(text)} as ${KINDS[expected].aNoun}. ${useUnits(expected)}`;
}

/** Matches `text`; throws when it is unreadable or has no unit. */
function matchQuantity(
  text: string,
  expected: QuantityKind | undefined,
  path: VxPath,
): RegExpExecArray {
  const m = QUANTITY_RE.exec(text);
  if (m === null) throw new VxError("VX_CORE_BAD_UNIT", unreadable(text, expected), { path });
  if (m[2] === undefined) {
    const n = m[1]!;
    let message: string;
    if (expected === undefined) {
      message = `${quote(text)} has no unit. Add one: ${ANY_KIND_HINT}.`;
    } else {
      const info = KINDS[expected];
      const asNumber = expected === "percent" ? String(Number(n) / 100) : n;
      message = `${quote(text)} has no unit. Add one, e.g. "${n}${info.baseSuffix}" (units: ${info.units}), or pass the number ${asNumber} (${info.baseName}).`;
    }
    throw new VxError("VX_CORE_BAD_UNIT", message, { path });
  }
  return m;
}

/** Looks up the unit of a match; throws on an unknown unit or one of the wrong kind. */
function unitOf(
  text: string,
  m: RegExpExecArray,
  expected: QuantityKind | undefined,
  path: VxPath,
): UnitDef {
  const name = m[2]!;
  const def = UNIT_TABLE[name];
  if (def === undefined) {
    const message = unreadable(text, expected) + caseHint(name, expected);
    throw new VxError("VX_CORE_BAD_UNIT", message, { path });
  }
  if (expected !== undefined && def.kind !== expected) {
    throw new VxError(
      "VX_CORE_BAD_UNIT",
      `${quote(text)} is ${KINDS[def.kind].aNoun}, not ${KINDS[expected].aNoun}. ${useUnits(expected)}`,
      { path },
    );
  }
  return def;
}

/** The value of a match in base units; throws when it is negative or not finite. */
function valueOfMatch(text: string, m: RegExpExecArray, def: UnitDef, path: VxPath): number {
  const value = (Number(m[1]) * def.mul) / def.div;
  if (value >= 0 && value !== Number.POSITIVE_INFINITY) return value === 0 ? 0 : value;
  const info = KINDS[def.kind];
  const message = Number.isNaN(value)
    ? `${quote(text)} is not a number; ${info.aNoun} must be a finite number ≥ 0.`
    : value > 0
      ? `${quote(text)} is too large (not a finite number); ${info.aNoun} must be finite.`
      : `${quote(text)} is negative; ${info.aNoun} must be ≥ 0.`;
  throw new VxError("VX_CORE_BAD_VALUE", message, { path });
}

/** Reads `input` as a quantity of `kind`; the shared body of the typed parsers. */
function parseKind(input: unknown, kind: QuantityKind, path: VxPath): number {
  if (typeof input === "string") {
    const m = matchQuantity(input, kind, path);
    return valueOfMatch(input, m, unitOf(input, m, kind, path), path);
  }
  const info = KINDS[kind];
  if (typeof input === "number") {
    if (input >= 0 && input !== Number.POSITIVE_INFINITY) return input === 0 ? 0 : input;
    const problem = Number.isNaN(input)
      ? "is not a number"
      : input > 0 || input === Number.NEGATIVE_INFINITY
        ? "is not finite"
        : "is negative";
    throw new VxError(
      "VX_CORE_BAD_VALUE",
      `${String(input)} ${problem}; ${info.aNoun} must be a finite number ≥ 0 (${info.baseName}) or a string such as "${info.example}".`,
      { path },
    );
  }
  throw new VxError(
    "VX_CORE_BAD_VALUE",
    `Expected ${info.aNoun}: a number (${info.baseName}) or a string such as "${info.example}", got ${input === null ? "null" : typeof input}.`,
    { path },
  );
}

const EMPTY_PATH: VxPath = [];

/**
 * Reads a human string such as `"64GiB"`, `"10Gbps"`, `"300ms"` or `"5%"` as a quantity of
 * whichever kind its unit names. Use it when the kind is not known in advance; otherwise use
 * {@link parseBytes}, {@link parseRate}, {@link parseDuration} or {@link parsePercent}.
 *
 * Format: a decimal number (exponent allowed: `"1e9B"`), optional spaces, a unit. Units are
 * case-sensitive where case carries meaning (`Mbps` is megabits, `MBps` and `MB/s` megabytes
 * per second). Accepted units:
 * - sizes: B, byte, bytes, kB, KB, MB, GB, TB, PB (powers of 1000), KiB, MiB, GiB, TiB, PiB
 *   (powers of 1024);
 * - bit rates: bps, kbps, Kbps, Mbps, Gbps, Tbps, bit/s, kbit/s, Kbit/s, Mbit/s, Gbit/s,
 *   Tbit/s, Kibit/s, Mibit/s, Gibit/s, Tibit/s;
 * - byte rates: B/s, kB/s, KB/s, MB/s, GB/s, TB/s, PB/s, KiB/s, MiB/s, GiB/s, TiB/s, PiB/s and
 *   the same with `ps` for `/s` (Bps, kBps, KBps, MBps, …, GiBps);
 * - durations: ns, us, µs, μs, ms, s, sec, min, h, hr, d;
 * - percent: % (`"150%"` is 1.5).
 *
 * @param text - the string to read.
 * @param path - path of the field being read, for the error.
 * @returns the kind and the value in base units (bytes, bytes/s, seconds, fraction).
 * @throws {@link VxError} `VX_CORE_BAD_UNIT` when the string cannot be read, has no unit or an
 * unknown one; `VX_CORE_BAD_VALUE` when the value is negative or not finite.
 * @example
 * ```ts
 * parseQuantity("10Gbps"); // { kind: "rate", value: 1.25e9 }
 * parseQuantity("1.5 h"); // { kind: "duration", value: 5400 }
 * ```
 */
export function parseQuantity(text: string, path: VxPath = EMPTY_PATH): Quantity {
  if (typeof text !== "string") {
    throw new VxError(
      "VX_CORE_BAD_VALUE",
      `Expected a string such as ${ANY_KIND_HINT}, got ${text === null ? "null" : typeof text}.`,
      { path },
    );
  }
  const m = matchQuantity(text, undefined, path);
  const def = unitOf(text, m, undefined, path);
  return { kind: def.kind, value: valueOfMatch(text, m, def, path) };
}

/**
 * Reads a size: a number of bytes, or a string with a size unit such as `"64GiB"`.
 *
 * Use it for sizes in API options and scenario files. See {@link parseQuantity} for the format.
 *
 * @param input - bytes (finite, ≥ 0) or a string with a size unit.
 * @param path - path of the field being read, for the error.
 * @returns the size in bytes.
 * @throws {@link VxError} `VX_CORE_BAD_UNIT` when a string cannot be read as a size (no unit,
 * unknown unit, or a unit of another kind such as `"10Gbps"`); `VX_CORE_BAD_VALUE` when the
 * value is negative or not finite.
 * @example
 * ```ts
 * parseBytes("64GiB"); // 68_719_476_736
 * parseBytes(4096); // 4096
 * ```
 */
export function parseBytes(input: string | number, path: VxPath = EMPTY_PATH): number {
  return parseKind(input, "bytes", path);
}

/**
 * Reads a rate: bytes per second, or a string with a rate unit such as `"10Gbps"` or `"128 MiB/s"`.
 *
 * Use it for link and disk bandwidths. See {@link parseQuantity} for the format.
 *
 * @param input - bytes per second (finite, ≥ 0) or a string with a rate unit.
 * @param path - path of the field being read, for the error.
 * @returns the rate in bytes per second.
 * @throws {@link VxError} `VX_CORE_BAD_UNIT` when a string cannot be read as a rate;
 * `VX_CORE_BAD_VALUE` when the value is negative or not finite.
 * @example
 * ```ts
 * parseRate("10Gbps"); // 1.25e9
 * ```
 */
export function parseRate(input: string | number, path: VxPath = EMPTY_PATH): number {
  return parseKind(input, "rate", path);
}

/**
 * Reads a duration: seconds, or a string with a time unit such as `"300ms"` or `"1.5 h"`.
 *
 * Use it for timeouts, intervals and horizons. See {@link parseQuantity} for the format.
 *
 * @param input - seconds (finite, ≥ 0) or a string with a time unit.
 * @param path - path of the field being read, for the error.
 * @returns the duration in seconds.
 * @throws {@link VxError} `VX_CORE_BAD_UNIT` when a string cannot be read as a duration;
 * `VX_CORE_BAD_VALUE` when the value is negative or not finite.
 * @example
 * ```ts
 * parseDuration("300ms"); // 0.3
 * ```
 */
export function parseDuration(input: string | number, path: VxPath = EMPTY_PATH): number {
  return parseKind(input, "duration", path);
}

/**
 * Reads a percentage: a fraction, or a string such as `"5%"` or `"5 %"`.
 *
 * Use it for ratios such as dirty-page rates or overheads. Values above 100 % are allowed
 * (`"150%"` is 1.5); negative ones are not. See {@link parseQuantity} for the format.
 *
 * @param input - a fraction (finite, ≥ 0; `0.05` is 5 %) or a string ending in `%`.
 * @param path - path of the field being read, for the error.
 * @returns the fraction.
 * @throws {@link VxError} `VX_CORE_BAD_UNIT` when a string cannot be read as a percentage;
 * `VX_CORE_BAD_VALUE` when the value is negative or not finite.
 * @example
 * ```ts
 * parsePercent("5%"); // 0.05
 * ```
 */
export function parsePercent(input: string | number, path: VxPath = EMPTY_PATH): number {
  return parseKind(input, "percent", path);
}
