import { vxErrorOf } from "@vx/dev/matchers";
import { describe, expect, it } from "vitest";
import { type AccessTrace, APPLIANCE_DEFAULTS, createAppliance } from "../src/index.js";

const MiB = 2 ** 20;
const GiB = 2 ** 30;

function distinctBlocks(t: AccessTrace): Set<number> {
  const s = new Set<number>();
  for (let k = 0; k < t.length; k++) {
    for (let b = 0; b < t.blockCounts[k]!; b++) s.add(t.firstBlocks[k]! + b);
  }
  return s;
}

describe("the appliance generator", () => {
  it("lays out a disk and a memory snapshot in blocks, defaults from APPLIANCE_DEFAULTS", () => {
    const a = createAppliance();
    expect(a.spec).toEqual(APPLIANCE_DEFAULTS);
    expect(a.layout.blockBytes).toBe(4096);
    expect(a.layout.areas.map((x) => [x.name, x.bytes])).toEqual([
      ["disk", 7 * GiB],
      ["memory", GiB],
    ]);
    expect(a.layout.blockCount).toBe((8 * GiB) / 4096);
    expect(createAppliance({ memory: 0 }).layout.areas.map((x) => x.name)).toEqual(["disk"]);
  });

  it("session i depends only on the seed and i", () => {
    const a = createAppliance({ image: "1GiB", memory: "128MiB", seed: 5 });
    const b = createAppliance({ image: "1GiB", memory: "128MiB", seed: 5 });
    const late = b.sessions(0, 4)[3]!;
    const direct = a.session(3);
    expect(Array.from(late.times)).toEqual(Array.from(direct.times));
    expect(Array.from(late.firstBlocks)).toEqual(Array.from(direct.firstBlocks));
    const other = createAppliance({ image: "1GiB", memory: "128MiB", seed: 6 }).session(3);
    expect(Array.from(other.firstBlocks)).not.toEqual(Array.from(direct.firstBlocks));
  });

  it("every session starts with the same start phase, then reads in 128 KiB requests in time order", () => {
    const a = createAppliance({ image: "2GiB", memory: "256MiB", boot: { size: "32MiB" } });
    const bootRequests = (32 * MiB) / (128 * 1024);
    const sessions = a.sessions(0, 5);
    for (const s of sessions) {
      expect(s.length).toBeGreaterThan(bootRequests);
      let bad = 0;
      for (let k = 0; k < s.length; k++) {
        if (k > 0 && s.times[k]! < s.times[k - 1]!) bad++;
        if (!(s.blockCounts[k]! > 0 && s.blockCounts[k]! <= 32)) bad++;
        if (s.firstBlocks[k]! + s.blockCounts[k]! > a.layout.blockCount) bad++;
      }
      expect(bad).toBe(0);
      expect(s.durationSeconds).toBeGreaterThanOrEqual(s.times[s.length - 1]!);
      // The start phase: the same blocks in the same order in every session.
      expect(Array.from(s.firstBlocks.subarray(0, bootRequests))).toEqual(
        Array.from(sessions[0]!.firstBlocks.subarray(0, bootRequests)),
      );
      expect(s.times[bootRequests - 1]).toBeLessThan(APPLIANCE_DEFAULTS.boot.seconds);
    }
    // Half of the start phase reads the memory snapshot (the area after the disk).
    const memoryFirst = a.layout.areas[1]!.firstBlock;
    expect(sessions[0]!.firstBlocks[0]).toBeGreaterThanOrEqual(memoryFirst);
  });

  it("users take different paths: sessions differ after the start, and in length", () => {
    const a = createAppliance({ image: "2GiB", memory: "256MiB" });
    const s = a.sessions(0, 10);
    const lengths = new Set(s.map((x) => x.length));
    expect(lengths.size).toBeGreaterThan(5);
    const sets = s.map(distinctBlocks);
    expect(sets[1]!.size).not.toBe(sets[2]!.size);
  });

  it("with full coverage and no noise, sessions read only the start and phase files", () => {
    const base = { image: "2GiB", memory: "256MiB", seed: 9 } as const;
    const a = createAppliance({ ...base, sessions: { coverage: 1, noise: 0 } });
    const union = new Uint8Array(a.layout.blockCount);
    for (const s of a.sessions(0, 60)) {
      for (let k = 0; k < s.length; k++)
        union.fill(1, s.firstBlocks[k]!, s.firstBlocks[k]! + s.blockCounts[k]!);
    }
    // 60 sessions visit most phases; the files read are the same files again and again.
    const outsideShare = (t: AccessTrace): number => {
      const blocks = distinctBlocks(t);
      let outside = 0;
      for (const b of blocks) if (union[b] === 0) outside++;
      return outside / blocks.size;
    };
    const fresh = outsideShare(a.session(60));
    expect(fresh).toBeLessThan(0.25);
    // Noise adds reads no other session shares.
    const noisy = createAppliance({ ...base, sessions: { coverage: 1, noise: "20%" } }).session(60);
    expect(outsideShare(noisy)).toBeGreaterThan(fresh + 0.05);
  });

  it("rejects bad options with the field's path, before building anything", () => {
    const cases: [unknown, (string | number)[]][] = [
      [{ image: "huge" }, ["image"]],
      [{ image: 0 }, ["image"]],
      [{ memory: "8GiB" }, ["memory"]],
      [{ blockSize: 3000 }, ["blockSize"]],
      [{ blockSize: 256 }, ["blockSize"]],
      [{ requestSize: "6KiB" }, ["requestSize"]],
      [{ boot: { size: "16GiB" } }, ["boot", "size"]],
      [{ boot: { memoryShare: "150%" } }, ["boot", "memoryShare"]],
      [{ phases: { count: 0 } }, ["phases", "count"]],
      [{ phases: { count: 3, branching: 3 } }, ["phases", "branching"]],
      [{ phases: { duration: 0 } }, ["phases", "duration"]],
      [{ sessions: { coverage: 0 } }, ["sessions", "coverage"]],
      [{ sessions: { phases: 0.5 } }, ["sessions", "phases"]],
      [{ colour: "blue" }, ["colour"]],
    ];
    for (const [options, path] of cases) {
      const e = vxErrorOf(() => createAppliance(options as never));
      expect(e.code, JSON.stringify(options)).toBe("VX_MIGRATION_BAD_STREAM_OPTIONS");
      expect(e.path, JSON.stringify(options)).toEqual(path);
    }
    const e = vxErrorOf(() => createAppliance().session(-1));
    expect(e.path).toEqual(["index"]);
  });
});
