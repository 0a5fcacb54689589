import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { VxError } from "@vx/core";
import { compareStrategies } from "@vx/migration";
import { describe, expect, it } from "vitest";
import { migrateCommand } from "../src/cli/migrate.js";

function run(...args: string[]): { code: number; out: string; err: string } {
  let out = "";
  let err = "";
  const code = migrateCommand.run(args, { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}

/** Runs a command that must fail on its flags; returns the error. */
function fails(...args: string[]): Error {
  try {
    run(...args);
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected the flags to be rejected");
}

interface JsonResult {
  strategy: string;
  outcome: string;
  reason: string;
  totalTimeSeconds: number;
  startSeconds: number;
  downtimeSeconds: number | null;
  downtimeNote: string | null;
  bytesSent: { total: number; fullPages: number; deltas: number; zeroPageFlags: number };
  roundCount: number;
  rounds: { bytes: number; phase: string; dirtyBytes: number; durationSeconds: number }[];
  meetsMaxDowntime: boolean;
}

describe("vx migrate", () => {
  it("compares every strategy side by side and says which meet the downtime", () => {
    const r = run("--ram", "64GiB", "--link", "10Gbps", "--dirty-rate", "1GiB/s", "--wws", "2GiB");
    expect(r.code).toBe(0);
    const lines = r.out.trim().split("\n");
    expect(lines[0]).toMatch(/^strategy\s+outcome\s+total\s+downtime\s+sent\s+rounds/);
    for (const s of [
      "precopy-qemu",
      "precopy-xen",
      "precopy-simgrid",
      "cloudsim",
      "postcopy",
      "hybrid",
      "postcopy-enlightened",
      "analytic",
    ]) {
      expect(r.out).toContain(s);
    }
    expect(lines[lines.length - 1]).toMatch(/^Meet a downtime of 300 ms: .*postcopy/);
  });

  it("--json prints { results } with strategy, outcome, times, bytes and rounds", () => {
    const r = run(
      "--ram",
      "4GiB",
      "--dirty-rate",
      "32MiB/s",
      "--strategy",
      "precopy-qemu,analytic",
      "--json",
    );
    expect(r.code).toBe(0);
    const out = JSON.parse(r.out) as { results: JsonResult[]; meetingMaxDowntime: string[] };
    expect(out.results.map((x) => x.strategy)).toEqual(["precopy-qemu", "analytic"]);
    for (const x of out.results) {
      expect(x.outcome).toBe("completed");
      expect(x.totalTimeSeconds).toBeCloseTo(42.625, 9);
      expect(x.downtimeSeconds).toBeCloseTo(0.125, 9);
      expect(x.bytesSent.total / 2 ** 20).toBeCloseTo(5456, 6);
      expect(x.rounds.map((rd) => rd.bytes / 2 ** 20)).toEqual([4096, 1024, 256, 64, 16]);
      expect(x.meetsMaxDowntime).toBe(true);
    }
    expect(out.meetingMaxDowntime).toEqual(["precopy-qemu", "analytic"]);
  });

  it("the QEMU options reach the QEMU strategy", () => {
    const r = run(
      "--ram",
      "1GiB",
      "--dirty-rate",
      "256MiB/s",
      "--strategy",
      "precopy-qemu",
      "--auto-converge",
      "--max-downtime",
      "1s",
      "--json",
    );
    const x = (JSON.parse(r.out) as { results: (JsonResult & { finalThrottle: number })[] })
      .results[0]!;
    expect(x.outcome).toBe("completed");
    expect(x.finalThrottle).toBeGreaterThan(0);
    const slow = run(
      "--ram",
      "1GiB",
      "--strategy",
      "precopy-qemu",
      "--max-bandwidth",
      "64MiB/s",
      "--json",
    );
    expect(
      (JSON.parse(slow.out) as { results: JsonResult[] }).results[0]!.totalTimeSeconds,
    ).toBeCloseTo(16, 9);
  });

  it("page fidelity, huge pages, seeds and a trace file", () => {
    const dir = mkdtempSync(join(tmpdir(), "vx-migrate-"));
    const trace = join(dir, "burst.trace");
    writeFileSync(trace, "1s rate 50MiB/s\n1s pages 0-99\n");
    const r = run(
      "--ram",
      "512MiB",
      "--trace",
      trace,
      "--fidelity",
      "page",
      "--seed",
      "7",
      "--strategy",
      "precopy-xen,postcopy",
      "--json",
    );
    const results = (JSON.parse(r.out) as { results: (JsonResult & { fidelity: string })[] })
      .results;
    expect(results.map((x) => [x.strategy, x.fidelity, x.outcome])).toEqual([
      ["precopy-xen", "page", "completed"],
      ["postcopy", "page", "completed"],
    ]);
    const huge = run("--ram", "8GiB", "--page-size", "1GiB", "--strategy", "postcopy", "--json");
    expect(JSON.parse(huge.out).results[0].outcome).toBe("completed");
  });

  it.each([
    [["--link", "10Gbps"], "VX_CLI_BAD_FLAG", "--ram"],
    [["--ram", "64 parsecs"], "VX_CORE_BAD_UNIT", "--ram"],
    [["--ram", "1GiB", "--link", "fast"], "VX_CORE_BAD_UNIT", "--link"],
    [["--ram", "1GiB", "--strategy", "teleport"], "VX_CLI_BAD_FLAG", "--strategy"],
    [["--ram", "1GiB", "--dirty-model", "uniform"], "VX_CLI_BAD_FLAG", "--dirty-rate"],
    [
      ["--ram", "1GiB", "--dirty-model", "chaos", "--dirty-rate", "1MiB/s"],
      "VX_CLI_BAD_FLAG",
      "--dirty-model",
    ],
    [["--ram", "1GiB", "--max-downtime", "300MB"], "VX_CORE_BAD_UNIT", "--max-downtime"],
    [["--ram", "1GiB", "--fidelity", "atoms"], "VX_CLI_BAD_FLAG", "--fidelity"],
    [["--ram", "1GiB", "--multifd", "0"], "VX_CLI_BAD_FLAG", "--multifd"],
    [
      ["--ram", "1GiB", "--trace", "/nonexistent/x.trace"],
      "VX_MIGRATION_BAD_TRACE",
      "/nonexistent/x.trace",
    ],
    [["--ram", "1GiB", "--link", "0Gbps"], "VX_MIGRATION_BAD_OPTIONS", "link"],
    [
      ["--ram", "1GiB", "--wws", "2GiB", "--dirty-rate", "1MiB/s"],
      "VX_MIGRATION_BAD_OPTIONS",
      "vm",
    ],
  ])("bad flags %j fail before anything runs with %s", (args, code, where) => {
    const e = fails(...args);
    expect(VxError.isInstance(e)).toBe(true);
    expect((e as VxError).code).toBe(code);
    expect(String((e as VxError).path[0])).toBe(where);
  });

  it("--json reports bytesSent as the library does, by kind", () => {
    const r = run("--ram", "1GiB", "--zero-pages", "50%", "--strategy", "precopy-qemu", "--json");
    const x = (JSON.parse(r.out) as { results: JsonResult[] }).results[0]!;
    const lib = compareStrategies(
      { ram: "1GiB", zeroPages: 0.5 },
      { link: { bandwidth: "10Gbps" }, strategies: ["precopy-qemu"] },
    )[0]!;
    expect(x.bytesSent).toEqual(lib.bytesSent);
    expect(x.bytesSent.zeroPageFlags).toBe((2 ** 29 / 4096) * 9);
  });

  it("--json: a migration that did not converge has a downtime of null, as the table's -", () => {
    const r = run(
      "--ram",
      "256MiB",
      "--dirty-rate",
      "128MiB/s",
      "--link",
      "1Gbps",
      "--strategy",
      "precopy-qemu",
      "--max-rounds",
      "20",
      "--json",
    );
    const x = (JSON.parse(r.out) as { results: JsonResult[] }).results[0]!;
    expect(x.outcome).toBe("did-not-converge");
    expect(x.downtimeSeconds).toBeNull();
    expect(x.meetsMaxDowntime).toBe(false);
    const table = run("--ram", "256MiB", "--dirty-rate", "128MiB/s", "--link", "1Gbps");
    expect(table.out).toMatch(/precopy-qemu\s+did-not-converge\s+\S+ \S+\s+-\s/);
  });

  it("a downtime of 0 s says why it is 0", () => {
    const r = run("--ram", "1GiB", "--strategy", "precopy-qemu,cloudsim,postcopy");
    expect(r.out).toMatch(/precopy-qemu .* 0 s\* /);
    expect(r.out).toContain(
      "* 0 s: nothing was dirty at the switch-over and the link has no latency",
    );
    expect(r.out).toContain("** 0 s: CloudSim's model has no downtime");
    expect(r.out).toContain("*** 0 s: the switch sends no CPU state over a link without latency");
    const json = run("--ram", "1GiB", "--strategy", "postcopy", "--json");
    const x = (JSON.parse(json.out) as { results: JsonResult[] }).results[0]!;
    expect(x.downtimeSeconds).toBe(0);
    expect(x.downtimeNote).toMatch(/no CPU state/);
    // With a latency the downtime is real, and there is no note.
    const latent = run("--ram", "1GiB", "--strategy", "postcopy", "--latency", "1ms", "--json");
    const y = (JSON.parse(latent.out) as { results: JsonResult[] }).results[0]!;
    expect(y.downtimeSeconds).toBeCloseTo(0.001, 12);
    expect(y.downtimeNote).toBeNull();
  });

  it("--max-time bounds every strategy, the closed form and post-copy included", () => {
    const r = run("--ram", "64GiB", "--link", "1kbps", "--max-time", "1h", "--json");
    const results = (JSON.parse(r.out) as { results: JsonResult[] }).results;
    expect(results).toHaveLength(8);
    for (const x of results) {
      expect(x.outcome).toBe("did-not-converge");
      expect(x.totalTimeSeconds).toBe(3600);
      expect(x.downtimeSeconds).toBeNull();
    }
    const post = run("--ram", "1GiB", "--link", "1bps", "--strategy", "postcopy", "--json");
    const p = (JSON.parse(post.out) as { results: JsonResult[] }).results[0]!;
    expect(p.outcome).toBe("did-not-converge");
    expect(p.totalTimeSeconds).toBe(86_400);
  });

  it("a result's size is bounded: 100,000 rounds list 1,000, and more rounds are refused", () => {
    const r = run(
      "--ram",
      "1GiB",
      "--dirty-rate",
      "1GiB/s",
      "--strategy",
      "precopy-qemu",
      "--max-rounds",
      "100000",
      "--max-time",
      "10000d",
      "--json",
    );
    const x = (JSON.parse(r.out) as { results: JsonResult[] }).results[0]!;
    expect(x.outcome).toBe("did-not-converge");
    expect(x.roundCount).toBe(100_000);
    expect(x.rounds).toHaveLength(1000);
    expect(r.out.length).toBeLessThan(2e6);
    const e = fails("--ram", "1GiB", "--max-rounds", "10000000", "--max-time", "10000d", "--json");
    expect((e as VxError).code).toBe("VX_CLI_BAD_FLAG");
    expect(e.message).toContain("--max-rounds: expected an integer ≤ 100000");
  });

  it("--strategy all,postcopy says that all cannot be combined", () => {
    const e = fails("--ram", "1GiB", "--strategy", "all,postcopy");
    expect((e as VxError).code).toBe("VX_CLI_BAD_FLAG");
    expect(e.message).toMatch(/"all" cannot be combined with other names/);
  });

  it("--ram 0 asks for a unit, never for the bare number the CLI refuses", () => {
    const e = fails("--ram", "0");
    expect((e as VxError).code).toBe("VX_CORE_BAD_UNIT");
    expect(e.message).toContain('--ram: "0" has no unit');
    expect(e.message).not.toMatch(/pass the number/);
    expect(fails("--ram", "1GiB", "--link", "5").message).toContain('--link: "5" has no unit');
  });

  it("--max-bandwidth caps every pre-copy: QEMU, legacy Xen and SimGrid's speed", () => {
    // An idle 1 GiB VM at 5 MB/s: one round of 214.7 s whatever the rules.
    const r = run(
      "--ram",
      "1GiB",
      "--max-bandwidth",
      "5MB/s",
      "--strategy",
      "precopy-qemu,precopy-xen,precopy-simgrid,hybrid,analytic",
      "--json",
    );
    for (const x of (JSON.parse(r.out) as { results: JsonResult[] }).results) {
      expect(x.totalTimeSeconds, x.strategy).toBeCloseTo(2 ** 30 / 5e6, 6);
    }
  });

  it("cpu-coupled: --dirty-rate is the rate at a full core, not SimGrid's migration speed", () => {
    const r = run(
      "--ram",
      "1GiB",
      "--dirty-model",
      "cpu-coupled",
      "--dirty-rate",
      "64MiB/s",
      "--strategy",
      "precopy-simgrid",
      "--json",
    );
    const x = (JSON.parse(r.out) as { results: JsonResult[] }).results[0]!;
    // Round 0 at the link's 10 Gbit/s (not at 64 MiB/s), dirtying 64 MiB per second of it.
    const t0 = 2 ** 30 / 1.25e9;
    expect(x.rounds[0]!.durationSeconds).toBeCloseTo(t0, 9);
    expect(x.rounds[0]!.dirtyBytes).toBe(Math.floor(64 * 2 ** 20 * t0));
  });

  it("--vms: host evacuation, at once and one after another, with every VM's result", () => {
    interface Evac {
      totalTimeSeconds: number;
      landed: number;
      maxDowntimeSeconds: number;
      vms: JsonResult[];
    }
    const args = [
      "--ram",
      "1GiB",
      "--vms",
      "2",
      "--max-bandwidth",
      "10Gbps",
      "--strategy",
      "precopy-qemu",
      "--json",
    ];
    const one = 2 ** 30 / 1.25e9;
    const together = (JSON.parse(run(...args).out) as { results: Evac[] }).results[0]!;
    expect(together.totalTimeSeconds).toBeCloseTo(2 * one, 12);
    expect(together.vms.map((v) => v.totalTimeSeconds)).toEqual([
      together.totalTimeSeconds,
      together.totalTimeSeconds,
    ]);
    const seq = (JSON.parse(run(...args, "--sequential").out) as { results: Evac[] }).results[0]!;
    expect(seq.totalTimeSeconds).toBeCloseTo(2 * one, 12);
    expect(seq.vms[1]!.startSeconds).toBeCloseTo(one, 12);
    expect(seq.vms[0]!.totalTimeSeconds).toBeCloseTo(one, 12);
    expect(seq.landed).toBe(2);
    // Shared cores slow CPU-coupled dirtying: two VMs on one core dirty half as much.
    const cpu = (cores: string): number =>
      (
        JSON.parse(
          run(
            "--ram",
            "1GiB",
            "--vms",
            "2",
            "--host-cores",
            cores,
            "--dirty-model",
            "cpu-coupled",
            "--dirty-rate",
            "64MiB/s",
            "--strategy",
            "precopy-qemu",
            "--json",
          ).out,
        ) as { results: Evac[] }
      ).results[0]!.vms[0]!.rounds[0]!.dirtyBytes;
    expect(cpu("1") / cpu("2")).toBeCloseTo(0.5, 9);
    const table = run("--ram", "1GiB", "--vms", "2", "--strategy", "precopy-qemu");
    expect(table.out).toContain(
      "Evacuating 2 VMs at once over one link, the source's 2 cores shared.",
    );
    expect(table.out).toMatch(/ {2}vm-2\s+completed\s+0 s → 8 s/);
  });

  it.each([
    [["--ram", "1GiB", "--vms", "0"], "--vms"],
    [["--ram", "1GiB", "--vms", "100001"], "--vms"],
    [["--ram", "1GiB", "--host-cores", "0"], "--host-cores"],
  ])("bad evacuation flags %j are refused", (args, where) => {
    const e = fails(...args);
    expect((e as VxError).code).toBe("VX_CLI_BAD_FLAG");
    expect((e as VxError).path).toEqual([where]);
  });

  it("an unknown flag is VX_CLI_UNKNOWN_FLAG (exit 2 in the CLI)", () => {
    const e = fails("--ram", "1GiB", "--frobnicate");
    expect((e as VxError).code).toBe("VX_CLI_UNKNOWN_FLAG");
    expect((e as VxError).path).toEqual(["--frobnicate"]);
  });
});
