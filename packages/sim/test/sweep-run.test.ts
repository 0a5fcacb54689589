import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../src/cli/main.js";
import { writeCombined } from "../src/sweep/combine.js";
import { parseParam, parseShard } from "../src/sweep/grid.js";
import { runSweep, sweepExitCode } from "../src/sweep/run.js";
import { SMALL_SCENARIO_YAML } from "./small-scenario.js";

const root = mkdtempSync(join(tmpdir(), "vx-sweep-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The small synthetic scenario, shortened (points run in a fraction of a second). */
function scenarioFile(name: string, duration: string): string {
  const file = join(root, name);
  writeFileSync(file, SMALL_SCENARIO_YAML.replace("duration: 24h", `duration: ${duration}`));
  return file;
}

async function vx(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await runCli(argv, { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}

describe("vx sweep on worker threads", () => {
  it("runs two shards, merges them, and a rerun skips finished points", async () => {
    const params = [parseParam("policy=thr,mad"), parseParam("seed=1..2")];
    const file = scenarioFile("shards.yaml", "3h");
    const a = join(root, "a");
    const b = join(root, "b");
    const first = await runSweep({
      scenarioFile: file,
      params,
      outDir: a,
      shard: parseShard("1/2"),
      jobs: 2,
    });
    const second = await runSweep({
      scenarioFile: file,
      params,
      outDir: b,
      shard: parseShard("2/2"),
      jobs: 2,
    });
    expect([first.ran, second.ran]).toEqual([2, 2]);
    expect(first.failed).toEqual([]);
    expect(first.files).toEqual([]); // a shard leaves the combined files to `vx sweep merge`
    expect(readdirSync(join(a, "points")).sort()).toEqual([
      "policy-mad__seed-1.json",
      "policy-thr__seed-1.json",
    ]);

    const merged = join(root, "merged");
    const combined = await writeCombined(merged, [a, b]);
    expect(combined).toMatchObject({ points: 4, missing: [] });
    const csv = readFileSync(join(merged, "sweep.csv"), "utf8").trim().split("\n");
    expect(csv).toHaveLength(5); // header + 4 points, in grid order
    expect(csv.slice(1).map((l) => l.split(",").slice(0, 2).join(","))).toEqual([
      "thr,1",
      "thr,2",
      "mad,1",
      "mad,2",
    ]);
    expect(readFileSync(join(merged, "sweep.html"), "utf8")).toContain("<svg");

    const again = await runSweep({
      scenarioFile: file,
      params,
      outDir: a,
      shard: parseShard("1/2"),
    });
    expect(again).toMatchObject({ ran: 0, skipped: 2, stale: 0 });
  });

  it("a half-written point file is not taken as done: the point runs again, byte-identical", async () => {
    const dir = join(root, "resume");
    const params = [parseParam("seed=3")];
    const scenario = scenarioFile("resume.yaml", "2h");
    await runSweep({ scenarioFile: scenario, params, outDir: dir, jobs: 1 });
    const file = join(dir, "points", "seed-3.json");
    const whole = readFileSync(file, "utf8");
    writeFileSync(file, whole.slice(0, whole.length / 2));
    const again = await runSweep({ scenarioFile: scenario, params, outDir: dir, jobs: 1 });
    expect(again).toMatchObject({ ran: 1, skipped: 0 });
    expect(readFileSync(file, "utf8")).toBe(whole); // deterministic: byte-identical
  });

  it("a parameter value that does not validate fails before anything runs", async () => {
    await expect(
      runSweep({
        scenarioFile: null,
        params: [parseParam("policy=thr,nope")],
        outDir: join(root, "bad"),
      }),
    ).rejects.toMatchObject({ code: "VX_SIM_BAD_SCENARIO" });
    expect(() => readdirSync(join(root, "bad"))).toThrow();
  });
});

describe("stale points (issue 18)", () => {
  it("a sweep of another scenario into the same folder runs every point again and reports the new results", async () => {
    const out = join(root, "stale");
    const params = [parseParam("seed=1..2")];
    const short = scenarioFile("short.yaml", "2h");
    const longer = scenarioFile("longer.yaml", "4h");
    const first = await runSweep({ scenarioFile: short, params, outDir: out, jobs: 2 });
    expect(first).toMatchObject({ ran: 2, stale: 0 });
    const second = await runSweep({ scenarioFile: longer, params, outDir: out, jobs: 2 });
    expect(second).toMatchObject({ ran: 2, skipped: 0, stale: 2 });
    const csv = readFileSync(join(out, "sweep.csv"), "utf8").trim().split("\n");
    const header = csv[0]!.split(",");
    const col = header.indexOf("simulatedSeconds");
    expect(csv.slice(1).map((l) => Number(l.split(",")[col]))).toEqual([14_400, 14_400]);
    // The same scenario again, even rewritten with other comments and layout: nothing to run.
    writeFileSync(longer, `# another comment\n${readFileSync(longer, "utf8")}\n\n`);
    const third = await runSweep({ scenarioFile: longer, params, outDir: out, jobs: 2 });
    expect(third).toMatchObject({ ran: 0, skipped: 2 });
  });

  it("merge refuses missing points and folders of different sweeps; --partial combines what is there", async () => {
    const params = [parseParam("seed=1..3")];
    const file = scenarioFile("merge.yaml", "1h");
    const one = join(root, "m1");
    await runSweep({ scenarioFile: file, params, outDir: one, shard: parseShard("1/3"), jobs: 1 });
    await expect(writeCombined(one, [one])).rejects.toMatchObject({
      code: "VX_SIM_SWEEP_INCOMPLETE",
      message: expect.stringContaining("seed-2, seed-3"),
    });
    const partial = await writeCombined(one, [one], { partial: true });
    expect(partial).toMatchObject({ points: 1, missing: ["seed-2", "seed-3"] });

    const other = join(root, "m2");
    await runSweep({
      scenarioFile: scenarioFile("merge-other.yaml", "2h"),
      params,
      outDir: other,
      shard: parseShard("2/3"),
      jobs: 1,
    });
    await expect(writeCombined(one, [one, other])).rejects.toMatchObject({
      code: "VX_SIM_SWEEP_MISMATCH",
    });
    mkdirSync(join(root, "not-a-sweep"), { recursive: true });
    await expect(writeCombined(one, [join(root, "not-a-sweep")])).rejects.toMatchObject({
      code: "VX_SIM_BAD_SWEEP_DIR",
    });
    const cli = await vx("sweep", "merge", one);
    expect(cli.code).toBe(2);
    expect(cli.err).toContain("VX_SIM_SWEEP_INCOMPLETE");
  });
});

describe("vx sweep: bad input and exit codes (issue 18)", () => {
  it("--out that is a file, under a file, or empty exits 2 before any point runs", async () => {
    const file = join(root, "a-file");
    writeFileSync(file, "");
    for (const out of [file, join(file, "sub"), ""]) {
      const r = await vx("sweep", "--param", "seed=1..2", "--out", out);
      expect(r.code).toBe(2);
      expect(r.err).toContain("VX_SIM_BAD_OUT");
      expect(r.err).not.toContain("[1/2]"); // nothing ran
    }
  });

  it("empty and unknown values are errors: --seed (not a sweep flag), --param seed=, --jobs ''", async () => {
    for (const args of [
      ["--seed", ""],
      ["--param", "seed="],
      ["--param", "seed=1", "--jobs", ""],
      ["--param", "seed=1", "--jobs", "0"],
    ]) {
      const r = await vx("sweep", ...args, "--out", join(root, "never"));
      expect(r.code).toBe(2);
    }
    expect(() => readdirSync(join(root, "never"))).toThrow();
  });

  it("a point that fails with a user error (here: its file cannot be written) exits 2, not 1", async () => {
    const out = join(root, "fails");
    mkdirSync(join(out, "points", "seed-2.json"), { recursive: true });
    writeFileSync(join(out, "points", "seed-2.json", "blocker"), "");
    const r = await vx(
      "sweep",
      scenarioFile("fails.yaml", "1h"),
      "--param",
      "seed=1..2",
      "--out",
      out,
      "--jobs",
      "1",
    );
    expect(r.code).toBe(2);
    expect(r.err).toContain("seed-2 FAILED");
    expect(r.out).toContain("1 failed");
    expect(r.out).toContain("no combined files");
    expect(readdirSync(out).sort()).toEqual(["points", "sweep.json"]);
  });

  it("exit codes: 2 when every failure is a VxError, 1 when one is internal", () => {
    expect(sweepExitCode([])).toBe(0);
    expect(sweepExitCode([{ id: "a", message: "x", code: "VX_SIM_VM_TOO_LARGE" }])).toBe(2);
    expect(
      sweepExitCode([
        { id: "a", message: "x", code: "VX_SIM_VM_TOO_LARGE" },
        { id: "b", message: "boom" },
      ]),
    ).toBe(1);
  });

  it("--jobs above the core count is lowered to it, and says so", async () => {
    const r = await vx(
      "sweep",
      "--param",
      "duration=1h",
      "--out",
      join(root, "jobs"),
      "--jobs",
      "200",
    );
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/--jobs 200 is more than the \d+ cores? here: running \d+ workers/);
  });

  it("errors of a point name real lines of the base file, or the --param that caused them", async () => {
    const file = scenarioFile("lines.yaml", "24h");
    const lines = readFileSync(file, "utf8").split("\n");
    const stepLine = lines.findIndex((l) => l.startsWith("step:")) + 1;
    const bad = await vx("sweep", file, "--param", "duration=100s", "--out", join(root, "l1"));
    expect(bad.code).toBe(2);
    expect(bad.err).toContain(`${file}:${stepLine}:7  step  the step (300 s) is longer`);
    const param = await vx("sweep", file, "--param", "policy=thr,nope", "--out", join(root, "l2"));
    expect(param.code).toBe(2);
    expect(param.err).toContain("policy.overload");
    expect(param.err).toContain("(from --param policy=nope)");
    expect(param.err).not.toMatch(/lines\.yaml:\d+:\d+ {2}policy/);
    for (const line of bad.err.matchAll(/lines\.yaml:(\d+):/g)) {
      expect(Number(line[1])).toBeLessThanOrEqual(lines.length);
    }
  });
});
