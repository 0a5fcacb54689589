import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type AccessTrace,
  mineAccessModel,
  STREAM_STRATEGY_NAMES,
  type StreamResult,
  stateLayout,
  streamSession,
} from "../src/index.js";

const KiB = 2 ** 10;

/** A random session on a small layout: requests of 1..32 blocks, times non-decreasing. */
const caseArb = fc
  .record({
    blocks: fc.integer({ min: 64, max: 1024 }),
    requests: fc.array(
      fc.record({
        dt: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 3, noNaN: true })),
        at: fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
        len: fc.integer({ min: 1, max: 32 }),
      }),
      { minLength: 1, maxLength: 40 },
    ),
    tail: fc.double({ min: 0, max: 10, noNaN: true }),
    training: fc.integer({ min: 1, max: 3 }),
    kbps: fc.integer({ min: 200, max: 50_000 }),
    rttMs: fc.integer({ min: 0, max: 300 }),
    chunkKiB: fc.constantFrom(4, 16, 64, 256),
    merge: fc.constantFrom(0, 0.5, 2),
    strategy: fc.constantFrom(...STREAM_STRATEGY_NAMES),
  })
  .map((c) => {
    const layout = stateLayout(4 * KiB, [{ name: "d", bytes: c.blocks * 4 * KiB }]);
    const make = (shift: number, name: string): AccessTrace => {
      let t = 0;
      const times: number[] = [];
      const firsts: number[] = [];
      const lens: number[] = [];
      for (const r of c.requests) {
        t += r.dt;
        const first = (Math.floor(r.at * c.blocks) + shift) % c.blocks;
        times.push(t);
        firsts.push(first);
        lens.push(Math.min(r.len, c.blocks - first));
      }
      return {
        name,
        layout,
        times: Float64Array.from(times),
        firstBlocks: Uint32Array.from(firsts),
        blockCounts: Uint32Array.from(lens),
        length: times.length,
        durationSeconds: t + c.tail,
      };
    };
    // Training sessions: the same reads shifted a little, so predictions are partly right.
    const training = Array.from({ length: c.training }, (_, i) => make(i * 3, `train-${i}`));
    return { ...c, test: make(1, "test"), training };
  });

type Case = typeof caseArb extends fc.Arbitrary<infer T> ? T : never;

function run(c: Case, series = true): StreamResult {
  return streamSession(mineAccessModel(c.training), c.test, {
    strategy: c.strategy,
    link: { bandwidth: `${c.kbps}kbps`, rtt: `${c.rttMs}ms` },
    stallMergeGap: c.merge,
    vtube: { chunk: `${c.chunkKiB}KiB` },
    vmtorrent: { chunk: `${c.chunkKiB}KiB` },
    series,
  });
}

function distinct(t: AccessTrace): number {
  const seen = new Set<number>();
  for (let k = 0; k < t.length; k++) {
    for (let b = 0; b < t.blockCounts[k]!; b++) seen.add(t.firstBlocks[k]! + b);
  }
  return seen.size;
}

describe("streaming invariants (property tests)", () => {
  it("every session completes; its length is startup + VM time + stall time", () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const r = run(c);
        expect(r.outcome).toBe("completed");
        expect(r.sessionSeconds).toBeCloseTo(
          r.startupDelaySeconds + r.vmSeconds + r.stallSeconds,
          6,
        );
        expect(r.vmSeconds).toBe(c.test.durationSeconds);
      }),
      { numRuns: 80 },
    );
  });

  it("bytes: the VM uses each distinct block once; nothing used was not transferred", () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const r = run(c);
        expect(r.usedBlocks).toBe(distinct(c.test));
        expect(r.bytesUsed).toBe(r.usedBlocks * 4 * KiB);
        expect(r.bytesTransferred).toBeGreaterThanOrEqual(r.bytesUsed - 1e-6);
        expect(r.bytesWasted).toBeCloseTo(r.bytesTransferred - r.bytesUsed, 3);
        expect(r.missedBlocks).toBeLessThanOrEqual(r.usedBlocks);
        if (c.strategy === "demand") {
          expect(r.bytesTransferred).toBe(r.bytesUsed);
          expect(r.missRate).toBe(1);
        }
        if (c.strategy === "full-download") {
          expect(r.bytesTransferred).toBe(c.blocks * 4 * KiB);
          expect(r.stalls).toBe(0);
        }
      }),
      { numRuns: 80 },
    );
  });

  it("stalls: ordered, disjoint, their blocked time sums to the stall time; one per fetch without merging", () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const r = run(c);
        let sum = 0;
        let last = Number.NEGATIVE_INFINITY;
        for (const s of r.stallTimeline) {
          expect(s.startSeconds).toBeGreaterThanOrEqual(last);
          expect(s.endSeconds).toBeGreaterThanOrEqual(s.startSeconds);
          expect(s.blockedSeconds).toBeLessThanOrEqual(s.endSeconds - s.startSeconds + 1e-9);
          expect(s.startSeconds).toBeGreaterThanOrEqual(r.startupDelaySeconds - 1e-9);
          sum += s.blockedSeconds;
          last = s.endSeconds;
        }
        expect(sum).toBeCloseTo(r.stallSeconds, 9);
        expect(r.stalls).toBe(r.stallTimeline.length);
        if (c.strategy === "demand" && c.merge === 0) expect(r.stalls).toBe(r.demandFetches);
      }),
      { numRuns: 80 },
    );
  });

  it("the same inputs give the same results; the series changes nothing else", () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const a = run(c);
        const b = run(c);
        expect(JSON.stringify(a)).toBe(JSON.stringify(b));
        const quiet = run(c, false);
        expect(quiet.series.timeSeconds).toEqual([]);
        expect(JSON.stringify({ ...quiet, series: 0 })).toBe(JSON.stringify({ ...a, series: 0 }));
      }),
      { numRuns: 50 },
    );
  });

  it("the series rises: bytes received and used, VM progress, never backwards", () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const s = run(c).series;
        for (let i = 1; i < s.timeSeconds.length; i++) {
          expect(s.timeSeconds[i]).toBeGreaterThanOrEqual(s.timeSeconds[i - 1]!);
          expect(s.bytesReceived[i]).toBeGreaterThanOrEqual(s.bytesReceived[i - 1]! - 1e-6);
          expect(s.bytesUsed[i]).toBeGreaterThanOrEqual(s.bytesUsed[i - 1]!);
          expect(s.vmSeconds[i]).toBeGreaterThanOrEqual(s.vmSeconds[i - 1]! - 1e-9);
        }
      }),
      { numRuns: 50 },
    );
  });
});
