import { describe, expect, it } from "vitest";
import { applyParams } from "../src/sweep/apply.js";
import { expandGrid, parseParam, parseShard, shardPoints } from "../src/sweep/grid.js";

describe("sweep grids", () => {
  it("parses lists (numbers stay numbers) and inclusive ranges with steps", () => {
    expect(parseParam("policy=thr,iqr,mad")).toEqual({
      name: "policy",
      values: ["thr", "iqr", "mad"],
    });
    expect(parseParam("seed=1..4")).toEqual({ name: "seed", values: [1, 2, 3, 4] });
    expect(parseParam("seed=0..10:5")).toEqual({ name: "seed", values: [0, 5, 10] });
    expect(parseParam("policy.parameter=0.7,0.8")).toEqual({
      name: "policy.parameter",
      values: [0.7, 0.8],
    });
  });

  it("expands the grid with the first parameter varying slowest and stable ids", () => {
    const points = expandGrid([parseParam("policy=thr,mad"), parseParam("seed=1..3")]);
    expect(points.map((p) => p.id)).toEqual([
      "policy-thr__seed-1",
      "policy-thr__seed-2",
      "policy-thr__seed-3",
      "policy-mad__seed-1",
      "policy-mad__seed-2",
      "policy-mad__seed-3",
    ]);
    expect(points[4]!.params).toEqual({ policy: "mad", seed: 2 });
    expect(expandGrid([])).toEqual([{ index: 0, id: "base", params: {} }]);
  });

  it("shards partition the grid: every point in exactly one slice", () => {
    const points = expandGrid([parseParam("a=1..7"), parseParam("b=x,y,z")]);
    const slices = [1, 2, 3, 4].map((i) => shardPoints(points, parseShard(`${i}/4`)));
    const seen = slices
      .flat()
      .map((p) => p.index)
      .sort((x, y) => x - y);
    expect(seen).toEqual(points.map((p) => p.index));
    expect(slices[1]!.every((p) => p.index % 4 === 1)).toBe(true);
  });

  it("applies parameters by path and shorthand without touching the input", () => {
    const raw = { seed: 1, policy: { overload: "thr", selection: "mmt" } };
    const out = applyParams(raw, { policy: "mad", seed: 9, "network.topology": "star" });
    expect(out).toEqual({
      seed: 9,
      policy: { overload: "mad", selection: "mmt" },
      network: { topology: "star" },
    });
    expect(raw.policy.overload).toBe("thr");
  });

  it("bad params, shards and paths are VxErrors with a code", () => {
    for (const bad of ["seed", "=1", "seed=", "seed=5..1", "seed=1..3:0", "a=1,1", "9x=1"]) {
      expect(() => parseParam(bad)).toThrow(
        expect.objectContaining({ code: "VX_SIM_BAD_SWEEP_PARAM" }),
      );
    }
    for (const bad of ["0/4", "5/4", "1/0", "a/b", "2"]) {
      expect(() => parseShard(bad)).toThrow(expect.objectContaining({ code: "VX_SIM_BAD_SHARD" }));
    }
    expect(() => expandGrid([parseParam("a=1"), parseParam("a=2")])).toThrow(
      expect.objectContaining({ code: "VX_SIM_BAD_SWEEP_PARAM" }),
    );
    expect(() => applyParams({ seed: 1 }, { "seed.x": 2 })).toThrow(
      expect.objectContaining({ code: "VX_SIM_BAD_SWEEP_PARAM" }),
    );
  });
});
