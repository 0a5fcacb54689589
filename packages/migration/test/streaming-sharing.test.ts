import { FluidSystem, Simulation } from "@vx/core";
import { describe, expect, it } from "vitest";
import {
  mineAccessModel,
  parseAccessTraces,
  prepareStreaming,
  type StreamResult,
  startStreamingSession,
  streamSession,
} from "../src/index.js";

const MiB = 2 ** 20;

// A 4 MiB appliance read in one second at the start; the user stays 10 s.
const lines = ["area disk 4MiB", "session s 10"];
for (let k = 0; k < 8; k++) lines.push(`${k * 0.125} disk ${k * 128 * 1024} 128KiB`);
const trace = parseAccessTraces(lines.join("\n")).sessions[0]!;
const model = mineAccessModel([trace]);

describe("streaming on shared fluid links", () => {
  it("two users on one link share it: each full download takes twice as long", () => {
    const sim = new Simulation();
    const fluid = new FluidSystem(sim);
    const cell = fluid.resource({ name: "cell", capacity: MiB });
    const plan = prepareStreaming(model, { fullDownload: { chunk: "4MiB" } });
    const results: StreamResult[] = [];
    for (let i = 0; i < 2; i++) {
      startStreamingSession({ sim, fluid }, plan, {
        strategy: "full-download",
        trace,
        route: { resources: [cell], latencySeconds: 0.025 },
        onEnd: (r) => results.push(r),
      });
    }
    sim.run();
    expect(results).toHaveLength(2);
    // 4 MiB each at 0.5 MiB/s after the 50 ms round trip.
    for (const r of results) expect(r.startupDelaySeconds).toBeCloseTo(0.05 + 8, 9);
  });

  it("a greedy cross-traffic flow halves the rate: full download takes twice as long", () => {
    const alone = streamSession(model, trace, {
      strategy: "full-download",
      link: { bandwidth: MiB, rtt: 0 },
    });
    const shared = streamSession(model, trace, {
      strategy: "full-download",
      link: { bandwidth: MiB, rtt: 0 },
      crossTraffic: { flows: 1 },
    });
    expect(alone.startupDelaySeconds).toBeCloseTo(4, 9);
    expect(shared.startupDelaySeconds).toBeCloseTo(8, 9);
    // A flow capped at a quarter of the link leaves three quarters.
    const capped = streamSession(model, trace, {
      strategy: "full-download",
      link: { bandwidth: MiB, rtt: 0 },
      crossTraffic: { flows: 1, rate: MiB / 4 },
    });
    expect(capped.startupDelaySeconds).toBeCloseTo(4 / 0.75, 9);
  });

  it("on/off cross-traffic lands between the two, the same for the same seed", () => {
    const run = (seed: number): StreamResult =>
      streamSession(model, trace, {
        strategy: "full-download",
        link: { bandwidth: MiB, rtt: 0 },
        crossTraffic: { flows: 2, meanOn: "1s", meanOff: "1s" },
        seed,
      });
    const a = run(1);
    expect(a.startupDelaySeconds).toBeGreaterThan(4);
    expect(a.startupDelaySeconds).toBeLessThan(12);
    expect(run(1).startupDelaySeconds).toBe(a.startupDelaySeconds);
    expect(run(2).startupDelaySeconds).not.toBe(a.startupDelaySeconds);
  });

  it("a link that fails under the stream is an outcome, not an exception", () => {
    const sim = new Simulation();
    const fluid = new FluidSystem(sim);
    const link = fluid.resource({ capacity: MiB });
    let result: StreamResult | undefined;
    startStreamingSession({ sim, fluid }, prepareStreaming(model), {
      strategy: "vtube",
      trace,
      route: { resources: [link] },
      onEnd: (r) => (result = r),
    });
    sim.schedule(0.5, () => fluid.setCapacity(link, 0));
    sim.run();
    expect(result?.outcome).toBe("disconnected");
    expect(result!.bytesTransferred).toBeCloseTo(MiB / 2, 3);
    expect(result!.sessionSeconds).toBeCloseTo(0.5, 9);
  });

  it("abort() ends a session early with what happened so far", () => {
    const sim = new Simulation();
    const fluid = new FluidSystem(sim);
    const link = fluid.resource({ capacity: MiB });
    const session = startStreamingSession({ sim, fluid }, prepareStreaming(model), {
      strategy: "demand",
      trace,
      route: { resources: [link], latencySeconds: 0.05 },
    });
    sim.run({ until: 0.3 });
    expect(session.result).toBeUndefined();
    session.abort();
    expect(session.result?.outcome).toBe("disconnected");
    expect(session.result!.demandFetches).toBeGreaterThan(0);
    session.abort();
    expect(session.result?.outcome).toBe("disconnected");
  });
});
