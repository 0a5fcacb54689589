import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../src/cli/main.js";

const root = mkdtempSync(join(tmpdir(), "vx-run-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function vx(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await runCli(argv, { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}

describe("vx run", () => {
  it("runs the embedded default scenario, prints the summary and writes the report", async () => {
    const dir = join(root, "out");
    const r = await vx("run", "--out", dir);
    expect(r.code).toBe(0);
    expect(r.out).toContain("energy");
    expect(r.out).toContain("migrations");
    for (const f of ["result.json", "series.csv", "migrations.csv", "report.html"]) {
      expect(existsSync(join(dir, f))).toBe(true);
    }
    expect(r.err).toBe(""); // no progress bar when not on a terminal
  });

  it("is deterministic: the same seed gives a byte-identical result.json; --seed changes it", async () => {
    const a = await vx("run", "--json");
    const b = await vx("run", "--json");
    const c = await vx("run", "--json", "--seed", "7");
    expect(a.out).toBe(b.out);
    expect(JSON.parse(c.out).summary.seed).toBe(7);
    expect(c.out).not.toBe(a.out);
  });

  it("a bad scenario file exits 2 and lists every problem with file:line:column", async () => {
    const file = join(root, "bad.yaml");
    writeFileSync(
      file,
      [
        "seed: -1",
        "duration: 1h",
        "hosts:",
        "  - type: nowhere",
        "    count: 0",
        "colour: blue",
        "",
      ].join("\n"),
    );
    const r = await vx("run", file);
    expect(r.code).toBe(2);
    expect(r.out).toBe("");
    const lines = r.err.trim().split("\n");
    expect(lines[0]).toMatch(/problems \[VX_SIM_BAD_SCENARIO\]/);
    expect(lines.length).toBeGreaterThan(3);
    expect(r.err).toContain("bad.yaml:1:");
    expect(r.err).toContain("colour");
  });

  it("bad flags exit 2 with one line", async () => {
    for (const argv of [
      ["run", "--seed", "x"],
      ["run", "a.yaml", "b.yaml"],
      ["run", "--nope"],
      ["run", join(root, "missing.yaml")],
    ]) {
      const r = await vx(...argv);
      expect(r.code).toBe(2);
      expect(r.err.trim().split("\n")).toHaveLength(1);
    }
  });

  it("--print-default prints the default scenario, which validates", async () => {
    const r = await vx("run", "--print-default");
    const file = join(root, "default.yaml");
    writeFileSync(file, r.out);
    expect((await vx("validate", file)).code).toBe(0);
    expect(readFileSync(file, "utf8")).toContain("seed");
  });
});

describe("vx run with feature sections", () => {
  it("a pageflip section compares the four receive paths and lands in result.json", async () => {
    // The default day, cut to two hours: the section is what these tests look at.
    const base = (await vx("run", "--print-default")).out.replace("duration: 24h", "duration: 2h");
    const file = join(root, "pageflip.yaml");
    writeFileSync(file, `${base}\npageflip:\n  duration: 0.5s\n`);
    const table = await vx("run", file);
    expect(table.code).toBe(0);
    expect(table.out).toContain("Receive paths");
    const json = JSON.parse((await vx("run", file, "--json")).out);
    const paths = json.extensions.pageflip.results.map((r: { path: string }) => r.path);
    expect(paths).toEqual(["grant-copy", "flip", "informed-flip", "numa-aware-flip"]);
  });
});

describe("vx run with the numa section", () => {
  it("compares the static pVM with Closer: Closer serves more of 64 guests' 2 Gbit/s", async () => {
    // The default day, cut to two hours: the section is what these tests look at.
    const base = (await vx("run", "--print-default")).out.replace("duration: 24h", "duration: 2h");
    const file = join(root, "numa.yaml");
    writeFileSync(
      file,
      `${base}\nnuma:\n  topology: 2-socket\n  duration: 1s\n  guests:\n    - { name: web, count: 64, vcpus: 1, memory: 1GiB, network: { rate: 2Gbps } }\n`,
    );
    const r = await vx("run", file, "--json");
    expect(r.code).toBe(0);
    const results = JSON.parse(r.out).extensions.numa.results as {
      summary: { policy: string; throughputBytesPerSecond: number };
    }[];
    const by = Object.fromEntries(
      results.map((x) => [x.summary.policy, x.summary.throughputBytesPerSecond]),
    );
    expect(by.closer!).toBeGreaterThan(by.static!);
  });
});
