import { describe, expect, it } from "vitest";
import { migrate, parseDirtyTrace } from "../src/index.js";

const MiB = 2 ** 20;
const GiB = 2 ** 30;
const Mbps = 1e6 / 8;

describe("pre-copy with legacy Xen's rules", () => {
  for (const fidelity of ["fluid", "page"] as const) {
    it(`an idle VM: one full round at 100 Mbit/s, then an empty stop-and-copy (${fidelity})`, () => {
      const r = migrate(
        { ram: "1GiB" },
        { strategy: "precopy-xen", fidelity, link: { bandwidth: "1Gbps" } },
      );
      expect(r.outcome).toBe("completed");
      expect(r.rounds.map((x) => [x.phase, x.bytes])).toEqual([
        ["precopy", GiB],
        ["stop-and-copy", 0],
      ]);
      expect(r.rounds[0]!.bandwidthBytesPerSecond).toBeCloseTo(100 * Mbps, 3);
      expect(r.totalTimeSeconds).toBeCloseTo(GiB / (100 * Mbps), 9);
      expect(r.downtimeSeconds).toBe(0);
    });
  }

  it("raises the rate to the previous round's dirty rate + 50 Mbit/s, at most 500 Mbit/s", () => {
    // The guest is quiet for 80 s, then dirties 40 MB/s (320 Mbit/s), then 100 MB/s.
    const trace = parseDirtyTrace(
      ["80s rate 1MB/s", "40s rate 40MB/s", "1000s rate 100MB/s"].join("\n"),
      "ramp.trace",
    );
    const r = migrate(
      { ram: "1GiB", dirty: { model: "trace", trace, loop: false } },
      { strategy: "precopy-xen", link: { bandwidth: "10Gbps" }, xen: { skipRedirtied: false } },
    );
    const pre = r.rounds.filter((x) => x.phase === "precopy");
    expect(pre[0]!.bandwidthBytesPerSecond).toBeCloseTo(100 * Mbps, 3);
    for (let i = 1; i < pre.length; i++) {
      const prev = pre[i - 1]!;
      const expected =
        prev.dirtyRateBytesPerSecond > prev.bandwidthBytesPerSecond
          ? Math.min(prev.dirtyRateBytesPerSecond + 50 * Mbps, 500 * Mbps)
          : prev.bandwidthBytesPerSecond;
      expect(pre[i]!.bandwidthBytesPerSecond).toBeCloseTo(expected, 0);
    }
    const rates = pre.map((x) => Math.round(x.bandwidthBytesPerSecond / Mbps));
    expect(rates.slice(0, 3)).toEqual([100, 100, 370]); // 320 Mbit/s of dirtying + 50
    expect(Math.max(...rates)).toBeLessThanOrEqual(500);
    // With a 400 Mbit/s maximum, round 2 (dirtying at 393 Mbit/s) brings the rate to its cap
    // and sent more than round 1: "rate at max and the round sent more" switches to
    // stop-and-copy at once.
    const capped = migrate(
      { ram: "1GiB", dirty: { model: "trace", trace, loop: false } },
      {
        strategy: "precopy-xen",
        link: { bandwidth: "10Gbps" },
        xen: { skipRedirtied: false, maxRate: "400Mbps" },
      },
    );
    const cappedRates = capped.rounds
      .filter((x) => x.phase === "precopy")
      .map((x) => Math.round(x.bandwidthBytesPerSecond / Mbps));
    expect(cappedRates).toEqual([100, 100, 370]);
    expect(capped.rounds[3]!.phase).toBe("stop-and-copy");
  });

  it("a 256 MiB working set dirtied at 800 Mbit/s: the 3 × RAM cap stops pre-copy after 10 rounds, with a long downtime", () => {
    const r = migrate(
      { ram: "1GiB", workingSet: "256MiB", dirty: { model: "hot-cold", rate: "100MB/s" } },
      { strategy: "precopy-xen", link: { bandwidth: "10Gbps" }, xen: { skipRedirtied: false } },
    );
    const pre = r.rounds.filter((x) => x.phase === "precopy");
    expect(r.outcome).toBe("completed");
    // Not the 30-round cap nor "at 500 Mbit/s and sent more": the rate only reached 250 Mbit/s.
    expect(pre).toHaveLength(10);
    const sent = pre.reduce((s, x) => s + x.bytes, 0);
    expect(sent).toBeGreaterThan(3 * GiB);
    expect(sent - pre[9]!.bytes).toBeLessThanOrEqual(3 * GiB);
    expect(Math.max(...pre.map((x) => x.bandwidthBytesPerSecond))).toBeCloseTo(250 * Mbps, 0);
    expect(r.downtimeSeconds).toBeGreaterThan(0.1);
  });

  it("a 16 MiB working set that refills every round: the 30-round cap stops pre-copy", () => {
    // Round 0 sends 1 GiB at 100 Mbit/s; every later round the 16 MiB working set, fully dirty
    // again (100 MB/s into 16 MiB), at 100 Mbit/s (its dirty rate, 100 Mbit/s, never exceeds the
    // rate). Never fewer than 50 pages, never 3 × RAM, never more than the round before: only the
    // 30-round cap stops it, then 16 MiB go at the link's full 10 Gbit/s.
    const r = migrate(
      { ram: "1GiB", workingSet: "16MiB", dirty: { model: "hot-cold", rate: "100MB/s" } },
      { strategy: "precopy-xen", link: { bandwidth: "10Gbps" }, xen: { skipRedirtied: false } },
    );
    expect(r.outcome).toBe("completed");
    const pre = r.rounds.filter((x) => x.phase === "precopy");
    expect(pre).toHaveLength(30);
    expect(pre.slice(1).every((x) => x.bytes === 16 * MiB)).toBe(true);
    expect(r.rounds[30]).toMatchObject({ phase: "stop-and-copy", bytes: 16 * MiB });
    const expected = GiB / (100 * Mbps) + (29 * 16 * MiB) / (100 * Mbps) + (16 * MiB) / 1.25e9;
    expect(r.totalTimeSeconds).toBeCloseTo(expected, 9);
    expect(r.downtimeSeconds).toBeCloseTo((16 * MiB) / 1.25e9, 12);
    // A smaller cap stops it sooner.
    const ten = migrate(
      { ram: "1GiB", workingSet: "16MiB", dirty: { model: "hot-cold", rate: "100MB/s" } },
      {
        strategy: "precopy-xen",
        link: { bandwidth: "10Gbps" },
        xen: { skipRedirtied: false, maxIterations: 10 },
      },
    );
    expect(ten.rounds.filter((x) => x.phase === "precopy")).toHaveLength(10);
  });

  it("the 3 × RAM cap ends pre-copy once more than three images have been sent", () => {
    const r = migrate(
      { ram: "256MiB", dirty: { model: "uniform", rate: "100MB/s" } },
      {
        strategy: "precopy-xen",
        link: { bandwidth: "10Gbps" },
        xen: { skipRedirtied: false, maxRate: "10Gbps", initialRate: "1Gbps" },
      },
    );
    const pre = r.rounds.filter((x) => x.phase === "precopy");
    const sent = pre.reduce((s, x) => s + x.bytes, 0);
    expect(sent).toBeGreaterThan(3 * 256 * MiB);
    expect(sent - pre[pre.length - 1]!.bytes).toBeLessThanOrEqual(3 * 256 * MiB);
  });

  it("skipping pages dirtied again during the round sends less than resending them", () => {
    const vm = {
      ram: "1GiB",
      workingSet: "128MiB",
      dirty: { model: "hot-cold" as const, rate: "40MB/s", hotShare: 0.8 },
    };
    const skip = migrate(vm, { strategy: "precopy-xen", link: { bandwidth: "1Gbps" } });
    const noSkip = migrate(vm, {
      strategy: "precopy-xen",
      link: { bandwidth: "1Gbps" },
      xen: { skipRedirtied: false },
    });
    expect(skip.rounds.some((x) => x.skippedBytes > 0)).toBe(true);
    expect(skip.bytesSent.total).toBeLessThan(noSkip.bytesSent.total);
  });

  it("page and fluid fidelity agree within 1 % with the skip rule", () => {
    const vm = {
      ram: "2GiB",
      workingSet: "256MiB",
      freePages: "10%",
      dirty: { model: "hot-cold" as const, rate: "40MB/s", hotShare: 0.8 },
    };
    const fluid = migrate(vm, { strategy: "precopy-xen", link: { bandwidth: "1Gbps" } });
    const page = migrate(vm, {
      strategy: "precopy-xen",
      fidelity: "page",
      link: { bandwidth: "1Gbps" },
    });
    expect(Math.abs(page.rounds.length - fluid.rounds.length)).toBeLessThanOrEqual(1);
    expect(Math.abs(page.totalTimeSeconds / fluid.totalTimeSeconds - 1)).toBeLessThan(0.01);
    expect(Math.abs(page.bytesSent.total / fluid.bytesSent.total - 1)).toBeLessThan(0.01);
    // The skip rule makes page-level rounds random (whether each page is dirtied before the
    // cursor reaches it), so small rounds wander; the bytes sent so far agree within 1 % after
    // every round.
    let fSum = 0;
    let pSum = 0;
    const n = Math.min(fluid.rounds.length, page.rounds.length);
    for (let i = 0; i < n; i++) {
      fSum += fluid.rounds[i]!.bytes;
      pSum += page.rounds[i]!.bytes;
      expect(Math.abs(pSum / fSum - 1)).toBeLessThan(0.01);
    }
    expect(page.pages!.lost).toBe(0);
  });
});
