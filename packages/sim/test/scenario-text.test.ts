// The text level of scenario reading: what is refused before any parser runs (binary text, deep
// nesting, broken JSON in JSON's words), and files that are not files (devices, FIFOs, folders,
// huge files), all as VxErrors with a position.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { VxError } from "@vx/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { checkJson } from "../src/scenario/internal/json-syntax.js";
import { findDeepNesting } from "../src/scenario/internal/nesting.js";
import { MAX_ALIASES, MAX_DEPTH } from "../src/scenario/internal/source.js";
import { loadScenario, MAX_SCENARIO_FILE_BYTES, parseScenario } from "../src/scenario/parse.js";
import { issuesOf, MINIMAL, tempDir } from "./scenario-fixtures.js";

/** The issues of parsing `text`, as `code line:col message`. */
function problems(text: string, format: "yaml" | "json" = "yaml"): string[] {
  return issuesOf(() => parseScenario(text, { format, file: `t.${format}` })).map(
    (i) => `${i.code} ${i.line}:${i.column} ${i.message}`,
  );
}

/** The VxError of loading `path`. */
function loadError(path: string): VxError {
  try {
    loadScenario(path);
  } catch (error) {
    if (VxError.isInstance(error)) return error;
    throw error;
  }
  throw new Error(`expected ${path} to be refused`);
}

/** The true depth of a plain value: containers on the longest path. */
function depthOf(value: unknown): number {
  if (typeof value !== "object" || value === null) return 0;
  let deepest = 0;
  for (const child of Object.values(value)) deepest = Math.max(deepest, depthOf(child));
  return deepest + 1;
}

const TOO_DEEP = `the document nests deeper than ${MAX_DEPTH} levels`;

describe("deep nesting is refused before the parser recurses", () => {
  it("10^5 nested [ : a clear error, for YAML and JSON alike, balanced or not", () => {
    const open = "[".repeat(100_000);
    const close = "]".repeat(100_000);
    for (const [text, format] of [
      [`hosts: ${open}${close}\n`, "yaml"],
      [open, "yaml"],
      [`{"hosts": ${open}${close}}`, "json"],
      [open, "json"],
    ] as const) {
      const [p, ...rest] = problems(text, format);
      expect(rest).toEqual([]);
      expect(p).toMatch(new RegExp(`^VX_SIM_SCENARIO_TOO_DEEP 1:\\d+ ${TOO_DEEP}`));
      expect(p).not.toContain("call stack");
    }
  });

  it("every way YAML nests counts: flow maps, compact - - -, indentation, aliases", () => {
    const deepFlowMap = `${"{a: ".repeat(300)}1${"}".repeat(300)}\n`;
    const compact = `${"- ".repeat(100_000)}x\n`;
    const indented = Array.from({ length: 260 }, (_, i) => `${" ".repeat(i)}k${i}:`).join("\n");
    // One alias to a node 150 deep, used 60 levels down: 210 levels through one alias.
    const aliased = `a: &a ${"[".repeat(150)}${"]".repeat(150)}\nb: ${"[".repeat(60)}*a${"]".repeat(60)}\n`;
    for (const text of [deepFlowMap, compact, `${indented} 1\n`, aliased]) {
      const [p] = problems(text);
      expect(p).toContain("VX_SIM_SCENARIO_TOO_DEEP");
      expect(p).toContain(TOO_DEEP);
    }
  });

  it("nesting up to the limit is not refused as too deep (the schema speaks instead)", () => {
    const levels = MAX_DEPTH - 1; // under the root mapping
    for (const text of [
      `extra: ${"[".repeat(levels)}${"]".repeat(levels)}\n`,
      `description: "${"[".repeat(500)}"\nextra: 1 # ${"[".repeat(500)}\n`,
      `note: |\n  ${"[".repeat(500)}\n  {{{{\nextra: 'it''s [ a ['\nname: a[b{c\n`,
    ]) {
      for (const p of problems(text)) expect(p).not.toContain("TOO_DEEP");
    }
  });

  it("the scan never reports less than a document's depth, nor much more (property)", () => {
    const leaf = fc.oneof(fc.integer(), fc.string({ maxLength: 6 }), fc.constant(null));
    const tree = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: "small", withCrossShrink: true },
        leaf,
        fc.array(tie("node"), { maxLength: 3 }),
        fc.dictionary(fc.string({ minLength: 1, maxLength: 4 }), tie("node"), { maxKeys: 3 }),
      ),
    })).node;
    fc.assert(
      fc.property(tree, fc.boolean(), (value, flow) => {
        const depth = depthOf(value);
        const text = flow ? JSON.stringify(value) : stringify(value);
        expect(parse(text)).toEqual(value);
        // Never less: a limit below the true depth is always hit.
        if (depth > 0) expect(findDeepNesting(text, depth - 1)).toBeDefined();
        // Not much more: compact "- - x" lines and a top-level line count one level each.
        expect(findDeepNesting(text, depth + 2)).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });
});

describe("a JSON scenario gets JSON's words, with line and column", () => {
  const cases: [string, string, string][] = [
    ['{\n  "seed": 1,\n}', "2:12", 'a comma before "}": JSON allows no trailing comma; remove it'],
    ['{\n  "seed": 1\n  "name": "x"\n}', "3:3", 'expected "," or "}" after a property, got "\\""'],
    ["{'seed': 1}", "1:2", "JSON property names use double quotes"],
    [
      '{"seed": 1} // the seed',
      "1:13",
      "the JSON value ended, but the file goes on with a comment (JSON has none)",
    ],
    ['{"seed": NaN}', "1:10", '"NaN" is not a JSON number; give a finite number'],
    ['{"name": "a\nb"}', "1:12", "a control character (U+000A) in a string"],
    ['{"name": "abc', "1:10", "a string is not closed"],
    ['{"seed": 01}', "1:10", '"01" is not a JSON number'],
    ['{"seed": 1, "seed": 2}', "1:13", 'duplicate key "seed" in this object'],
    ['{"hosts": [1, 2}', "1:16", 'expected "," or "]" after an item, got "}"'],
    ['{"hosts": [1, 2', "1:16", "the file ends inside 2 unclosed [; is it cut short?"],
    ["", "1:1", "the file is empty; a JSON scenario is an object: { ... }"],
    [
      '{"seed": tru}',
      "1:10",
      'expected a value (a string, number, object, array, true, false or null), got "tru"',
    ],
    ['{"name": "\\x"}', "1:11", 'invalid escape "\\x" in a string'],
  ];
  for (const [text, at, message] of cases) {
    it(`${JSON.stringify(text).slice(0, 40)} → ${at} ${message.slice(0, 50)}`, () => {
      const [p, ...rest] = problems(text, "json");
      expect(rest).toEqual([]);
      expect(p).toContain(`VX_SIM_JSON_SYNTAX ${at} JSON: ${message}`);
      expect(p).not.toMatch(/mapping|implicit|Flow|block|YAML/i);
    });
  }

  it("a byte order mark is allowed, as RFC 8259 lets a reader ignore it", () => {
    expect(() =>
      parseScenario(`\uFEFF${JSON.stringify(parse(MINIMAL))}`, { format: "json" }),
    ).not.toThrow();
  });

  it("the check agrees with JSON.parse on every text without duplicate keys (property)", () => {
    const edits = fc.array(
      fc.record({
        at: fc.nat(),
        text: fc.constantFrom(
          "",
          ",",
          "}",
          "]",
          "{",
          "[",
          '"',
          ":",
          "0",
          "-",
          "e",
          " ",
          "\\",
          "'",
          "\n",
          "\t",
          "tru",
          ".",
        ),
        cut: fc.nat({ max: 3 }),
      }),
      { maxLength: 3 },
    );
    fc.assert(
      fc.property(fc.json({ maxDepth: 4 }), edits, (json, changes) => {
        let text = json;
        for (const c of changes) {
          const at = c.at % (text.length + 1);
          text = text.slice(0, at) + c.text + text.slice(at + c.cut);
        }
        let parsed: unknown;
        let valid = true;
        try {
          parsed = JSON.parse(text);
        } catch {
          valid = false;
        }
        const problem = checkJson(text, 1000);
        if (problem?.message.startsWith("duplicate key")) return; // JSON.parse keeps the last
        expect(problem === undefined, `${text} → ${problem?.message}`).toBe(valid);
        if (valid) expect(depthOf(parsed)).toBeLessThanOrEqual(1000);
      }),
      { numRuns: 1000 },
    );
  });
});

describe("binary text and YAML the reader would handle badly", () => {
  it("control characters (a binary file) are refused at their position", () => {
    expect(problems("name: a\nseed: \u0000\n")).toEqual([
      "VX_SIM_YAML_SYNTAX 2:7 a control character (U+0000) that YAML text cannot hold; is it a binary file? Scenario files are YAML or JSON text",
    ]);
    expect(problems('{"seed": 1}\u0007', "json")[0]).toContain(
      "VX_SIM_JSON_SYNTAX 1:12 a control character (U+0007)",
    );
  });

  it("duplicate keys are found in one pass, also when they collide only as JS keys (1 and '1')", () => {
    expect(problems("a: 1\nb: 2\na: 3\n")[0]).toBe(
      'VX_SIM_YAML_SYNTAX 3:1 duplicate key "a" in this mapping; keys must be unique (the second would replace the first)',
    );
    expect(problems("m:\n  1: x\n  '1': y\n")[0]).toContain('3:3 duplicate key "1"');
  });

  it(`more than ${MAX_ALIASES} aliases are refused; an alias cycle is named`, () => {
    const many = ["a: &a 1", ...Array.from({ length: MAX_ALIASES + 1 }, (_, i) => `b${i}: *a`)];
    expect(problems(`${many.join("\n")}\n`)[0]).toContain(`more than ${MAX_ALIASES} aliases`);
    expect(problems("hosts: &a [*a]\n")[0]).toContain(
      "an alias refers to a node that contains it (a cycle)",
    );
    // A few aliases are fine.
    const few = MINIMAL.replace(
      "small: { mips: 1000, ram: 1740MB }",
      "small: &s { mips: 1000, ram: 1740MB }\n  small2: *s",
    );
    expect(() => parseScenario(few)).not.toThrow();
  });
});

describe("files that are not scenario files are refused without reading them whole or blocking", () => {
  it("/dev/zero and /dev/urandom (size 0, endless) and a folder", () => {
    for (const device of ["/dev/zero", "/dev/urandom"]) {
      if (!existsSync(device)) continue;
      const e = loadError(device);
      expect(e.code).toBe("VX_SIM_SCENARIO_UNREADABLE");
      expect(e.message).toContain("is not a regular file (a device, FIFO or socket)");
    }
    const { dir, cleanup } = tempDir();
    try {
      const folder = join(dir, "folder.yaml");
      mkdirSync(folder);
      expect(loadError(folder).message).toContain("is a folder; give a scenario file");
    } finally {
      cleanup();
    }
  });

  it.skipIf(process.platform === "win32")("a FIFO with no writer is refused, not waited on", () => {
    const { dir, cleanup } = tempDir();
    try {
      const fifo = join(dir, "scenario.yaml");
      execFileSync("mkfifo", [fifo]);
      const e = loadError(fifo);
      expect(e.code).toBe("VX_SIM_SCENARIO_UNREADABLE");
      expect(e.message).toContain("is not a regular file");
    } finally {
      cleanup();
    }
  });

  it("a file over the cap and a 4 KiB binary file", () => {
    const { dir, cleanup } = tempDir();
    try {
      const big = join(dir, "big.yaml");
      writeFileSync(big, "");
      truncateSync(big, MAX_SCENARIO_FILE_BYTES + 1); // sparse: nothing is written
      expect(loadError(big).message).toContain(`is larger than ${MAX_SCENARIO_FILE_BYTES} bytes`);
      const binary = join(dir, "random.yaml");
      const bytes = Buffer.alloc(4096);
      let x = 2463534242; // xorshift32: fixed pseudo-random bytes
      for (let i = 0; i < bytes.length; i++) {
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        bytes[i] = x & 0xff;
      }
      writeFileSync(binary, bytes);
      const e = loadError(binary);
      expect(e.code).toBe("VX_SIM_SCENARIO_UNREADABLE");
      expect(e.message).toMatch(
        /is not UTF-8 text \(byte \d+ is not valid UTF-8\); is it a binary file\?/,
      );
    } finally {
      cleanup();
    }
  });
});

describe("did you mean, for misspelt keys (from @vx/core's zod conversion)", () => {
  it("names the closest key at any depth of the scenario", () => {
    const text = MINIMAL.replace("count: 7", "cuont: 7").concat("polcy: { overload: thr }\n");
    const messages = issuesOf(() => parseScenario(text)).map((i) => i.message);
    expect(messages).toContain('unknown key "cuont"; did you mean "count"?');
    expect(messages).toContain('unknown key "polcy"; did you mean "policy"?');
  });
});
