/**
 * `vx sweep slurm --submit` against a real Slurm (slurmctld + slurmd + munge on this machine):
 * the merged result equals a local `vx sweep` byte for byte; a task cancelled mid-run, then the
 * job resubmitted, runs only its missing points and gives the same bytes again.
 *
 * Needs root (to install Debian's Slurm packages if missing and to run the daemons). Without it,
 * the test fails under CI and is skipped, with the reason printed, elsewhere.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../src/cli/main.js";
import { DEFAULT_SCENARIO_YAML } from "../src/scenario/default.js";
import { bundleCli, type CliBundle } from "./cli-bundle.js";
import { ensureSlurm, type SlurmCluster, startCluster, waitFor } from "./slurm-cluster.js";

const root = mkdtempSync(join(tmpdir(), "vx-sweep-slurm-"));
let cluster: SlurmCluster | undefined;
let unavailable: string | undefined;

beforeAll(async () => {
  const slurm = ensureSlurm();
  if (!slurm.ok) {
    unavailable = slurm.reason;
    return;
  }
  bundle = await bundleCli();
  cluster = await startCluster();
}, 300_000);

afterAll(async () => {
  await cluster?.stop();
  rmSync(root, { recursive: true, force: true });
  bundle?.remove();
});

// The vx the nodes run: this checkout, bundled (see cli-bundle.ts).
let bundle: CliBundle | undefined;

async function vx(
  env: NodeJS.ProcessEnv,
  ...argv: string[]
): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await runCli(argv, { out: (s) => (out += s), err: (s) => (err += s), env });
  return { code, out, err };
}

/** Every file a sweep's result is made of, by name. */
function results(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const f of ["sweep.json", "sweep.csv", "sweep.html"])
    files[f] = readFileSync(join(dir, f), "utf8");
  for (const f of readdirSync(join(dir, "points"))
    .filter((n) => n.endsWith(".json"))
    .sort()) {
    files[`points/${f}`] = readFileSync(join(dir, "points", f), "utf8");
  }
  return files;
}

function ids(out: string): { array: string; merge: string } {
  const m = /submitted job array (\d+) \(4 tasks\) and merge job (\d+)/.exec(out);
  if (m === null) throw new Error(`no job ids in: ${out}`);
  return { array: m[1]!, merge: m[2]! };
}

describe("vx sweep slurm on a real Slurm cluster", () => {
  it("merged result = local sweep, byte for byte; a cancelled task resubmitted runs only its missing points", async (ctx) => {
    if (cluster === undefined) {
      const reason = `no Slurm: ${unavailable ?? "the cluster did not start"}`;
      if (process.env.CI !== undefined && process.env.CI !== "" && process.env.CI !== "false") {
        throw new Error(`${reason} (CI needs this test to run: run it as root on Debian)`);
      }
      console.warn(`skipped: ${reason}`);
      ctx.skip();
      return;
    }
    const c = cluster;
    const scenario = join(root, "dc.yaml");
    writeFileSync(scenario, DEFAULT_SCENARIO_YAML.replace("duration: 24h", "duration: 24h"));
    const sweepArgs = [scenario, "--param", "seed=1..12"];

    // The reference: the same sweep on this machine.
    const local = join(root, "local");
    expect((await vx(process.env, "sweep", ...sweepArgs, "--out", local, "--jobs", "2")).code).toBe(
      0,
    );

    // 1. Four array tasks and a merge job after them.
    const shared = join(root, "shared");
    const submit = (out: string) =>
      vx(
        c.env,
        "sweep",
        "slurm",
        ...sweepArgs,
        "--shards",
        "4",
        "--out",
        out,
        "--vx",
        bundle!.command,
        "--submit",
      );
    const first = await submit(shared);
    expect(first.code, first.err).toBe(0);
    const one = ids(first.out);
    await waitFor("the first sweep and its merge", () =>
      c.active(one.array, one.merge) ? undefined : true,
    );
    expect(c.state(one.merge)).toBe("COMPLETED");
    expect(results(shared)).toEqual(results(local));

    // 2. A fresh sweep; task 2 (seeds 2, 6, 10) is cancelled once its first point is written.
    const again = join(root, "again");
    const second = await submit(again);
    expect(second.code, second.err).toBe(0);
    const two = ids(second.out);
    const done = (id: string) => existsSync(join(again, "points", `${id}.json`));
    await waitFor("task 2's first point", () => (done("seed-2") ? true : undefined), 600_000, 20);
    c.run("scancel", `${two.array}_2`);
    await waitFor("the cancelled sweep to end", () =>
      c.active(two.array, two.merge) ? undefined : true,
    );
    expect(c.state(`${two.array}_2`)).toBe("CANCELLED");
    expect(c.state(two.merge)).toBe("CANCELLED"); // its dependency can no longer be met
    expect(existsSync(join(again, "sweep.csv"))).toBe(false);
    const missing = ["seed-2", "seed-6", "seed-10"].filter((id) => !done(id));
    expect(missing.length).toBeGreaterThan(0); // cancelled mid-run: some of its points are missing

    // 3. Resubmitted: tasks 1, 3 and 4 find their points done; task 2 runs only what is missing.
    const third = await submit(again);
    expect(third.code, third.err).toBe(0);
    const three = ids(third.out);
    await waitFor("the resubmitted sweep and its merge", () =>
      c.active(three.array, three.merge) ? undefined : true,
    );
    expect(c.state(three.merge)).toBe("COMPLETED");
    const log = (task: number) =>
      readFileSync(join(again, "slurm", "logs", `sweep-${three.array}_${task}.out`), "utf8");
    for (const task of [1, 3, 4]) expect(log(task)).toContain("0 ran, 3 already done, 0 failed");
    expect(log(2)).toContain(`${missing.length} ran, ${3 - missing.length} already done, 0 failed`);
    expect(results(again)).toEqual(results(local));
  }, 1_800_000); // a hang guard: each wait is bounded too; the work is tens of seconds
});
