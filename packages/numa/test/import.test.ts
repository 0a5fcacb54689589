import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { GBps } from "@vx/core";
import { vxErrorOf } from "@vx/dev/matchers";
import { describe, expect, it } from "vitest";
import {
  formatTopology,
  linkRoute,
  nodesByDistance,
  parseNumactlHardware,
  presetTopology,
} from "../src/index.js";
import { readNumactlFile, readSysfsTopology } from "../src/node.js";
import { numactlText } from "./numactl-text.js";

const fixtures = join(fileURLToPath(new URL(".", import.meta.url)), "fixtures");
const at = (name: string): string => join(fixtures, name);

const MACHINES = [
  { sysfs: "sysfs-1node", numactl: "numactl-1node.txt", preset: "1-socket" },
  { sysfs: "sysfs-2node", numactl: "numactl-2node.txt", preset: "2-socket" },
  { sysfs: "sysfs-4node", numactl: "numactl-4node.txt", preset: "4-socket" },
  { sysfs: "sysfs-8node-epyc", numactl: "numactl-8node-epyc.txt", preset: "8-node-epyc" },
] as const;

describe("readSysfsTopology and readNumactlFile on captured machines", () => {
  for (const m of MACHINES) {
    it(`${m.sysfs} and ${m.numactl} give the CPUs and SLIT of the ${m.preset} preset`, () => {
      const preset = presetTopology(m.preset);
      const sysfs = readSysfsTopology(at(m.sysfs));
      const numactl = readNumactlFile(at(m.numactl));
      for (const t of [sysfs, numactl]) {
        expect(t.nodes.map((n) => n.cpus)).toEqual(preset.nodes.map((n) => n.cpus));
        expect(t.distances).toEqual(preset.distances);
        expect(t.assumed).toContain("memoryBandwidth");
      }
      // numactl rounds sizes down to whole MiB; sysfs counts KiB.
      sysfs.nodes.forEach((node, i) => {
        const diff = node.memoryBytes - numactl.nodes[i]!.memoryBytes;
        expect(diff).toBeGreaterThanOrEqual(0);
        expect(diff).toBeLessThan(2 ** 20);
      });
      expect(numactl.name).toBe(at(m.numactl));
    });
  }

  it("reads MemTotal in KiB: 196478600 kB on node 0 of the 2-node capture", () => {
    const t = readSysfsTopology(at("sysfs-2node"));
    expect(t.nodes[0]!.memoryBytes).toBe(196_478_600 * 1024);
    expect(readNumactlFile(at("numactl-2node.txt")).nodes[0]!.memoryBytes).toBe(191_873 * 2 ** 20);
  });

  it("takes figures sysfs lacks from the options", () => {
    const t = readSysfsTopology(at("sysfs-2node"), {
      name: "lab-host",
      memoryBandwidth: "100GB/s",
      linkBandwidth: "41.6GB/s",
      localLatency: "85ns",
    });
    expect(t.name).toBe("lab-host");
    expect(t.nodes[1]!.memoryBandwidthBytesPerSecond).toBe(GBps(100));
    expect(t.links[0]!.bytesPerSecond).toBeCloseTo(GBps(41.6), 0);
    expect(t.latencySeconds[0]![0]).toBeCloseTo(85e-9, 15);
    expect(t.assumed).toEqual([]);
  });

  it("reads sparse node ids and a memory-only node", () => {
    for (const t of [
      readSysfsTopology(at("sysfs-sparse")),
      readNumactlFile(at("numactl-sparse.txt")),
    ]) {
      expect(t.nodes.map((n) => [n.index, n.id, n.cpus.length])).toEqual([
        [0, 0, 16],
        [1, 2, 0],
      ]);
      expect(t.distances).toEqual([
        [10, 17],
        [17, 10],
      ]);
    }
  });

  it("reads numactl's compressed CPU lists", () => {
    const a = readNumactlFile(at("numactl-2node.txt"));
    const b = readNumactlFile(at("numactl-2node-compressed.txt"));
    expect(b.nodes.map((n) => n.cpus)).toEqual(a.nodes.map((n) => n.cpus));
  });

  it("reads numactl text without distance information", () => {
    const t = parseNumactlHardware(
      "available: 2 nodes (0-1)\nnode 0 cpus: 0 1\nnode 0 size: 1024 MB\nnode 0 free: 900 MB\n" +
        "node 1 cpus: 2 3\nnode 1 size: 1024 MB\nnode 1 free: 1000 MB\nNo distance information available.\n",
    );
    expect(t.distances).toEqual([
      [10, 20],
      [20, 10],
    ]);
    expect(t.assumed).toContain("distances");
  });
});

describe("malformed captures", () => {
  const cases: [string, () => unknown, string, string, number][] = [
    [
      "a non-numeric distance",
      () => readSysfsTopology(at("bad-sysfs-distance")),
      "VX_NUMA_BAD_SYSFS",
      "node1/distance",
      1,
    ],
    [
      "a distance count that does not match the nodes",
      () => readSysfsTopology(at("bad-sysfs-distance-count")),
      "VX_NUMA_BAD_SYSFS",
      "node0/distance",
      1,
    ],
    [
      "a garbled meminfo line",
      () => readSysfsTopology(at("bad-sysfs-meminfo")),
      "VX_NUMA_BAD_SYSFS",
      "node1/meminfo",
      5,
    ],
    [
      "a meminfo line about another node",
      () => readSysfsTopology(at("bad-sysfs-meminfo-node")),
      "VX_NUMA_BAD_SYSFS",
      "node0/meminfo",
      1,
    ],
    [
      "a truncated CPU range",
      () => readSysfsTopology(at("bad-sysfs-cpulist")),
      "VX_NUMA_BAD_SYSFS",
      "node0/cpulist",
      1,
    ],
    [
      "a missing meminfo",
      () => readSysfsTopology(at("bad-sysfs-missing-meminfo")),
      "VX_NUMA_BAD_SYSFS",
      "node1/meminfo",
      0,
    ],
    [
      "a size in GB",
      () => readNumactlFile(at("bad-numactl-size.txt")),
      "VX_NUMA_BAD_NUMACTL",
      "bad-numactl-size.txt",
      3,
    ],
    [
      "a short distance row",
      () => readNumactlFile(at("bad-numactl-distance-row.txt")),
      "VX_NUMA_BAD_NUMACTL",
      "bad-numactl-distance-row.txt",
      10,
    ],
    [
      "a node without a cpus line",
      () => readNumactlFile(at("bad-numactl-missing-cpus.txt")),
      "VX_NUMA_BAD_NUMACTL",
      "bad-numactl-missing-cpus.txt",
      1,
    ],
    [
      "a node count that does not match",
      () => readNumactlFile(at("bad-numactl-count.txt")),
      "VX_NUMA_BAD_NUMACTL",
      "bad-numactl-count.txt",
      1,
    ],
    [
      "a line numactl does not print",
      () => readNumactlFile(at("bad-numactl-garbage.txt")),
      "VX_NUMA_BAD_NUMACTL",
      "bad-numactl-garbage.txt",
      5,
    ],
    [
      "a distance header with unknown nodes",
      () => readNumactlFile(at("bad-numactl-header.txt")),
      "VX_NUMA_BAD_NUMACTL",
      "bad-numactl-header.txt",
      9,
    ],
  ];
  for (const [what, fn, code, file, line] of cases) {
    it(`${what}: ${code} naming ${file}${line > 0 ? ` line ${line}` : ""}`, () => {
      const e = vxErrorOf(fn);
      expect(e.code).toBe(code);
      const full = (e.path[0] as string).replaceAll("\\", "/");
      expect(full.endsWith(file)).toBe(true);
      if (line > 0) {
        expect(e.path[1]).toBe(line);
        expect(e.message).toContain(`${file}:${line}: `);
      } else {
        expect(e.path).toHaveLength(1);
      }
      expect(e.message.split("\n")).toHaveLength(1);
    });
  }

  it("a CPU listed under two nodes is a topology error naming the node", () => {
    const e = vxErrorOf(() => readSysfsTopology(at("bad-sysfs-overlap")));
    expect(e.code).toBe("VX_NUMA_BAD_TOPOLOGY");
    expect(e.message).toContain("CPU 15 is already listed under node 0");
  });

  it("no NUMA information and missing paths have their own codes", () => {
    expect(vxErrorOf(() => readSysfsTopology(at("sysfs-empty"))).code).toBe("VX_NUMA_NO_NUMA_INFO");
    expect(vxErrorOf(() => readNumactlFile(at("numactl-no-numa.txt"))).code).toBe(
      "VX_NUMA_NO_NUMA_INFO",
    );
    expect(vxErrorOf(() => readSysfsTopology(at("no-such-folder"))).code).toBe("VX_NUMA_NOT_FOUND");
    expect(vxErrorOf(() => readNumactlFile(at("no-such-file.txt"))).code).toBe("VX_NUMA_NOT_FOUND");
    expect(vxErrorOf(() => parseNumactlHardware("")).code).toBe("VX_NUMA_BAD_NUMACTL");
  });
});

describe("large and hostile inputs", () => {
  it("a 512-node capture imports with its full SLIT, and prints its mesh of links in one line", () => {
    // Import is one breadth-first search over the links (the reachability check); routes and
    // nearest-first orders are built per node on first use. Timed in bench/ ("import").
    const t = parseNumactlHardware(numactlText(512), { name: "512.txt" });
    expect(t.nodes).toHaveLength(512);
    expect(t.distances[511]![504]).toBe(16);
    expect(t.distances[0]![511]).toBe(32);
    expect(t.links).toHaveLength((512 * 511) / 2);
    expect(linkRoute(t, 511, 3)).toEqual([2 * ((3 * (2 * 512 - 3 - 1)) / 2 + (511 - 3 - 1)) + 1]);
    expect(nodesByDistance(t, 9).slice(0, 8)).toEqual([9, 8, 10, 11, 12, 13, 14, 15]);
    const text = formatTopology(t);
    expect(text).toContain("links: a full mesh of 130816 links,");
    expect(text).toContain("each way (assumed)");
  });

  const unix = process.platform !== "win32";

  it.skipIf(!unix)("a FIFO is refused without blocking, a device without reading it", () => {
    const dir = mkdtempSync(join(tmpdir(), "vx-numa-fifo-"));
    try {
      const fifo = join(dir, "capture.txt");
      execFileSync("mkfifo", [fifo]);
      const e = vxErrorOf(() => readNumactlFile(fifo));
      expect(e.code).toBe("VX_NUMA_UNREADABLE");
      expect(e.message).toContain("not a regular file");
      for (const device of ["/dev/zero", "/dev/urandom"]) {
        if (existsSync(device))
          expect(vxErrorOf(() => readNumactlFile(device)).code).toBe("VX_NUMA_UNREADABLE");
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a folder, a file over 16 MiB and a binary file are refused with clear errors", () => {
    const dir = mkdtempSync(join(tmpdir(), "vx-numa-big-"));
    try {
      expect(vxErrorOf(() => readNumactlFile(dir)).message).toContain("is a folder");
      const big = join(dir, "big.txt");
      writeFileSync(big, "");
      truncateSync(big, 16 * 2 ** 20 + 1); // sparse: no 16 MiB written
      const e = vxErrorOf(() => readNumactlFile(big));
      expect(e.code).toBe("VX_NUMA_UNREADABLE");
      expect(e.message).toContain("larger than 16777216 bytes");
      const binary = join(dir, "binary.txt");
      const bytes = Buffer.alloc(4096);
      for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919 + 13) % 256;
      writeFileSync(binary, bytes);
      const b = vxErrorOf(() => readNumactlFile(binary));
      expect(b.code).toBe("VX_NUMA_BAD_NUMACTL");
      expect(b.message.length).toBeLessThan(400); // the garbage is quoted shortened
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
