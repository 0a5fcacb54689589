import { vxErrorOf } from "@vx/dev/matchers";
import { describe, expect, it } from "vitest";
import { type AccessTrace, mineAccessModel, parseAccessTraces } from "../src/index.js";

function traces(...sessions: string[][]): AccessTrace[] {
  const text = ["area d 1MiB"];
  sessions.forEach((lines, i) => {
    text.push(`session s${i}`);
    for (const line of lines) text.push(line);
  });
  return [...parseAccessTraces(text.join("\n")).sessions];
}

/** Activity A: blocks 0..7 in two requests, 0.5 s apart. */
const A = ["0 d 0 16KiB", "0.5 d 16KiB 16KiB"];
/** Activity B at `t`: blocks 100..107. */
const B = (t: number): string[] => [`${t} d 409600 16KiB`, `${t + 0.2} d 425984 16KiB`];
/** Activity C at `t`: blocks 200..207. */
const C = (t: number): string[] => [`${t} d 819200 16KiB`, `${t + 0.4} d 835584 16KiB`];

describe("mining: clusters and the transition model", () => {
  // Three users: A then B, A then C, A then B (B 1 s later than the first time).
  const model = mineAccessModel(traces([...A, ...B(5)], [...A, ...C(8)], [...A, ...B(6)]));

  it("finds one cluster per activity, blocks in reading order", () => {
    expect(model.clusterCount).toBe(3);
    expect(Array.from(model.clusterBlocks(0))).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(Array.from(model.clusterBlocks(1))).toEqual([100, 101, 102, 103, 104, 105, 106, 107]);
    expect(Array.from(model.clusterBlocks(2))).toEqual([200, 201, 202, 203, 204, 205, 206, 207]);
    expect(model.clusterOf(5)).toBe(0);
    expect(model.clusterOf(104)).toBe(1);
    expect(model.clusterOf(50)).toBe(-1);
    expect(model.clusterBytes(2)).toBe(8 * 4096);
  });

  it("learns the transitions: A → B two times in three, A → C one in three, with mean gaps", () => {
    expect(model.startClusters()).toEqual([{ cluster: 0, probability: 1, meanGapSeconds: 0 }]);
    const next = model.successors(0);
    expect(next.map((t) => t.cluster)).toEqual([1, 2]);
    expect(next[0]!.probability).toBeCloseTo(2 / 3, 12);
    expect(next[0]!.meanGapSeconds).toBeCloseTo(5.5, 12); // (5 + 6) / 2
    expect(next[1]!.probability).toBeCloseTo(1 / 3, 12);
    expect(next[1]!.meanGapSeconds).toBeCloseTo(8, 12);
    expect(model.successors(1)).toEqual([]);
  });

  it("VMTorrent's profile orders every block by mean first-access time", () => {
    // 0..3 at 0 s, 4..7 at 0.5 s, 100..103 at 5.5 s, 104..107 at 5.7 s, 200.. at 8 s, 204.. at 8.4 s.
    expect(Array.from(model.profile())).toEqual([
      0, 1, 2, 3, 4, 5, 6, 7, 100, 101, 102, 103, 104, 105, 106, 107, 200, 201, 202, 203, 204, 205,
      206, 207,
    ]);
  });

  it("summarises what it found", () => {
    expect(model.summary()).toEqual({
      trainingSessions: 3,
      clusters: 3,
      transitions: 2,
      clusteredBytes: 24 * 4096,
      meanClusterBytes: 8 * 4096,
    });
  });

  it("an episode is a known cluster only when enough of its blocks belong to it", () => {
    // Episode 2 of the second trace reads A's blocks 0..3 and 8 new blocks (4 of 12 known).
    const mixed = [...A, "5 d 0 16KiB", "5.1 d 200KiB 32KiB"];
    const strict = mineAccessModel(traces(A, mixed));
    expect(strict.clusterCount).toBe(2);
    expect(strict.clusterOf(50)).toBe(1);
    expect(strict.clusterOf(0)).toBe(0);
    const loose = mineAccessModel(traces(A, mixed), { matchShare: "30%" });
    expect(loose.clusterCount).toBe(1);
    expect(loose.clusterOf(50)).toBe(0);
  });

  it("drops from a cluster the blocks read in too few of its episodes (stray reads)", () => {
    // Ten users do A; one of them also reads block 60 during A.
    const users = Array.from({ length: 10 }, (_, i) => (i === 3 ? [...A, "0.6 d 245760"] : A));
    const pruned = mineAccessModel(traces(...users));
    expect(pruned.clusterOf(60)).toBe(-1);
    expect(Array.from(pruned.clusterBlocks(0))).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    const kept = mineAccessModel(traces(...users), { minSupport: 0 });
    expect(kept.clusterOf(60)).toBe(0);
    // VMTorrent's profile keeps every block seen.
    expect(Array.from(pruned.profile())).toContain(60);
  });

  it("cuts episodes at idle gaps and at the longest episode", () => {
    const steady = Array.from({ length: 21 }, (_, i) => `${i * 0.5} d ${i * 4096}`);
    expect(mineAccessModel(traces(steady)).clusterCount).toBe(1);
    const cut = mineAccessModel(traces(steady), { maxEpisode: "4s" });
    // Episodes of 0..3.5 s, 4..7.5 s, 8..10 s: three clusters in a chain.
    expect(cut.clusterCount).toBe(3);
    expect(cut.successors(0).map((t) => t.cluster)).toEqual([1]);
    expect(cut.successors(1).map((t) => t.cluster)).toEqual([2]);
    const gaps = mineAccessModel(traces(steady), { gap: "0.4s" });
    expect(gaps.clusterCount).toBe(21);
  });

  it("rejects no trace, traces of different appliances and bad options", () => {
    const other = parseAccessTraces("area d 2MiB\nsession x\n0 d 0\n").sessions[0]!;
    const cases: [() => unknown, (string | number)[]][] = [
      [() => mineAccessModel([]), ["traces"]],
      [() => mineAccessModel([...traces(A), other]), ["traces", 1]],
      [() => mineAccessModel(traces(A), { gap: "soon" }), ["gap"]],
      [() => mineAccessModel(traces(A), { gap: 0 }), ["gap"]],
      [() => mineAccessModel(traces(A), { matchShare: 0 }), ["matchShare"]],
      [() => mineAccessModel(traces(A), { matchShare: "120%" }), ["matchShare"]],
      [() => mineAccessModel(traces(A), { minSupport: "-5%" }), ["minSupport"]],
      [() => mineAccessModel(traces(A), { window: 3 } as never), ["window"]],
    ];
    for (const [fn, path] of cases) {
      const e = vxErrorOf(fn);
      expect(e.code).toBe("VX_MIGRATION_BAD_STREAM_OPTIONS");
      expect(e.path).toEqual(path);
    }
  });
});
