import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Gbps, GiB, MB, Mbps, MiB } from "@vx/core";
import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { DEFAULT_SCENARIO_YAML, defaultScenario } from "../src/scenario/default.js";
import { loadScenario, parseScenario } from "../src/scenario/parse.js";
import { summariseScenario } from "../src/scenario/summary.js";
import { MINIMAL, tempDir, writeTree } from "./scenario-fixtures.js";

const here = dirname(fileURLToPath(import.meta.url));
const examples = resolve(here, "../../../examples/scenarios");

describe("parseScenario fills every default in base units", () => {
  it("a minimal file gets the documented defaults", () => {
    const s = parseScenario(MINIMAL, { file: "dc/minimal.yaml" });
    expect(s.name).toBe("minimal");
    expect(s.seed).toBe(1);
    expect(s.duration).toBe(86_400);
    expect(s.step).toBe(300);
    expect(s.baseDir).toBe(resolve("dc"));
    expect(s.hostTypes.g4).toEqual({
      cores: 2,
      mips: 1860,
      ram: GiB(4),
      nic: Gbps(1),
      power: [86, 89.4, 92.6, 96, 99.5, 102, 106, 108, 112, 114, 117],
    });
    expect(s.vmTypes.small).toEqual({
      cores: 1,
      mips: 1000,
      ram: MB(1740),
      nic: Mbps(100),
      dirtyRate: MiB(32),
      workingSet: 0.9,
    });
    expect(s.hosts).toEqual([
      { type: "g4", count: 2 },
      { type: "g5", count: 3 },
    ]);
    expect(s.vms).toEqual([
      { types: ["small", "micro"], count: 7, workload: { kind: "constant", utilisation: 0.4 } },
    ]);
    expect(s.network).toEqual({ topology: "star", latency: 100e-6, vmTraffic: { kind: "none" } });
    expect(s.policy).toEqual({
      overload: "thr",
      parameter: 0.8,
      selection: "mmt",
      placement: "pabfd",
      underload: true,
      unplaced: "count",
    });
    expect(s.migration).toEqual({
      model: "cloudsim",
      maxOutgoing: "unlimited",
      maxIncoming: "unlimited",
    });
    expect(s.cloudsim).toEqual({ quirks: false });
    expect(s.extensions).toEqual({});
  });

  it("text without a file is named 'scenario' and resolves paths from the working directory", () => {
    const s = parseScenario(MINIMAL);
    expect(s.name).toBe("scenario");
    expect(s.baseDir).toBe(process.cwd());
  });

  it("human units and plain base-unit numbers give the same values", () => {
    const human = parseScenario(
      `${MINIMAL}duration: 2h\nstep: 5min\nnetwork: { topology: star, latency: 250us }\n`,
    );
    const base = parseScenario(
      MINIMAL.replaceAll("4GiB", String(GiB(4)))
        .replace("1740MB", "1740000000")
        .replace("613MB", "613000000")
        .replace("40%", "0.4") +
        "duration: 7200\nstep: 300\nnetwork: { topology: star, latency: 0.00025 }\n",
    );
    expect(base).toEqual(human);
    expect(human.duration).toBe(7200);
    expect(human.network).toEqual({
      topology: "star",
      latency: 250e-6,
      vmTraffic: { kind: "none" },
    });
  });

  it.each([
    ["thr", 0.8],
    ["iqr", 1.5],
    ["mad", 2.5],
    ["lr", 1.2],
    ["lrr", 1.2],
    ["none", undefined],
    ["dvfs", undefined],
  ] as const)("overload %s defaults its parameter to %s (CloudSim's runners)", (overload, p) => {
    const s = parseScenario(`${MINIMAL}policy: { overload: ${overload} }\n`);
    expect(s.policy.overload).toBe(overload);
    expect(s.policy.parameter).toBe(p);
  });

  it("an explicit policy is kept as written", () => {
    const s = parseScenario(
      `${MINIMAL}policy: { overload: iqr, parameter: 2, selection: rs, underload: false }\n`,
    );
    expect(s.policy).toEqual({
      overload: "iqr",
      parameter: 2,
      selection: "rs",
      placement: "pabfd",
      underload: false,
      unplaced: "count",
    });
  });

  it("pre-copy migration gets QEMU's defaults and KubeVirt's limits", () => {
    const s = parseScenario(`${MINIMAL}migration: { model: precopy }\n`);
    expect(s.migration).toEqual({
      model: "precopy",
      downtimeLimit: 0.3,
      maxBandwidth: MiB(128),
      autoConverge: false,
      multifd: false,
      multifdChannels: 2,
      xbzrle: false,
      xbzrleCacheSize: MiB(64),
      completionTimeoutPerGiB: 800,
      maxOutgoing: 2,
      maxIncoming: "unlimited",
    });
    const custom = parseScenario(
      `${MINIMAL}migration: { model: precopy, downtimeLimit: 50ms, maxBandwidth: 10Gbps, autoConverge: true, maxOutgoing: 1 }\n`,
    );
    expect(custom.migration).toMatchObject({
      model: "precopy",
      downtimeLimit: 0.05,
      maxBandwidth: Gbps(10),
      autoConverge: true,
      maxOutgoing: 1,
    });
  });

  it("a tree network gets 40 hosts per rack and 4:1 oversubscription by default", () => {
    const s = parseScenario(`${MINIMAL}network: { topology: tree }\n`);
    expect(s.network).toEqual({
      topology: "tree",
      hostsPerRack: 40,
      oversubscription: 4,
      latency: 100e-6,
      vmTraffic: { kind: "none" },
    });
  });

  it("each synthetic workload kind gets its documented defaults", () => {
    const kinds = ["diurnal", "bursty", "idle-spikes"];
    const text = MINIMAL.replace(
      /vms:[\s\S]*$/,
      `vms:\n${kinds.map((k) => `  - { types: small, count: 1, workload: { kind: ${k} } }\n`).join("")}`,
    );
    const s = parseScenario(text);
    expect(s.vms.map((g) => g.workload)).toEqual([
      { kind: "diurnal", mean: 0.5, amplitude: 0.3, period: 86_400, noise: 0.05 },
      { kind: "bursty", base: 0.2, peak: 0.9, meanGap: 3600, meanBurst: 600 },
      { kind: "idle-spikes", idle: 0.02, spike: 0.6, meanGap: 21_600, spikeDuration: 300 },
    ]);
    expect(s.vms[0]!.types).toEqual(["small"]);
  });

  it("the same scenario as JSON gives the same result as YAML", () => {
    const json = JSON.stringify(parse(MINIMAL), null, 2);
    expect(parseScenario(json, { format: "json", file: "minimal.json" })).toEqual(
      parseScenario(MINIMAL, { file: "minimal.yaml" }),
    );
  });

  it("a $schema key (for editors) is accepted and ignored", () => {
    const s = parseScenario(`$schema: ./vx.schema.json\n${MINIMAL}`);
    expect(s).toEqual(parseScenario(MINIMAL));
  });
});

describe("trace-driven workloads", () => {
  it("a planetlab group defaults to one VM per trace file, resolved from the scenario's folder", () => {
    const { dir, cleanup } = tempDir();
    try {
      const traces: Record<string, string> = {};
      for (let i = 0; i < 5; i++) traces[`data/day/vm-${i}`] = "10\n20\n";
      traces["data/day/.hidden"] = "x";
      const scenario = MINIMAL.replace(
        "count: 7\n    workload: { kind: constant, utilisation: 40% }",
        "workload: { kind: planetlab, folder: ../data/day }",
      );
      writeTree(dir, { ...traces, "scenarios/pl.yaml": scenario });
      const s = loadScenario(join(dir, "scenarios/pl.yaml"));
      expect(s.name).toBe("pl");
      expect(s.baseDir).toBe(join(dir, "scenarios"));
      expect(s.vms[0]).toEqual({
        types: ["small", "micro"],
        count: 5,
        workload: { kind: "planetlab", folder: "../data/day", interval: 300 },
      });
    } finally {
      cleanup();
    }
  });

  it("a csv group defaults to one VM per column; one shared column serves any count", () => {
    const { dir, cleanup } = tempDir();
    try {
      const scenario = MINIMAL.replace(
        /vms:[\s\S]*$/,
        `vms:
  - types: small
    workload: { kind: csv, file: u.csv }
  - types: small
    count: 9
    workload: { kind: csv, file: u.csv, timeColumn: t, columns: [b], percent: true }
`,
      ).replace("{ kind: csv, file: u.csv }", "{ kind: csv, file: u.csv, timeColumn: t }");
      writeTree(dir, { "s.yaml": scenario, "u.csv": "t,a,b,c\n0,0.1,0.2,0.3\n" });
      const s = loadScenario(join(dir, "s.yaml"));
      expect(s.vms.map((g) => [g.count, g.workload])).toEqual([
        [3, { kind: "csv", file: "u.csv", timeColumn: "t", columns: "all", percent: false }],
        [9, { kind: "csv", file: "u.csv", timeColumn: "t", columns: ["b"], percent: true }],
      ]);
    } finally {
      cleanup();
    }
  });

  it("quoted CSV headers holding commas count as one column each (issue 18: validate miscounted VMs)", () => {
    const { dir, cleanup } = tempDir();
    try {
      const scenario = MINIMAL.replace(
        /vms:[\s\S]*$/,
        "vms:\n  - types: small\n    workload: { kind: csv, file: q.csv }\n",
      );
      // Three VM columns, two of whose names hold a comma, a doubled quote or a line break.
      const csv = 'time,"web, eu","the ""db""","multi\nline"\n0,"0.1",0.2,0.3\n300,0.4,"0.5",0.6\n';
      writeTree(dir, { "s.yaml": scenario, "q.csv": csv });
      const s = loadScenario(join(dir, "s.yaml"));
      expect(s.vms[0]!.count).toBe(3);
      expect(summariseScenario(s)).toContain("3 VMs");
    } finally {
      cleanup();
    }
  });

  it("the PlanetLab day 20110303 has 1052 traces (CCPE 2012, Table: PlanetLab data)", () => {
    const s = loadScenario(join(examples, "planetlab-20110303.yaml"));
    expect(s.vms[0]!.count).toBe(1052);
    expect(s.vms[0]!.workload).toEqual({ kind: "planetlab", day: "20110303", interval: 300 });
    expect(s.hosts.reduce((n, g) => n + g.count, 0)).toBe(800);
    expect(s.vmTypes["high-cpu-medium"]!.ram).toBe(MB(870));
    // CloudSim's migration delay of the largest-RAM-per-MIPS type at 1 Gbit/s: 870 MB → 13.92 s.
    expect(s.vmTypes["high-cpu-medium"]!.ram / (0.5 * s.hostTypes["hp-ml110-g4"]!.nic)).toBeCloseTo(
      13.92,
      10,
    );
  });
});

describe("the default scenario", () => {
  it("is valid and real: PlanetLab 20110303 (1052 VMs) on CloudSim's 800 hosts, THR-MMT, pre-copy, 24 h at 300 s", () => {
    const s = defaultScenario();
    expect(s.seed).toBe(42);
    expect(s.hosts).toEqual([
      { type: "hp-ml110-g4", count: 400 },
      { type: "hp-ml110-g5", count: 400 },
    ]);
    expect(Object.keys(s.hostTypes)).toHaveLength(2);
    expect(s.hostTypes["hp-ml110-g4"]!.ram).toBe(MB(4096));
    expect(s.vms.reduce((n, g) => n + g.count, 0)).toBe(1052);
    expect(s.vms.map((g) => g.workload)).toEqual([
      { kind: "planetlab", day: "20110303", interval: 300 },
    ]);
    expect(s.migration.model).toBe("precopy");
    expect([s.policy.overload, s.policy.selection, s.policy.parameter]).toEqual([
      "thr",
      "mmt",
      0.8,
    ]);
    expect([s.duration, s.step]).toEqual([86_400, 300]);
  });

  it("each call returns a fresh, equal copy", () => {
    const a = defaultScenario();
    const b = defaultScenario();
    expect(a).toEqual(b);
    expect(a).not.toBe(b);
    expect(a.hosts).not.toBe(b.hosts);
  });

  it("examples/scenarios/default.yaml is the embedded text (plus the editor schema line)", () => {
    const file = readFileSync(join(examples, "default.yaml"), "utf8");
    expect(file).toBe(`# yaml-language-server: $schema=./vx.schema.json\n${DEFAULT_SCENARIO_YAML}`);
  });

  it("summarises in one line", () => {
    expect(summariseScenario(defaultScenario())).toBe(
      "default: 800 hosts (2 types), 1052 VMs (4 types, planetlab), 24 h at 5 min steps, THR 0.8 + MMT, pre-copy (QEMU) migrations, star network",
    );
  });
});

describe("the example scenarios", () => {
  const files = readdirSync(examples).filter(
    (f) => /\.(ya?ml|json)$/.test(f) && f !== "vx.schema.json",
  );

  it("the folder holds the default, the PlanetLab day and synthetic examples", () => {
    expect(files).toEqual(
      expect.arrayContaining([
        "default.yaml",
        "planetlab-20110303.yaml",
        "synthetic-tree.yaml",
        "csv-workload.yaml",
      ]),
    );
  });

  for (const file of files)
    it(`${file} is valid and reads nothing outside the repository`, () => {
      const text = readFileSync(join(examples, file), "utf8");
      expect(text).not.toContain("../../../");
      expect(() => loadScenario(join(examples, file))).not.toThrow();
    });

  it("round-trips through YAML: stringify(parse(file)) validates to the same scenario", () => {
    const s = loadScenario(join(examples, "synthetic-tree.yaml"));
    const { dir, cleanup } = tempDir();
    try {
      const text = stringify(parse(readFileSync(join(examples, "synthetic-tree.yaml"), "utf8")));
      writeTree(dir, { "synthetic-tree.yaml": text });
      expect({ ...loadScenario(join(dir, "synthetic-tree.yaml")), baseDir: s.baseDir }).toEqual(s);
    } finally {
      cleanup();
    }
  });
});
