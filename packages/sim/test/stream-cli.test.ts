import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { VxError } from "@vx/core";
import { createAppliance, formatAccessTraces } from "@vx/migration";
import { describe, expect, it } from "vitest";
import { runCli } from "../src/cli/main.js";
import { streamCommand } from "../src/cli/stream.js";

function run(...args: string[]): { code: number; out: string; err: string } {
  let out = "";
  let err = "";
  const code = streamCommand.run(args, { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}

function fails(...args: string[]): VxError {
  try {
    run(...args);
  } catch (error) {
    if (VxError.isInstance(error)) return error;
    throw error;
  }
  throw new Error("expected the flags to be rejected");
}

// A small appliance keeps the runs short; the flags are the point here.
const SMALL = ["--image", "1GiB", "--training", "5"];

interface JsonResult {
  strategy: string;
  startupDelaySeconds: number;
  stalls: number;
  stallSeconds: number;
  bytesTransferred: number;
  bytesWasted: number;
}

describe("vx stream", () => {
  it("prints the four strategies side by side", () => {
    const r = run(...SMALL, "--link", "lte", "--strategy", "all");
    expect(r.code).toBe(0);
    const lines = r.out.trim().split("\n");
    expect(lines[0]).toMatch(
      /^1 GiB appliance \(128 MiB memory snapshot\), 5 training sessions mined/,
    );
    expect(lines[0]).toContain("4G LTE (13 Mbit/s, 70 ms round trip)");
    expect(lines[2]).toMatch(
      /^strategy\s+startup\s+stalls\s+stalled\s+session\s+transferred\s+wasted/,
    );
    expect(lines.slice(3).map((l) => l.split(/\s+/)[0])).toEqual([
      "full-download",
      "demand",
      "vmtorrent",
      "vtube",
    ]);
  });

  it("--json prints { results } with exactly the six fields, in strategy order", () => {
    const r = run(...SMALL, "--json");
    const parsed = JSON.parse(r.out) as { results: JsonResult[] };
    expect(Object.keys(parsed)).toEqual(["results"]);
    expect(parsed.results.map((x) => x.strategy)).toEqual([
      "full-download",
      "demand",
      "vmtorrent",
      "vtube",
    ]);
    for (const x of parsed.results) {
      expect(Object.keys(x)).toEqual([
        "strategy",
        "startupDelaySeconds",
        "stalls",
        "stallSeconds",
        "bytesTransferred",
        "bytesWasted",
      ]);
    }
    const [full, demand, , vtube] = parsed.results;
    // 1 GiB at 13 Mbit/s after the 70 ms request.
    expect(full!.startupDelaySeconds).toBeCloseTo(0.07 + 2 ** 30 / 1.625e6, 6);
    expect(full!.bytesTransferred).toBe(2 ** 30);
    expect(demand!.startupDelaySeconds).toBe(0);
    expect(demand!.bytesWasted).toBe(0);
    expect(vtube!.stalls).toBeLessThan(demand!.stalls);
  });

  it("--link takes a rate with --rtt; --rtt also overrides a preset's round trip", () => {
    const a = run(...SMALL, "--link", "20Mbps", "--rtt", "30ms", "--strategy", "full-download");
    expect(a.out).toContain("20 Mbit/s, 30 ms round trip");
    const b = run(...SMALL, "--link", "3g", "--rtt", "300ms", "--strategy", "demand", "--json");
    const slow = JSON.parse(b.out) as { results: JsonResult[] };
    const c = run(...SMALL, "--link", "3g", "--strategy", "demand", "--json");
    const fast = JSON.parse(c.out) as { results: JsonResult[] };
    // Each demand fetch waits one round trip more: 150 ms more per stall.
    const perStall =
      (slow.results[0]!.stallSeconds - fast.results[0]!.stallSeconds) / fast.results[0]!.stalls;
    expect(perStall).toBeCloseTo(0.15, 6);
  });

  it("--trace streams the last recorded session after mining the others", () => {
    const appliance = createAppliance({ image: "1GiB", memory: "128MiB" });
    const dir = mkdtempSync(join(tmpdir(), "vx-stream-"));
    const file = join(dir, "sessions.trace");
    writeFileSync(
      file,
      formatAccessTraces({
        source: "gen",
        layout: appliance.layout,
        sessions: appliance.sessions(0, 4),
      }),
    );
    const r = run("--trace", file, "--strategy", "demand,vtube");
    expect(r.code).toBe(0);
    expect(r.out).toContain(`${file}: 3 recorded sessions mined, 1 streamed`);
    expect(r.out).toMatch(/\ndemand\s/);
    expect(r.out).toMatch(/\nvtube\s/);
    expect(r.out).not.toMatch(/\nvmtorrent\s/);
  });

  it("rejects bad flags before anything runs, naming the flag", () => {
    const cases: [string[], string, string][] = [
      [["--strategy", "vtube,torrent"], "VX_CLI_BAD_FLAG", "--strategy"],
      [["--link", "5G"], "VX_CLI_BAD_FLAG", "--link"],
      [["--link", "0Mbps"], "VX_CLI_BAD_FLAG", "--link"],
      [["--rtt", "soon"], "VX_CORE_BAD_UNIT", "--rtt"],
      [["--image", "big"], "VX_CORE_BAD_UNIT", "--image"],
      [["--training", "0"], "VX_CLI_BAD_FLAG", "--training"],
      [["--sessions", "1.5"], "VX_CLI_BAD_FLAG", "--sessions"],
      [["--cross-traffic", "0"], "VX_CLI_BAD_FLAG", "--cross-traffic"],
      [["--test", "2"], "VX_CLI_BAD_FLAG", "--test"],
      [["--trace", "/nonexistent/x.trace"], "VX_CLI_BAD_FLAG", "--trace"],
      [["--trace", "x.trace", "--image", "1GiB"], "VX_CLI_BAD_FLAG", "--image"],
    ];
    for (const [args, code, path] of cases) {
      const e = fails(...args);
      expect(e.code, args.join(" ")).toBe(code);
      expect(e.path[0], args.join(" ")).toBe(path);
    }
  });

  it("reports a problem the appliance options have with its field", () => {
    const e = fails("--image", "1GiB", "--memory", "2GiB");
    expect(e.code).toBe("VX_MIGRATION_BAD_STREAM_OPTIONS");
    expect(e.issues.map((i) => i.path.join("."))).toContain("appliance.memory");
  });

  it("a malformed trace file is named with its line", () => {
    const dir = mkdtempSync(join(tmpdir(), "vx-stream-"));
    const file = join(dir, "bad.trace");
    writeFileSync(file, "area disk 1GiB\nsession a\n0 disk 0\nsession b\n1 tape 0\n");
    const e = fails("--trace", file);
    expect(e.code).toBe("VX_MIGRATION_BAD_ACCESS_TRACE");
    expect(e.message).toContain(`${file}:5: unknown area "tape"`);
  });

  it("is listed by vx --help and runs through the command line", async () => {
    let out = "";
    const io = { out: (s: string) => (out += s), err: () => {} };
    expect(await runCli(["--help"], io)).toBe(0);
    expect(out).toMatch(/\n {2}stream\s+stream a virtual appliance/);
    out = "";
    let err = "";
    const code = await runCli(["stream", "--strategy", "nope"], {
      out: () => {},
      err: (s) => (err += s),
    });
    expect(code).toBe(2);
    expect(err).toContain('--strategy: "nope" is not one of all, full-download');
  });
});
