import { vxErrorOf } from "@vx/dev/matchers";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  Bps,
  bps,
  bytes,
  days,
  formatBytes,
  formatDuration,
  formatPercent,
  formatRate,
  GB,
  GBps,
  Gbps,
  GiB,
  GiBps,
  hours,
  KiB,
  KiBps,
  kB,
  kBps,
  kbps,
  MB,
  MBps,
  Mbps,
  MiB,
  MiBps,
  minutes,
  ms,
  ns,
  PB,
  PiB,
  parseBytes,
  parseDuration,
  parsePercent,
  parseQuantity,
  parseRate,
  percent,
  seconds,
  TB,
  TBps,
  Tbps,
  TiB,
  TiBps,
  us,
} from "../src/units.js";

describe("unit constructors", () => {
  it("convert sizes to bytes with powers of 1000 (SI) and 1024 (IEC)", () => {
    expect(bytes(512)).toBe(512);
    expect(kB(4)).toBe(4000);
    expect(MB(1.5)).toBe(1_500_000);
    expect(GB(2)).toBe(2_000_000_000);
    expect(TB(3)).toBe(3_000_000_000_000);
    expect(PB(1)).toBe(1_000_000_000_000_000);
    expect(KiB(4)).toBe(4096);
    expect(MiB(2)).toBe(2_097_152);
    expect(GiB(64)).toBe(68_719_476_736);
    expect(TiB(1)).toBe(1_099_511_627_776);
    expect(PiB(1)).toBe(1_125_899_906_842_624);
  });

  it("convert bit rates to bytes per second with 8 bits per byte", () => {
    expect(bps(800)).toBe(100);
    expect(kbps(8)).toBe(1000);
    expect(Mbps(100)).toBe(12_500_000);
    expect(Gbps(10)).toBe(1.25e9);
    expect(Tbps(1)).toBe(1.25e11);
  });

  it("convert byte rates to bytes per second", () => {
    expect(Bps(4096)).toBe(4096);
    expect(kBps(2)).toBe(2000);
    expect(MBps(500)).toBe(500_000_000);
    expect(GBps(3)).toBe(3_000_000_000);
    expect(TBps(1)).toBe(1_000_000_000_000);
    expect(KiBps(1)).toBe(1024);
    expect(MiBps(128)).toBe(134_217_728);
    expect(GiBps(1)).toBe(1_073_741_824);
    expect(TiBps(1)).toBe(1_099_511_627_776);
  });

  it("convert durations to seconds, sub-second units exactly as the decimal literal", () => {
    expect(ns(500)).toBe(5e-7);
    expect(us(250)).toBe(0.00025);
    expect(ms(300)).toBe(0.3);
    expect(seconds(42)).toBe(42);
    expect(minutes(2)).toBe(120);
    expect(hours(1.5)).toBe(5400);
    expect(days(1)).toBe(86_400);
  });

  it("convert percent to a fraction", () => {
    expect(percent(5)).toBe(0.05);
    expect(percent(150)).toBe(1.5);
  });
});

describe("parseQuantity", () => {
  // Values worked out by hand: 64 GiB = 64 × 2^30, 10 Gbps = 10e9 / 8, 128 MiB/s = 128 × 2^20, …
  const table: readonly [string, string, number][] = [
    ["64GiB", "bytes", 68_719_476_736],
    ["64 GiB", "bytes", 68_719_476_736],
    ["  64GiB  ", "bytes", 68_719_476_736],
    ["1.5GiB", "bytes", 1_610_612_736],
    [".5 GiB", "bytes", 536_870_912],
    ["1e9B", "bytes", 1_000_000_000],
    ["0 B", "bytes", 0],
    ["1 byte", "bytes", 1],
    ["2 bytes", "bytes", 2],
    ["4 kB", "bytes", 4000],
    ["4 KB", "bytes", 4000],
    ["3 TB", "bytes", 3e12],
    ["1PiB", "bytes", 1_125_899_906_842_624],
    ["10Gbps", "rate", 1_250_000_000],
    ["10 Gbit/s", "rate", 1_250_000_000],
    ["100 Mbps", "rate", 12_500_000],
    ["100 MBps", "rate", 100_000_000],
    ["100 MB/s", "rate", 100_000_000],
    ["1 Kbps", "rate", 125],
    ["1 kbit/s", "rate", 125],
    ["8 bps", "rate", 1],
    ["1 Gibit/s", "rate", 134_217_728],
    ["128 MiB/s", "rate", 134_217_728],
    ["128 MiBps", "rate", 134_217_728],
    ["2.5e3 B/s", "rate", 2500],
    ["300ms", "duration", 0.3],
    ["500ns", "duration", 5e-7],
    ["250us", "duration", 0.00025],
    ["250µs", "duration", 0.00025], // micro sign U+00B5
    ["250μs", "duration", 0.00025], // Greek mu U+03BC
    ["30 sec", "duration", 30],
    ["42s", "duration", 42],
    ["2 min", "duration", 120],
    ["1.5 h", "duration", 5400],
    ["1hr", "duration", 3600],
    ["1d", "duration", 86_400],
    ["5%", "percent", 0.05],
    ["5 %", "percent", 0.05],
    ["150%", "percent", 1.5],
  ];

  it.each(table)("reads %j as a %s of %d base units", (text, kind, value) => {
    expect(parseQuantity(text)).toEqual({ kind, value });
  });

  it("treats case as meaningful: Mbps is megabits, MBps megabytes per second", () => {
    expect(parseQuantity("8Mbps").value).toBe(1_000_000);
    expect(parseQuantity("8MBps").value).toBe(8_000_000);
  });

  it("agrees with the constructors", () => {
    expect(parseQuantity("64GiB").value).toBe(GiB(64));
    expect(parseQuantity("10Gbps").value).toBe(Gbps(10));
    expect(parseQuantity("300ms").value).toBe(ms(300));
    expect(parseQuantity("5%").value).toBe(percent(5));
  });
});

describe("typed parsers", () => {
  it("read strings with a unit of their kind", () => {
    expect(parseBytes("64GiB")).toBe(68_719_476_736);
    expect(parseRate("10Gbps")).toBe(1.25e9);
    expect(parseDuration("300ms")).toBe(0.3);
    expect(parsePercent("5%")).toBe(0.05);
  });

  it("take numbers as already in base units", () => {
    expect(parseBytes(4096)).toBe(4096);
    expect(parseRate(1.25e9)).toBe(1.25e9);
    expect(parseDuration(0.3)).toBe(0.3);
    expect(parsePercent(0.05)).toBe(0.05);
    expect(Object.is(parseBytes(-0), 0)).toBe(true);
  });
});

describe("bad input", () => {
  const path = ["hosts", 1, "ram"] as const;

  it("rejects garbage with VX_CORE_BAD_UNIT naming the string and the accepted units", () => {
    const error = vxErrorOf(() => parseBytes("lots", path));
    expect(error.code).toBe("VX_CORE_BAD_UNIT");
    expect(error.path).toEqual(path);
    expect(error.message).toContain('"lots"');
    expect(error.message).toContain("KiB, MiB, GiB");
  });

  it("rejects an unknown unit with the message of the spec example", () => {
    const error = vxErrorOf(() => parseBytes("64 GiBs", path));
    expect(error.code).toBe("VX_CORE_BAD_UNIT");
    expect(error.path).toEqual(path);
    expect(error.issues[0]!.message).toBe(
      'Cannot read "64 GiBs" as a size. Use a number and a unit: B, kB, MB, GB, TB, PB, KiB, MiB, GiB, TiB, PiB (e.g. "64GiB").',
    );
  });

  it("suggests the right case when a unit differs only in case", () => {
    const error = vxErrorOf(() => parseRate("10mbps", ["link"]));
    expect(error.code).toBe("VX_CORE_BAD_UNIT");
    expect(error.message).toContain('"10mbps"');
    expect(error.message).toContain('did you mean "Mbps" or "MBps"?');
  });

  it("rejects a unit of the wrong kind, saying which kind it is", () => {
    const error = vxErrorOf(() => parseBytes("10Gbps", path));
    expect(error.code).toBe("VX_CORE_BAD_UNIT");
    expect(error.path).toEqual(path);
    expect(error.message).toContain('"10Gbps" is a rate, not a size');
    const other = vxErrorOf(() => parseDuration("5%", ["timeout"]));
    expect(other.message).toContain('"5%" is a percentage, not a duration');
  });

  it("rejects a bare numeric string, asking for a unit", () => {
    const error = vxErrorOf(() => parseBytes("4096", path));
    expect(error.code).toBe("VX_CORE_BAD_UNIT");
    expect(error.path).toEqual(path);
    expect(error.message).toContain('"4096" has no unit');
    expect(error.message).toContain('"4096B"');
    expect(vxErrorOf(() => parseQuantity("4096", path)).code).toBe("VX_CORE_BAD_UNIT");
  });

  it("rejects the empty string", () => {
    const error = vxErrorOf(() => parseDuration("", ["timeout"]));
    expect(error.code).toBe("VX_CORE_BAD_UNIT");
    expect(error.path).toEqual(["timeout"]);
    expect(error.message).toContain('Cannot read "" as a duration');
  });

  it("rejects negative values, as strings and as numbers, with VX_CORE_BAD_VALUE", () => {
    const fromString = vxErrorOf(() => parseBytes("-5GiB", path));
    expect(fromString.code).toBe("VX_CORE_BAD_VALUE");
    expect(fromString.path).toEqual(path);
    expect(fromString.message).toContain('"-5GiB" is negative');
    const fromNumber = vxErrorOf(() => parseBytes(-5, path));
    expect(fromNumber.code).toBe("VX_CORE_BAD_VALUE");
    expect(fromNumber.message).toContain("-5 is negative");
    expect(vxErrorOf(() => parsePercent("-5%", path)).code).toBe("VX_CORE_BAD_VALUE");
    expect(vxErrorOf(() => parseQuantity("-1s", path)).code).toBe("VX_CORE_BAD_VALUE");
  });

  it("rejects NaN and infinite values with VX_CORE_BAD_VALUE", () => {
    for (const input of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      const error = vxErrorOf(() => parseRate(input, ["nic"]));
      expect(error.code).toBe("VX_CORE_BAD_VALUE");
      expect(error.path).toEqual(["nic"]);
      expect(error.message).toContain(String(input));
    }
    for (const input of ["NaN GiB", "Infinity GiB", "1e400GiB"]) {
      const error = vxErrorOf(() => parseBytes(input, path));
      expect(error.code).toBe("VX_CORE_BAD_VALUE");
      expect(error.message).toContain(JSON.stringify(input));
    }
  });

  it("rejects inputs that are neither numbers nor strings with VX_CORE_BAD_VALUE", () => {
    const error = vxErrorOf(() => parseBytes(true as unknown as number, path));
    expect(error.code).toBe("VX_CORE_BAD_VALUE");
    expect(error.message).toContain("got boolean");
  });

  it("defaults the path to the input as a whole", () => {
    expect(vxErrorOf(() => parseBytes("x")).path).toEqual([]);
  });
});

describe("formatters", () => {
  it("format sizes in the largest unit that keeps the value ≥ 1", () => {
    expect(formatBytes(GiB(4))).toBe("4 GiB");
    expect(formatBytes(MiB(1.5))).toBe("1.5 MiB");
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(0)).toBe("0 B");
    expect(formatBytes(KiB(1023.9))).toBe("1 MiB"); // 1023.9 KiB rounds to 1024 KiB = 1 MiB
    expect(formatBytes(1_500_000, { binary: false })).toBe("1.5 MB");
    expect(formatBytes(GiB(4), { binary: false })).toBe("4.29 GB");
    expect(formatBytes(123_456_789, { binary: false, digits: 5 })).toBe("123.46 MB");
    expect(formatBytes(PiB(2048))).toBe("2048 PiB"); // integer digits are never dropped
  });

  it("format rates in bits per second by default, bytes on request", () => {
    expect(formatRate(Gbps(10))).toBe("10 Gbit/s");
    expect(formatRate(Mbps(100))).toBe("100 Mbit/s");
    expect(formatRate(MiBps(128), { bits: false })).toBe("128 MiB/s");
    expect(formatRate(MBps(500), { bits: false, binary: false })).toBe("500 MB/s");
    expect(formatRate(GiB(1) / 8, { binary: true })).toBe("1 Gibit/s");
    expect(formatRate(0.125)).toBe("1 bit/s");
  });

  it("format durations from ns to hours", () => {
    expect(formatDuration(0.3)).toBe("300 ms");
    expect(formatDuration(42.634)).toBe("42.6 s");
    expect(formatDuration(5400)).toBe("1.5 h");
    expect(formatDuration(120)).toBe("2 min");
    expect(formatDuration(0.00025)).toBe("250 µs");
    expect(formatDuration(5e-7)).toBe("500 ns");
    expect(formatDuration(0)).toBe("0 s");
    expect(formatDuration(59.99)).toBe("1 min");
    expect(formatDuration(days(3))).toBe("72 h");
  });

  it("format fractions as percentages without a space", () => {
    expect(formatPercent(0.05)).toBe("5%");
    expect(formatPercent(1.5)).toBe("150%");
    expect(formatPercent(0.123456)).toBe("12.3%");
    expect(formatPercent(0.123456, { digits: 5 })).toBe("12.346%");
    expect(formatPercent(0.0000123)).toBe("0.00123%");
  });

  it("format negatives, NaN and infinities sensibly", () => {
    expect(formatBytes(-GiB(4))).toBe("-4 GiB");
    expect(formatDuration(-0.3)).toBe("-300 ms");
    expect(formatBytes(-0)).toBe("0 B");
    expect(formatBytes(Number.NaN)).toBe("NaN B");
    expect(formatRate(Number.POSITIVE_INFINITY)).toBe("∞ bit/s");
    expect(formatDuration(Number.NEGATIVE_INFINITY)).toBe("-∞ s");
    expect(formatPercent(Number.NaN)).toBe("NaN%");
  });

  it("refuse anything but a number (a result's bytesSent object is not ∞ B)", () => {
    const bytesSent = { total: 1, fullPages: 1, deltas: 0, zeroPageFlags: 0 };
    const cases: [() => string, string][] = [
      [
        () => formatBytes(bytesSent as unknown as number),
        "formatBytes expects a number, got object.",
      ],
      [() => formatRate("10Gbps" as unknown as number), "formatRate expects a number, got string."],
      [
        () => formatDuration(null as unknown as number),
        "formatDuration expects a number, got null.",
      ],
      [
        () => formatPercent(undefined as unknown as number),
        "formatPercent expects a number, got undefined.",
      ],
    ];
    for (const [run, message] of cases) {
      const error = vxErrorOf(run);
      expect(error.code).toBe("VX_CORE_INVALID_ARGUMENT");
      expect(error.message).toBe(message);
    }
  });

  it("use exponent notation only for values far outside the unit range", () => {
    expect(formatDuration(1.234e-12)).toBe("0.00123 ns");
    expect(formatBytes(1e40)).toBe("8.88e+24 PiB");
  });

  it("reject digits outside 1–21 with VX_CORE_INVALID_ARGUMENT", () => {
    for (const digits of [0, 22, 2.5, Number.NaN]) {
      const error = vxErrorOf(() => formatBytes(1, { digits }));
      expect(error.code).toBe("VX_CORE_INVALID_ARGUMENT");
      expect(error.path).toEqual(["digits"]);
    }
  });
});

describe("parse(format(x)) round trip", () => {
  // Values: 0, everyday magnitudes, and 1e-300 (above subnormals, whose spacing exceeds the rounding) to 1e30.
  const value = fc.oneof(
    fc.constant(0),
    fc.double({ min: 1e-300, max: 1e30, noNaN: true }),
    fc.integer({ min: 0, max: 2 ** 53 }),
    fc.integer({ min: 1, max: 10 ** 9 }).map((n) => n / 1000), // everyday magnitudes
  );
  const digits = fc.integer({ min: 1, max: 12 });
  /** Rounding to d significant digits moves a value by at most half a unit in the last digit. */
  const close = (parsed: number, x: number, d: number): boolean =>
    Math.abs(parsed - x) <= x * (0.5 * 10 ** (1 - d) + 1e-12);

  it("recovers sizes within the formatter's rounding", () => {
    fc.assert(
      fc.property(value, digits, fc.boolean(), (x, d, binary) =>
        close(parseBytes(formatBytes(x, { binary, digits: d })), x, d),
      ),
      { numRuns: 500 },
    );
  });

  it("recovers rates within the formatter's rounding", () => {
    fc.assert(
      fc.property(value, digits, fc.boolean(), fc.boolean(), (x, d, bits, binary) =>
        close(parseRate(formatRate(x, { bits, binary, digits: d })), x, d),
      ),
      { numRuns: 500 },
    );
  });

  it("recovers durations within the formatter's rounding", () => {
    fc.assert(
      fc.property(value, digits, (x, d) =>
        close(parseDuration(formatDuration(x, { digits: d })), x, d),
      ),
      { numRuns: 500 },
    );
  });

  it("recovers percentages within the formatter's rounding", () => {
    fc.assert(
      fc.property(value, digits, (x, d) =>
        close(parsePercent(formatPercent(x, { digits: d })), x, d),
      ),
      { numRuns: 500 },
    );
  });

  it("recovers the default 3 significant digits to within 0.5 %", () => {
    fc.assert(fc.property(value, (x) => close(parseQuantity(formatBytes(x)).value, x, 3)));
  });
});
