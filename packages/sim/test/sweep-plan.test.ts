import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../src/cli/main.js";
import { DEFAULT_SCENARIO_YAML } from "../src/scenario/default.js";
import { parseParam } from "../src/sweep/grid.js";
import { PLAN_DEFAULTS, planSweep } from "../src/sweep/plan.js";

const root = mkdtempSync(join(tmpdir(), "vx-sweep-plan-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("vx sweep plan", () => {
  it("counts points and shards, samples evenly, and builds the shard estimate from the measurements", async () => {
    const file = join(root, "dc.yaml");
    writeFileSync(file, DEFAULT_SCENARIO_YAML.replace("duration: 24h", "duration: 2h"));
    const plan = await planSweep({
      scenarioFile: file,
      params: [parseParam("policy=thr,mad"), parseParam("seed=1..5")],
      shards: 3,
      jobs: 2,
      samples: 2,
    });
    expect(plan).toMatchObject({
      points: 10,
      shards: 3,
      jobs: 2,
      pointsPerShard: { min: 3, max: 4 },
    });
    expect(plan.sample.ids).toEqual(["policy-thr__seed-1", "policy-mad__seed-1"]);
    expect(plan.sample.pointSeconds).toBeGreaterThan(0);
    // The estimate is the measurements put together: start-up + ⌈4 points / 2 workers⌉ waves.
    expect(plan.perShard.seconds).toBeCloseTo(
      plan.sample.startupSeconds + 2 * plan.sample.pointSeconds,
      9,
    );
    expect(plan.perShard.memoryBytes).toBe(plan.sample.peakBytes + plan.sample.workerBytes);
    const [, h, m] = /^0-(\d\d):(\d\d):00$/.exec(plan.suggested.time) ?? [];
    expect(Number(h) * 3600 + Number(m) * 60).toBeGreaterThanOrEqual(
      plan.perShard.seconds * PLAN_DEFAULTS.margin,
    );
    expect(Number(plan.suggested.mem.slice(0, -1)) * 2 ** 20).toBeGreaterThanOrEqual(
      plan.perShard.memoryBytes * PLAN_DEFAULTS.margin,
    );
  });

  it("prints a table, or JSON with --json; bad counts exit 2", async () => {
    let out = "";
    const io = { out: (s: string) => (out += s), err: () => undefined };
    expect(await runCli(["sweep", "plan", "--param", "duration=1h", "--json"], io)).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ points: 1, shards: 1 });
    out = "";
    expect(await runCli(["sweep", "plan", "--param", "duration=1h,2h", "--shards", "2"], io)).toBe(
      0,
    );
    expect(out).toContain("suggested:  --time 0-");
    for (const bad of [
      ["--shards", "3"],
      ["--samples", "0"],
      ["--jobs", "x"],
    ]) {
      expect(await runCli(["sweep", "plan", "--param", "duration=1h,2h", ...bad], io)).toBe(2);
    }
  });
});
