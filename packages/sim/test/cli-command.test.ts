// defineCommand: one declaration per command, from which parsing and --help derive.
import { formatRate, VxError, type VxIssue } from "@vx/core";
import { TOPOLOGY_DEFAULTS } from "@vx/numa";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type CliCommand, defineCommand, flagError, flagMessage } from "../src/cli/command.js";
import type { CliIo } from "../src/cli/io.js";

interface Seen {
  options: Record<string, unknown>;
  positionals: readonly string[];
  given: string[];
}

/** A command with one option of every kind; `run` records what it received. */
function demo(): { command: CliCommand<number>; seen: Seen[] } {
  const seen: Seen[] = [];
  const command = defineCommand({
    name: "demo",
    summary: "a command with one option of each kind",
    description: "Takes one option of each kind, for the tests.",
    positionals: [
      { name: "action", description: "what to do", values: ["show", "list"] },
      { name: "file", description: "files to read", optional: true, variadic: true },
    ],
    options: {
      out: { kind: "string", placeholder: "<dir>", description: "where to write" },
      param: { kind: "string", repeatable: true, description: "name=value" },
      ram: { kind: "bytes", min: 2 ** 30, description: "the VM's memory", required: true },
      link: {
        kind: "rate",
        allowZero: false,
        default: TOPOLOGY_DEFAULTS.linkBytesPerSecond,
        description: "link bandwidth",
      },
      "max-time": { kind: "duration", max: 86_400, description: "a limit" },
      share: { kind: "percent", max: 1, default: 0.25, description: "a share" },
      seed: { kind: "integer", min: 0, default: 1, short: "s", description: "the seed" },
      weight: { kind: "number", max: 10, description: "a weight" },
      strategy: {
        kind: "enum",
        values: ["precopy", "postcopy"],
        default: "precopy",
        description: "how",
      },
      strategies: { kind: "list", values: ["precopy", "postcopy", "hybrid"], description: "which" },
      tags: { kind: "list", description: "free-form tags" },
      json: { kind: "boolean", description: "print JSON" },
    },
    examples: ["vx demo show --ram 64GiB"],
    run({ options, positionals, given }) {
      seen.push({ options: { ...options }, positionals, given: [...given].sort() });
      return 0;
    },
  });
  return { command, seen };
}

function silent(): CliIo & { text: () => string } {
  let out = "";
  return { out: (s) => (out += s), err: () => undefined, text: () => out };
}

/** The issues of the VxError `argv` raises (fails when it raises none). */
function issuesOf(command: CliCommand<number>, argv: string[]): VxIssue[] {
  try {
    command.run(argv, silent());
  } catch (error) {
    if (VxError.isInstance(error)) return [...error.issues];
    throw error;
  }
  throw new Error(`expected a VxError for ${argv.join(" ")}`);
}

function line(i: VxIssue): string {
  return `${i.path.length > 0 ? `${i.path[0]}: ` : ""}${i.message} [${i.code}]`;
}

describe("defineCommand: parsing", () => {
  it("converts every kind, fills defaults and says which options were given", () => {
    const { command, seen } = demo();
    const argv = [
      "show",
      "a.yaml",
      "b.yaml",
      "--ram",
      "64GiB",
      "--link=10Gbps",
      "--max-time",
      "1h",
    ];
    argv.push("--share", "5%", "-s", "7", "--weight", "-0.5e1", "--strategy", "postcopy");
    argv.push("--strategies", "precopy, hybrid", "--tags", "a,b", "--json", "--param", "x=1");
    argv.push("--param", "y=2", "--out", "-");
    expect(command.run(argv, silent())).toBe(0);
    expect(seen[0]).toEqual({
      options: {
        out: "-",
        param: ["x=1", "y=2"],
        ram: 64 * 2 ** 30,
        link: 1.25e9,
        "max-time": 3600,
        share: 0.05,
        seed: 7,
        weight: -5,
        strategy: "postcopy",
        strategies: ["precopy", "hybrid"],
        tags: ["a", "b"],
        json: true,
      },
      positionals: ["show", "a.yaml", "b.yaml"],
      given: [
        "json",
        "link",
        "max-time",
        "out",
        "param",
        "ram",
        "seed",
        "share",
        "strategies",
        "strategy",
        "tags",
        "weight",
      ],
    });
    expect(command.run(["list", "--ram", "1GiB"], silent())).toBe(0);
    expect(seen[1]!.options).toEqual({
      param: [],
      ram: 2 ** 30,
      link: TOPOLOGY_DEFAULTS.linkBytesPerSecond, // read from the package's constant
      share: 0.25,
      seed: 1,
      strategy: "precopy",
      json: false,
    });
    expect(seen[1]!.given).toEqual(["ram"]);
  });

  it("reads values that start with a dash, and everything after -- as positionals", () => {
    const { command, seen } = demo();
    command.run(["show", "--ram", "2GiB", "--weight", "-3", "--", "--json", "-s"], silent());
    expect(seen[0]!.options.weight).toBe(-3);
    expect(seen[0]!.options.json).toBe(false);
    expect(seen[0]!.positionals).toEqual(["show", "--json", "-s"]);
  });

  it("reports every bad flag at once, one issue each, before running anything", () => {
    const { command, seen } = demo();
    const issues = issuesOf(command, [
      "show",
      "--ram",
      "512MiB",
      "--link",
      "0",
      "--seed",
      "",
      "--out",
      "",
      "--strategy",
      "postcopi",
      "--strategies",
      "all,postcopy",
      "--tags",
      "a,,b",
      "--json=yes",
      "--share",
      "150%",
      "--weight",
      "1e400",
      "--max-time",
      "2d",
    ]);
    expect(seen).toEqual([]);
    expect(issues.map(line)).toEqual([
      '--ram: expected ≥ 1 GiB, got "512MiB". [VX_CLI_BAD_FLAG]',
      '--link: "0" has no unit. Add one, e.g. "0B/s" (units: bps, kbps, Mbps, Gbps, Tbps (bits per second) or B/s, kB/s, MB/s, GB/s, TB/s, KiB/s, MiB/s, GiB/s, TiB/s (bytes per second)). [VX_CORE_BAD_UNIT]',
      "--seed: is empty; give <n>. [VX_CLI_BAD_FLAG]",
      "--out: is empty; give <dir>. [VX_CLI_BAD_FLAG]",
      '--strategy: expected one of precopy, postcopy, got "postcopi"; did you mean postcopy? [VX_CLI_BAD_FLAG]',
      '--strategies: "all" is not one of precopy, postcopy, hybrid (give a comma-separated list of them) [VX_CLI_BAD_FLAG]',
      '--tags: "a,,b" has an empty item; separate items with single commas. [VX_CLI_BAD_FLAG]',
      "--json: takes no value; give the flag alone. [VX_CLI_BAD_FLAG]",
      '--share: expected ≤ 100%, got "150%". [VX_CLI_BAD_FLAG]',
      '--weight: expected a number, got "1e400". [VX_CLI_BAD_FLAG]',
      '--max-time: expected ≤ 24 h, got "2d" (48 h). [VX_CLI_BAD_FLAG]',
    ]);
  });

  it("an unknown flag has its own code, a did-you-mean when one is close, and the command's help", () => {
    const { command } = demo();
    expect(issuesOf(command, ["show", "--ram", "2GiB", "--jsno"]).map(line)).toEqual([
      "--jsno: unknown flag; did you mean --json? Run `vx demo --help` for the flags it takes. [VX_CLI_UNKNOWN_FLAG]",
    ]);
    // An unknown flag's value is not taken for a positional; no cascade of errors.
    expect(issuesOf(command, ["show", "--ram", "2GiB", "--colour", "red"]).map(line)).toEqual([
      "--colour: unknown flag; run `vx demo --help` for the flags it takes. [VX_CLI_UNKNOWN_FLAG]",
    ]);
    expect(issuesOf(command, ["show", "--ram", "2GiB", "-x"])[0]!.code).toBe("VX_CLI_UNKNOWN_FLAG");
    expect(
      issuesOf(command, ["show", "--ram", "2GiB", "--seed=2", "--sede", "3"])[0]!.message,
    ).toContain("did you mean --seed?");
  });

  it("a missing value, a repeated flag, a missing required flag and bad positionals are errors", () => {
    const { command } = demo();
    expect(issuesOf(command, ["show", "--ram"]).map(line)).toEqual([
      "--ram: needs a value: <size>, e.g. 64GiB. [VX_CLI_BAD_FLAG]",
    ]);
    expect(issuesOf(command, ["show", "--ram", "--json"]).map(line)[0]).toBe(
      "--ram: needs a value: <size>, e.g. 64GiB. [VX_CLI_BAD_FLAG]",
    );
    expect(
      issuesOf(command, ["show", "--ram", "2GiB", "--seed", "1", "--seed", "2"]).map(line),
    ).toEqual(["--seed: is given twice; give it once. [VX_CLI_BAD_FLAG]"]);
    expect(issuesOf(command, ["show"]).map(line)).toEqual([
      "--ram: is required: <size>, e.g. 64GiB. [VX_CLI_BAD_FLAG]",
    ]);
    expect(issuesOf(command, ["--ram", "2GiB"]).map(line)).toEqual([
      "give one of show, list (what to do); run `vx demo --help`. [VX_CLI_BAD_USAGE]",
    ]);
    expect(issuesOf(command, ["shwo", "--ram", "2GiB"]).map(line)).toEqual([
      'expected one of show, list as <action>, got "shwo"; did you mean show? (run `vx demo --help`) [VX_CLI_BAD_USAGE]',
    ]);
    expect(issuesOf(command, ["show", "--ram", "2GiB", "--seed", "1.5"]).map(line)).toEqual([
      '--seed: expected an integer, got "1.5". [VX_CLI_BAD_FLAG]',
    ]);
    expect(issuesOf(command, ["show", "--ram", "2GiB", "--seed", "-1"]).map(line)).toEqual([
      "--seed: expected an integer ≥ 0, got -1. [VX_CLI_BAD_FLAG]",
    ]);
    expect(
      issuesOf(command, ["show", "--ram", "2GiB", "--seed", "99999999999999999999"]).map(line),
    ).toEqual([
      '--seed: "99999999999999999999" is too large for an exact integer. [VX_CLI_BAD_FLAG]',
    ]);
  });

  it("flagError prints like a declared check; flagMessage drops the scenario-file advice", () => {
    const e = flagError("--max-time", "is shorter than --max-downtime; raise it.");
    expect(e.code).toBe("VX_CLI_BAD_FLAG");
    expect(e.issues).toEqual([
      {
        code: "VX_CLI_BAD_FLAG",
        message: "is shorter than --max-downtime; raise it.",
        path: ["--max-time"],
      },
    ]);
    expect(
      flagMessage(
        '"0" has no unit. Add one, e.g. "0B" (units: B, kB), or pass the number 0 (bytes).',
      ),
    ).toBe('"0" has no unit. Add one, e.g. "0B" (units: B, kB).');
  });

  it("any unknown long flag is refused with VX_CLI_UNKNOWN_FLAG, never run (property)", () => {
    const { command, seen } = demo();
    const declared = new Set(command.flags);
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z][a-z-]{0,12}$/), (name) => {
        fc.pre(!declared.has(`--${name}`));
        const issues = issuesOf(command, ["show", "--ram", "2GiB", `--${name}`]);
        expect(issues.map((i) => [i.code, i.path])).toEqual([
          ["VX_CLI_UNKNOWN_FLAG", [`--${name}`]],
        ]);
      }),
      { numRuns: 200 },
    );
    expect(seen).toEqual([]);
  });
});

describe("defineCommand: --help derives from the declaration", () => {
  it("lists the usage, arguments, every option with its default and the examples", () => {
    const { command } = demo();
    const io = silent();
    expect(command.run(["--help"], io)).toBe(0);
    const help = io.text();
    expect(help).toBe(`${command.usage}\n`);
    expect(help.split("\n")[0]).toBe(
      "Usage: vx demo <show|list> [<file>...] --ram <size> [options]",
    );
    expect(help).toContain("  <action>");
    expect(help).toContain("  <file>...");
    for (const name of Object.keys({
      out: 1,
      param: 1,
      ram: 1,
      link: 1,
      "max-time": 1,
      share: 1,
    })) {
      expect(help).toContain(`--${name}`);
    }
    const link = formatRate(TOPOLOGY_DEFAULTS.linkBytesPerSecond); // the package's constant
    expect(help).toContain(`link bandwidth (default: ${link})`);
    expect(help).toMatch(/-s, --seed <n> +the seed \(default: 1\)/);
    // A head too wide for the column puts its description on the next line.
    expect(help).toMatch(/--strategy <precopy\|postcopy>\n +how \(default: precopy\)/);
    expect(help).toMatch(/--param <text> +name=value \(repeatable\)/);
    expect(help).toMatch(/--ram <size> +the VM's memory \(required\)/);
    expect(help).toContain("-h, --help");
    expect(help).toContain("Example:\n  vx demo show --ram 64GiB");
    for (const l of help.split("\n")) expect(l.length).toBeLessThanOrEqual(100);
    // -h anywhere before -- prints the help and runs nothing, even with bad flags around it.
    expect(command.run(["--ram", "x", "-h"], silent())).toBe(0);
  });

  it("a subcommand has its own options and help", () => {
    const calls: string[] = [];
    const merge = defineCommand({
      name: "tool merge",
      summary: "merge folders",
      description: "Merges folders.",
      aliases: ["join"],
      positionals: [{ name: "dir", description: "folders", variadic: true }],
      options: { out: { kind: "string", description: "output folder" } },
      run({ positionals }) {
        calls.push(`merge ${positionals.join(" ")}`);
        return 0;
      },
    });
    const tool = defineCommand({
      name: "tool",
      summary: "a tool",
      description: "Does things.",
      options: { jobs: { kind: "integer", min: 1, description: "workers" } },
      subcommands: [merge],
      run() {
        calls.push("tool");
        return 0;
      },
    });
    tool.run(["merge", "a", "b", "--out", "c"], silent());
    tool.run(["--jobs", "2"], silent());
    tool.run(["join", "d"], silent());
    expect(calls).toEqual(["merge a b", "tool", "merge d"]);
    const io = silent();
    tool.run(["merge", "--help"], io);
    expect(io.text()).toContain("Usage: vx tool merge <dir>... [options]");
    expect(tool.usage).toContain("       vx tool merge <dir>... [options]");
    expect(tool.usage).toContain("Subcommands:\n  merge  merge folders (alias: join)");
    expect(() => tool.run(["merge", "a", "--jobs", "2"], silent())).toThrow(/unknown flag/);
  });

  it("an inconsistent declaration is refused when it is made", () => {
    const base = { name: "bad", summary: "s", description: "d", run: () => 0 };
    expect(() =>
      defineCommand({
        ...base,
        options: {
          mode: { kind: "enum", values: ["a", "b"], default: "c" as "a", description: "m" },
        },
      }),
    ).toThrow(/default "c" is not among its values/);
    expect(() =>
      defineCommand({
        ...base,
        options: {
          one: { kind: "boolean", short: "o", description: "1" },
          other: { kind: "boolean", short: "o", description: "2" },
        },
      }),
    ).toThrow(/-o is not one unused letter/);
    expect(() =>
      defineCommand({ ...base, options: { help: { kind: "boolean", description: "h" } } }),
    ).toThrow(/built in/);
    expect(() =>
      defineCommand({
        ...base,
        options: {},
        positionals: [
          { name: "a", description: "a", variadic: true },
          { name: "b", description: "b" },
        ],
      }),
    ).toThrow(/only the last positional may be variadic/);
  });
});
