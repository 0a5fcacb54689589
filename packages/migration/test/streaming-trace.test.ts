import { vxErrorOf } from "@vx/dev/matchers";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type AccessTrace,
  formatAccessTraces,
  parseAccessTraces,
  stateLayout,
} from "../src/index.js";

const MiB = 2 ** 20;

describe("access traces: the text format", () => {
  it("lays out the areas one after the other and maps byte ranges to blocks", () => {
    const set = parseAccessTraces(
      [
        "# a comment line",
        "block-size 4KiB",
        "area disk 1MiB      # 256 blocks",
        "area memory 10000   # 3 blocks (rounded up)",
        "session alice 30s",
        "0      disk   0      128KiB   # blocks 0..31",
        "0.5    disk   4095   2        # straddles blocks 0 and 1",
        "1500ms memory 8192            # one block: block 256 + 2",
        "2      disk   1044480         ",
      ].join("\n"),
      "a.trace",
    );
    expect(set.source).toBe("a.trace");
    expect(set.layout.blockBytes).toBe(4096);
    expect(set.layout.blockCount).toBe(259);
    expect(set.layout.areas.map((a) => [a.name, a.firstBlock, a.blockCount, a.bytes])).toEqual([
      ["disk", 0, 256, MiB],
      ["memory", 256, 3, 10000],
    ]);
    const s = set.sessions[0]!;
    expect(s.name).toBe("alice");
    expect(s.durationSeconds).toBe(30);
    expect(Array.from(s.times)).toEqual([0, 0.5, 1.5, 2]);
    expect(Array.from(s.firstBlocks)).toEqual([0, 0, 258, 255]);
    expect(Array.from(s.blockCounts)).toEqual([32, 2, 1, 1]);
  });

  it("a session's length defaults to its last access; sessions follow each other", () => {
    const set = parseAccessTraces("area d 1MiB\nsession a\n1 d 0\n7 d 0\nsession b 3\nsession c\n");
    expect(set.sessions.map((s) => [s.name, s.length, s.durationSeconds])).toEqual([
      ["a", 2, 7],
      ["b", 0, 3],
      ["c", 0, 0],
    ]);
  });

  it("formats traces that parse back to the same traces (any layout and accesses)", () => {
    const arb = fc
      .record({
        blockShift: fc.integer({ min: 9, max: 14 }),
        areas: fc.array(fc.integer({ min: 1, max: 3 * MiB }), { minLength: 1, maxLength: 3 }),
        sessions: fc.array(
          fc.array(
            fc.record({
              dt: fc.double({ min: 0, max: 5, noNaN: true }),
              at: fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
              blocks: fc.integer({ min: 1, max: 40 }),
            }),
            { maxLength: 30 },
          ),
          { minLength: 1, maxLength: 3 },
        ),
      })
      .map(({ blockShift, areas, sessions }) => {
        const layout = stateLayout(
          2 ** blockShift,
          areas.map((bytes, i) => ({ name: `a${i}`, bytes })),
        );
        const traces: AccessTrace[] = sessions.map((accesses, si) => {
          let t = 0;
          const times: number[] = [];
          const firsts: number[] = [];
          const counts: number[] = [];
          for (const a of accesses) {
            t += a.dt;
            const first = Math.floor(a.at * layout.blockCount);
            times.push(t);
            firsts.push(first);
            counts.push(Math.min(a.blocks, layout.blockCount - first));
          }
          return {
            name: `s${si}`,
            layout,
            times: Float64Array.from(times),
            firstBlocks: Uint32Array.from(firsts),
            blockCounts: Uint32Array.from(counts),
            length: times.length,
            durationSeconds: t + 1,
          };
        });
        return { layout, traces };
      });
    fc.assert(
      fc.property(arb, ({ layout, traces }) => {
        const text = formatAccessTraces({ source: "x", layout, sessions: traces });
        const back = parseAccessTraces(text, "x");
        expect(back.layout).toEqual(layout);
        expect(back.sessions.length).toBe(traces.length);
        back.sessions.forEach((s, i) => {
          const t = traces[i]!;
          expect(s.durationSeconds).toBe(t.durationSeconds);
          // Accesses that cross an area boundary come back as one per area: compare blocks.
          const expand = (x: AccessTrace): string[] => {
            const out: string[] = [];
            for (let k = 0; k < x.length; k++) {
              for (let b = 0; b < x.blockCounts[k]!; b++) {
                out.push(`${x.times[k]}:${x.firstBlocks[k]! + b}`);
              }
            }
            return out;
          };
          expect(expand(s)).toEqual(expand(t));
        });
      }),
      { numRuns: 60 },
    );
  });

  it("rejects each kind of malformed line with the file, line and a path", () => {
    const cases: [string, number, RegExp][] = [
      ["frobnicate 3\n", 1, /expected "block-size", "area" or "session" before accesses/],
      ["area disk\n", 1, /expected "area <name> <size>"/],
      ["area disk 1GB\narea disk 1GB\n", 2, /declared twice/],
      ["area disk 0\n", 1, /needs a size > 0/],
      ["area disk lots\n", 1, /bad area size "lots"/],
      ["area d 1MiB\nblock-size 4KiB\n", 2, /before the first area/],
      ["block-size 3000\n", 1, /power of two/],
      ["block-size 4KiB\nblock-size 4KiB\n", 2, /once/],
      ["session a\n", 1, /declare the areas before the first session/],
      ["area d 1MiB\nsession a\narea e 1MiB\n", 3, /before the first session/],
      ["area d 1MiB\n0 d 0\n", 2, /before accesses/],
      ["area d 1MiB\nsession a\n0 e 0\n", 3, /unknown area "e"; declared: d/],
      ["area d 1MiB\nsession a\n0 d\n", 3, /expected "<time> <area> <offset> \[<length>\]"/],
      ["area d 1MiB\nsession a\nsoon d 0\n", 3, /bad time "soon"/],
      ["area d 1MiB\nsession a\n-1 d 0\n", 3, /bad time "-1"|≥ 0/],
      ["area d 1MiB\nsession a\n0 d 1MiB\n", 3, /outside area "d"/],
      ["area d 1MiB\nsession a\n0 d 0 0\n", 3, /length must be > 0/],
      ["area d 1MiB\nsession a\n0 d 1.5\n", 3, /bad offset "1.5"/],
      ["area d 1MiB\nsession a\n2 d 0\n1 d 0\n", 4, /goes back/],
      ["area d 1MiB\nsession a 1\n2 d 0\n", 2, /lasts 1 s but its last access is at 2 s/],
      ["area d 1MiB\nsession a\nsession a\n", 3, /appears twice/],
    ];
    for (const [text, line, message] of cases) {
      const e = vxErrorOf(() => parseAccessTraces(text, "t.trace"));
      expect(e.code, text).toBe("VX_MIGRATION_BAD_ACCESS_TRACE");
      expect(e.path, text).toEqual(["t.trace", line]);
      expect(e.message, text).toMatch(message);
      expect(e.message, text).toContain(`t.trace:${line}: `);
    }
  });

  it("a file without any session is rejected as a whole", () => {
    for (const text of ["", "# only a comment\n", "area d 1MiB\n"]) {
      const e = vxErrorOf(() => parseAccessTraces(text, "empty.trace"));
      expect(e.code).toBe("VX_MIGRATION_BAD_ACCESS_TRACE");
      expect(e.path).toEqual(["empty.trace"]);
    }
  });

  it("stateLayout rejects a bad block size, no area, bad names and sizes", () => {
    const cases: [() => unknown, (string | number)[]][] = [
      [() => stateLayout(1000, [{ name: "d", bytes: 1 }]), ["blockBytes"]],
      [() => stateLayout(256, [{ name: "d", bytes: 1 }]), ["blockBytes"]],
      [() => stateLayout(4096, []), ["areas"]],
      [() => stateLayout(4096, [{ name: "a b", bytes: 1 }]), ["areas", 0, "name"]],
      [
        () =>
          stateLayout(4096, [
            { name: "d", bytes: 1 },
            { name: "d", bytes: 1 },
          ]),
        ["areas", 1, "name"],
      ],
      [() => stateLayout(4096, [{ name: "d", bytes: -1 }]), ["areas", 0, "bytes"]],
      [() => stateLayout(512, [{ name: "d", bytes: 2 ** 42 }]), ["areas"]],
    ];
    for (const [fn, path] of cases) {
      const e = vxErrorOf(fn);
      expect(e.code).toBe("VX_MIGRATION_BAD_ACCESS_TRACE");
      expect(e.path).toEqual(path);
    }
  });

  it("formatting refuses a session on another layout", () => {
    const a = parseAccessTraces("area d 1MiB\nsession s\n0 d 0\n");
    const b = parseAccessTraces("area d 2MiB\nsession s\n0 d 0\n");
    const e = vxErrorOf(() =>
      formatAccessTraces({ source: "x", layout: a.layout, sessions: [b.sessions[0]!] }),
    );
    expect(e.code).toBe("VX_MIGRATION_BAD_ACCESS_TRACE");
    expect(e.path).toEqual(["sessions", 0]);
  });
});
