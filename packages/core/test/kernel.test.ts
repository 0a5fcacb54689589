import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { VxError } from "../src/errors.js";
import { Interrupt, type Process, type ProcessBody, Simulation } from "../src/kernel.js";

describe("callbacks", () => {
  it("run in time order and ties run in insertion order", () => {
    const sim = new Simulation();
    const seen: string[] = [];
    sim.schedule(2, (x: string) => seen.push(`${sim.now}:${x}`), "c");
    sim.schedule(1, (x: string) => seen.push(`${sim.now}:${x}`), "a");
    sim.schedule(1, (x: string) => seen.push(`${sim.now}:${x}`), "b");
    sim.scheduleAt(1.5, (x: string) => seen.push(`${sim.now}:${x}`), "ab");
    const summary = sim.run();
    expect(seen).toEqual(["1:a", "1:b", "1.5:ab", "2:c"]);
    expect(summary).toEqual({ events: 4, now: 2, reason: "empty" });
  });

  it("a cancelled callback never runs, and cancelling twice or after it ran returns false", () => {
    const sim = new Simulation();
    const seen: number[] = [];
    const h1 = sim.schedule(1, () => seen.push(1));
    const h2 = sim.schedule(2, () => seen.push(2));
    expect(sim.cancel(h1)).toBe(true);
    expect(sim.cancel(h1)).toBe(false);
    expect(sim.pending).toBe(1);
    sim.run();
    expect(seen).toEqual([2]);
    expect(sim.cancel(h2)).toBe(false);
  });

  it("a stale handle does not cancel the event that reused its slot", () => {
    const sim = new Simulation();
    const seen: string[] = [];
    const h = sim.schedule(1, () => seen.push("first"));
    sim.run();
    sim.schedule(1, () => seen.push("second")); // reuses the slot
    expect(sim.cancel(h)).toBe(false);
    sim.run();
    expect(seen).toEqual(["first", "second"]);
  });

  it("run({ until: t }) runs events at t, not after, and leaves the clock at t", () => {
    const sim = new Simulation();
    const seen: number[] = [];
    for (const t of [1, 2, 3]) sim.schedule(t, () => seen.push(t));
    expect(sim.run({ until: 2 })).toEqual({ events: 2, now: 2, reason: "time" });
    expect(seen).toEqual([1, 2]);
    expect(sim.run({ until: 10 })).toEqual({ events: 1, now: 10, reason: "time" });
    expect(sim.now).toBe(10);
  });

  it("run({ until: predicate }) stops right after the event that made it true", () => {
    const sim = new Simulation();
    let count = 0;
    const tick = (): void => {
      count++;
      sim.schedule(1, tick);
    };
    sim.schedule(0, tick);
    const summary = sim.run({ until: () => count === 5 });
    expect(summary).toEqual({ events: 5, now: 4, reason: "condition" });
  });

  it("step() processes one event at a time", () => {
    const sim = new Simulation();
    sim.schedule(3, () => {});
    expect(sim.peek()).toBe(3);
    expect(sim.step()).toBe(true);
    expect(sim.now).toBe(3);
    expect(sim.step()).toBe(false);
    expect(sim.peek()).toBe(Number.POSITIVE_INFINITY);
  });

  it("rejects a negative, NaN or infinite delay with VX_CORE_BAD_DELAY", () => {
    const sim = new Simulation();
    for (const d of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
      try {
        sim.schedule(d, () => {});
        expect.unreachable();
      } catch (e) {
        expect(VxError.isInstance(e)).toBe(true);
        expect((e as VxError).code).toBe("VX_CORE_BAD_DELAY");
        expect((e as VxError).path).toEqual(["delay"]);
      }
    }
    sim.schedule(5, () => {});
    sim.run();
    expect(() => sim.scheduleAt(1, () => {})).toThrowError(/clock is at 5/);
  });

  it("rejects running until a time in the past with VX_CORE_BAD_UNTIL", () => {
    const sim = new Simulation();
    sim.run({ until: 5 });
    expect(() => sim.run({ until: 4 })).toThrow(
      expect.objectContaining({ code: "VX_CORE_BAD_UNTIL", path: ["until"] }),
    );
  });

  it("an exception in a callback propagates out of run (a model bug, not an outcome)", () => {
    const sim = new Simulation();
    sim.schedule(1, () => {
      throw new Error("boom");
    });
    expect(() => sim.run()).toThrowError("boom");
  });
});

describe("processes", () => {
  it("wait on timeouts and return a typed result to a waiting process", () => {
    const sim = new Simulation();
    const log: string[] = [];
    function* child(): ProcessBody<number> {
      yield sim.timeout(2);
      log.push(`child done at ${sim.now}`);
      return 42;
    }
    function* parent(): ProcessBody<string> {
      const c = sim.process(child(), "child");
      const v: number = yield* c;
      log.push(`parent got ${v} at ${sim.now}`);
      const late = yield* sim.timeout(1, "late");
      return `${late} ${sim.now}`;
    }
    const p = sim.process(parent(), "parent");
    sim.run();
    expect(log).toEqual(["child done at 2", "parent got 42 at 2"]);
    expect(p.value).toBe("late 3");
    expect(p.state).toBe("succeeded");
  });

  it("an interrupt is thrown at the current yield with its cause, and the timeout no longer fires", () => {
    const sim = new Simulation();
    const log: string[] = [];
    function* worker(): ProcessBody<string> {
      try {
        yield sim.timeout(10);
        return "finished";
      } catch (e) {
        if (!Interrupt.isInstance(e)) throw e;
        log.push(`interrupted at ${sim.now} by ${String(e.cause)}`);
      }
      yield sim.timeout(1);
      return "recovered";
    }
    const w = sim.process(worker());
    sim.schedule(3, () => w.interrupt("link failure"));
    const summary = sim.run();
    expect(log).toEqual(["interrupted at 3 by link failure"]);
    expect(w.value).toBe("recovered");
    expect(summary.now).toBe(4);
    expect(w.interrupt("again")).toBe(false);
  });

  it("an uncaught interrupt ends the process as failed without crashing the run", () => {
    const sim = new Simulation();
    const w = sim.process(
      (function* (): ProcessBody<void> {
        yield sim.timeout(10);
      })(),
    );
    sim.schedule(1, () => w.interrupt("fault"));
    sim.run();
    expect(w.state).toBe("failed");
    expect(sim.now).toBe(1);
  });

  it("a failing process throws into the process waiting on it", () => {
    const sim = new Simulation();
    function* bad(): ProcessBody<number> {
      yield sim.timeout(1);
      throw new Error("disk full");
    }
    let caught = "";
    sim.process(
      (function* (): ProcessBody<void> {
        try {
          yield* sim.process(bad());
        } catch (e) {
          caught = (e as Error).message;
        }
      })(),
    );
    sim.run();
    expect(caught).toBe("disk full");
  });

  it("a failing process that nobody waits on surfaces from run()", () => {
    const sim = new Simulation();
    sim.process(
      (function* (): ProcessBody<void> {
        yield sim.timeout(1);
        throw new Error("model bug");
      })(),
    );
    expect(() => sim.run()).toThrowError("model bug");
  });

  it("yielding something that cannot be waited on throws VX_CORE_BAD_YIELD into the process", () => {
    const sim = new Simulation();
    let code = "";
    sim.process(
      (function* (): ProcessBody<void> {
        try {
          yield 5 as never;
        } catch (e) {
          code = (e as VxError).code;
        }
      })(),
    );
    sim.run();
    expect(code).toBe("VX_CORE_BAD_YIELD");
  });

  it("signals, anyOf and allOf", () => {
    const sim = new Simulation();
    const sig = sim.signal<string>();
    const out: unknown[] = [];
    sim.process(
      (function* (): ProcessBody<void> {
        const first = yield* sim.anyOf([sim.timeout(5, "slow"), sig]);
        out.push([sim.now, first.index, first.value]);
        const all = yield* sim.allOf([sim.timeout(1, "x"), sim.timeout(2, "y")]);
        out.push([sim.now, all]);
      })(),
    );
    sim.schedule(2, () => sig.succeed("fast"));
    sim.run();
    expect(out).toEqual([
      [2, 1, "fast"],
      [4, ["x", "y"]],
    ]);
  });

  it("waiting on something already ended continues at once", () => {
    const sim = new Simulation();
    const sig = sim.signal<number>();
    sig.succeed(7);
    let got = 0;
    sim.process(
      (function* (): ProcessBody<void> {
        got = yield* sig;
      })(),
    );
    sim.run();
    expect(got).toBe(7);
    expect(sim.now).toBe(0);
  });

  it("onEnd calls back when an awaitable ends", () => {
    const sim = new Simulation();
    const seen: number[] = [];
    sim.timeout(3).onEnd(() => seen.push(sim.now));
    sim.run();
    expect(seen).toEqual([3]);
  });
});

describe("kernel properties", () => {
  const schedules = fc.array(
    fc.record({
      delay: fc.oneof(fc.integer({ min: 0, max: 20 }), fc.double({ min: 0, max: 20, noNaN: true })),
      cancel: fc.boolean(),
    }),
    { maxLength: 200 },
  );

  it("events run in time order, ties in insertion order, cancelled ones never", () => {
    fc.assert(
      fc.property(schedules, (items) => {
        const sim = new Simulation();
        const ran: number[] = [];
        const handles = items.map((it, i) => sim.schedule(it.delay, (k: number) => ran.push(k), i));
        items.forEach((it, i) => {
          if (it.cancel) sim.cancel(handles[i]!);
        });
        sim.run();
        const expected = items
          .map((it, i) => ({ ...it, i }))
          .filter((it) => !it.cancel)
          .sort((a, b) => a.delay - b.delay || a.i - b.i)
          .map((it) => it.i);
        expect(ran).toEqual(expected);
      }),
    );
  });

  it("nested scheduling keeps the order: handlers that schedule more events", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 5 })), {
          maxLength: 60,
        }),
        (pairs) => {
          const sim = new Simulation();
          const times: number[] = [];
          for (const [a, b] of pairs) {
            sim.schedule(a, () => {
              times.push(sim.now);
              sim.schedule(b, () => times.push(sim.now));
            });
          }
          sim.run();
          for (let i = 1; i < times.length; i++)
            expect(times[i]!).toBeGreaterThanOrEqual(times[i - 1]!);
          expect(times.length).toBe(pairs.length * 2);
        },
      ),
    );
  });

  it("same inputs give the same trace, with processes, cancels and interrupts", () => {
    const trace = (seed: number): string => {
      const sim = new Simulation();
      const out: string[] = [];
      let x = seed;
      const next = (): number => {
        x = (Math.imul(x, 1103515245) + 12345) >>> 0;
        return (x >>> 8) / 16777216;
      };
      const procs: Process<void>[] = [];
      for (let p = 0; p < 20; p++) {
        procs.push(
          sim.process(
            (function* (): ProcessBody<void> {
              for (let k = 0; k < 10; k++) {
                try {
                  yield sim.timeout(Math.floor(next() * 4));
                  out.push(`${p}@${sim.now}`);
                } catch {
                  out.push(`${p}!${sim.now}`);
                }
              }
            })(),
          ),
        );
      }
      for (let i = 0; i < 15; i++) {
        sim.schedule(Math.floor(next() * 30), () => procs[Math.floor(next() * 20)]!.interrupt());
      }
      sim.run();
      return out.join(",");
    };
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 }), (seed) => {
        expect(trace(seed)).toBe(trace(seed));
      }),
      { numRuns: 20 },
    );
  });

  it("cancel keeps the queue consistent under many reschedules (stale entries compacted)", () => {
    const sim = new Simulation();
    let fired = 0;
    const handles: number[] = [];
    for (let i = 0; i < 10_000; i++) handles.push(sim.schedule(100 + i, () => fired++));
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < handles.length; i++) {
        expect(sim.cancel(handles[i]!)).toBe(true);
        handles[i] = sim.schedule(200 + round + i * 1e-3, () => fired++);
      }
    }
    expect(sim.pending).toBe(10_000);
    sim.run();
    expect(fired).toBe(10_000);
  });

  it("a queue growing and shrinking at a steady spacing (buckets split and merged in place): time order, ties in insertion order", () => {
    // Evenly spread times keep the width estimate steady, so the calendar doubles and halves its
    // buckets by splitting and merging lists; ties, cancels and events scheduled while running
    // check the order kept through both.
    fc.assert(
      fc.property(
        fc.integer({ min: 2_000, max: 6_000 }),
        fc.integer({ min: 1, max: 7 }),
        fc.double({ min: 1e-3, max: 1e3, noNaN: true }),
        (n, tieEvery, spacing) => {
          const sim = new Simulation();
          const ran: number[] = [];
          const expected: { time: number; seq: number; key: number }[] = [];
          let seq = 0;
          const at = (time: number, key: number): number => {
            expected.push({ time, seq: seq++, key });
            return sim.scheduleAt(time, (k: number) => ran.push(k), key);
          };
          const handles: number[] = [];
          // Interleaved so buckets are appended to out of time order.
          for (let i = 0; i < n; i++) {
            const j = i % 2 === 0 ? i : n - i;
            handles.push(at(Math.floor(j / tieEvery) * spacing, i));
          }
          const cancelled = new Set<number>();
          for (let i = 0; i < n; i += 3) {
            expect(sim.cancel(handles[i]!)).toBe(true);
            cancelled.add(i);
          }
          // Half-way, more events join at the front and at the back.
          sim.scheduleAt((n / tieEvery / 2) * spacing, () => {
            for (let i = 0; i < n / 2; i++) at(sim.now + (i % 50) * spacing, n + i);
          });
          sim.run();
          const order = expected
            .filter((e) => !cancelled.has(e.key))
            .sort((a, b) => a.time - b.time || a.seq - b.seq)
            .map((e) => e.key);
          expect(ran).toEqual(order);
        },
      ),
      { numRuns: 12 },
    );
  });

  it("thousands pending (queue rebuilt by radix sort as it grows and shrinks): time order, ties in insertion order", () => {
    // Many events share an instant (integer delays), others are spread over 15 orders of
    // magnitude, so rebuilds sort times whose bits differ in every byte; some are cancelled,
    // and handlers schedule more, so the queue grows and shrinks through several rebuilds.
    const item = fc.record({
      delay: fc.oneof(
        fc.integer({ min: 0, max: 30 }),
        fc.double({ min: 0, max: 1e12, noNaN: true, noDefaultInfinity: true }),
        fc.double({ min: 0, max: 1e-3, noNaN: true }),
      ),
      cancel: fc.boolean(),
      follow: fc.option(fc.integer({ min: 0, max: 30 }), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(item, { minLength: 600, maxLength: 3000 }), (items) => {
        const sim = new Simulation();
        const ran: string[] = [];
        const expected: { time: number; order: number; key: string }[] = [];
        let order = 0;
        const handles = items.map((it, i) =>
          sim.schedule(
            it.delay,
            (k: number) => {
              ran.push(`${k}`);
              if (it.follow !== undefined) sim.schedule(it.follow, () => ran.push(`${k}+`));
            },
            i,
          ),
        );
        items.forEach((it, i) => {
          if (it.cancel) sim.cancel(handles[i]!);
        });
        sim.run();
        // Expected: the first events in (time, insertion) order; a follow-up is inserted when
        // its parent runs, so it comes after every event already queued for its instant.
        const first = items
          .map((it, i) => ({ ...it, i }))
          .filter((it) => !it.cancel)
          .sort((a, b) => a.delay - b.delay || a.i - b.i);
        for (const it of first) expected.push({ time: it.delay, order: order++, key: `${it.i}` });
        const merged: string[] = [];
        const queue = expected.slice();
        const later: { time: number; order: number; key: string }[] = [];
        let seq = order;
        while (queue.length > 0 || later.length > 0) {
          later.sort((a, b) => a.time - b.time || a.order - b.order);
          const a = queue[0];
          const b = later[0];
          const next =
            b === undefined ||
            (a !== undefined && (a.time < b.time || (a.time === b.time && a.order < b.order)))
              ? queue.shift()!
              : later.shift()!;
          merged.push(next.key);
          const it = next.key.endsWith("+") ? undefined : items[Number(next.key)]!;
          if (it?.follow !== undefined)
            later.push({ time: next.time + it.follow, order: seq++, key: `${next.key}+` });
        }
        expect(ran).toEqual(merged);
      }),
      { numRuns: 15 },
    );
  });
});

describe("sleep", () => {
  it("resumes the process after the delay, like a timeout", () => {
    const sim = new Simulation();
    const times: number[] = [];
    sim.process(
      (function* (): ProcessBody<void> {
        for (const d of [1, 0, 2.5]) {
          yield sim.sleep(d);
          times.push(sim.now);
        }
      })(),
    );
    sim.run();
    expect(times).toEqual([1, 1, 3.5]);
  });

  it("a sleeping process can be interrupted, and the sleep no longer fires", () => {
    const sim = new Simulation();
    const log: string[] = [];
    const p = sim.process(
      (function* (): ProcessBody<void> {
        try {
          yield sim.sleep(10);
          log.push("woke");
        } catch (e) {
          log.push(`interrupted at ${sim.now}: ${String((e as Interrupt).cause)}`);
        }
      })(),
    );
    sim.schedule(2, () => p.interrupt("fault"));
    sim.run();
    expect(log).toEqual(["interrupted at 2: fault"]);
    expect(sim.now).toBe(2);
  });

  it("misuse is a VxError: a sleep yielded twice, or raced in anyOf", () => {
    const sim = new Simulation();
    const codes: string[] = [];
    sim.process(
      (function* (): ProcessBody<void> {
        const s = sim.sleep(1);
        yield s;
        try {
          yield s;
        } catch (e) {
          codes.push((e as VxError).code);
        }
      })(),
    );
    sim.run();
    expect(codes).toEqual(["VX_CORE_BAD_YIELD"]);
    expect(() => sim.anyOf([sim.sleep(1)])).toThrow(
      expect.objectContaining({ code: "VX_CORE_BAD_SLEEP" }),
    );
    expect(() => sim.sleep(-1)).toThrow(expect.objectContaining({ code: "VX_CORE_BAD_DELAY" }));
  });
});
