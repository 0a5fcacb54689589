import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { VxError } from "../src/errors.js";
import { parseWith } from "../src/schema.js";
import { closestMatch } from "../src/suggest.js";

describe("closestMatch: did you mean", () => {
  it("suggests the name one or two edits away, of each kind of single error", () => {
    const keys = ["hosts", "vms", "policy", "migration", "duration", "step"];
    expect(closestMatch("polcy", keys)).toBe("policy"); // deletion
    expect(closestMatch("hostss", keys)).toBe("hosts"); // insertion
    expect(closestMatch("durarion", keys)).toBe("duration"); // substitution
    expect(closestMatch("setp", keys)).toBe("step"); // swap of two neighbours
    expect(closestMatch("migartoin", keys)).toBe("migration"); // two edits in 9 characters
    expect(closestMatch("Policy", keys)).toBe("policy"); // case alone always matches
  });

  it("suggests nothing for names that share too little", () => {
    const keys = ["hosts", "vms", "policy"];
    expect(closestMatch("colour", keys)).toBeUndefined();
    expect(closestMatch("x", keys)).toBeUndefined();
    expect(closestMatch("a", ["b"])).toBeUndefined(); // one edit, but nothing kept
    expect(closestMatch("", keys)).toBeUndefined();
    expect(closestMatch("policy", ["policy"])).toBeUndefined(); // a known name is not misspelt
    expect(closestMatch("p".repeat(65), ["p".repeat(64)])).toBeUndefined(); // too long to compare
  });

  it("prefers the nearest name, then the one listed first", () => {
    expect(closestMatch("--ot", ["--out", "--at", "--json"])).toBe("--out");
    expect(closestMatch("abcd", ["abce", "abcf"])).toBe("abce");
    expect(closestMatch("abcdef", ["abxdef", "abcdeg"], { maxRelativeDistance: 0 })).toBe("abxdef");
  });

  it("accepts a suggestion only within the relative distance (property)", () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 12 }),
        fc.array(fc.string({ maxLength: 12 }), { maxLength: 6 }),
        (input, names) => {
          const near = closestMatch(input, names);
          if (near === undefined) return;
          expect(names).toContain(near);
          expect(near).not.toBe(input);
          // Never further than a third of the longer name, or one edit.
          const longest = Math.max(input.length, near.length);
          expect(Math.abs(input.length - near.length)).toBeLessThanOrEqual(
            Math.max(1, Math.floor(longest / 3)),
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("parseWith: did you mean for unknown keys", () => {
  const Host = z.strictObject({ name: z.string(), ram: z.number(), cores: z.number() });
  const Scenario = z.strictObject({
    hosts: z.array(Host),
    policy: z.string().optional(),
    tags: z.partialRecord(z.enum(["cpu", "memory"]), z.string()).optional(),
  });

  function issuesOf(input: unknown) {
    try {
      parseWith(Scenario, input);
    } catch (error) {
      if (VxError.isInstance(error)) return error.issues.map((i) => [i.path, i.message]);
      throw error;
    }
    throw new Error("expected a VxError");
  }

  it("names the closest key of the object the unknown key is in, at any depth", () => {
    expect(
      issuesOf({
        hosts: [{ name: "a", ram: 1, cores: 1, coers: 2 }],
        polcy: "thr",
        colour: "red",
      }),
    ).toEqual([
      [["hosts", 0, "coers"], 'unknown key "coers"; did you mean "cores"?'],
      [["polcy"], 'unknown key "polcy"; did you mean "policy"?'],
      [["colour"], 'unknown key "colour"; remove it or check its spelling'],
    ]);
  });

  it("suggests keys of a record with a closed set of keys", () => {
    expect(issuesOf({ hosts: [], tags: { memroy: "x" } })).toEqual([
      [["tags", "memroy"], 'unknown key "memroy"; did you mean "memory"?'],
    ]);
  });
});
