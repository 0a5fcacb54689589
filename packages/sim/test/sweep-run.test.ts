import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseParam, parseShard } from "../src/sweep/grid.js";
import { runSweep, writeCombined } from "../src/sweep/run.js";

const root = mkdtempSync(join(tmpdir(), "vx-sweep-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("vx sweep on worker threads", () => {
  it("runs two shards, merges them, and a rerun skips finished points", async () => {
    const params = [parseParam("policy=thr,mad"), parseParam("seed=1..2")];
    const a = join(root, "a");
    const b = join(root, "b");
    const first = await runSweep({
      scenarioFile: null,
      params,
      outDir: a,
      shard: parseShard("1/2"),
      jobs: 2,
    });
    const second = await runSweep({
      scenarioFile: null,
      params,
      outDir: b,
      shard: parseShard("2/2"),
      jobs: 2,
    });
    expect([first.ran, second.ran]).toEqual([2, 2]);
    expect(first.failed).toEqual([]);
    expect(readdirSync(join(a, "points")).sort()).toEqual([
      "policy-mad__seed-1.json",
      "policy-thr__seed-1.json",
    ]);

    const merged = join(root, "merged");
    await writeCombined(merged, [a, b]);
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
      scenarioFile: null,
      params,
      outDir: a,
      shard: parseShard("1/2"),
    });
    expect(again).toMatchObject({ ran: 0, skipped: 2 });
  });

  it("a half-written point file is not taken as done: the point runs again", async () => {
    const dir = join(root, "resume");
    const params = [parseParam("seed=3")];
    await runSweep({ scenarioFile: null, params, outDir: dir, jobs: 1 });
    const file = join(dir, "points", "seed-3.json");
    const whole = readFileSync(file, "utf8");
    writeFileSync(file, whole.slice(0, whole.length / 2));
    const again = await runSweep({ scenarioFile: null, params, outDir: dir, jobs: 1 });
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
