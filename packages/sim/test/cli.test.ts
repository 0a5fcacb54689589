import { execFileSync, spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runCli } from "../src/cli/main.js";
import { VERSION } from "../src/version.js";

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await runCli(argv, { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}

describe("vx", () => {
  it("--help lists the commands and exits 0", async () => {
    const r = await run("--help");
    expect(r.code).toBe(0);
    expect(r.out).toContain("Usage: vx <command>");
    expect(r.out).toContain("units");
    expect(r.err).toBe("");
  });

  it("--version prints the package version", async () => {
    const r = await run("--version");
    expect(r).toEqual({ code: 0, out: `${VERSION}\n`, err: "" });
  });

  it("units reads quantities into base units", async () => {
    const r = await run("units", "64GiB", "10Gbps", "300ms", "5%", "--json");
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.out) as { kind: string; value: number }[];
    expect(rows.map((x) => [x.kind, x.value])).toEqual([
      ["bytes", 64 * 2 ** 30],
      ["rate", 1.25e9],
      ["duration", 0.3],
      ["percent", 0.05],
    ]);
  });

  it("a bad quantity exits 2 with one line naming the string and the code", async () => {
    const r = await run("units", "64GiB", "10parsecs");
    expect(r.code).toBe(2);
    expect(r.out).toBe("");
    expect(r.err.trim().split("\n")).toHaveLength(1);
    expect(r.err).toContain('"10parsecs"');
    expect(r.err).toContain("VX_CORE_BAD_UNIT");
  });

  it("an unknown command or flag exits 2 with one line", async () => {
    for (const argv of [["migrate-all"], ["--frobnicate"], ["units", "--frobnicate", "1s"]]) {
      const r = await run(...argv);
      expect(r.code).toBe(2);
      expect(r.err.trim().split("\n")).toHaveLength(1);
    }
  });

  it("the real executable exits with the same codes", () => {
    const here = dirname(fileURLToPath(import.meta.url));
    const entry = join(here, "..", "src", "cli.ts");
    const node = (args: string[]) =>
      spawnSync(process.execPath, ["--import", "tsx", "--conditions=@vx/source", entry, ...args], {
        encoding: "utf8",
      });
    expect(node(["--version"]).status).toBe(0);
    const bad = node(["units", "5 furlongs"]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("VX_CORE_BAD_UNIT");
    expect(
      execFileSync(
        process.execPath,
        ["--import", "tsx", "--conditions=@vx/source", entry, "--help"],
        { encoding: "utf8" },
      ),
    ).toContain("vx");
  }, 60_000); // three Node processes compiling TypeScript: slow on a loaded 2-core machine
});
