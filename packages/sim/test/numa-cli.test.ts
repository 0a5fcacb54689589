import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { formatRate } from "@vx/core";
import { vxErrorOf } from "@vx/dev/matchers";
import { TOPOLOGY_DEFAULTS } from "@vx/numa";
import { describe, expect, it } from "vitest";
import { createNumaCommand, numaCommand } from "../src/cli/numa.js";

const fixtures = join(
  dirname(fileURLToPath(import.meta.url)),
  "..",
  "..",
  "numa",
  "test",
  "fixtures",
);

function run(args: string[], command = numaCommand): { code: number; out: string; err: string } {
  let out = "";
  let err = "";
  const code = command.run(args, { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}

describe("vx numa show", () => {
  it("prints a sysfs copy: nodes, CPU lists, memory, SLIT, latencies, assumed figures", () => {
    const r = run(["show", "--from", join(fixtures, "sysfs-8node-epyc")]);
    expect(r.code).toBe(0);
    expect(r.out).toContain(": 8 nodes, 128 CPUs");
    expect(r.out).toContain("40-47,104-111");
    expect(r.out).toContain("SLIT distances (10 = local)");
    expect(r.out).toMatch(/5\s+32\s+32\s+32\s+32\s+16\s+10\s+16\s+16/);
    expect(r.out).toContain(
      "assumed (not in the source, defaults used): latency, links (a full mesh), memory bandwidth",
    );
    expect(r.err).toBe("");
  });

  it("prints a numactl capture as JSON", () => {
    const r = run(["show", "--from", join(fixtures, "numactl-2node.txt"), "--json"]);
    expect(r.code).toBe(0);
    const t = JSON.parse(r.out) as {
      nodes: { cpus: number[]; memoryBytes: number }[];
      distances: number[][];
    };
    expect(t.nodes).toHaveLength(2);
    expect(t.nodes[1]!.memoryBytes).toBe(193_522 * 2 ** 20);
    expect(t.distances).toEqual([
      [10, 21],
      [21, 10],
    ]);
  });

  it("reads this machine by default and says clearly when it has no NUMA information", () => {
    const nowhere = join(mkdtempSync(join(tmpdir(), "vx-numa-")), "no-such-node-folder");
    const r = run(["show"], createNumaCommand({ sysfsRoot: nowhere }));
    expect(r.code).toBe(0);
    expect(r.out).toContain(`No NUMA information: ${nowhere} does not exist.`);
    expect(r.out).toContain("--from");
    const empty = run(
      ["show", "--json"],
      createNumaCommand({ sysfsRoot: join(fixtures, "sysfs-empty") }),
    );
    expect(empty.code).toBe(0);
    expect(JSON.parse(empty.out)).toMatchObject({ available: false });
    const real = run(["show"], createNumaCommand({ sysfsRoot: join(fixtures, "sysfs-1node") }));
    expect(real.out).toContain(": 1 node, 32 CPUs");
  });

  it("says so for a numactl capture of a machine without NUMA", () => {
    const r = run(["show", "--from", join(fixtures, "numactl-no-numa.txt")]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("No NUMA information");
  });

  it("bad usage and malformed captures are VxErrors (exit 2 through the CLI), naming file and line", () => {
    expect(vxErrorOf(() => run([])).code).toBe("VX_CLI_BAD_USAGE");
    expect(vxErrorOf(() => run(["list"])).code).toBe("VX_CLI_BAD_USAGE");
    expect(vxErrorOf(() => run(["show", "--from", ""])).code).toBe("VX_CLI_BAD_FLAG");
    expect(vxErrorOf(() => run(["show", "--from", join(fixtures, "nothing-here")])).code).toBe(
      "VX_NUMA_NOT_FOUND",
    );
    const bad = vxErrorOf(() => run(["show", "--from", join(fixtures, "bad-numactl-size.txt")]));
    expect(bad.code).toBe("VX_NUMA_BAD_NUMACTL");
    expect(bad.message).toContain("bad-numactl-size.txt:3:");
    const sysfs = vxErrorOf(() => run(["show", "--from", join(fixtures, "bad-sysfs-distance")]));
    expect(sysfs.message).toContain("node1/distance:1:");
    expect(vxErrorOf(() => run(["show", "--frobnicate"])).issues).toEqual([
      {
        code: "VX_CLI_UNKNOWN_FLAG",
        message: "unknown flag; run `vx numa --help` for the flags it takes.",
        path: ["--frobnicate"],
      },
    ]);
  });

  it("an explicit --from folder with no node<N> folder is bad input, unlike this machine's", () => {
    const empty = mkdtempSync(join(tmpdir(), "vx-numa-empty-"));
    try {
      const e = vxErrorOf(() => run(["show", "--from", empty]));
      expect(e.code).toBe("VX_NUMA_NO_NUMA_INFO");
      expect(e.path).toEqual(["--from"]);
      expect(e.issues[0]!.message).toContain("holds no node<N> folder");
      // The same folder as this machine's sysfs is an answer: no NUMA here.
      expect(run(["show"], createNumaCommand({ sysfsRoot: empty })).code).toBe(0);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it("takes the figures sysfs and numactl lack from flags; the others stay assumed", () => {
    const r = run([
      "show",
      "--from",
      join(fixtures, "numactl-2node.txt"),
      "--memory-bandwidth",
      "100GB/s",
      "--local-latency",
      "80ns",
      "--json",
    ]);
    const t = JSON.parse(r.out) as {
      nodes: { memoryBandwidthBytesPerSecond: number }[];
      latencySeconds: number[][];
      assumed: string[];
    };
    expect(t.nodes.map((n) => n.memoryBandwidthBytesPerSecond)).toEqual([100e9, 100e9]);
    expect(t.latencySeconds[0]![0]).toBeCloseTo(80e-9, 15);
    expect(t.assumed).toEqual(["links"]);
    expect(numaCommand.usage).toContain(
      `(default: ${formatRate(TOPOLOGY_DEFAULTS.memoryBandwidthBytesPerSecond, { bits: false, binary: false })})`,
    );
    expect(vxErrorOf(() => run(["show", "--memory-bandwidth", "0"])).code).toBe("VX_CORE_BAD_UNIT");
    expect(vxErrorOf(() => run(["show", "--memory-bandwidth", "0B/s"])).code).toBe(
      "VX_CLI_BAD_FLAG",
    );
  });

  it("has a usage text and a summary", () => {
    expect(numaCommand.usage).toContain("Usage: vx numa show");
    expect(numaCommand.summary.length).toBeGreaterThan(10);
  });
});
