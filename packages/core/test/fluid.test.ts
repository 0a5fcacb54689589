import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { VxError } from "../src/errors.js";
import {
  type Activity,
  type ActivityStatus,
  type FluidSink,
  FluidSystem,
  type Resource,
} from "../src/fluid.js";
import { type ProcessBody, Simulation } from "../src/kernel.js";

/** Settles the rates of everything started at the current instant. */
function settle(sim: Simulation): void {
  sim.run({ until: sim.now });
}

describe("worked examples", () => {
  it("two transfers on one 1 Gbit/s link: 50 MB ends at 0.8 s, 100 MB at 1.2 s", () => {
    const sim = new Simulation();
    const fluid = new FluidSystem(sim);
    const link = fluid.resource({ name: "uplink", capacity: 125e6 });
    const a = fluid.start({ amount: 100e6, resources: [link] });
    const b = fluid.start({ amount: 50e6, resources: [link] });
    settle(sim);
    expect(a.rate).toBe(62.5e6);
    expect(b.rate).toBe(62.5e6);
    expect(link.load).toBe(125e6);
    sim.run();
    expect(b.endTime).toBeCloseTo(0.8, 12);
    expect(a.endTime).toBeCloseTo(1.2, 12);
    expect(a.outcome).toEqual({ status: "completed", time: a.endTime, remaining: 0 });
    expect(link.load).toBe(0);
  });

  it("max-min on two links: the flow crossing both gets the share of the busier link", () => {
    // Link A (1) carries f1 and f2; link B (1) carries f2, f3, f4. B is the bottleneck at 1/3 each;
    // f1 takes what f2 leaves on A: 2/3.
    const sim = new Simulation();
    const fluid = new FluidSystem(sim);
    const A = fluid.resource({ capacity: 1 });
    const B = fluid.resource({ capacity: 1 });
    const f1 = fluid.start({ amount: 100, resources: [A] });
    const f2 = fluid.start({ amount: 100, resources: [A, B] });
    const f3 = fluid.start({ amount: 100, resources: [B] });
    const f4 = fluid.start({ amount: 100, resources: [B] });
    settle(sim);
    expect(f1.rate).toBeCloseTo(2 / 3, 12);
    for (const f of [f2, f3, f4]) expect(f.rate).toBeCloseTo(1 / 3, 12);
  });

  it("a bounded activity takes its bound and the others share the rest", () => {
    const sim = new Simulation();
    const fluid = new FluidSystem(sim);
    const link = fluid.resource({ capacity: 1 });
    const capped = fluid.start({ amount: 1, resources: [link], bound: 0.2 });
    const free = fluid.start({ amount: 1, resources: [link] });
    settle(sim);
    expect(capped.rate).toBe(0.2);
    expect(free.rate).toBeCloseTo(0.8, 12);
  });

  it("weights split a bottleneck in proportion: 1 and 3 on capacity 1 give 0.25 and 0.75", () => {
    const sim = new Simulation();
    const fluid = new FluidSystem(sim);
    const cpu = fluid.resource({ capacity: 1 });
    const light = fluid.start({ amount: 1, resources: [cpu], weight: 1 });
    const heavy = fluid.start({ amount: 3, resources: [cpu], weight: 3 });
    settle(sim);
    expect(light.rate).toBeCloseTo(0.25, 12);
    expect(heavy.rate).toBeCloseTo(0.75, 12);
    sim.run();
    expect(light.endTime).toBeCloseTo(4, 12);
    expect(heavy.endTime).toBeCloseTo(4, 12);
  });

  it("latency delays the start: 10 units at 10/s after 0.5 s end at 1.5 s", () => {
    const sim = new Simulation();
    const fluid = new FluidSystem(sim);
    const link = fluid.resource({ capacity: 10 });
    const a = fluid.start({ amount: 10, resources: [link], latency: 0.5 });
    sim.run({ until: 0.25 });
    expect(a.rate).toBe(0);
    expect(a.remaining).toBe(10);
    sim.run();
    expect(a.endTime).toBeCloseTo(1.5, 12);
  });

  it("a capacity change mid-transfer: 10 units on 10/s, halved at 0.5 s, end at 1.5 s", () => {
    const sim = new Simulation();
    const fluid = new FluidSystem(sim);
    const link = fluid.resource({ capacity: 10 });
    const a = fluid.start({ amount: 10, resources: [link] });
    sim.schedule(0.5, () => fluid.setCapacity(link, 5));
    sim.run({ until: 0.5 });
    expect(a.remaining).toBeCloseTo(5, 12);
    sim.run();
    expect(a.endTime).toBeCloseTo(1.5, 12);
  });

  it("a resource dropping to zero fails its activities (an outcome), the others go on", () => {
    const sim = new Simulation();
    const fluid = new FluidSystem(sim);
    const lan = fluid.resource({ name: "lan", capacity: 10 });
    const wan = fluid.resource({ name: "wan", capacity: 10 });
    const a = fluid.start({ amount: 10, resources: [lan, wan] });
    const b = fluid.start({ amount: 10, resources: [lan] });
    let seen: unknown;
    sim.process(
      (function* (): ProcessBody<void> {
        seen = yield* a;
      })(),
    );
    sim.schedule(0.4, () => fluid.setCapacity(wan, 0));
    sim.run();
    expect(seen).toEqual({ status: "failed", time: 0.4, remaining: 8, resource: "wan" });
    expect(b.outcome?.status).toBe("completed");
    // b had 5/s until 0.4 s (8 left), then 10/s alone: ends at 0.4 + 0.8 = 1.2 s.
    expect(b.endTime).toBeCloseTo(1.2, 12);
    // Starting on a failed resource fails at once.
    const c = fluid.start({ amount: 1, resources: [wan] });
    sim.run();
    expect(c.outcome).toEqual({ status: "failed", time: sim.now, remaining: 1, resource: "wan" });
  });

  it("cancel ends an activity as cancelled and frees its share", () => {
    const sim = new Simulation();
    const fluid = new FluidSystem(sim);
    const link = fluid.resource({ capacity: 2 });
    const a = fluid.start({ amount: 10, resources: [link] });
    const b = fluid.start({ amount: 3, resources: [link] });
    sim.schedule(1, () => a.cancel());
    sim.run();
    expect(a.outcome).toEqual({ status: "cancelled", time: 1, remaining: 9 });
    expect(b.endTime).toBeCloseTo(2, 12); // 1 unit at 1/s, then 2 units at 2/s
    expect(a.cancel()).toBe(false);
  });

  it("a zero amount ends at once; a bound alone needs no resource", () => {
    const sim = new Simulation();
    const fluid = new FluidSystem(sim);
    const link = fluid.resource({ capacity: 1 });
    const z = fluid.start({ amount: 0, resources: [link] });
    const cpu = fluid.start({ amount: 6, resources: [], bound: 3 });
    sim.run();
    expect(z.endTime).toBe(0);
    expect(cpu.endTime).toBe(2);
    expect(fluid.activityCount).toBe(0);
  });

  it("onEnd is called synchronously when an activity ends", () => {
    const sim = new Simulation();
    const fluid = new FluidSystem(sim);
    const link = fluid.resource({ capacity: 4 });
    const ends: [string, number][] = [];
    for (const amount of [1, 2, 3]) {
      fluid.start({
        amount,
        resources: [link],
        name: `t${amount}`,
        onEnd: (act) => ends.push([act.name, sim.now]),
      });
    }
    sim.run();
    // 3 at 4/3 each: t1 at 0.75; then 2 at 2 each: t2 (1 left) at 1.25; t3 (1 left) alone at 4: 1.5.
    expect(ends.map(([n]) => n)).toEqual(["t1", "t2", "t3"]);
    expect(ends[0]![1]).toBeCloseTo(0.75, 12);
    expect(ends[1]![1]).toBeCloseTo(1.25, 12);
    expect(ends[2]![1]).toBeCloseTo(1.5, 12);
  });
});

describe("open-ended activities (amount Infinity)", () => {
  it("shares its link like any other, never completes and keeps no event: 6 units beside it end at 3 s", () => {
    const sim = new Simulation();
    const fluid = new FluidSystem(sim);
    const link = fluid.resource({ capacity: 4 });
    const load = fluid.start({ amount: Number.POSITIVE_INFINITY, resources: [link] });
    const job = fluid.start({ amount: 6, resources: [link] });
    sim.run(); // ends with the job: the open-ended load leaves nothing in the queue
    expect(job.endTime).toBe(3);
    expect(sim.now).toBe(3);
    expect(sim.pending).toBe(0);
    expect(load.outcome).toBeUndefined();
    expect(load.remaining).toBe(Number.POSITIVE_INFINITY);
    expect(load.rate).toBe(4); // alone now
    expect(load.workDone).toBe(6); // 2/s for 3 s
    sim.schedule(1.5, () => undefined);
    sim.run();
    expect(load.workDone).toBe(12); // then 4/s for 1.5 s
    expect(job.workDone).toBe(6);
  });

  it("a bound change and a capacity change keep its count of work: 1/s for 2 s, 3/s for 2 s, 2/s for 1 s", () => {
    const sim = new Simulation();
    const fluid = new FluidSystem(sim);
    const cpu = fluid.resource({ capacity: 8 });
    const load = fluid.start({ amount: Number.POSITIVE_INFINITY, resources: [cpu], bound: 1 });
    sim.schedule(2, () => load.setBound(3));
    sim.schedule(4, () => fluid.setCapacity(cpu, 2));
    sim.schedule(5, () => undefined);
    sim.run();
    expect(load.workDone).toBeCloseTo(2 + 6 + 2, 12);
  });

  it("cancelled or failed, its outcome has Infinity left and it keeps the work it did", () => {
    const sim = new Simulation();
    const fluid = new FluidSystem(sim);
    const a = fluid.resource({ name: "a", capacity: 2 });
    const b = fluid.resource({ name: "b", capacity: 5 });
    const x = fluid.start({ amount: Number.POSITIVE_INFINITY, resources: [a] });
    const y = fluid.start({ amount: Number.POSITIVE_INFINITY, resources: [b] });
    sim.schedule(1, () => x.cancel());
    sim.schedule(2, () => fluid.setCapacity(b, 0));
    sim.run();
    expect(x.outcome).toEqual({
      status: "cancelled",
      time: 1,
      remaining: Number.POSITIVE_INFINITY,
    });
    expect(x.workDone).toBe(2);
    expect(y.outcome).toEqual({
      status: "failed",
      time: 2,
      remaining: Number.POSITIVE_INFINITY,
      resource: "b",
    });
    expect(y.workDone).toBe(10);
  });

  it("a sinked open-ended activity tells its sink the work it did when it ends", () => {
    const sim = new Simulation();
    const fluid = new FluidSystem(sim);
    const link = fluid.resource({ name: "l", capacity: 3 });
    const heard: [ActivityStatus, number, number][] = [];
    const sink: FluidSink = {
      _fluidEnd: (status, remaining, _resource, done) => heard.push([status, remaining, done]),
    };
    const slot = fluid._startSinked(Number.POSITIVE_INFINITY, [link], 2, 1, 0.5, sink);
    sim.schedule(2, () => expect(fluid._done(slot)).toBe(3)); // 2/s from 0.5 s
    sim.schedule(3, () => fluid.setCapacity(link, 0));
    sim.run();
    expect(heard).toEqual([["failed", Number.POSITIVE_INFINITY, 5]]);
  });

  it("activities over a resource's shared one-resource route share it like any other", () => {
    const sim = new Simulation();
    const fluid = new FluidSystem(sim);
    const cpu = fluid.resource({ name: "cpu", capacity: 3 });
    expect(cpu._alone).toEqual([cpu]);
    expect(fluid._owns(cpu)).toBe(true);
    expect(new FluidSystem(sim)._owns(cpu)).toBe(false);
    expect(fluid._owns({ id: 0 })).toBe(false);
    const sink: FluidSink = { _fluidEnd: () => {} };
    const a = fluid._startSinked(Number.POSITIVE_INFINITY, cpu._alone, 2, 1, 0, sink);
    const b = fluid._startSinked(Number.POSITIVE_INFINITY, cpu._alone, 2, 1, 0, sink);
    sim.run({ until: 1 });
    expect([fluid._rate(a), fluid._rate(b)]).toEqual([1.5, 1.5]);
    fluid._cancel(a);
    sim.run({ until: 2 });
    expect(fluid._rate(b)).toBe(2);
    expect(cpu._alone).toEqual([cpu]); // untouched by the activities that used it
  });
});

describe("bad input", () => {
  const sim = new Simulation();
  const fluid = new FluidSystem(sim);
  const link = fluid.resource({ name: "l", capacity: 1 });
  const other = new FluidSystem(sim).resource({ capacity: 1 });
  const cases: [string, () => unknown, (string | number)[]][] = [
    ["negative amount", () => fluid.start({ amount: -1, resources: [link] }), ["amount"]],
    ["NaN amount", () => fluid.start({ amount: Number.NaN, resources: [link] }), ["amount"]],
    ["weight 0", () => fluid.start({ amount: 1, resources: [link], weight: 0 }), ["weight"]],
    ["bound 0", () => fluid.start({ amount: 1, resources: [link], bound: 0 }), ["bound"]],
    [
      "negative latency",
      () => fluid.start({ amount: 1, resources: [link], latency: -1 }),
      ["latency"],
    ],
    ["no resource, no bound", () => fluid.start({ amount: 1, resources: [] }), ["resources"]],
    [
      "resource listed twice",
      () => fluid.start({ amount: 1, resources: [link, link] }),
      ["resources", 1],
    ],
    [
      "resource of another system",
      () => fluid.start({ amount: 1, resources: [other] }),
      ["resources", 0],
    ],
    ["negative capacity", () => fluid.resource({ capacity: -5 }), ["capacity"]],
    ["infinite capacity", () => fluid.setCapacity(link, Number.POSITIVE_INFINITY), ["capacity"]],
    ["tolerance out of range", () => new FluidSystem(sim, { tolerance: 0.5 }), ["tolerance"]],
  ];
  for (const [what, run, path] of cases) {
    it(`${what} is a VxError with its path`, () => {
      try {
        run();
        expect.unreachable();
      } catch (e) {
        expect(VxError.isInstance(e)).toBe(true);
        expect((e as VxError).code).toBe("VX_CORE_INVALID_ARGUMENT");
        expect((e as VxError).path).toEqual(path);
      }
    });
  }
});

describe("in-place bound and weight (SimGrid's set_bound)", () => {
  it("a bound set mid-transfer keeps the work done: 10 units at 10/s, capped at 2.5/s at 0.5 s, end at 2.5 s", () => {
    const sim = new Simulation();
    const fluid = new FluidSystem(sim);
    const link = fluid.resource({ capacity: 10 });
    const a = fluid.start({ amount: 10, resources: [link] });
    sim.schedule(0.5, () => a.setBound(2.5));
    sim.run({ until: 0.5 });
    settle(sim);
    expect(a.rate).toBe(2.5);
    expect(a.remaining).toBeCloseTo(5, 12);
    expect(a.bound).toBe(2.5);
    sim.run();
    expect(a.outcome?.status).toBe("completed");
    expect(a.endTime).toBeCloseTo(2.5, 12);
    expect(a.amount).toBe(10); // the same activity, not a restart
  });

  it("raising and removing a bound gives the others' share back and takes it again", () => {
    const sim = new Simulation();
    const fluid = new FluidSystem(sim);
    const link = fluid.resource({ capacity: 10 });
    const a = fluid.start({ amount: 100, resources: [link], bound: 2 });
    const b = fluid.start({ amount: 100, resources: [link] });
    settle(sim);
    expect([a.rate, b.rate]).toEqual([2, 8]);
    a.setBound(6);
    settle(sim);
    expect(a.rate).toBeCloseTo(5, 12);
    expect(b.rate).toBeCloseTo(5, 12);
    a.setBound(Number.POSITIVE_INFINITY);
    settle(sim);
    expect(a.bound).toBe(Number.POSITIVE_INFINITY);
    expect(a.rate).toBeCloseTo(5, 12);
    a.setBound(1);
    settle(sim);
    expect(a.rate).toBe(1);
    expect(b.rate).toBeCloseTo(9, 12);
  });

  it("raising the bound of an activity held by a saturated link re-solves nothing", () => {
    const sim = new Simulation();
    const fluid = new FluidSystem(sim);
    const link = fluid.resource({ capacity: 10 });
    const a = fluid.start({ amount: 100, resources: [link], bound: 8 });
    const b = fluid.start({ amount: 100, resources: [link] });
    settle(sim);
    expect(a.rate).toBeCloseTo(5, 12);
    const solves = fluid.stats.solves;
    a.setBound(50); // still held at 5 by the link
    a.setBound(6); // still above its rate
    settle(sim);
    expect(fluid.stats.solves).toBe(solves);
    expect([a.rate, b.rate]).toEqual([5, 5]);
    a.setBound(4); // below its rate: re-solved
    settle(sim);
    expect(fluid.stats.solves).toBe(solves + 1);
    expect(a.rate).toBe(4);
    expect(b.rate).toBeCloseTo(6, 12);
  });

  it("bounded activities that fit under unsaturated resources start, change and end without a solve", () => {
    const sim = new Simulation();
    const fluid = new FluidSystem(sim);
    const cpu = fluid.resource({ capacity: 10 }); // ten cores for three one-core loads
    const loads = [0, 1, 2].map(() => fluid.start({ amount: 100, resources: [cpu], bound: 1 }));
    settle(sim);
    expect(loads.map((a) => a.rate)).toEqual([1, 1, 1]);
    expect(cpu.load).toBe(3);
    loads[0]!.setBound(0.5); // a throttle
    loads[1]!.setBound(4);
    loads[2]!.cancel();
    settle(sim);
    expect(fluid.stats.solves).toBe(0);
    expect([loads[0]!.rate, loads[1]!.rate]).toEqual([0.5, 4]);
    expect(cpu.load).toBe(4.5);
    // Past the capacity the usual solve takes over: 0.5 + 4 + 8 > 10.
    const big = fluid.start({ amount: 100, resources: [cpu], bound: 8 });
    settle(sim);
    expect(fluid.stats.solves).toBe(1);
    expect(loads[0]!.rate).toBe(0.5);
    expect(loads[1]!.rate).toBeCloseTo(4, 12);
    expect(big.rate).toBeCloseTo(5.5, 12);
    sim.run();
    expect(loads[0]!.endTime).toBeCloseTo(200, 9);
  });

  it("an activity with no resource runs at its new bound: 6 units at 3/s, 1/s from 1 s, end at 4 s", () => {
    const sim = new Simulation();
    const fluid = new FluidSystem(sim);
    const cpu = fluid.start({ amount: 6, resources: [], bound: 3 });
    sim.schedule(1, () => cpu.setBound(1));
    sim.run();
    expect(cpu.endTime).toBeCloseTo(4, 12);
  });

  it("a bound set during the latency applies when the work starts flowing", () => {
    const sim = new Simulation();
    const fluid = new FluidSystem(sim);
    const link = fluid.resource({ capacity: 10 });
    const a = fluid.start({ amount: 10, resources: [link], latency: 1 });
    a.setBound(5);
    sim.run();
    expect(a.endTime).toBeCloseTo(3, 12);
  });

  it("weights change in place: 0.5 and 0.5 become 0.25 and 0.75 with weight 3", () => {
    const sim = new Simulation();
    const fluid = new FluidSystem(sim);
    const cpu = fluid.resource({ capacity: 1 });
    const a = fluid.start({ amount: 10, resources: [cpu] });
    const b = fluid.start({ amount: 10, resources: [cpu] });
    settle(sim);
    expect([a.rate, b.rate]).toEqual([0.5, 0.5]);
    b.setWeight(3);
    settle(sim);
    expect(b.weight).toBe(3);
    expect(a.rate).toBeCloseTo(0.25, 12);
    expect(b.rate).toBeCloseTo(0.75, 12);
  });

  it("an ended activity ignores changes; its bound and weight read NaN", () => {
    const sim = new Simulation();
    const fluid = new FluidSystem(sim);
    const link = fluid.resource({ capacity: 1 });
    const a = fluid.start({ amount: 1, resources: [link], bound: 0.5, weight: 2 });
    sim.run();
    expect(a.setBound(0.1)).toBe(false);
    expect(a.setWeight(5)).toBe(false);
    expect([a.bound, a.weight]).toEqual([Number.NaN, Number.NaN]);
  });

  describe("bad input", () => {
    const sim = new Simulation();
    const fluid = new FluidSystem(sim);
    const link = fluid.resource({ capacity: 1 });
    const a = fluid.start({ amount: 1, resources: [link] });
    const alone = fluid.start({ amount: 1, resources: [], bound: 1 });
    const cases: [string, () => unknown, string][] = [
      ["bound 0", () => a.setBound(0), "bound"],
      ["negative bound", () => a.setBound(-1), "bound"],
      ["NaN bound", () => a.setBound(Number.NaN), "bound"],
      ["no bound on an activity without resources", () => alone.setBound(Infinity), "bound"],
      ["weight 0", () => a.setWeight(0), "weight"],
      ["infinite weight", () => a.setWeight(Number.POSITIVE_INFINITY), "weight"],
      ["NaN weight", () => a.setWeight(Number.NaN), "weight"],
    ];
    for (const [what, run, field] of cases) {
      it(`${what} is a VxError with its path, and changes nothing`, () => {
        try {
          run();
          expect.unreachable();
        } catch (e) {
          expect(VxError.isInstance(e)).toBe(true);
          expect((e as VxError).code).toBe("VX_CORE_INVALID_ARGUMENT");
          expect((e as VxError).path).toEqual([field]);
        }
        expect([a.bound, a.weight, alone.bound]).toEqual([Number.POSITIVE_INFINITY, 1, 1]);
      });
    }
  });
});

// ---- a from-scratch reference: global progressive filling -----------------------------------

interface RefFlow {
  route: number[];
  weight: number;
  bound: number;
}

/** Max-min fair rates by textbook progressive filling over the whole system. */
function referenceRates(caps: readonly number[], flows: readonly RefFlow[]): number[] {
  const rate = flows.map(() => 0);
  const fixed = flows.map(() => false);
  const rem = caps.slice();
  let left = flows.length;
  while (left > 0) {
    let level = Number.POSITIVE_INFINITY;
    const wsum = caps.map(() => 0);
    flows.forEach((f, i) => {
      if (fixed[i]) return;
      for (const r of f.route) wsum[r]! += f.weight;
      level = Math.min(level, f.bound / f.weight);
    });
    caps.forEach((_, r) => {
      if (wsum[r]! > 0) level = Math.min(level, Math.max(rem[r]!, 0) / wsum[r]!);
    });
    const saturated = caps.map(
      (_, r) => wsum[r]! > 0 && Math.max(rem[r]!, 0) / wsum[r]! <= level * (1 + 1e-12),
    );
    const toFix: number[] = [];
    flows.forEach((f, i) => {
      if (fixed[i]) return;
      if (f.bound / f.weight <= level * (1 + 1e-12) || f.route.some((r) => saturated[r]))
        toFix.push(i);
    });
    for (const i of toFix) {
      const f = flows[i]!;
      rate[i] = Math.min(f.bound, f.weight * level);
      fixed[i] = true;
      left--;
      for (const r of f.route) rem[r]! -= rate[i]!;
    }
  }
  return rate;
}

/** Systems of up to 6 resources and 14 activities; `maxCap` above the bounds' 60 leaves slack. */
const systemOf = (maxCap: number) =>
  fc
    .record({
      caps: fc.array(fc.integer({ min: 1, max: maxCap }), { minLength: 1, maxLength: 6 }),
      flowSeeds: fc.array(
        fc.record({
          picks: fc.uniqueArray(fc.nat(5), { minLength: 1, maxLength: 3 }),
          weight: fc.constantFrom(1, 2, 3),
          bound: fc.option(fc.integer({ min: 1, max: 60 }), { nil: undefined }),
          amount: fc.integer({ min: 1, max: 500 }),
          start: fc.constantFrom(0, 0, 0, 1, 2.5),
        }),
        { minLength: 1, maxLength: 14 },
      ),
    })
    .map(({ caps, flowSeeds }) => ({
      caps,
      flows: flowSeeds.map((f) => ({
        route: [...new Set(f.picks.map((p) => p % caps.length))],
        weight: f.weight,
        bound: f.bound ?? Number.POSITIVE_INFINITY,
        amount: f.amount,
        start: f.start,
      })),
    }));

const systemArb = systemOf(100);
/** Mostly unsaturated resources: bounded activities are admitted without a solve. */
const slackArb = systemOf(600);

describe("max-min properties", () => {
  it("incremental rates equal the from-scratch reference after every change", () => {
    fc.assert(
      fc.property(systemArb, fc.array(fc.nat(13), { maxLength: 5 }), ({ caps, flows }, cancels) => {
        const sim = new Simulation();
        const fluid = new FluidSystem(sim);
        const res = caps.map((c) => fluid.resource({ capacity: c }));
        const acts: Activity[] = flows.map((f) =>
          fluid.start({
            amount: f.amount,
            resources: f.route.map((r) => res[r]!),
            weight: f.weight,
            ...(f.bound < Number.POSITIVE_INFINITY ? { bound: f.bound } : {}),
          }),
        );
        const check = (): void => {
          const live = acts
            .map((a, i) => ({ a, f: flows[i]! }))
            .filter(({ a }) => a.outcome === undefined);
          const ref = referenceRates(
            caps,
            live.map(({ f }) => f),
          );
          live.forEach(({ a }, i) => {
            expect(a.rate).toBeCloseTo(ref[i]!, 6);
          });
          checkInvariants(
            res,
            live.map(({ a }) => a),
            live.map(({ f }) => f),
          );
        };
        settle(sim);
        check();
        sim.run({ until: 0.5 });
        for (const c of cancels) acts[c % acts.length]!.cancel();
        settle(sim);
        check();
        // Run event by event, checking after every instant.
        while (sim.pending > 0) {
          sim.run({ until: sim.peek() });
          check();
        }
      }),
      { numRuns: 150 },
    );
  });

  it("work is conserved: completion times match a from-scratch fluid simulation", () => {
    fc.assert(
      fc.property(systemArb, ({ caps, flows }) => {
        const sim = new Simulation();
        const fluid = new FluidSystem(sim);
        const res = caps.map((c) => fluid.resource({ capacity: c }));
        const acts: (Activity | undefined)[] = flows.map(() => undefined);
        flows.forEach((f, i) => {
          sim.schedule(f.start, () => {
            acts[i] = fluid.start({
              amount: f.amount,
              resources: f.route.map((r) => res[r]!),
              weight: f.weight,
              ...(f.bound < Number.POSITIVE_INFINITY ? { bound: f.bound } : {}),
            });
          });
        });
        sim.run();
        const expected = referenceSimulation(caps, flows);
        flows.forEach((_, i) => {
          const a = acts[i]!;
          expect(a.outcome?.status).toBe("completed");
          expect(a.endTime).toBeCloseTo(expected[i]!, 6);
        });
      }),
      { numRuns: 150 },
    );
  });
});

/** In-place changes applied at given times: a new bound (Infinity: none) or a new weight. */
const changesArb = fc.array(
  fc.record({
    at: fc.constantFrom(0, 0.3, 0.7, 1, 1.5, 3),
    pick: fc.nat(13),
    kind: fc.constantFrom("bound" as const, "weight" as const),
    bound: fc.option(fc.integer({ min: 1, max: 60 }), { nil: Number.POSITIVE_INFINITY }),
    weight: fc.constantFrom(1, 2, 3, 0.5),
  }),
  { maxLength: 8 },
);

type Change = {
  at: number;
  pick: number;
  kind: "bound" | "weight";
  bound: number;
  weight: number;
};

describe("max-min properties with in-place bound and weight changes", () => {
  it("with resources to spare (admissions and changes without a solve), rates equal the reference", () => {
    fc.assert(
      fc.property(slackArb, changesArb, ({ caps, flows }, changes) => {
        const sim = new Simulation();
        const fluid = new FluidSystem(sim);
        const res = caps.map((c) => fluid.resource({ capacity: c }));
        const live = flows.map((f) => ({ ...f }));
        const acts: (Activity | undefined)[] = flows.map(() => undefined);
        const check = (): void => {
          const on = acts
            .map((a, i) => ({ a, f: live[i]! }))
            .filter(
              (x): x is { a: Activity; f: (typeof live)[number] } =>
                x.a !== undefined && !x.a.outcome,
            );
          const ref = referenceRates(
            caps,
            on.map(({ f }) => f),
          );
          on.forEach(({ a }, i) => {
            expect(a.rate).toBeCloseTo(ref[i]!, 6);
          });
        };
        flows.forEach((f, i) => {
          sim.schedule(f.start, () => {
            acts[i] = fluid.start({
              amount: f.amount,
              resources: f.route.map((r) => res[r]!),
              weight: live[i]!.weight,
              ...(live[i]!.bound < Number.POSITIVE_INFINITY ? { bound: live[i]!.bound } : {}),
            });
          });
        });
        for (const c of changes) {
          sim.schedule(c.at, () => {
            const i = c.pick % flows.length;
            applyChange(acts[i], live[i]!, c);
          });
        }
        while (sim.pending > 0) {
          sim.run({ until: sim.peek() });
          check();
        }
        const expected = referenceSimulation(caps, flows, changes);
        flows.forEach((_, i) => {
          expect(acts[i]!.endTime).toBeCloseTo(expected[i]!, 6);
        });
      }),
      { numRuns: 150 },
    );
  });

  it("incremental rates equal the from-scratch reference after every change", () => {
    fc.assert(
      fc.property(systemArb, changesArb, ({ caps, flows }, changes) => {
        const sim = new Simulation();
        const fluid = new FluidSystem(sim);
        const res = caps.map((c) => fluid.resource({ capacity: c }));
        const live = flows.map((f) => ({ ...f }));
        const acts: Activity[] = live.map((f) =>
          fluid.start({
            amount: f.amount,
            resources: f.route.map((r) => res[r]!),
            weight: f.weight,
            ...(f.bound < Number.POSITIVE_INFINITY ? { bound: f.bound } : {}),
          }),
        );
        const check = (): void => {
          const on = acts.map((a, i) => ({ a, f: live[i]! })).filter(({ a }) => !a.outcome);
          const ref = referenceRates(
            caps,
            on.map(({ f }) => f),
          );
          on.forEach(({ a }, i) => {
            expect(a.rate).toBeCloseTo(ref[i]!, 6);
          });
          checkInvariants(
            res,
            on.map(({ a }) => a),
            on.map(({ f }) => f),
          );
        };
        settle(sim);
        check();
        const sorted = [...changes].sort((x, y) => x.at - y.at);
        for (const c of sorted) {
          if (sim.now < c.at) {
            while (sim.pending > 0 && sim.peek() < c.at) {
              sim.run({ until: sim.peek() });
              check();
            }
            sim.run({ until: c.at });
          }
          const i = c.pick % acts.length;
          applyChange(acts[i]!, live[i]!, c);
          settle(sim);
          check();
        }
        while (sim.pending > 0) {
          sim.run({ until: sim.peek() });
          check();
        }
      }),
      { numRuns: 150 },
    );
  });

  it("work is conserved: completion times match a from-scratch simulation with the same changes", () => {
    fc.assert(
      fc.property(systemArb, changesArb, ({ caps, flows }, changes) => {
        const sim = new Simulation();
        const fluid = new FluidSystem(sim);
        const res = caps.map((c) => fluid.resource({ capacity: c }));
        const live = flows.map((f) => ({ ...f }));
        const acts: (Activity | undefined)[] = flows.map(() => undefined);
        flows.forEach((f, i) => {
          sim.schedule(f.start, () => {
            acts[i] = fluid.start({
              amount: f.amount,
              resources: f.route.map((r) => res[r]!),
              weight: live[i]!.weight,
              ...(live[i]!.bound < Number.POSITIVE_INFINITY ? { bound: live[i]!.bound } : {}),
            });
          });
        });
        // Changes come after the starts of the same instant (scheduled later: FIFO at a time).
        for (const c of changes) {
          sim.schedule(c.at, () => {
            const i = c.pick % flows.length;
            const a = acts[i];
            if (a === undefined) applyChange(undefined, live[i]!, c);
            else applyChange(a, live[i]!, c);
          });
        }
        sim.run();
        const expected = referenceSimulation(caps, flows, changes);
        flows.forEach((_, i) => {
          const a = acts[i]!;
          expect(a.outcome?.status).toBe("completed");
          expect(a.endTime).toBeCloseTo(expected[i]!, 6);
        });
      }),
      { numRuns: 150 },
    );
  });
});

/** Applies a change to an activity (if started and not ended) and to its description. */
function applyChange(a: Activity | undefined, f: RefFlow, c: Change): void {
  if (a !== undefined && a.outcome !== undefined) return;
  if (c.kind === "weight") {
    f.weight = c.weight;
    a?.setWeight(c.weight);
  } else {
    f.bound = c.bound;
    a?.setBound(c.bound);
  }
}

/** Every activity is at its bound or crosses a saturated resource where no one gets a larger share. */
function checkInvariants(
  res: readonly Resource[],
  acts: readonly Activity[],
  flows: readonly RefFlow[],
): void {
  const tol = 1e-7;
  const load = res.map(() => 0);
  const top = res.map(() => 0);
  acts.forEach((a, i) => {
    for (const r of flows[i]!.route) {
      load[r]! += a.rate;
      top[r] = Math.max(top[r]!, a.rate / flows[i]!.weight);
    }
  });
  res.forEach((r, i) => {
    expect(load[i]!).toBeLessThanOrEqual(r.capacity * (1 + tol));
  });
  acts.forEach((a, i) => {
    const f = flows[i]!;
    const atBound = a.rate >= f.bound * (1 - tol);
    const bottleneck = f.route.some(
      (r) => load[r]! >= res[r]!.capacity * (1 - tol) && a.rate / f.weight >= top[r]! * (1 - tol),
    );
    expect(atBound || bottleneck).toBe(true);
  });
}

/** Completion times by stepping from event to event, re-solving everything from scratch. */
function referenceSimulation(
  caps: readonly number[],
  original: readonly (RefFlow & { amount: number; start: number })[],
  changes: readonly Change[] = [],
): number[] {
  const flows = original.map((f) => ({ ...f }));
  const end = flows.map(() => Number.NaN);
  const left = flows.map((f) => f.amount);
  const pendingChanges = changes
    .map((c, k) => ({ c, k }))
    .sort((x, y) => x.c.at - y.c.at || x.k - y.k);
  let next = 0;
  let now = 0;
  const active = (i: number): boolean => flows[i]!.start <= now + 1e-12 && Number.isNaN(end[i]!);
  for (;;) {
    // Apply the changes due now (to flows that have not ended).
    while (next < pendingChanges.length && pendingChanges[next]!.c.at <= now + 1e-12) {
      const c = pendingChanges[next++]!.c;
      const i = c.pick % flows.length;
      if (Number.isNaN(end[i]!)) applyChange(undefined, flows[i]!, c);
    }
    const live = flows.map((_, i) => i).filter(active);
    const pendingStarts = flows.filter((f, i) => f.start > now + 1e-12 && Number.isNaN(end[i]!));
    if (live.length === 0 && pendingStarts.length === 0) break;
    const rates = referenceRates(
      caps,
      live.map((i) => flows[i]!),
    );
    let dt = Number.POSITIVE_INFINITY;
    for (const f of pendingStarts) dt = Math.min(dt, f.start - now);
    if (next < pendingChanges.length) dt = Math.min(dt, pendingChanges[next]!.c.at - now);
    live.forEach((i, k) => {
      if (rates[k]! > 0) dt = Math.min(dt, left[i]! / rates[k]!);
    });
    live.forEach((i, k) => {
      left[i]! -= rates[k]! * dt;
    });
    now += dt;
    live.forEach((i) => {
      if (left[i]! <= 1e-9 * flows[i]!.amount) end[i] = now;
    });
  }
  return end;
}

/**
 * A sink that works through `chunks` one after another, each started from the end of the one
 * before (as a migration's rounds are): `route(k)` and `bound(k)` give chunk k's route and bound.
 */
class Chain implements FluidSink {
  readonly ends: number[] = [];
  readonly statuses: ActivityStatus[] = [];
  private k = 0;
  constructor(
    private readonly sim: Simulation,
    private readonly fluid: FluidSystem,
    private readonly chunks: readonly number[],
    private readonly route: (k: number) => readonly Resource[],
    private readonly options: {
      readonly bound?: (k: number) => number;
      readonly weight?: number;
      /** Called in the sink's callback of chunk k's end, before the next chunk starts. */
      readonly onChunkEnd?: (k: number) => void;
    } = {},
  ) {}
  start(): void {
    this.fluid._startSinked(
      this.chunks[this.k]!,
      this.route(this.k),
      this.options.bound?.(this.k) ?? Number.POSITIVE_INFINITY,
      this.options.weight ?? 1,
      0,
      this,
    );
  }
  _fluidEnd(status: ActivityStatus): void {
    this.ends.push(this.sim.now);
    this.statuses.push(status);
    this.options.onChunkEnd?.(this.k);
    if (status !== "completed") return;
    if (++this.k < this.chunks.length) this.start();
  }
}

describe("sinked activities restarted in place (a sink's next activity on the same route)", () => {
  it("three chains of 3 + 6 units on a 3/s link end at 9 s, as three activities of 9 would, with no solve at 3 s", () => {
    const sim = new Simulation();
    const fluid = new FluidSystem(sim);
    const link = fluid.resource({ capacity: 3 });
    const chains = [0, 1, 2].map(() => new Chain(sim, fluid, [3, 6], () => [link]));
    for (const c of chains) c.start();
    settle(sim);
    const solves = fluid.stats.solves;
    sim.run({ until: 3 });
    // The chunks that followed took their predecessors' places at 3 s: nothing was re-solved.
    expect(fluid.stats.solves).toBe(solves);
    expect(link.activityCount).toBe(3);
    sim.run();
    for (const c of chains) {
      expect(c.ends).toEqual([3, 9]);
      expect(c.statuses).toEqual(["completed", "completed"]);
    }
    expect(link.activityCount).toBe(0);
    expect(fluid.activityCount).toBe(0);
  });

  it("a new bound applies in place: 8 units at 4/s, then 8 at 8/s, end at 2 s and 3 s", () => {
    const sim = new Simulation();
    const fluid = new FluidSystem(sim);
    const link = fluid.resource({ capacity: 10 });
    const c = new Chain(sim, fluid, [8, 8], () => [link], { bound: (k) => (k === 0 ? 4 : 8) });
    c.start();
    sim.run();
    expect(c.ends).toEqual([2, 3]);
  });

  it("a new bound that makes the link a bottleneck re-solves: two chains 4/s then unbounded share 10/s", () => {
    const sim = new Simulation();
    const fluid = new FluidSystem(sim);
    const link = fluid.resource({ capacity: 10 });
    // Both send 8 at 4/s (2 s), then 10 more unbounded: 5/s each, 2 s more.
    const bound = (k: number): number => (k === 0 ? 4 : Number.POSITIVE_INFINITY);
    const a = new Chain(sim, fluid, [8, 10], () => [link], { bound });
    const b = new Chain(sim, fluid, [8, 10], () => [link], { bound });
    a.start();
    b.start();
    sim.run();
    expect(a.ends[0]).toBe(2);
    expect(a.ends[1]).toBeCloseTo(4, 12);
    expect(b.ends[1]).toBeCloseTo(4, 12);
  });

  it("a sink that moves to another route leaves the first one's resources", () => {
    const sim = new Simulation();
    const fluid = new FluidSystem(sim);
    const l1 = fluid.resource({ capacity: 1 });
    const l2 = fluid.resource({ capacity: 2 });
    const c = new Chain(sim, fluid, [1, 4], (k) => (k === 0 ? [l1] : [l2]));
    c.start();
    sim.run({ until: 1 });
    expect(l1.activityCount).toBe(0);
    expect(l2.activityCount).toBe(1);
    sim.run();
    expect(c.ends).toEqual([1, 3]);
  });

  it("a route that fails while the sink is told of the end: the next activity fails at once, the sink hears of each once", () => {
    const sim = new Simulation();
    const fluid = new FluidSystem(sim);
    const link = fluid.resource({ name: "l", capacity: 1 });
    const other = new Chain(sim, fluid, [100], () => [link]);
    const c = new Chain(sim, fluid, [1, 1], () => [link], {
      onChunkEnd: (k) => {
        if (k === 0) fluid.setCapacity(link, 0);
      },
    });
    c.start();
    other.start();
    sim.run();
    // The first chunk completed at 2 s (half of the link for 1 unit); the failure in its
    // callback failed `other`, and the second chunk failed as it started.
    expect(c.ends).toEqual([2, 2]);
    expect(c.statuses).toEqual(["completed", "failed"]);
    expect(other.statuses).toEqual(["failed"]);
    expect(link.activityCount).toBe(0);
    expect(fluid.activityCount).toBe(0);
  });

  it("a sink that throws when told of the end leaves the slot free: a later start gets a fresh activity", () => {
    const sim = new Simulation();
    const fluid = new FluidSystem(sim);
    const link = fluid.resource({ capacity: 1 });
    const c = new Chain(sim, fluid, [1, 1], () => [link], {
      onChunkEnd: () => {
        throw new Error("engine bug");
      },
    });
    c.start();
    expect(() => sim.run()).toThrow("engine bug");
    expect(link.activityCount).toBe(0);
    // Another sink on the same route starts normally (no half-ended slot is taken over).
    const d = new Chain(sim, fluid, [2], () => [link]);
    d.start();
    sim.run();
    expect(d.ends).toEqual([3]);
    expect(fluid.activityCount).toBe(0);
  });

  it("chains restarted in place end when one activity of their summed work would (max-min, work conserved)", () => {
    fc.assert(
      fc.property(
        systemArb,
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 14, maxLength: 14 }),
        ({ caps, flows }, pieces) => {
          const sim = new Simulation();
          const fluid = new FluidSystem(sim);
          const res = caps.map((c) => fluid.resource({ capacity: c }));
          const chains = flows.map((f, i) => {
            // The flow's amount in up to `pieces[i]` chunks (the first ones of one unit each).
            const n = Math.min(pieces[i]!, f.amount);
            const chunks = Array.from({ length: n }, (_, k) =>
              k < n - 1 ? 1 : f.amount - (n - 1),
            );
            const route = f.route.map((r) => res[r]!);
            const chain = new Chain(sim, fluid, chunks, () => route, {
              bound: () => f.bound,
              weight: f.weight,
            });
            sim.schedule(f.start, () => chain.start());
            return chain;
          });
          sim.run();
          const expected = referenceSimulation(caps, flows);
          chains.forEach((c, i) => {
            expect(c.statuses.every((s) => s === "completed")).toBe(true);
            expect(c.ends.at(-1)!).toBeCloseTo(expected[i]!, 6);
          });
          expect(fluid.activityCount).toBe(0);
        },
      ),
      { numRuns: 150 },
    );
  });
});
