import { spawnSync } from "node:child_process";
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

  it("prints each bad flag once, as `vx <command>: --flag: message [CODE]`, one line per flag", async () => {
    const units = await run("units", "64GiB", "--jsno", "--jsonn");
    expect(units.code).toBe(2);
    expect(units.err).toBe(
      [
        "vx units: --jsno: unknown flag; did you mean --json? Run `vx units --help` for the flags it takes. [VX_CLI_UNKNOWN_FLAG]",
        "vx units: --jsonn: unknown flag; did you mean --json? Run `vx units --help` for the flags it takes. [VX_CLI_UNKNOWN_FLAG]",
        "",
      ].join("\n"),
    );
    const empty = await run("numa", "show", "--from", "");
    expect(empty.err).toBe("vx numa: --from: is empty; give <path>. [VX_CLI_BAD_FLAG]\n");
    // A command in the legacy shape (its own parseArgs) prints the same way: no JSON path array,
    // the flag named once, no advice to pass a bare number (flags are text).
    const ram = await run("migrate", "--ram", "0");
    expect(ram.code).toBe(2);
    expect(ram.err).not.toContain('["--ram"]');
    expect(ram.err.match(/--ram/g)).toHaveLength(1);
    expect(ram.err).not.toContain("pass the number");
    expect(ram.err).toMatch(/^vx migrate: --ram: "0" has no unit[.;] .* \[VX_CORE_BAD_UNIT\]\n$/);
  });

  it("unknown flags and commands get a code, a did-you-mean and the right help to read", async () => {
    const legacy = await run("migrate", "--ram", "1GiB", "--dirty-rat", "1GiB/s");
    expect(legacy.err).toBe(
      "vx migrate: --dirty-rat: unknown flag; did you mean --dirty-rate? Run `vx migrate --help` for the flags it takes. [VX_CLI_UNKNOWN_FLAG]\n",
    );
    const top = await run("--versoin");
    expect(top.err).toBe(
      "vx: --versoin: unknown flag; did you mean --version? Run `vx --help` for the flags it takes. [VX_CLI_UNKNOWN_FLAG]\n",
    );
    const command = await run("unitz", "5GiB");
    expect(command.code).toBe(2);
    expect(command.err).toContain('unknown command "unitz"; did you mean units?');
    expect(command.err).toContain("[VX_CLI_UNKNOWN_COMMAND]");
    const missing = await run("migrate", "--ram");
    expect(missing.err).toBe(
      "vx migrate: --ram: needs a value (run `vx migrate --help`) [VX_CLI_BAD_FLAG]\n",
    );
  });

  it("a declared command's --help comes from its declaration; a legacy one's from its usage", async () => {
    const units = await run("units", "--help");
    expect(units.code).toBe(0);
    expect(units.out.startsWith("Usage: vx units <quantity>... [options]\n")).toBe(true);
    expect(units.out).toContain("--json");
    const migrate = await run("migrate", "-h");
    expect(migrate.out).toContain("Usage: vx migrate");
  });

  it("the real executable exits with the same codes", () => {
    const here = dirname(fileURLToPath(import.meta.url));
    const entry = join(here, "..", "src", "cli.ts");
    const node = (args: string[]) =>
      spawnSync(process.execPath, ["--import", "tsx", "--conditions=@vx/source", entry, ...args], {
        encoding: "utf8",
      });
    const ok = node(["--version"]);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toBe(`${VERSION}\n`);
    const bad = node(["units", "5 furlongs"]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("VX_CORE_BAD_UNIT");
    // (--help and every other code path run in-process above, and the bundled executable runs
    // in test/hostile/.)
  }); // two Node processes compiling TypeScript: slow on a loaded machine (the config's hang guard)
});
