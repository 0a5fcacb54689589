import { FluidSystem, Simulation } from "@vx/core";
import { vxErrorOf } from "@vx/dev/matchers";
import { describe, expect, it } from "vitest";
import {
  compareStreaming,
  LINK_PRESETS,
  mineAccessModel,
  parseAccessTraces,
  prepareStreaming,
  resolveStreamOptions,
  STREAM_DEFAULTS,
  STREAM_STRATEGIES,
  startStreamingSession,
} from "../src/index.js";

const trace = parseAccessTraces("area d 1MiB\nsession s 5\n0 d 0\n1 d 4096\n").sessions[0]!;
const model = mineAccessModel([trace]);

describe("streaming options", () => {
  it("fills every default from STREAM_DEFAULTS", () => {
    expect(resolveStreamOptions({})).toEqual(STREAM_DEFAULTS);
    expect(STREAM_DEFAULTS.link.bandwidthBytesPerSecond).toBe(
      LINK_PRESETS.lte.bandwidthBytesPerSecond,
    );
  });

  it("reads a link as a preset, a rate or a preset with fields overridden", () => {
    expect(resolveStreamOptions({ link: "3g" }).link).toEqual({
      preset: "3g",
      bandwidthBytesPerSecond: 250_000,
      rttSeconds: 0.15,
    });
    expect(resolveStreamOptions({ link: "20Mbps" }).link).toEqual({
      preset: undefined,
      bandwidthBytesPerSecond: 2.5e6,
      rttSeconds: LINK_PRESETS.lte.rttSeconds,
    });
    expect(resolveStreamOptions({ link: { preset: "dsl", rtt: "10ms" } }).link).toEqual({
      preset: "dsl",
      bandwidthBytesPerSecond: LINK_PRESETS.dsl.bandwidthBytesPerSecond,
      rttSeconds: 0.01,
    });
    expect(
      resolveStreamOptions({ link: { bandwidth: "7.2Mbps" } }).link.bandwidthBytesPerSecond,
    ).toBe(900_000);
  });

  it("every preset and strategy is listed with its source", () => {
    for (const p of Object.values(LINK_PRESETS)) {
      expect(p.bandwidthBytesPerSecond).toBeGreaterThan(0);
      expect(p.source.length).toBeGreaterThan(10);
    }
    expect(STREAM_STRATEGIES.map((s) => [s.name, s.start])).toEqual([
      ["full-download", "downloaded"],
      ["demand", "at-once"],
      ["vmtorrent", "at-once"],
      ["vtube", "buffered"],
    ]);
  });

  it("rejects each kind of bad option with its path", () => {
    const cases: [unknown, (string | number)[]][] = [
      [{ link: "5g" }, ["link"]],
      [{ link: "0Mbps" }, ["link"]],
      [{ link: { preset: "satellite" } }, ["link", "preset"]],
      [{ link: { bandwidth: 0 } }, ["link", "bandwidth"]],
      [{ link: { rtt: "-5ms" } }, ["link", "rtt"]],
      [{ link: { speed: 1 } }, ["link", "speed"]],
      [{ link: 42 }, ["link"]],
      [{ crossTraffic: { flows: 0 } }, ["crossTraffic", "flows"]],
      [{ crossTraffic: { meanOn: 0 } }, ["crossTraffic", "meanOn"]],
      [{ stallMergeGap: "a while" }, ["stallMergeGap"]],
      [{ vtube: { lookahead: 0 } }, ["vtube", "lookahead"]],
      [{ vtube: { minProbability: 2 } }, ["vtube", "minProbability"]],
      [{ vtube: { chunk: "1KiB" } }, ["vtube", "chunk"]],
      [{ vmtorrent: { fillRest: "yes" } }, ["vmtorrent", "fillRest"]],
      [{ fullDownload: { chunk: "2GiB" } }, ["fullDownload", "chunk"]],
      [{ seed: 1.5 }, ["seed"]],
      [{ strategy: "vtube" }, ["strategy"]],
    ];
    for (const [options, path] of cases) {
      const e = vxErrorOf(() => resolveStreamOptions(options as never));
      expect(e.code, JSON.stringify(options)).toBe("VX_MIGRATION_BAD_STREAM_OPTIONS");
      expect(e.path, JSON.stringify(options)).toEqual(path);
    }
  });

  it("compareStreaming lists every problem of every part at once", () => {
    const e = vxErrorOf(() =>
      compareStreaming({
        appliance: { image: "tiny" },
        link: "5g",
        strategies: ["vtube", "bittorrent"] as never,
        trainingSessions: 0,
        mining: { gap: -1 },
      }),
    );
    expect(e.code).toBe("VX_MIGRATION_BAD_STREAM_OPTIONS");
    expect(e.issues.map((i) => i.path.join("."))).toEqual([
      "trainingSessions",
      "strategies.1",
      "link",
      "mining.gap",
      "appliance.image",
    ]);
  });

  it("compareStreaming takes an appliance or traces, not both; traces must be traces", () => {
    const both = vxErrorOf(() =>
      compareStreaming({ appliance: {}, traces: { training: [trace], test: [trace] } }),
    );
    expect(both.issues.map((i) => i.path.join("."))).toEqual(["appliance"]);
    const empty = vxErrorOf(() => compareStreaming({ traces: { training: [], test: [trace] } }));
    expect(empty.issues.map((i) => i.path.join("."))).toEqual(["traces.training"]);
    const junk = vxErrorOf(() =>
      compareStreaming({ traces: { training: [{}], test: [trace] } as never }),
    );
    expect(junk.issues[0]!.path).toEqual(["traces", "training", 0]);
  });

  it("startStreamingSession rejects an unknown strategy, another layout, a route without links", () => {
    const sim = new Simulation();
    const fluid = new FluidSystem(sim);
    const link = fluid.resource({ capacity: 1e6 });
    const plan = prepareStreaming(model);
    const other = parseAccessTraces("area d 2MiB\nsession s\n0 d 0\n").sessions[0]!;
    const cases: [() => unknown, (string | number)[]][] = [
      [
        () =>
          startStreamingSession({ sim, fluid }, plan, {
            strategy: "torrent" as never,
            trace,
            route: { resources: [link] },
          }),
        ["strategy"],
      ],
      [
        () =>
          startStreamingSession({ sim, fluid }, plan, {
            strategy: "vtube",
            trace: other,
            route: { resources: [link] },
          }),
        ["trace"],
      ],
      [
        () =>
          startStreamingSession({ sim, fluid }, plan, {
            strategy: "vtube",
            trace,
            route: { resources: [] },
          }),
        ["route", "resources"],
      ],
      [
        () =>
          startStreamingSession({ sim, fluid }, plan, {
            strategy: "vtube",
            trace,
            route: { resources: [link], latencySeconds: -1 },
          }),
        ["route", "latencySeconds"],
      ],
    ];
    for (const [fn, path] of cases) {
      const e = vxErrorOf(fn);
      expect(e.code).toBe("VX_MIGRATION_BAD_STREAM_OPTIONS");
      expect(e.path).toEqual(path);
    }
    // Nothing was started: the simulation has no event.
    expect(sim.run().events).toBe(0);
  });
});
