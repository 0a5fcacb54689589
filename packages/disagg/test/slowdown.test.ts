import { VxError } from "@vx/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { REMOTE_MEMORY_DEFAULTS, remoteMemorySlowdown } from "../src/index.js";

describe("remote-memory slowdown", () => {
  it("all memory remote, 1 µs added: latency ×12.1, a VM stalled 20 % runs 3.22 times slower", () => {
    const c = remoteMemorySlowdown({ remoteFraction: 1, addedLatencySeconds: 1e-6 });
    // (90 ns + 1000 ns) / 90 ns and 0.8 + 0.2 × 12.11 by hand.
    expect(c.latencyFactor).toBeCloseTo(1090 / 90, 12);
    expect(c.slowdown).toBeCloseTo(0.8 + 0.2 * (1090 / 90), 12);
    expect(c.bandwidthSlowdown).toBe(1);
  });

  it("a quarter remote, half the bandwidth delivered: latency term times two", () => {
    const c = remoteMemorySlowdown({
      remoteFraction: 0.25,
      addedLatencySeconds: 1.08e-6,
      memoryStallFraction: 0.5,
      bandwidthFraction: 0.5,
    });
    const latency = 1 + (0.25 * 1.08e-6) / REMOTE_MEMORY_DEFAULTS.localLatencySeconds; // 4
    expect(c.latencyFactor).toBeCloseTo(latency, 12);
    expect(c.latencySlowdown).toBeCloseTo(0.5 + 0.5 * latency, 12); // 2.5
    expect(c.slowdown).toBeCloseTo(2 * (0.5 + 0.5 * latency), 12); // 5
  });

  it("no remote memory, or a compute-bound VM, costs nothing", () => {
    expect(remoteMemorySlowdown({ remoteFraction: 0, addedLatencySeconds: 1e-6 }).slowdown).toBe(1);
    expect(
      remoteMemorySlowdown({ remoteFraction: 1, addedLatencySeconds: 1e-6, memoryStallFraction: 0 })
        .slowdown,
    ).toBe(1);
  });

  it("property: the slowdown grows with the remote share, the added latency and the stall", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1e-5, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (r1, r2, added, s) => {
          const [lo, hi] = r1 <= r2 ? [r1, r2] : [r2, r1];
          const a = remoteMemorySlowdown({
            remoteFraction: lo,
            addedLatencySeconds: added,
            memoryStallFraction: s,
          });
          const b = remoteMemorySlowdown({
            remoteFraction: hi,
            addedLatencySeconds: added,
            memoryStallFraction: s,
          });
          expect(a.slowdown).toBeGreaterThanOrEqual(1);
          expect(b.slowdown).toBeGreaterThanOrEqual(a.slowdown - 1e-12);
        },
      ),
    );
  });

  it("rejects fractions out of range and negative latencies with the field's path", () => {
    const path = (o: Parameters<typeof remoteMemorySlowdown>[0]): string => {
      try {
        remoteMemorySlowdown(o);
      } catch (e) {
        expect(VxError.isInstance(e) && e.code).toBe("VX_DISAGG_BAD_ARGUMENT");
        return (e as VxError).path.join(".");
      }
      throw new Error("expected a VxError");
    };
    expect(path({ remoteFraction: 1.5, addedLatencySeconds: 0 })).toBe("remoteFraction");
    expect(path({ remoteFraction: 0.5, addedLatencySeconds: -1 })).toBe("addedLatencySeconds");
    expect(path({ remoteFraction: 0.5, addedLatencySeconds: 0, memoryStallFraction: 2 })).toBe(
      "memoryStallFraction",
    );
    expect(path({ remoteFraction: 0.5, addedLatencySeconds: 0, bandwidthFraction: 0 })).toBe(
      "bandwidthFraction",
    );
    expect(path({ remoteFraction: 0.5, addedLatencySeconds: 0, localLatencySeconds: 0 })).toBe(
      "localLatencySeconds",
    );
  });
});
