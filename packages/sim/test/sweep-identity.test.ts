import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { DEFAULT_SCENARIO_YAML } from "../src/scenario/default.js";
import { expandGrid, formatParam, parseParam } from "../src/sweep/grid.js";
import { canonicalJson, pointKey, scenarioHash } from "../src/sweep/identity.js";
import { resolveJobs, SWEEP_JOBS_DEFAULTS } from "../src/sweep/jobs.js";

describe("the identity of a sweep point", () => {
  it("canonical JSON sorts keys at every level, so key order never changes a hash", () => {
    expect(canonicalJson({ b: 1, a: [2, { d: 3, c: 4 }] })).toBe('{"a":[2,{"c":4,"d":3}],"b":1}');
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (value) => {
        const reversed = Object.fromEntries(Object.entries(value).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(value));
      }),
    );
  });

  it("the scenario hash follows values, not comments or layout", () => {
    const doc = parseYaml(DEFAULT_SCENARIO_YAML) as unknown;
    const relaid = parseYaml(
      `# a comment\n${DEFAULT_SCENARIO_YAML.replace(/\n\n/g, "\n")}`,
    ) as unknown;
    expect(scenarioHash(relaid)).toBe(scenarioHash(doc));
    const changed = parseYaml(DEFAULT_SCENARIO_YAML.replace("seed: 42", "seed: 43")) as unknown;
    expect(scenarioHash(changed)).not.toBe(scenarioHash(doc));
  });

  it("a point's key changes with the scenario, each value and the vx version", () => {
    const key = pointKey("a".repeat(64), { policy: "thr", seed: 1 }, "1.0.0");
    expect(pointKey("a".repeat(64), { seed: 1, policy: "thr" }, "1.0.0")).toBe(key);
    for (const other of [
      pointKey("b".repeat(64), { policy: "thr", seed: 1 }, "1.0.0"),
      pointKey("a".repeat(64), { policy: "thr", seed: 2 }, "1.0.0"),
      pointKey("a".repeat(64), { policy: "thr", seed: "1" }, "1.0.0"),
      pointKey("a".repeat(64), { policy: "thr", seed: 1 }, "1.0.1"),
    ]) {
      expect(other).not.toBe(key);
    }
  });

  it("formatParam writes a --param that parseParam reads back to the same values", () => {
    expect(formatParam(parseParam("seed=1..10"))).toBe("seed=1..10");
    expect(formatParam(parseParam("seed=0..10:5"))).toBe("seed=0..10:5");
    expect(formatParam(parseParam("policy=thr,mad"))).toBe("policy=thr,mad");
    expect(formatParam({ name: "x", values: [1e21, 0.1] })).toBe("x=1e+21,0.1");
    const value = fc.oneof(
      fc.integer({ min: -1e6, max: 1e6 }),
      fc.double({ noNaN: true, noDefaultInfinity: true }).filter((d) => !Object.is(d, -0)),
      fc.stringMatching(/^[a-z][a-z0-9_.-]{0,8}$/),
    );
    fc.assert(
      fc.property(
        fc.uniqueArray(value, { minLength: 1, maxLength: 8, selector: String }),
        (values) => {
          const param = { name: "p", values };
          expect(parseParam(formatParam(param)).values).toEqual(values);
        },
      ),
    );
    const grid = expandGrid([parseParam("a=1..4"), parseParam("b=x,y")]);
    expect(
      expandGrid([parseParam(formatParam(parseParam("a=1..4"))), parseParam("b=x,y")]),
    ).toEqual(grid);
  });
});

describe("worker threads of a sweep", () => {
  it("default one per core, never more than the points", () => {
    expect(resolveJobs({ tasks: 100, cores: 4 })).toEqual({ jobs: 4, cores: 4 });
    expect(resolveJobs({ tasks: 3, cores: 4 })).toEqual({ jobs: 3, cores: 4 });
    expect(resolveJobs({ requested: 2, tasks: 100, cores: 4 })).toEqual({ jobs: 2, cores: 4 });
  });

  it("a request above the cores is lowered to them and says so; --oversubscribe keeps it up to the limit", () => {
    const capped = resolveJobs({ requested: 64, tasks: 100, cores: 2 });
    expect(capped.jobs).toBe(2);
    expect(capped.note).toContain("--jobs 64 is more than the 2 cores here");
    expect(resolveJobs({ requested: 16, oversubscribe: true, tasks: 100, cores: 2 })).toEqual({
      jobs: 16,
      cores: 2,
    });
    const limit = 2 * SWEEP_JOBS_DEFAULTS.maxPerCore;
    expect(() =>
      resolveJobs({ requested: limit + 1, oversubscribe: true, tasks: 1000, cores: 2 }),
    ).toThrow(expect.objectContaining({ code: "VX_SIM_BAD_JOBS", path: ["jobs"] }));
    for (const bad of [0, -1, 1.5, Number.NaN]) {
      expect(() => resolveJobs({ requested: bad, tasks: 10, cores: 2 })).toThrow(
        expect.objectContaining({ code: "VX_SIM_BAD_JOBS" }),
      );
    }
  });
});
