import { VxError } from "@vx/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { NO_OWNER, PageFrames } from "../src/index.js";

/** Lays out `perDomainPerNode[d][n]` frames of domain d on node n, the first `busy` in use. */
function layout(perNode: readonly (readonly number[])[], busyFraction: number): PageFrames {
  const nodes = perNode[0]!.length;
  const framesPerNode = Array.from({ length: nodes }, (_, n) =>
    perNode.reduce((sum, row) => sum + row[n]!, 0),
  );
  const frames = new PageFrames({ framesPerNode, domains: perNode.length });
  for (let n = 0; n < nodes; n++) {
    let f = frames.firstFrame(n);
    for (let d = 0; d < perNode.length; d++) {
      const count = perNode[d]![n]!;
      const busy = Math.floor(count * busyFraction);
      for (let k = 0; k < count; k++) frames.assign(f++, d, k >= busy);
    }
  }
  return frames;
}

/** Recounts owned and free frames per (domain, node) from the outside, by frame. */
function recount(frames: PageFrames): { owned: number[]; free: number[] } {
  const owned = new Array<number>(frames.domainCount * frames.nodeCount).fill(0);
  const free = owned.slice();
  for (let f = 0; f < frames.frameCount; f++) {
    const o = frames.ownerOf(f);
    if (o === NO_OWNER) continue;
    const i = o * frames.nodeCount + frames.nodeOf(f);
    owned[i]!++;
    if (frames.isFree(f)) free[i]!++;
  }
  return { owned, free };
}

describe("PageFrames", () => {
  it("numbers frames node by node and derives each frame's node from the ranges", () => {
    const frames = new PageFrames({ framesPerNode: [3, 0, 2], domains: 1 });
    expect(frames.frameCount).toBe(5);
    expect([0, 1, 2, 3, 4].map((f) => frames.nodeOf(f))).toEqual([0, 0, 0, 2, 2]);
    expect(frames.firstFrame(2)).toBe(3);
    expect(frames.firstFrame(3)).toBe(5);
  });

  it("allocates from the preferred node, then the nearest node by SLIT distance", () => {
    const frames = new PageFrames({
      framesPerNode: [1, 1, 1, 1],
      domains: 1,
      distances: [
        [10, 16, 22, 22],
        [16, 10, 22, 22],
        [22, 22, 10, 16],
        [22, 22, 16, 10],
      ],
    });
    for (let f = 0; f < 4; f++) frames.assign(f, 0, true);
    // From node 3: itself, then node 2 (16), then nodes 0 and 1 (22, lowest index first).
    expect([0, 1, 2, 3].map(() => frames.nodeOf(frames.allocate(0, 3)))).toEqual([3, 2, 0, 1]);
    expect(frames.allocate(0, 3)).toBe(-1);
  });

  it("a flip moves one page each way and keeps both domains' page counts", () => {
    const frames = layout(
      [
        [0, 4], // domain 0 (pVM): 4 frames on node 1
        [4, 0], // domain 1 (guest): 4 frames on node 0
      ],
      0,
    );
    const buffer = frames.allocate(0, 1);
    const given = frames.allocate(1, 0);
    frames.transfer(buffer, 0, 1);
    frames.transferFree(given, 1, 0);
    expect(frames.ownerOf(buffer)).toBe(1);
    expect(frames.isFree(buffer)).toBe(false);
    expect(frames.ownerOf(given)).toBe(0);
    expect(frames.isFree(given)).toBe(true);
    expect(frames.countOwned(1)).toBe(4);
    expect(frames.countOwned(1, 1)).toBe(1);
    expect(frames.countOwned(0, 0)).toBe(1);
    expect(frames.countFree(0)).toBe(4);
    expect(frames.check()).toEqual([]);
  });

  it("rejects releasing a free frame, moving another domain's frame and unknown frames", () => {
    const frames = layout([[2], [2]], 0.5);
    const code = (fn: () => void): string => {
      try {
        fn();
      } catch (error) {
        if (VxError.isInstance(error)) return error.code;
        throw error;
      }
      return "no error";
    };
    expect(code(() => frames.release(0, 1))).toBe("VX_PAGEFLIP_BAD_FRAME"); // already free
    expect(code(() => frames.release(1, 0))).toBe("VX_PAGEFLIP_BAD_FRAME"); // domain 0's
    expect(code(() => frames.transfer(1, 0, 1))).toBe("VX_PAGEFLIP_BAD_FRAME"); // free
    expect(code(() => frames.transfer(0, 0, 7))).toBe("VX_PAGEFLIP_BAD_ARGUMENT");
    expect(code(() => frames.release(0, 99))).toBe("VX_PAGEFLIP_BAD_FRAME");
    expect(code(() => frames.assign(0, 1, true))).toBe("VX_PAGEFLIP_BAD_FRAME"); // owned
    expect(code(() => new PageFrames({ framesPerNode: [1], domains: 256 }))).toBe(
      "VX_PAGEFLIP_BAD_ARGUMENT",
    );
    expect(code(() => new PageFrames({ framesPerNode: [1.5], domains: 1 }))).toBe(
      "VX_PAGEFLIP_BAD_ARGUMENT",
    );
    expect(frames.check()).toEqual([]);
  });

  it("check() reports a count that no longer matches the owner array", () => {
    const frames = layout([[2, 2]], 0);
    // Corrupt the state from outside the API to see the checker catch it.
    (frames as unknown as { owner: Uint8Array }).owner[0] = NO_OWNER;
    expect(frames.check().length).toBeGreaterThan(0);
  });

  // An operation of a random sequence: indices are reduced modulo what exists at that point.
  type Op =
    | { kind: "alloc"; domain: number; node: number }
    | { kind: "free"; domain: number; pick: number }
    | { kind: "flip"; from: number; to: number; node: number; pick: number }
    | { kind: "give"; from: number; to: number; pick: number };

  const opArb: fc.Arbitrary<Op> = fc.oneof(
    fc.record({ kind: fc.constant("alloc" as const), domain: fc.nat(), node: fc.nat() }),
    fc.record({ kind: fc.constant("free" as const), domain: fc.nat(), pick: fc.nat() }),
    fc.record({
      kind: fc.constant("flip" as const),
      from: fc.nat(),
      to: fc.nat(),
      node: fc.nat(),
      pick: fc.nat(),
    }),
    fc.record({ kind: fc.constant("give" as const), from: fc.nat(), to: fc.nat(), pick: fc.nat() }),
  );

  it("conserves pages through any sequence of flips, allocations and frees", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }), // nodes
        fc.integer({ min: 1, max: 3 }), // domains
        fc.array(fc.integer({ min: 0, max: 12 }), { minLength: 9, maxLength: 9 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.array(opArb, { maxLength: 300 }),
        (nodes, domains, sizes, busy, ops) => {
          const perNode = Array.from({ length: domains }, (_, d) =>
            Array.from({ length: nodes }, (_, n) => sizes[d * 3 + n]!),
          );
          const frames = layout(perNode, busy);
          const total = frames.frameCount;
          // In-use frames per domain, tracked independently of PageFrames.
          const inUse: number[][] = Array.from({ length: domains }, () => []);
          for (let f = 0; f < total; f++) {
            if (!frames.isFree(f)) inUse[frames.ownerOf(f)]!.push(f);
          }
          for (const op of ops) {
            if (op.kind === "alloc") {
              const d = op.domain % domains;
              const before = frames.countFree(d);
              const f = frames.allocate(d, op.node % nodes);
              if (f < 0) expect(before).toBe(0);
              else {
                expect(frames.ownerOf(f)).toBe(d);
                inUse[d]!.push(f);
              }
            } else if (op.kind === "free") {
              const list = inUse[op.domain % domains]!;
              if (list.length === 0) continue;
              const [f] = list.splice(op.pick % list.length, 1);
              frames.release(op.domain % domains, f!);
            } else if (op.kind === "flip") {
              // A page flip: an in-use page of `from` goes to `to`, which gives back a page
              // from its free list (preferring `node`) onto `from`'s free list.
              const from = op.from % domains;
              const to = op.to % domains;
              const list = inUse[from]!;
              if (list.length === 0) continue;
              const back = frames.allocate(to, op.node % nodes);
              if (back < 0) continue;
              const [f] = list.splice(op.pick % list.length, 1);
              frames.transfer(f!, from, to);
              inUse[to]!.push(f!);
              frames.transferFree(back, to, from);
            } else {
              const from = op.from % domains;
              const to = op.to % domains;
              const list = inUse[from]!;
              if (list.length === 0) continue;
              const [f] = list.splice(op.pick % list.length, 1);
              frames.transfer(f!, from, to);
              inUse[to]!.push(f!);
            }
          }
          expect(frames.check()).toEqual([]);
          // Every frame is owned by exactly one domain; counts match the owner array.
          const counted = recount(frames);
          let owned = 0;
          for (let d = 0; d < domains; d++) {
            for (let n = 0; n < nodes; n++) {
              expect(frames.countOwned(d, n)).toBe(counted.owned[d * nodes + n]);
              expect(frames.countFree(d, n)).toBe(counted.free[d * nodes + n]);
            }
            owned += frames.countOwned(d);
            expect(frames.countOwned(d) - frames.countFree(d)).toBe(inUse[d]!.length);
          }
          expect(owned).toBe(total);
          // No page in use twice.
          const all = inUse.flat();
          expect(new Set(all).size).toBe(all.length);
        },
      ),
      { numRuns: 300 },
    );
  });
});
