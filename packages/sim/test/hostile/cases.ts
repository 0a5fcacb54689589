// The hostile inputs: one row per defect fixed (issues 17 and 18), each a `vx` command line with
// the files it needs. To add a case, add a row; `hostile.test.ts` runs every row in its own
// process under a memory cap and a hang guard (see harness.ts).
import { numactlText } from "../../../numa/test/numactl-text.js";
import type { HostileCase } from "./harness.js";

/** Fixed pseudo-random bytes (xorshift32): the same "binary file" on every run. */
function randomBytes(n: number, seed = 2463534242): Uint8Array {
  const bytes = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    bytes[i] = x & 0xff;
  }
  return bytes;
}

const DEEP = 100_000;

/** A scenario fragment that makes a valid file invalid in one known way. */
const MINIMAL = `hostTypes:
  g4: { cores: 2, mips: 1860, ram: 4GiB, power: [86, 89.4, 92.6, 96, 99.5, 102, 106, 108, 112, 114, 117] }
hosts:
  - { type: g4, count: 2 }
vmTypes:
  small: { mips: 1000, ram: 1740MB }
vms:
  - types: [small]
    count: 2
    workload: { kind: constant, utilisation: 40% }
`;

export const HOSTILE_CASES: readonly HostileCase[] = [
  // --- CLI flags (issue 17 "CLI polish", issue 18 "Small")
  {
    name: "an unknown flag: its own code, a did-you-mean, the command's help",
    argv: ["units", "64GiB", "--jsno"],
    expectExit: 2,
    expectCode: "VX_CLI_UNKNOWN_FLAG",
    expectText: /^vx units: --jsno: unknown flag; did you mean --json\? Run `vx units --help`/m,
  },
  {
    name: "an unknown flag before any command points at vx --help",
    argv: ["--versoin"],
    expectExit: 2,
    expectCode: "VX_CLI_UNKNOWN_FLAG",
    expectText: /did you mean --version\? Run `vx --help`/,
  },
  {
    name: "an empty value is an error, not a default",
    argv: ["numa", "show", "--from", ""],
    expectExit: 2,
    expectCode: "VX_CLI_BAD_FLAG",
    expectText: /^vx numa: --from: is empty/m,
  },
  {
    name: "a flag's error names the flag once, without a JSON path, and no bare-number advice",
    argv: ["migrate", "--ram", "0"],
    expectExit: 2,
    expectCode: "VX_CORE_BAD_UNIT",
    expectText: /^vx migrate: --ram: "0" has no unit/m,
    forbidText: /\["--ram"\]|pass the number|--ram: --ram/,
  },
  // --- NUMA import (issue 18)
  {
    name: "a numactl capture of 512 nodes imports and prints (near linear in the SLIT)",
    argv: ["numa", "show", "--from", "numactl-512.txt"],
    files: { "numactl-512.txt": () => numactlText(512) },
    expectExit: 0,
    expectText: /: 512 nodes, 1024 CPUs[\s\S]*links: a full mesh of 130816 links/,
  },
  {
    name: "an empty --from folder is bad input (exit 2), not 'no NUMA here'",
    argv: ["numa", "show", "--from", "empty"],
    files: { empty: { kind: "folder" } },
    expectExit: 2,
    expectCode: "VX_NUMA_NO_NUMA_INFO",
  },
  {
    name: "numa --from /dev/zero is refused without reading it",
    argv: ["numa", "show", "--from", "/dev/zero"],
    expectExit: 2,
    expectCode: "VX_NUMA_UNREADABLE",
    skipOn: ["win32"],
  },
  {
    name: "numa --from a FIFO is refused without waiting for a writer",
    argv: ["numa", "show", "--from", "capture.txt"],
    files: { "capture.txt": { kind: "fifo" } },
    expectExit: 2,
    expectCode: "VX_NUMA_UNREADABLE",
    skipOn: ["win32"],
  },
  // --- Scenario files that are not files (issue 18 "Hangs")
  {
    name: "vx validate /dev/zero is refused without reading it",
    argv: ["validate", "/dev/zero"],
    expectExit: 2,
    expectCode: "VX_SIM_SCENARIO_UNREADABLE",
    skipOn: ["win32"],
  },
  {
    name: "vx run /dev/urandom is refused without reading it",
    argv: ["run", "/dev/urandom"],
    expectExit: 2,
    expectCode: "VX_SIM_SCENARIO_UNREADABLE",
    skipOn: ["win32"],
  },
  {
    name: "a FIFO scenario is refused without waiting for a writer",
    argv: ["validate", "scenario.yaml"],
    files: { "scenario.yaml": { kind: "fifo" } },
    expectExit: 2,
    expectCode: "VX_SIM_SCENARIO_UNREADABLE",
    skipOn: ["win32"],
  },
  {
    name: "a scenario over 4 MiB is refused by its size",
    argv: ["validate", "huge.yaml"],
    files: { "huge.yaml": { kind: "sparse", bytes: 64 * 2 ** 20 } },
    expectExit: 2,
    expectCode: "VX_SIM_SCENARIO_UNREADABLE",
    expectText: /is larger than 4194304 bytes/,
  },
  // --- Scenario text (issue 18 "Crashes")
  {
    name: "a 4 KiB random binary file, then 10^5 nested [ : two clean errors",
    argv: ["validate", "--json", "random.yaml", "deep.yaml"],
    files: { "random.yaml": randomBytes(4096), "deep.yaml": "[".repeat(DEEP) },
    expectExit: 2,
    expectCode: "VX_SIM_SCENARIO_TOO_DEEP",
    expectText: /not UTF-8 text[\s\S]*nests deeper than 200 levels/,
  },
  {
    name: "10^5 nested [ in a .json file: the same clear error",
    argv: ["validate", "--json", "deep.json"],
    files: { "deep.json": `{"hosts": ${"[".repeat(DEEP)}${"]".repeat(DEEP)}}` },
    expectExit: 2,
    expectCode: "VX_SIM_SCENARIO_TOO_DEEP",
  },
  {
    name: "10^5 compact nested sequences (- - - …) in YAML",
    argv: ["validate", "--json", "dashes.yaml"],
    files: { "dashes.yaml": `${"- ".repeat(DEEP)}x\n` },
    expectExit: 2,
    expectCode: "VX_SIM_SCENARIO_TOO_DEEP",
  },
  {
    name: "a broken .json scenario gets JSON's words with line and column",
    argv: ["validate", "broken.json"],
    files: { "broken.json": '{\n  "name": "x",\n  "seed": 1,\n}\n' },
    expectExit: 2,
    expectText: /broken\.json:3:12 {2}\(root\) {2}JSON: a comma before "}"/,
    forbidText: /mapping|implicit|Flow/,
  },
  {
    name: "a chain of anchors and aliases is refused before it is expanded",
    argv: ["validate", "--json", "aliases.yaml"],
    files: {
      "aliases.yaml": () =>
        [
          "a0: &a0 [1]",
          ...Array.from({ length: 5000 }, (_, i) => `a${i + 1}: &a${i + 1} [*a${i}]`),
        ].join("\n"),
    },
    expectExit: 2,
    expectCode: "VX_SIM_YAML_SYNTAX",
    expectText: /more than 100 aliases/,
  },
  {
    name: "a mapping of 50,000 keys is read in one pass (duplicate keys found without comparing all pairs)",
    argv: ["validate", "--json", "many.yaml"],
    files: {
      "many.yaml": () =>
        `${MINIMAL}extra:\n${Array.from({ length: 50_000 }, (_, i) => `  k${i}: ${i}`).join("\n")}\n  k7: again\n`,
    },
    expectExit: 2,
    expectText: /duplicate key \\"k7\\"/,
  },
  {
    name: "a misspelt key in a scenario gets a did-you-mean",
    argv: ["validate", "--json", "typo.yaml"],
    files: { "typo.yaml": MINIMAL.replace("count: 2\n    workload", "cuont: 2\n    workload") },
    expectExit: 2,
    expectCode: "VX_SCHEMA_UNKNOWN_KEY",
    expectText: /unknown key \\"cuont\\"; did you mean \\"count\\"\?/,
  },
  // --- Runaways of issue 18 "Crashes" and "Hangs", each the original command line (or the same
  // mechanism at a small size), under the heap cap: a regression shows up here as a failure.
  {
    name: "800 days at 300 s (230,400 steps) with --out writes the report (was a stack overflow in its charts)",
    argv: ["run", "long.yaml", "--out", "out"],
    files: {
      "long.yaml": MINIMAL.replace(
        "count: 2\n    workload: { kind: constant, utilisation: 40% }",
        "count: 1\n    workload: { kind: diurnal }",
      )
        .replace("count: 2 }", "count: 1 }")
        .concat("duration: 800d\nstep: 300s\n"),
    },
    expectExit: 0,
    expectText: /report\.html/,
  },
  {
    name: "vx migrate --max-rounds 10000000 --max-time 10000d is refused up front (was heap exhaustion in JSON.stringify)",
    argv: [
      "migrate",
      "--max-rounds",
      "10000000",
      "--max-time",
      "10000d",
      "--dirty-rate",
      "1GiB/s",
      "--json",
    ],
    expectExit: 2,
    expectCode: "VX_CLI_BAD_FLAG",
  },
  {
    name: "vx migrate 64 GiB over 1 kbit/s returns for every strategy (was a hang)",
    argv: ["migrate", "--ram", "64GiB", "--link", "1kbps", "--json"],
    expectExit: 0,
    expectText: /"outcome": ?"did-not-converge"/,
  },
  {
    name: "vx migrate post-copy of 1 GiB over 1 bit/s returns at its time cap (was a hang)",
    argv: ["migrate", "--ram", "1GiB", "--link", "1bps", "--strategy", "postcopy", "--json"],
    expectExit: 0,
    expectText: /"outcome": ?"did-not-converge"/,
  },
  {
    name: "bursts of 1 ns every 1 ns are refused before the run (was one loop per burst: a hang)",
    argv: ["run", "bursty.yaml", "--out", "out"],
    files: {
      "bursty.yaml": MINIMAL.replace(
        "{ kind: constant, utilisation: 40% }",
        "{ kind: bursty, meanGap: 1ns, meanBurst: 1ns }",
      ),
    },
    expectExit: 2,
    expectCode: "VX_SIM_BAD_SCENARIO",
    expectText:
      /vms\[0\]\.workload\.meanGap {2}a burst cycle .* is shorter than a hundredth of the step/,
  },
  {
    name: "duration 1e308 at step 1e307 with a diurnal load is refused (was a hang, then energy null)",
    argv: ["run", "huge.yaml", "--out", "out"],
    files: {
      "huge.yaml": MINIMAL.replace(
        "{ kind: constant, utilisation: 40% }",
        "{ kind: diurnal }",
      ).concat("duration: 1e308\nstep: 1e307\n"),
    },
    expectExit: 2,
    expectText: /duration/,
  },
  {
    name: "a million diurnal VMs for 30 days is refused with a memory estimate, before allocating",
    argv: ["validate", "--json", "big.yaml"],
    files: {
      "big.yaml": MINIMAL.replace(
        "count: 2\n    workload: { kind: constant, utilisation: 40% }",
        "count: 1000000\n    workload: { kind: diurnal }",
      ).concat("duration: 30d\n"),
    },
    expectExit: 2,
    expectCode: "VX_SIM_TOO_LARGE",
    expectText: /needs about [\d.]+ [KMGT]iB of memory/,
  },
  {
    name: "vx sweep --jobs 200 runs on at most one worker per core, and says so (was a V8 abort)",
    argv: ["sweep", "--param", "duration=1h", "--out", "out", "--jobs", "200"],
    expectExit: 0,
    expectText: /--jobs 200 is more than the \d+ cores? here/,
  },
];
