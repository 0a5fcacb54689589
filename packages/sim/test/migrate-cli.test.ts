import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { VxError } from "@vx/core";
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
  totalTimeSeconds: number;
  downtimeSeconds: number;
  bytesSent: number;
  rounds: { bytes: number; phase: string }[];
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
      expect(x.bytesSent / 2 ** 20).toBeCloseTo(5456, 6);
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

  it("an unknown flag is a parse error (exit 2 in the CLI)", () => {
    const e = fails("--ram", "1GiB", "--frobnicate");
    expect((e as { code?: string }).code).toMatch(/^ERR_PARSE_ARGS/);
  });
});
