import { describe, expect, it, vi } from "vitest";
import { benchHeader, fmt, median, runCaseIfAsked, selectCases, spread } from "../src/bench.js";

describe("bench harness", () => {
  it("the median of an odd count is the middle one, of an even count the upper middle", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(3);
    expect(median([10, 9, 1000])).toBe(10);
    expect(() => median([])).toThrow(/no numbers/);
  });

  it("spread prints median (min–max) with grouped thousands", () => {
    expect(spread([{ wall: 1.5 }, { wall: 1.4 }, { wall: 2 }], "wall")).toBe("1.5 (1.4–2)");
    expect(spread([{ n: 1234.567 }], "n", 1)).toBe("1,234.6 (1,234.6–1,234.6)");
    expect(() => spread([{ wall: 1 }], "cpu")).toThrow(/no figure "cpu"/);
    expect(fmt(0.123456, 3)).toBe("0.123");
  });

  it("a case process prints its figures with the peak RSS; another process runs nothing", () => {
    let out = "";
    const write = process.stdout.write;
    process.stdout.write = ((s: string) => {
      out += s;
      return true;
    }) as typeof process.stdout.write;
    try {
      expect(runCaseIfAsked({ one: () => ({ x: 1 }) }, ["--case", "one"])).toBe(true);
    } finally {
      process.stdout.write = write;
    }
    const facts = JSON.parse(out) as Record<string, number>;
    expect(facts.x).toBe(1);
    expect(facts.peakRssMiB).toBeGreaterThan(1);
    expect(runCaseIfAsked({ one: () => ({ x: 1 }) }, ["all"])).toBe(false);
    expect(() => runCaseIfAsked({}, ["--case", "two"])).toThrow(/unknown bench case "two"/);
    expect(benchHeader("core", 5)).toMatch(
      /^vx core benchmarks: node v\d+.*of 5 fresh processes each$/,
    );
  });

  it("selects a group, one case, or the fallback; an unknown name exits 2 listing the choices", () => {
    const cases = ["a", "b", "c"];
    const groups = { all: ["a", "b", "c"], fast: ["a"] };
    expect(selectCases(undefined, cases, groups)).toEqual(["a", "b", "c"]);
    expect(selectCases("fast", cases, groups)).toEqual(["a"]);
    expect(selectCases("c", cases, groups)).toEqual(["c"]);
    expect(selectCases(undefined, cases)).toEqual(cases);
    expect(selectCases(undefined, cases, { targets: ["b"] }, "targets")).toEqual(["b"]);
    const exit = vi.spyOn(process, "exit").mockImplementation((() => {
      throw new Error("exit");
    }) as typeof process.exit);
    const error = vi.spyOn(console, "error").mockImplementation(() => undefined);
    try {
      expect(() => selectCases("nope", cases, groups)).toThrow("exit");
      expect(exit).toHaveBeenCalledWith(2);
      expect(error).toHaveBeenCalledWith('unknown benchmark "nope"; use one of all, fast, a, b, c');
    } finally {
      exit.mockRestore();
      error.mockRestore();
    }
  });
});
