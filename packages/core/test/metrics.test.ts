import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Counter, Histogram, Metrics, TimeSeries, TimeWeightedGauge } from "../src/metrics.js";

function roundTrip(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value));
}

/** Relative closeness for sums of floats computed in different orders. */
function expectClose(actual: number, expected: number, scale: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-9 * Math.max(1, scale));
}

/** Steps of a run: wait `dt` seconds, then set/record `value`. */
const steps = fc.array(
  fc.record({
    dt: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 100, noNaN: true })),
    value: fc.oneof(
      fc.integer({ min: -3, max: 3 }),
      fc.double({ min: -1e6, max: 1e6, noNaN: true }),
    ),
  }),
  { maxLength: 60 },
);

describe("Counter", () => {
  it("starts at 0 and adds 1 by default or the given amount", () => {
    const c = new Counter("requests");
    expect(c.value).toBe(0);
    c.inc();
    c.inc(2.5);
    expect(c.value).toBe(3.5);
    expect(c.toJSON()).toEqual({ kind: "counter", name: "requests", value: 3.5 });
  });

  it("rejects a negative increment", () => {
    expect(() => new Counter("c").inc(-1)).toThrowVx("VX_CORE_BAD_METRIC_VALUE", ["c", "by"]);
  });

  it("rejects a NaN increment", () => {
    expect(() => new Counter("c").inc(Number.NaN)).toThrowVx("VX_CORE_BAD_METRIC_VALUE", [
      "c",
      "by",
    ]);
  });

  it("rejects an infinite increment", () => {
    expect(() => new Counter("c").inc(Number.POSITIVE_INFINITY)).toThrowVx(
      "VX_CORE_BAD_METRIC_VALUE",
      ["c", "by"],
    );
  });

  it("rejects an empty name", () => {
    expect(() => new Counter("")).toThrowVx("VX_CORE_BAD_METRIC_NAME", ["name"]);
  });
});

describe("TimeWeightedGauge", () => {
  it("at 2 for 3 s then 5 for 1 s has integral 11 and mean 2.75", () => {
    const clock = { now: 0 };
    const g = new TimeWeightedGauge(clock, "vms", 2);
    clock.now = 3;
    g.set(5);
    clock.now = 4;
    expect(g.integral()).toBe(11);
    expect(g.mean()).toBe(2.75);
    expect(g.value).toBe(5);
    expect(g.min).toBe(2);
    expect(g.max).toBe(5);
    expect(g.toJSON()).toEqual({
      kind: "gauge",
      name: "vms",
      value: 5,
      min: 2,
      max: 5,
      mean: 2.75,
      integral: 11,
    });
  });

  it("measures from its creation time, not from time 0", () => {
    const clock = { now: 10 };
    const g = new TimeWeightedGauge(clock, "q", 1);
    expect(g.start).toBe(10);
    clock.now = 12;
    g.add(2); // 1 for 2 s, then 3
    clock.now = 13;
    expect(g.value).toBe(3);
    expect(g.integral()).toBe(5);
    expect(g.mean()).toBe(5 / 3);
  });

  it("has the current value as mean when no time has elapsed", () => {
    const clock = { now: 5 };
    const g = new TimeWeightedGauge(clock, "g");
    g.set(7);
    expect(g.integral()).toBe(0);
    expect(g.mean()).toBe(7);
    expect(g.min).toBe(0);
    expect(g.max).toBe(7);
  });

  it("keeps only the last of several values set at the same instant in the integral", () => {
    const clock = { now: 0 };
    const g = new TimeWeightedGauge(clock, "g");
    g.set(100);
    g.set(1);
    clock.now = 2;
    expect(g.integral()).toBe(2);
    expect(g.max).toBe(100);
  });

  it("has a mean within [min, max] and an integral equal to the brute-force sum", () => {
    fc.assert(
      fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), steps, (initial, run) => {
        const clock = { now: 0 };
        const g = new TimeWeightedGauge(clock, "g", initial);
        const held: { value: number; from: number }[] = [{ value: initial, from: 0 }];
        for (const { dt, value } of run) {
          clock.now += dt;
          g.set(value);
          held.push({ value, from: clock.now });
        }
        clock.now += 1;
        let brute = 0;
        let scale = 0;
        for (let i = 0; i < held.length; i++) {
          const seg = held[i]!;
          const end = i + 1 < held.length ? held[i + 1]!.from : clock.now;
          brute += seg.value * (end - seg.from);
          scale += Math.abs(seg.value * (end - seg.from));
        }
        const values = held.map((h) => h.value);
        expect(g.min).toBe(Math.min(...values));
        expect(g.max).toBe(Math.max(...values));
        expectClose(g.integral(), brute, scale);
        const mean = g.mean();
        expect(mean).toBeGreaterThanOrEqual(g.min);
        expect(mean).toBeLessThanOrEqual(g.max);
        expectClose(mean, brute / clock.now, scale / clock.now);
      }),
    );
  });

  it("survives a JSON round trip unchanged", () => {
    const clock = { now: 0 };
    const g = new TimeWeightedGauge(clock, "g", -0);
    clock.now = 0.1;
    g.set(0.3);
    clock.now = 0.7;
    expect(roundTrip(g.toJSON())).toEqual(g.toJSON());
  });

  it("rejects a NaN value", () => {
    const g = new TimeWeightedGauge({ now: 0 }, "g");
    expect(() => g.set(Number.NaN)).toThrowVx("VX_CORE_BAD_METRIC_VALUE", ["g", "value"]);
    expect(g.value).toBe(0);
  });

  it("rejects an infinite value", () => {
    const g = new TimeWeightedGauge({ now: 0 }, "g");
    expect(() => g.set(Number.NEGATIVE_INFINITY)).toThrowVx("VX_CORE_BAD_METRIC_VALUE", [
      "g",
      "value",
    ]);
  });

  it("rejects a NaN delta", () => {
    const g = new TimeWeightedGauge({ now: 0 }, "g");
    expect(() => g.add(Number.NaN)).toThrowVx("VX_CORE_BAD_METRIC_VALUE", ["g", "delta"]);
  });

  it("rejects a NaN initial value", () => {
    expect(() => new TimeWeightedGauge({ now: 0 }, "g", Number.NaN)).toThrowVx(
      "VX_CORE_BAD_METRIC_VALUE",
      ["g", "initial"],
    );
  });

  it("rejects a clock that does not read a finite time at creation", () => {
    expect(() => new TimeWeightedGauge({ now: Number.NaN }, "g")).toThrowVx(
      "VX_CORE_BAD_METRIC_VALUE",
      ["g", "clock", "now"],
    );
  });

  it("rejects an update when the clock went backwards", () => {
    const clock = { now: 5 };
    const g = new TimeWeightedGauge(clock, "g");
    clock.now = 4;
    expect(() => g.set(1)).toThrowVx("VX_CORE_TIME_WENT_BACKWARDS", ["g", "clock", "now"]);
    expect(g.value).toBe(0);
  });

  it("rejects reading the integral when the clock went backwards", () => {
    const clock = { now: 0 };
    const g = new TimeWeightedGauge(clock, "g");
    clock.now = 3;
    g.set(1);
    clock.now = 2;
    expect(() => g.integral()).toThrowVx("VX_CORE_TIME_WENT_BACKWARDS", ["g", "clock", "now"]);
    expect(() => g.mean()).toThrowVx("VX_CORE_TIME_WENT_BACKWARDS", ["g", "clock", "now"]);
  });
});

function points(s: TimeSeries): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < s.length; i++) out.push([s.timeAt(i), s.valueAt(i)]);
  return out;
}

describe("TimeSeries", () => {
  it("stores only changes of value", () => {
    const clock = { now: 0 };
    const s = new TimeSeries(clock, "s");
    for (const [t, v] of [
      [0, 1],
      [1, 1],
      [2, 2],
      [3, 2],
      [4, 1],
    ] as const) {
      clock.now = t;
      s.record(v);
    }
    expect(points(s)).toEqual([
      [0, 1],
      [2, 2],
      [4, 1],
    ]);
  });

  it("keeps the last value recorded at an instant", () => {
    const clock = { now: 0 };
    const s = new TimeSeries(clock, "s");
    s.record(1);
    clock.now = 2;
    s.record(5);
    s.record(7);
    expect(points(s)).toEqual([
      [0, 1],
      [2, 7],
    ]);
  });

  it("overwrites the first point when recording again at its instant", () => {
    const s = new TimeSeries({ now: 0 }, "s");
    s.record(1);
    s.record(2);
    expect(points(s)).toEqual([[0, 2]]);
  });

  it("drops a same-instant point whose new value equals the point before", () => {
    const clock = { now: 0 };
    const s = new TimeSeries(clock, "s");
    s.record(1);
    clock.now = 2;
    s.record(5);
    s.record(1);
    expect(points(s)).toEqual([[0, 1]]);
    clock.now = 3;
    s.record(1); // still no change
    s.record(4);
    expect(points(s)).toEqual([
      [0, 1],
      [3, 4],
    ]);
  });

  it("looks up the value in force at a time, NaN before the first point", () => {
    const clock = { now: 1 };
    const s = new TimeSeries(clock, "s");
    expect(s.at(1)).toBeNaN();
    s.record(10);
    clock.now = 3;
    s.record(30);
    clock.now = 6;
    s.record(60);
    expect(s.at(0.999)).toBeNaN();
    expect(s.at(1)).toBe(10);
    expect(s.at(2.9)).toBe(10);
    expect(s.at(3)).toBe(30);
    expect(s.at(5)).toBe(30);
    expect(s.at(6)).toBe(60);
    expect(s.at(1e9)).toBe(60);
    expect(s.at(Number.NEGATIVE_INFINITY)).toBeNaN();
  });

  it("grows past its initial capacity without losing points", () => {
    const clock = { now: 0 };
    const s = new TimeSeries(clock, "s");
    for (let i = 0; i < 1000; i++) {
      clock.now = i * 0.5;
      s.record(i % 2 === 0 ? i : -i);
    }
    expect(s.length).toBe(1000);
    for (const i of [0, 15, 16, 17, 511, 999]) {
      expect(s.timeAt(i)).toBe(i * 0.5);
      expect(s.valueAt(i)).toBe(i % 2 === 0 ? i : -i);
      expect(s.at(i * 0.5 + 0.25)).toBe(i % 2 === 0 ? i : -i);
    }
  });

  it("integrates the step function: 2 for 3 s then 5 for 1 s gives 11, mean 2.75", () => {
    const clock = { now: 0 };
    const s = new TimeSeries(clock, "s");
    s.record(2);
    clock.now = 3;
    s.record(5);
    clock.now = 4;
    expect(s.integral()).toBe(11);
    expect(s.mean()).toBe(2.75);
    expect(s.integral(1, 3.5)).toBe(6.5); // 2*2 + 5*0.5
    expect(s.mean(1, 3.5)).toBe(2.6);
    expect(s.integral(3.5, 10)).toBe(32.5); // the last value holds until `to`
    expect(s.mean(2, 2)).toBe(2);
    expect(s.integral(-1, 4)).toBeNaN(); // unknown before the first point
    expect(new TimeSeries(clock, "empty").mean()).toBeNaN();
  });

  it("matches a model that keeps every record, and stores only strictly increasing changes", () => {
    fc.assert(
      fc.property(steps, (run) => {
        const clock = { now: 0 };
        const s = new TimeSeries(clock, "s");
        const records: { t: number; v: number }[] = [];
        for (const { dt, value } of run) {
          clock.now += dt;
          s.record(value);
          records.push({ t: clock.now, v: value });
        }
        // Reference: the value in force at t is the last one recorded at or before t.
        const model = (t: number): number => {
          let v = Number.NaN;
          for (const r of records) if (r.t <= t) v = r.v;
          return v;
        };
        for (let i = 1; i < s.length; i++) {
          expect(s.timeAt(i)).toBeGreaterThan(s.timeAt(i - 1));
          expect(s.valueAt(i)).not.toBe(s.valueAt(i - 1));
        }
        // `+ 0` folds -0 into 0: a series treats them as the same value (no change recorded).
        for (const { t } of records) {
          expect(s.at(t) + 0).toBe(model(t) + 0);
          expect(s.at(t + 0.5) + 0).toBe(model(t + 0.5) + 0);
          expect(s.at(t - 0.5) + 0).toBe(model(t - 0.5) + 0);
        }
        if (records.length > 0) {
          const end = clock.now + 1;
          let brute = 0;
          let scale = 0;
          for (let i = 0; i < records.length; i++) {
            const next = i + 1 < records.length ? records[i + 1]!.t : end;
            brute += records[i]!.v * (next - records[i]!.t);
            scale += Math.abs(records[i]!.v * (next - records[i]!.t));
          }
          expectClose(s.integral(records[0]!.t, end), brute, scale);
        }
      }),
    );
  });

  it("serialises to plain arrays and survives a JSON round trip unchanged", () => {
    const clock = { now: 0 };
    const s = new TimeSeries(clock, "host0.vms");
    s.record(-0);
    clock.now = 0.1;
    s.record(0.3);
    clock.now = 2;
    s.record(1);
    const json = s.toJSON();
    expect(json).toEqual({
      kind: "timeseries",
      name: "host0.vms",
      times: [0, 0.1, 2],
      values: [0, 0.3, 1],
    });
    expect(Array.isArray(json.times)).toBe(true);
    expect(Array.isArray(json.values)).toBe(true);
    expect(roundTrip(json)).toEqual(json);
  });

  it("rejects a NaN value", () => {
    const s = new TimeSeries({ now: 0 }, "s");
    expect(() => s.record(Number.NaN)).toThrowVx("VX_CORE_BAD_METRIC_VALUE", ["s", "value"]);
    expect(s.length).toBe(0);
  });

  it("rejects an infinite value", () => {
    const s = new TimeSeries({ now: 0 }, "s");
    expect(() => s.record(Number.POSITIVE_INFINITY)).toThrowVx("VX_CORE_BAD_METRIC_VALUE", [
      "s",
      "value",
    ]);
  });

  it("rejects a record when the clock went backwards, even after a record that stored nothing", () => {
    const clock = { now: 0 };
    const s = new TimeSeries(clock, "s");
    s.record(1);
    clock.now = 5;
    s.record(1); // no change stored, but time 5 was seen
    clock.now = 4;
    expect(() => s.record(2)).toThrowVx("VX_CORE_TIME_WENT_BACKWARDS", ["s", "clock", "now"]);
  });

  it("rejects a record earlier than its creation time", () => {
    const clock = { now: 5 };
    const s = new TimeSeries(clock, "s");
    clock.now = 1;
    expect(() => s.record(2)).toThrowVx("VX_CORE_TIME_WENT_BACKWARDS", ["s", "clock", "now"]);
  });

  it("rejects a NaN lookup time", () => {
    const s = new TimeSeries({ now: 0 }, "s");
    expect(() => s.at(Number.NaN)).toThrowVx("VX_CORE_BAD_METRIC_VALUE", ["s", "t"]);
  });

  it("rejects a window that ends before it starts", () => {
    const s = new TimeSeries({ now: 0 }, "s");
    s.record(1);
    expect(() => s.integral(3, 2)).toThrowVx("VX_CORE_BAD_METRIC_VALUE", ["s", "to"]);
    expect(() => s.mean(Number.NaN, 2)).toThrowVx("VX_CORE_BAD_METRIC_VALUE", ["s", "from"]);
  });

  it("rejects an index out of range", () => {
    const s = new TimeSeries({ now: 0 }, "s");
    s.record(1);
    expect(() => s.timeAt(1)).toThrowVx("VX_CORE_INVALID_ARGUMENT", ["s", "i"]);
    expect(() => s.valueAt(-1)).toThrowVx("VX_CORE_INVALID_ARGUMENT", ["s", "i"]);
    expect(() => s.valueAt(0.5)).toThrowVx("VX_CORE_INVALID_ARGUMENT", ["s", "i"]);
  });
});

describe("Histogram", () => {
  it("gives NumPy's default (linear, type 7) percentiles of 1..10", () => {
    const h = new Histogram("h");
    for (let i = 1; i <= 10; i++) h.record(i);
    // Expected values printed by numpy 2.4 np.percentile(np.arange(1, 11), p).
    expect(h.percentile(0)).toBe(1);
    expect(h.percentile(25)).toBe(3.25);
    expect(h.percentile(50)).toBe(5.5);
    expect(h.percentile(90)).toBe(9.1);
    expect(h.percentile(95)).toBe(9.549999999999999);
    expect(h.percentile(99)).toBe(9.91);
    expect(h.percentile(100)).toBe(10);
  });

  it("matches NumPy bit for bit on unsorted data", () => {
    const h = new Histogram("h");
    for (const v of [3.2, -1.5, 7.7, 0.1, 2.2, 9.9, 4.4]) h.record(v);
    // np.percentile([3.2, -1.5, 7.7, 0.1, 2.2, 9.9, 4.4], p), numpy 2.4.
    const expected: [number, number][] = [
      [0, -1.5],
      [10, -0.5399999999999999],
      [25, 1.1500000000000001],
      [33.3, 2.1957999999999998],
      [50, 3.2],
      [90, 8.580000000000002],
      [95, 9.239999999999998],
      [99, 9.767999999999999],
      [100, 9.9],
    ];
    for (const [p, v] of expected) expect(h.percentile(p)).toBe(v);
    expect(h.count).toBe(7);
    expect(h.sum).toBeCloseTo(26, 12);
    expect(h.mean).toBeCloseTo(3.7142857142857144, 12);
    expect(h.min).toBe(-1.5);
    expect(h.max).toBe(9.9);
    expect(h.stddev).toBeCloseTo(3.7307328163430276, 12); // np.std, ddof=0
  });

  it("re-sorts after a new sample instead of serving a stale cached percentile", () => {
    const h = new Histogram("h");
    h.record(1);
    h.record(3);
    expect(h.percentile(50)).toBe(2);
    h.record(100);
    expect(h.percentile(50)).toBe(3);
  });

  it("keeps every sample past its initial capacity", () => {
    const h = new Histogram("h");
    for (let i = 999; i >= 0; i--) h.record(i);
    expect(h.count).toBe(1000);
    expect(h.percentile(0)).toBe(0);
    expect(h.percentile(100)).toBe(999);
    expect(h.percentile(50)).toBe(499.5);
  });

  it("has percentiles nondecreasing in p, from min at 0 to max at 100", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e9, max: 1e9, noNaN: true }), { minLength: 1, maxLength: 50 }),
        fc.array(fc.double({ min: 0, max: 100, noNaN: true }), { minLength: 2, maxLength: 10 }),
        (samples, ps) => {
          const h = new Histogram("h");
          for (const v of samples) h.record(v);
          // `+ 0` folds -0 into 0: the two are the same sample value.
          expect(h.percentile(0) + 0).toBe(Math.min(...samples) + 0);
          expect(h.percentile(100) + 0).toBe(Math.max(...samples) + 0);
          const sortedPs = [...ps].sort((a, b) => a - b);
          let previous = Number.NEGATIVE_INFINITY;
          for (const p of sortedPs) {
            const q = h.percentile(p);
            expect(q).toBeGreaterThanOrEqual(previous);
            expect(q).toBeGreaterThanOrEqual(h.min);
            expect(q).toBeLessThanOrEqual(h.max);
            previous = q;
          }
        },
      ),
    );
  });

  it("reports null statistics when empty so that its JSON stays valid", () => {
    const h = new Histogram("h");
    expect(h.mean).toBeNaN();
    expect(h.percentile(50)).toBeNaN();
    expect(h.toJSON()).toEqual({
      kind: "histogram",
      name: "h",
      count: 0,
      sum: 0,
      mean: null,
      min: null,
      max: null,
      stddev: null,
      p50: null,
      p90: null,
      p95: null,
      p99: null,
    });
    expect(roundTrip(h.toJSON())).toEqual(h.toJSON());
  });

  it("serialises its summary and survives a JSON round trip unchanged", () => {
    const h = new Histogram("h");
    for (let i = 1; i <= 10; i++) h.record(i / 10);
    h.record(-0);
    const json = h.toJSON();
    expect(json.count).toBe(11);
    expect(json.p50).toBe(h.percentile(50));
    expect(json.p99).toBe(h.percentile(99));
    expect(roundTrip(json)).toEqual(json);
  });

  it("rejects a NaN sample", () => {
    const h = new Histogram("h");
    expect(() => h.record(Number.NaN)).toThrowVx("VX_CORE_BAD_METRIC_VALUE", ["h", "value"]);
    expect(h.count).toBe(0);
  });

  it("rejects an infinite sample", () => {
    const h = new Histogram("h");
    expect(() => h.record(Number.POSITIVE_INFINITY)).toThrowVx("VX_CORE_BAD_METRIC_VALUE", [
      "h",
      "value",
    ]);
  });

  it("rejects a percentile outside [0, 100]", () => {
    const h = new Histogram("h");
    h.record(1);
    expect(() => h.percentile(-0.1)).toThrowVx("VX_CORE_BAD_METRIC_VALUE", ["h", "p"]);
    expect(() => h.percentile(100.5)).toThrowVx("VX_CORE_BAD_METRIC_VALUE", ["h", "p"]);
    expect(() => h.percentile(Number.NaN)).toThrowVx("VX_CORE_BAD_METRIC_VALUE", ["h", "p"]);
  });
});

describe("Metrics", () => {
  it("returns the same metric when asked twice for a name", () => {
    const m = new Metrics({ now: 0 });
    expect(m.counter("c")).toBe(m.counter("c"));
    expect(m.gauge("g", 3)).toBe(m.gauge("g"));
    expect(m.gauge("g").value).toBe(3);
    expect(m.series("s")).toBe(m.series("s"));
    expect(m.histogram("h")).toBe(m.histogram("h"));
    expect(m.get("h")).toBe(m.histogram("h"));
    expect(m.get("missing")).toBeUndefined();
  });

  it("gives time-based metrics the registry's clock", () => {
    const clock = { now: 0 };
    const m = new Metrics(clock);
    const g = m.gauge("g", 1);
    clock.now = 4;
    expect(g.integral()).toBe(4);
  });

  it("rejects asking for an existing name as another kind", () => {
    const m = new Metrics({ now: 0 });
    m.counter("x");
    expect(() => m.gauge("x")).toThrowVx("VX_CORE_METRIC_KIND", ["x"]);
    expect(() => m.series("x")).toThrowVx("VX_CORE_METRIC_KIND", ["x"]);
    expect(() => m.histogram("x")).toThrowVx("VX_CORE_METRIC_KIND", ["x"]);
    m.histogram("y");
    expect(() => m.counter("y")).toThrowVx("VX_CORE_METRIC_KIND", ["y"]);
  });

  it("rejects an empty metric name", () => {
    expect(() => new Metrics({ now: 0 }).series("")).toThrowVx("VX_CORE_BAD_METRIC_NAME", ["name"]);
  });

  it("serialises metrics in name order, byte-identically for identical runs", () => {
    const run = (): string => {
      const clock = { now: 0 };
      const m = new Metrics(clock);
      m.histogram("z.latency").record(0.25);
      m.counter("a.count").inc(2);
      m.series("m.series").record(1);
      m.gauge("b.gauge").set(2);
      m.histogram("empty");
      clock.now = 1.5;
      m.series("m.series").record(3);
      return JSON.stringify(m);
    };
    const out = run();
    expect(out).toBe(run());
    const parsed = JSON.parse(out) as Record<string, { kind: string }>;
    expect(Object.keys(parsed)).toEqual(["a.count", "b.gauge", "empty", "m.series", "z.latency"]);
    expect(parsed["m.series"]).toEqual({
      kind: "timeseries",
      name: "m.series",
      times: [0, 1.5],
      values: [1, 3],
    });
    expect(parsed["b.gauge"]).toMatchObject({ kind: "gauge", mean: 2, integral: 3 });
  });

  it("keeps a metric named __proto__ as an ordinary key", () => {
    const m = new Metrics({ now: 0 });
    m.counter("__proto__").inc();
    const json = m.toJSON();
    expect(Object.keys(json)).toEqual(["__proto__"]);
    expect(Object.getPrototypeOf(json)).toBe(Object.prototype);
    expect(roundTrip(json)).toEqual(json);
  });

  it("survives a JSON round trip unchanged", () => {
    const clock = { now: 0 };
    const m = new Metrics(clock);
    m.gauge("g").set(0.1);
    m.series("s").record(0.2);
    m.histogram("h").record(0.3);
    m.counter("c").inc(0.7);
    clock.now = 0.3;
    expect(roundTrip(m.toJSON())).toEqual(m.toJSON());
  });
});
