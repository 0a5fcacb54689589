import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { VxError } from "@vx/core";
import { describe, expect, it } from "vitest";
import { formatScenarioIssue, loadScenario, parseScenario } from "../src/scenario/parse.js";
import { issuesOf, MINIMAL, tempDir, writeTree } from "./scenario-fixtures.js";

/** The issues of parsing `text` as `t.yaml`, reduced to what a user reads. */
function problems(text: string, format: "yaml" | "json" = "yaml") {
  return issuesOf(() =>
    parseScenario(text, { file: format === "json" ? "t.json" : "t.yaml", format }),
  ).map((i) => ({
    code: i.code,
    at: `${i.line}:${i.column}`,
    path: formatPathOf(i.path),
    message: i.message,
  }));
}

function formatPathOf(path: readonly (string | number)[]): string {
  return path
    .map((p) => (typeof p === "number" ? `[${p}]` : `.${p}`))
    .join("")
    .replace(/^\./, "");
}

/** MINIMAL with one line replaced. */
function edit(from: string, to: string): string {
  expect(MINIMAL).toContain(from);
  return MINIMAL.replace(from, to);
}

describe("syntax errors give line and column", () => {
  it("a YAML syntax error names its line and column", () => {
    const [p, ...rest] = problems("hostTypes:\n  g4: [1, 2\nhosts: 3\n");
    expect(rest).toEqual([]);
    expect(p).toMatchObject({ code: "VX_SIM_YAML_SYNTAX", path: "" });
    expect(p!.at).toMatch(/^[23]:\d+$/);
  });

  it("a duplicate key is a syntax error at the second occurrence", () => {
    expect(problems("seed: 1\nseed: 2\n")).toEqual([
      {
        code: "VX_SIM_YAML_SYNTAX",
        at: "2:1",
        path: "",
        message:
          'duplicate key "seed" in this mapping; keys must be unique (the second would replace the first)',
      },
    ]);
  });

  it("strict JSON: a trailing comma is an error at its position even though YAML accepts it", () => {
    const [p] = problems('{\n  "seed": 1,\n}\n', "json");
    expect(p).toMatchObject({ code: "VX_SIM_JSON_SYNTAX", at: "2:12" });
  });

  it("an alias that contains itself is rejected, not expanded forever", () => {
    const [p] = problems("hosts: &a [*a]\n");
    expect(p).toMatchObject({ code: "VX_SIM_YAML_SYNTAX" });
    expect(p!.message).toContain("cycle");
  });

  it("a list used as a key is rejected with its position", () => {
    expect(problems("? [a, b]\n: 1\n")).toEqual([
      {
        code: "VX_SIM_YAML_SYNTAX",
        at: "1:3",
        path: "",
        message: "keys must be plain names, not lists or mappings",
      },
    ]);
  });

  it("an empty file says a mapping is expected", () => {
    expect(problems("")).toEqual([
      {
        code: "VX_SCHEMA_INVALID_TYPE",
        at: "1:1",
        path: "",
        message: "expected an object, got null",
      },
    ]);
  });
});

describe("schema errors give the path and the line of the field", () => {
  it("a wrong type", () => {
    expect(problems(edit("{ type: g4, count: 2 }", '{ type: g4, count: "two" }'))).toEqual([
      {
        code: "VX_SCHEMA_INVALID_TYPE",
        at: "5:24",
        path: "hosts[0].count",
        message: "expected a number, got string",
      },
    ]);
  });

  it("an unknown key points at the key, top level and nested", () => {
    const text = `${edit("small: { mips: 1000,", "small: { mips: 1000, disk: 10GB,")}polcy: { overload: thr }\n`;
    expect(problems(text)).toEqual([
      {
        code: "VX_SCHEMA_UNKNOWN_KEY",
        at: "8:24",
        path: "vmTypes.small.disk",
        message: 'unknown key "disk"; remove it or check its spelling',
      },
      {
        code: "VX_SCHEMA_UNKNOWN_KEY",
        at: "14:1",
        path: "polcy",
        message: 'unknown key "polcy"; did you mean "policy"?',
      },
    ]);
  });

  it("a missing required section is reported at the top", () => {
    const text = MINIMAL.replace(/hosts:\n( {2}- .*\n)+/, "");
    expect(problems(text)).toEqual([
      {
        code: "VX_SCHEMA_INVALID_TYPE",
        at: "1:1",
        path: "hosts",
        message: "expected an array, but it is missing",
      },
    ]);
  });

  it("a missing required field is reported at its parent", () => {
    expect(problems(edit("{ type: g5, count: 3 }", "{ type: g5 }"))).toEqual([
      {
        code: "VX_SCHEMA_INVALID_TYPE",
        at: "6:5",
        path: "hosts[1].count",
        message: "expected a number, but it is missing",
      },
    ]);
  });

  it.each([
    [
      "a negative count",
      "{ type: g4, count: 2 }",
      "{ type: g4, count: -2 }",
      "hosts[0].count",
      "VX_SCHEMA_OUT_OF_RANGE",
    ],
    [
      "a fractional core count",
      "g4: { cores: 2,",
      "g4: { cores: 2.5,",
      "hostTypes.g4.cores",
      "VX_SCHEMA_INVALID_TYPE",
    ],
    [
      "a zero RAM",
      "small: { mips: 1000, ram: 1740MB }",
      "small: { mips: 1000, ram: 0 }",
      "vmTypes.small.ram",
      "VX_SCHEMA_OUT_OF_RANGE",
    ],
    [
      "a rate where a size is expected",
      "ram: 1740MB",
      "ram: 1Gbps",
      "vmTypes.small.ram",
      "VX_CORE_BAD_UNIT",
    ],
    [
      "an unreadable unit",
      "ram: 1740MB",
      "ram: 1740 megs",
      "vmTypes.small.ram",
      "VX_CORE_BAD_UNIT",
    ],
    [
      "a utilisation above 100 %",
      "utilisation: 40%",
      "utilisation: 140%",
      "vms[0].workload.utilisation",
      "VX_SCHEMA_OUT_OF_RANGE",
    ],
    ["NaN", "mips: 1000,", "mips: .nan,", "vmTypes.small.mips", "VX_SCHEMA_INVALID_TYPE"],
    ["infinity", "mips: 1000,", "mips: .inf,", "vmTypes.small.mips", "VX_SCHEMA_INVALID_TYPE"],
    ["a huge count", "count: 7", "count: 1e12", "vms[0].count", "VX_SCHEMA_OUT_OF_RANGE"],
    [
      "a type name with spaces",
      "  micro: {",
      "  my micro: {",
      "vmTypes.my micro",
      "VX_SCHEMA_INVALID",
    ],
  ])("an impossible value: %s", (_what, from, to, path, code) => {
    const found = problems(edit(from, to));
    expect(found.map((p) => [p.path, p.code])).toContainEqual([path, code]);
    for (const p of found) expect(p.at).toMatch(/^\d+:\d+$/);
  });

  it("a power table of 10 values, and one that decreases", () => {
    const text = edit("117] }", "] }").replace("133, 135]", "135, 133]");
    expect(problems(text).map((p) => [p.path, p.code, p.at])).toEqual([
      ["hostTypes.g4.power", "VX_SCHEMA_OUT_OF_RANGE", "2:49"],
      ["hostTypes.g5.power", "VX_SIM_BAD_POWER_TABLE", "3:49"],
    ]);
  });

  it("an unknown workload kind lists the kinds", () => {
    const [p] = problems(edit("kind: constant", "kind: sinus"));
    expect(p).toMatchObject({ code: "VX_SCHEMA_INVALID_VALUE", path: "vms[0].workload.kind" });
    expect(p!.message).toContain(
      '"planetlab", "constant", "diurnal", "bursty", "idle-spikes", "csv"',
    );
    expect(p!.message).toContain('got "sinus"');
  });

  it("an unknown policy lists the policies", () => {
    const [p] = problems(`${MINIMAL}policy: { overload: magic }\n`);
    expect(p).toMatchObject({
      code: "VX_SCHEMA_INVALID_VALUE",
      path: "policy.overload",
      at: "14:21",
    });
  });
});

describe("cross-field errors", () => {
  it("an unknown host type and an unknown VM type list the known ones", () => {
    const text = edit("{ type: g5, count: 3 }", "{ type: g6, count: 3 }").replace(
      "types: [small, micro]",
      "types: [small, nano]",
    );
    expect(problems(text)).toEqual([
      {
        code: "VX_SIM_UNKNOWN_TYPE",
        at: "6:13",
        path: "hosts[1].type",
        message: 'unknown host type "g6"; the host types are "g4", "g5"',
      },
      {
        code: "VX_SIM_UNKNOWN_TYPE",
        at: "11:20",
        path: "vms[0].types[1]",
        message: 'unknown VM type "nano"; the VM types are "small", "micro"',
      },
    ]);
  });

  it("a malformed type name is reported once, by the schema, not again as unknown", () => {
    const found = problems(edit("{ type: g4, count: 2 }", '{ type: "g 4", count: 2 }'));
    expect(found.map((p) => [p.code, p.path])).toEqual([["VX_SCHEMA_INVALID", "hosts[0].type"]]);
  });

  it("a VM type larger than every host type names the VM type and the host types", () => {
    const text = edit(
      "small: { mips: 1000, ram: 1740MB }",
      "small: { cores: 4, mips: 2000, ram: 1740MB }",
    );
    expect(problems(text)).toEqual([
      {
        code: "VX_SIM_VM_TOO_LARGE",
        at: "8:10",
        path: "vmTypes.small",
        message:
          'VM type "small" (4 × 2000 MIPS, 1.62 GiB, 11.9 MiB/s) fits no host of the spec (g4: 2 × 1860 MIPS, 4 GiB, 119 MiB/s; g5: 2 × 2660 MIPS, 4 GiB, 119 MiB/s): a VM needs a host with cores at least as fast as its own, as many MIPS in all, and the RAM and NIC; shrink it or add a larger host type',
      },
    ]);
    const ram = problems(edit("ram: 613MB", "ram: 5GiB"));
    expect(ram.map((p) => [p.code, p.path])).toEqual([["VX_SIM_VM_TOO_LARGE", "vmTypes.micro"]]);
  });

  it("a VM that fits one host type only is fine", () => {
    expect(() =>
      parseScenario(edit("small: { mips: 1000,", "small: { cores: 2, mips: 2500,")),
    ).not.toThrow();
  });

  it("a step longer than the duration", () => {
    expect(problems(`${MINIMAL}duration: 10min\nstep: 1h\n`)).toEqual([
      {
        code: "VX_SIM_STEP_TOO_LONG",
        at: "15:7",
        path: "step",
        message:
          "the step (3600 s) is longer than the duration (600 s); make it at most the duration",
      },
    ]);
  });

  it("too many steps", () => {
    expect(problems(`${MINIMAL}duration: 365d\nstep: 1ms\n`).map((p) => p.code)).toEqual([
      "VX_SIM_TOO_MANY_STEPS",
    ]);
  });

  it("a synthetic group without a count", () => {
    expect(problems(edit("    count: 7\n", ""))).toEqual([
      {
        code: "VX_SIM_COUNT_REQUIRED",
        at: "11:5",
        path: "vms[0].count",
        message: "a constant workload needs a count: how many VMs this group has",
      },
    ]);
  });

  it("bursts below the base load and spikes below the idle load", () => {
    const text = MINIMAL.replace(
      /vms:[\s\S]*$/,
      "vms:\n  - { types: small, count: 1, workload: { kind: bursty, peak: 10% } }\n  - { types: small, count: 1, workload: { kind: idle-spikes, idle: 50%, spike: 40% } }\n",
    );
    expect(problems(text).map((p) => [p.code, p.path])).toEqual([
      ["VX_SIM_BAD_WORKLOAD", "vms[0].workload.peak"],
      ["VX_SIM_BAD_WORKLOAD", "vms[1].workload.spike"],
    ]);
  });

  it("a THR threshold above 1, and a parameter for a policy that takes none", () => {
    expect(problems(`${MINIMAL}policy: { overload: thr, parameter: 1.5 }\n`)[0]).toMatchObject({
      code: "VX_SIM_BAD_PARAMETER",
      path: "policy.parameter",
    });
    expect(problems(`${MINIMAL}policy: { overload: dvfs, parameter: 0.8 }\n`)[0]).toMatchObject({
      code: "VX_SIM_BAD_PARAMETER",
      path: "policy.parameter",
      message: 'overload detection "dvfs" takes no parameter; remove it',
    });
  });
});

describe("files the scenario reads", () => {
  it("a missing trace folder is an error on its field, resolved from the scenario's folder", () => {
    const { dir, cleanup } = tempDir();
    try {
      const text = edit(
        "count: 7\n    workload: { kind: constant, utilisation: 40% }",
        "workload: { kind: planetlab, folder: traces/missing }",
      );
      writeTree(dir, { "s/pl.yaml": text });
      const [p, ...rest] = issuesOf(() => loadScenario(join(dir, "s/pl.yaml")));
      expect(rest).toEqual([]);
      expect(p).toMatchObject({
        code: "VX_SIM_TRACE_NOT_FOUND",
        path: ["vms", 0, "workload", "folder"],
        file: join(dir, "s/pl.yaml"),
        line: 12,
        column: 42,
      });
      expect(p!.message).toContain(
        `"${join(dir, "s/traces/missing")}" cannot be read (it does not exist)`,
      );
    } finally {
      cleanup();
    }
  });

  it("an empty trace folder, a file instead of a folder, and more VMs than traces", () => {
    const { dir, cleanup } = tempDir();
    try {
      mkdirSync(join(dir, "empty"));
      writeTree(dir, { "file.txt": "x", "two/a": "1", "two/b": "2" });
      const text = MINIMAL.replace(
        /vms:[\s\S]*$/,
        `vms:
  - { types: small, workload: { kind: planetlab, folder: empty } }
  - { types: small, workload: { kind: planetlab, folder: file.txt } }
  - { types: small, count: 3, workload: { kind: planetlab, folder: two } }
`,
      );
      const found = issuesOf(() => parseScenario(text, { baseDir: dir }));
      expect(found.map((p) => [p.code, p.path.join(".")])).toEqual([
        ["VX_SIM_TRACE_EMPTY", "vms.0.workload.folder"],
        ["VX_SIM_TRACE_NOT_FOUND", "vms.1.workload.folder"],
        ["VX_SIM_TOO_FEW_TRACES", "vms.2.count"],
      ]);
      expect(found[0]!.message).toContain("holds no trace file");
      expect(found[1]!.message).toContain("is not a folder");
      expect(found[2]!.message).toContain("count is 3 but");
      expect(found[2]!.message).toContain("gives 2 trace files");
    } finally {
      cleanup();
    }
  });

  it("a missing CSV file, a missing column, and a CSV without a time column", () => {
    const { dir, cleanup } = tempDir();
    try {
      writeTree(dir, { "u.csv": "\n\nt,a,b\n0,1,2\n", "h.csv": "\n\n" });
      const text = MINIMAL.replace(
        /vms:[\s\S]*$/,
        `vms:
  - { types: small, workload: { kind: csv, file: nope.csv } }
  - { types: small, workload: { kind: csv, file: u.csv, timeColumn: t, columns: [a, z] } }
  - { types: small, workload: { kind: csv, file: u.csv } }
  - { types: small, workload: { kind: csv, file: h.csv } }
  - { types: small, count: 5, workload: { kind: csv, file: u.csv, timeColumn: t } }
`,
      );
      const found = issuesOf(() => parseScenario(text, { baseDir: dir }));
      // The files are read in full, as the run reads them: u.csv's "2" is out of range too.
      expect(found.map((p) => [p.code, p.path.join(".")])).toEqual([
        ["VX_SIM_CSV_NOT_FOUND", "vms.0.workload.file"],
        ["VX_SIM_CSV_BAD_COLUMN", "vms.1.workload.columns.1"],
        ["VX_SIM_CSV_BAD_COLUMN", "vms.2.workload.timeColumn"],
        ["VX_SIM_CSV_MALFORMED", "vms.3.workload.file"],
        ["VX_SIM_CSV_MALFORMED", "vms.4.workload.file.4.b"],
      ]);
      expect(found[2]!.message).toBe(
        `the CSV file ${JSON.stringify(join(dir, "u.csv"))} has no column "time"; its columns are "t", "a", "b".`,
      );
      expect(found[3]!.message).toContain("is empty; it needs a header row");
      expect(found[4]!.message).toContain('u.csv:4: column "b" holds 2, outside [0, 1]');
    } finally {
      cleanup();
    }
  });

  it("a path with a NUL byte is an error, not a crash", () => {
    const text = edit(
      "count: 7\n    workload: { kind: constant, utilisation: 40% }",
      'workload: { kind: planetlab, folder: "a\\0b" }',
    );
    expect(problems(text).map((p) => p.code)).toEqual(["VX_SIM_TRACE_NOT_FOUND"]);
  });

  it("loading a file that does not exist, or a folder", () => {
    const { dir, cleanup } = tempDir();
    try {
      for (const [path, code] of [
        [join(dir, "nope.yaml"), "VX_SIM_SCENARIO_NOT_FOUND"],
        [dir, "VX_SIM_SCENARIO_UNREADABLE"],
      ] as const) {
        let caught: unknown;
        try {
          loadScenario(path);
        } catch (error) {
          caught = error;
        }
        expect(VxError.isInstance(caught)).toBe(true);
        expect((caught as VxError).code).toBe(code);
      }
    } finally {
      cleanup();
    }
  });
});

describe("every problem at once", () => {
  it("a file with many problems lists each, sorted by line, in the error message too", () => {
    const text = `name: broken
seed: -1
duration: 1h
step: 2h
hostTypes:
  a: { cores: 2, mips: 100, ram: 1GiB, power: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] }
hosts:
  - { type: c, count: 1 }
vmTypes:
  big: { mips: 1000, ram: 1GiB, colour: red }
vms:
  - types: [big, nope]
    count: 1
    workload: { kind: diurnal, mean: 2 }
policy: { overload: none, parameter: 3 }
`;
    let error: VxError | undefined;
    try {
      parseScenario(text, { file: "broken.yaml" });
    } catch (e) {
      error = e as VxError;
    }
    expect(error?.code).toBe("VX_SIM_BAD_SCENARIO");
    const lines = error!.issues.map(formatScenarioIssue);
    expect(lines).toEqual([
      "broken.yaml:2:7  seed  expected a number ≥ 0, got -1",
      "broken.yaml:4:7  step  the step (7200 s) is longer than the duration (3600 s); make it at most the duration",
      'broken.yaml:8:13  hosts[0].type  unknown host type "c"; the host types are "a"',
      'broken.yaml:10:33  vmTypes.big.colour  unknown key "colour"; remove it or check its spelling',
      'broken.yaml:12:18  vms[0].types[1]  unknown VM type "nope"; the VM types are "big"',
      "broken.yaml:14:38  vms[0].workload.mean  expected a percentage ≤ 100%, got 2 (200%)",
      'broken.yaml:15:38  policy.parameter  overload detection "none" takes no parameter; remove it',
    ]);
    expect(error!.message).toBe(
      `Invalid scenario broken.yaml (7 problems):\n  ${lines.join("\n  ")}`,
    );
    expect(error!.path).toEqual(["seed"]);
  });
});
