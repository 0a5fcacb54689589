/** What `vx run` records: provenance, unplaced VMs, long runs, and bad flags refused up front. */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { VxError } from "@vx/core";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../src/cli/main.js";
import { defaultScenario } from "../src/scenario/default.js";
import { parseScenario } from "../src/scenario/parse.js";
import { provenanceOf } from "../src/scenario/run.js";
import { MINIMAL } from "./scenario-fixtures.js";

const root = mkdtempSync(join(tmpdir(), "vx-run-results-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function vx(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await runCli(argv, { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}

describe("results carry their provenance", () => {
  it("result.json records the resolved scenario, its hash, the seed and the versions; report.html shows them first", async () => {
    const dir = join(root, "prov");
    expect((await vx("run", "--out", dir, "--seed", "5")).code).toBe(0);
    const result = JSON.parse(readFileSync(join(dir, "result.json"), "utf8"));
    const p = result.provenance;
    expect(p.seed).toBe(5);
    expect(p.scenario.seed).toBe(5);
    expect(p.scenario.policy).toEqual({
      overload: "thr",
      parameter: 0.8,
      selection: "mmt",
      placement: "pabfd",
      underload: true,
      unplaced: "count",
    });
    expect(p.scenario.migration.model).toBe("cloudsim");
    expect(p.scenarioHash).toMatch(/^[0-9a-f]{64}$/);
    expect(Object.keys(p.versions)).toEqual(
      expect.arrayContaining(["vx", "@vx/core", "@vx/datacenter", "@vx/migration"]),
    );
    const html = readFileSync(join(dir, "report.html"), "utf8");
    expect(html.indexOf("<h2>Provenance</h2>")).toBeGreaterThan(0);
    expect(html.indexOf("<h2>Provenance</h2>")).toBeLessThan(html.indexOf("<h2>Summary</h2>"));
    expect(html).toContain(p.scenarioHash);
  });

  it("the hash covers the scenario's content: another seed or policy, another hash", () => {
    const a = defaultScenario();
    expect(provenanceOf(a).scenarioHash).toBe(provenanceOf(defaultScenario()).scenarioHash);
    expect(provenanceOf({ ...a, seed: 2 }).scenarioHash).not.toBe(provenanceOf(a).scenarioHash);
  });
});

describe("VMs that fit no host", () => {
  // Two hosts of 4 GiB and twelve 1740 MB VMs: at most two per host fit.
  const text = MINIMAL.replace("count: 2 }", "count: 1 }")
    .replace("count: 3 }", "count: 1 }")
    .replace("types: [small, micro]", "types: small")
    .replace("count: 7", "count: 12");

  it("are reported in the summary, result.json and the report, and count as unserved CPU", async () => {
    const file = join(root, "crowded.yaml");
    writeFileSync(file, `${text}duration: 1h\n`);
    const dir = join(root, "crowded");
    const r = await vx("run", file, "--out", dir);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/unplaced VMs\s+8 /);
    const result = JSON.parse(readFileSync(join(dir, "result.json"), "utf8"));
    expect(result.summary.unplacedVms).toBe(8);
    expect(result.summary.unservedCpuShare).toBeCloseTo(8 / 12, 6);
    expect(readFileSync(join(dir, "report.html"), "utf8")).toContain("fit no host at the start");
  });

  it("are refused before the run with policy.unplaced: refuse", async () => {
    const file = join(root, "refuse.yaml");
    writeFileSync(file, `${text}duration: 1h\npolicy: { unplaced: refuse }\n`);
    const r = await vx("run", file);
    expect(r.code).toBe(2);
    expect(r.err).toContain("VX_SIM_UNPLACED_VMS");
  });
});

describe("long runs and bad flags", () => {
  it("a long run (100 days at 300 s steps, 28,800 rounds) writes its report: charts are reduced", async () => {
    const file = join(root, "long.yaml");
    writeFileSync(file, `${MINIMAL.replace("count: 7", "count: 1")}duration: 100d\n`);
    const dir = join(root, "long");
    const r = await vx("run", file, "--out", dir);
    expect(r.code).toBe(0);
    const html = readFileSync(join(dir, "report.html"), "utf8");
    expect(html.length).toBeLessThan(1_000_000);
    expect(html).toContain("max of every");
  });

  it("an empty --out or --seed is refused, and --out is checked before the run", async () => {
    expect((await vx("run", "--out", "")).err).toContain("VX_SIM_BAD_OUT");
    expect((await vx("run", "--seed", "")).err).toContain("VX_CLI_BAD_FLAG");
    const blocker = join(root, "a-file");
    writeFileSync(blocker, "x");
    const r = await vx("run", "--out", join(blocker, "sub"));
    expect(r.code).toBe(2);
    expect(r.err).toContain("VX_SIM_BAD_OUT");
    expect(r.out).toBe(""); // nothing ran
    expect(existsSync(join(blocker, "sub"))).toBe(false);
  });

  it("parseScenario takes no non-text: a VxError, never a TypeError", () => {
    for (const value of [undefined, null, 42, {}]) {
      let error: unknown;
      try {
        parseScenario(value as never);
      } catch (e) {
        error = e;
      }
      expect(VxError.isInstance(error)).toBe(true);
    }
  });
});
