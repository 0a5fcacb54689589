import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { VxError } from "@vx/core";
import { describe, expect, it } from "vitest";
import { migrate, parseDirtyTrace } from "../src/index.js";
import { readDirtyTrace } from "../src/node.js";

describe("dirty-page traces", () => {
  it("parses rate and page-list intervals, with comments and units", () => {
    const t = parseDirtyTrace(
      "# web server, 4 KiB pages\n1s rate 200MiB/s\n\n500ms pages 0-3,10 # a burst\n",
      "web.trace",
    );
    expect(t.source).toBe("web.trace");
    expect(t.intervals).toHaveLength(2);
    expect(t.intervals[0]).toEqual({
      kind: "rate",
      durationSeconds: 1,
      bytesPerSecond: 200 * 2 ** 20,
    });
    const pages = t.intervals[1]!;
    expect(pages.kind).toBe("pages");
    expect(pages.durationSeconds).toBe(0.5);
    expect(Array.from(pages.kind === "pages" ? pages.pages : [])).toEqual([0, 1, 2, 3, 10]);
  });

  it.each([
    ["1s rate", "web.trace:1:"],
    ["1s\trate fast", 'web.trace:1: bad rate "fast"'],
    ["# ok\n-1s rate 1MiB/s", "web.trace:2:"],
    ["0s rate 1MiB/s", "web.trace:1: the duration must be > 0"],
    ["1s pages 5-2", 'web.trace:1: bad page range "5-2"'],
    ["1s pages a", 'web.trace:1: bad page list item "a"'],
    ["1s bytes 5", 'web.trace:1: unknown kind "bytes"'],
    ["# only comments\n", "web.trace: the trace has no interval"],
  ])("a malformed trace %j fails with the file and line", (text, message) => {
    try {
      parseDirtyTrace(text, "web.trace");
      expect.unreachable();
    } catch (error) {
      expect(VxError.isInstance(error)).toBe(true);
      expect((error as VxError).code).toBe("VX_MIGRATION_BAD_TRACE");
      expect((error as VxError).message).toContain(message);
      expect((error as VxError).path[0]).toBe("web.trace");
    }
  });

  it("reads a trace file; a missing file names its path", () => {
    const dir = mkdtempSync(join(tmpdir(), "vx-trace-"));
    const file = join(dir, "db.trace");
    writeFileSync(file, "1s rate 1MiB/s\n2s pages 7\n");
    const t = readDirtyTrace(file);
    expect(t.source).toBe(file);
    expect(t.intervals).toHaveLength(2);
    const missing = join(dir, "nope.trace");
    expect(() => readDirtyTrace(missing)).toThrow(missing);
  });

  it("replays the trace from the start of the migration and loops", () => {
    const trace = parseDirtyTrace("1s rate 0B/s\n1s rate 100MiB/s\n", "pulse.trace");
    const once = migrate(
      { ram: "256MiB", dirty: { model: "trace", trace, loop: false } },
      { strategy: "precopy-qemu", link: { bandwidth: "1Gbps" } },
    );
    const looped = migrate(
      { ram: "256MiB", dirty: { model: "trace", trace } },
      { strategy: "precopy-qemu", link: { bandwidth: "1Gbps" }, limits: { maxRounds: 5 } },
    );
    // Round 0 lasts 2.15 s: without loop, 100 MiB dirtied in [1 s, 2 s]; with loop, plus
    // nothing during [2 s, 2.15 s] (the next quiet second).
    expect(once.rounds[0]!.dirtyBytes / 2 ** 20).toBeCloseTo(100, 6);
    expect(looped.rounds[0]!.dirtyBytes / 2 ** 20).toBeCloseTo(100, 6);
  });

  it("page numbers beyond the VM are rejected before anything runs", () => {
    const trace = parseDirtyTrace("1s pages 0,70000\n", "big.trace");
    expect(() =>
      migrate(
        { ram: "256MiB", dirty: { model: "trace", trace } },
        { strategy: "precopy-qemu", link: { bandwidth: "1Gbps" } },
      ),
    ).toThrow(
      /vm\.dirty\.trace\.intervals\[0\]\.pages\[1\]: page 70000 is outside the VM's 65536 pages/,
    );
  });
});
