// Fuzzing of scenario parsing: about two thousand malformed scenarios (random JSON values, mutated
// valid scenarios, broken YAML text) must each end in a scenario or a VxError, never in another
// exception (a TypeError from a missing guard, a stack overflow, a hang).
//
// Bounded by work, not by time: each property parses about 500 scenarios (well under 2 s on an
// idle machine), so the suite's 60 s hang guard holds with several suites sharing two cores.
// For a deeper search, VX_FUZZ_SCALE=10 runs ten times as many cases (with FC_SEED=random,
// different ones each time).
import { VxError } from "@vx/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { DEFAULT_SCENARIO_YAML } from "../src/scenario/default.js";
import { parseScenario } from "../src/scenario/parse.js";
import type { Scenario } from "../src/scenario/types.js";
import { MINIMAL } from "./scenario-fixtures.js";

type Outcome = "ok" | "vx";

/** Multiplies every property's number of runs (default 1). */
const SCALE = Math.max(1, Number(process.env.VX_FUZZ_SCALE ?? 1) || 1);

/** Runs of a property: `base` parses' worth, scaled by VX_FUZZ_SCALE. */
function runs(base: number): number {
  return Math.round(base * SCALE);
}

/** Parses and classifies the outcome; any other exception fails the property with its stack. */
function outcome(text: string, format: "yaml" | "json" = "yaml"): Outcome {
  let scenario: Scenario;
  try {
    scenario = parseScenario(text, { format, file: "fuzz.yaml", baseDir: "/nonexistent-vx-fuzz" });
  } catch (error) {
    if (VxError.isInstance(error)) {
      // A bad-scenario error always locates each of its issues.
      if (error.code === "VX_SIM_BAD_SCENARIO") {
        for (const issue of error.issues as readonly { line?: unknown; column?: unknown }[]) {
          if (typeof issue.line !== "number" || typeof issue.column !== "number") {
            throw new Error(`issue without a position: ${JSON.stringify(issue)}`);
          }
        }
      }
      return "vx";
    }
    throw error;
  }
  // A scenario that validates keeps the invariants the model relies on.
  if (!(scenario.step > 0 && scenario.step <= scenario.duration)) {
    throw new Error(`bad time settings accepted: ${JSON.stringify(scenario)}`);
  }
  for (const g of [...scenario.hosts, ...scenario.vms]) {
    if (!(Number.isSafeInteger(g.count) && g.count >= 1)) throw new Error("bad count accepted");
  }
  JSON.stringify(scenario);
  return "ok";
}

const base = parse(MINIMAL) as Record<string, unknown>;
const fullBase = parse(DEFAULT_SCENARIO_YAML) as Record<string, unknown>;

/** Every path (keys and indices) inside a value. */
function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [prefix];
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) out.push(...pathsOf(v, [...prefix, i]));
  } else if (typeof value === "object" && value !== null) {
    for (const [k, v] of Object.entries(value)) out.push(...pathsOf(v, [...prefix, k]));
  }
  return out;
}

function clone<T>(value: T): T {
  return structuredClone(value);
}

/** Applies `f` to the parent of `path` in a clone of `root`. */
function mutate(
  root: Record<string, unknown>,
  path: readonly (string | number)[],
  f: (parent: Record<string | number, unknown>, key: string | number) => void,
): unknown {
  const copy = clone(root);
  if (path.length === 0) return copy;
  let node: unknown = copy;
  for (const part of path.slice(0, -1)) {
    // An earlier mutation may have removed or replaced part of the path.
    if (typeof node !== "object" || node === null) return copy;
    node = (node as Record<string | number, unknown>)[part];
  }
  if (typeof node !== "object" || node === null) return copy;
  f(node as Record<string | number, unknown>, path[path.length - 1]!);
  return copy;
}

/** Values that stress validators: wrong types, edge numbers, bad unit strings. */
const nasty: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    -0,
    -1,
    0,
    1e308,
    -1e308,
    5e-324,
    2 ** 53 + 2,
    0.5,
    null,
    true,
    "",
    " ",
    "4GiB",
    "4 GiB",
    "-4GiB",
    "1e400GiB",
    "NaN%",
    "Infinitys",
    "10Gbps",
    "300ms",
    "80%",
    "-5%",
    "1e-400s",
    "0x10",
    "__proto__",
    "constructor",
    "toString",
    "planetlab",
    "csv",
    "tree",
    "precopy",
    "thr",
    [],
    {},
    [1, 2, 3],
    { __proto__: null },
    { kind: "csv", file: "x.csv" },
    { kind: "planetlab", folder: "." },
    { topology: "tree", hostsPerRack: 0 },
    { model: "precopy", maxBandwidth: "0" },
  ),
  fc.jsonValue({ maxDepth: 3 }),
  fc.string({ maxLength: 20 }),
  fc.double(),
  fc.integer({ min: -(2 ** 40), max: 2 ** 40 }),
);

describe("scenario fuzzing: nothing but a VxError escapes", () => {
  it("random JSON values, as JSON and as YAML", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => {
        const json = JSON.stringify(value) ?? "null";
        expect(["ok", "vx"]).toContain(outcome(json, "json"));
        expect(["ok", "vx"]).toContain(outcome(stringify(value)));
      }),
      { numRuns: runs(250) }, // two parses each
    );
  });

  it("random objects with scenario-like keys", () => {
    const keys = fc.constantFrom(...Object.keys(fullBase), "extensions", "baseDir", "$schema", "x");
    fc.assert(
      fc.property(fc.dictionary(keys, nasty, { maxKeys: 12 }), (value) => {
        expect(["ok", "vx"]).toContain(outcome(stringify(value)));
      }),
      { numRuns: runs(500) },
    );
  });

  it("valid scenarios with one to three mutations: replaced values, deleted keys, unknown keys", () => {
    for (const root of [base, fullBase]) {
      const paths = pathsOf(root);
      const mutation = fc.oneof(
        fc.record({
          op: fc.constant("set" as const),
          path: fc.constantFrom(...paths),
          value: nasty,
        }),
        fc.record({ op: fc.constant("delete" as const), path: fc.constantFrom(...paths) }),
        fc.record({
          op: fc.constant("add" as const),
          path: fc.constantFrom(...paths),
          key: fc.oneof(
            fc.string({ maxLength: 8 }),
            fc.constantFrom("__proto__", "type", "kind", "count"),
          ),
          value: nasty,
        }),
      );
      fc.assert(
        fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), (mutations) => {
          let value: unknown = root;
          for (const m of mutations) {
            value = mutate(value as Record<string, unknown>, m.path, (parent, key) => {
              if (m.op === "set") parent[key] = m.value;
              else if (m.op === "delete") {
                if (Array.isArray(parent) && typeof key === "number") parent.splice(key, 1);
                else delete parent[key];
              } else {
                const target = parent[key];
                if (typeof target === "object" && target !== null && !Array.isArray(target)) {
                  Object.defineProperty(target, m.key, {
                    value: m.value,
                    enumerable: true,
                    configurable: true,
                    writable: true,
                  });
                }
              }
            });
          }
          expect(["ok", "vx"]).toContain(outcome(stringify(value)));
          expect(["ok", "vx"]).toContain(outcome(JSON.stringify(value) ?? "null", "json"));
        }),
        { numRuns: runs(120) }, // two roots, two parses each
      );
    }
  });

  it("broken YAML text: cuts, insertions of YAML syntax, truncations", () => {
    const texts = [MINIMAL, DEFAULT_SCENARIO_YAML];
    const syntax = fc.constantFrom(
      ":",
      "- ",
      "[",
      "]",
      "{",
      "}",
      '"',
      "'",
      "\t",
      "\n",
      "  ",
      "&a ",
      "*a",
      "!!str ",
      "!custom ",
      "? ",
      "#",
      "|\n",
      ">\n",
      "---\n",
      "...\n",
      "%YAML 1.2\n",
      "<<: *a\n",
      "\u0000",
      "\uFEFF",
      "é",
      ".nan",
      "~",
    );
    const edit = fc.oneof(
      fc.record({ kind: fc.constant("cut" as const), at: fc.nat(), length: fc.nat({ max: 40 }) }),
      fc.record({
        kind: fc.constant("insert" as const),
        at: fc.nat(),
        text: fc.oneof(syntax, fc.string({ maxLength: 6 })),
      }),
      fc.record({ kind: fc.constant("truncate" as const), at: fc.nat() }),
    );
    fc.assert(
      fc.property(
        fc.constantFrom(...texts),
        fc.array(edit, { minLength: 1, maxLength: 4 }),
        (text, edits) => {
          let t = text;
          for (const e of edits) {
            const at = e.at % (t.length + 1);
            if (e.kind === "cut") t = t.slice(0, at) + t.slice(at + e.length);
            else if (e.kind === "insert") t = t.slice(0, at) + e.text + t.slice(at);
            else t = t.slice(0, at);
          }
          expect(["ok", "vx"]).toContain(outcome(t));
          expect(["ok", "vx"]).toContain(outcome(t, "json"));
        },
      ),
      { numRuns: runs(250) }, // two parses each
    );
  });

  it("arbitrary text and deep nesting", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 200 }), (text) => {
        expect(["ok", "vx"]).toContain(outcome(text));
      }),
      { numRuns: runs(300) },
    );
    for (const depth of [50, 500, 5000, 100_000]) {
      expect(outcome(`hosts: ${"[".repeat(depth)}${"]".repeat(depth)}\n`)).toBe("vx");
      expect(outcome(`${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`, "json")).toBe("vx");
    }
  });

  it("an alias bomb is refused rather than expanded", () => {
    const lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 12; i++) {
      const prev = String.fromCharCode(96 + i);
      const next = String.fromCharCode(97 + i);
      lines.push(`${next}: &${next} [${Array(10).fill(`*${prev}`).join(", ")}]`);
    }
    expect(outcome(`${lines.join("\n")}\n`)).toBe("vx");
  });
});
