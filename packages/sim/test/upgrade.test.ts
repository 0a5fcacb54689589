import { VxError } from "@vx/core";
import type { CampaignOutput } from "@vx/upgrade";
import { describe, expect, it } from "vitest";
import { upgradeCommand } from "../src/cli/upgrade.js";
import { parseScenario } from "../src/scenario/parse.js";
import { runScenario } from "../src/scenario/run.js";
import { issuesOf, MINIMAL } from "./scenario-fixtures.js";

function run(args: string[]): { code: number; out: string } {
  let out = "";
  const code = upgradeCommand.run(args, { out: (s) => (out += s), err: () => {} });
  return { code, out };
}

describe("the upgrade section of vx run", () => {
  const text = MINIMAL.replace("count: 7", "count: 4").replace(
    "utilisation: 40%",
    "utilisation: 10%",
  );

  it("runs a campaign inside the data center: evacuations are the scenario's migrations", () => {
    const s = parseScenario(
      `${text}duration: 2h\nmigration: { model: precopy }\nupgrade: { strategy: evacuate, start: 10min, concurrency: 1 }\n`,
    );
    const { result, tables } = runScenario(s);
    const up = result.extensions?.upgrade as {
      output: CampaignOutput;
      series: Record<string, unknown>;
    };
    expect(up.output.outcome).toBe("completed");
    expect(up.output.hostsUpgraded).toBe(5);
    expect(up.output.vmsLost).toBe(0);
    const moved = result.migrationLog.filter((m) => m.origin === "upgrade");
    expect(moved.length).toBe(up.output.migrations);
    expect(moved.every((m) => m.time >= 600)).toBe(true);
    expect(Object.keys(up.series)).toEqual(expect.arrayContaining(["hostsInUpgrade", "vmsMoving"]));
    expect(tables.some((t) => t.startsWith("Upgrade campaign (upgrade section):"))).toBe(true);
  });

  it("a Hy-FiX campaign moves no byte and pauses each VM for checkpoint + reboot + restore", () => {
    const s = parseScenario(`${text}duration: 1h\nupgrade: { strategy: hyfix }\n`);
    const up = runScenario(s).result.extensions?.upgrade as { output: CampaignOutput };
    expect(up.output.bytesMoved).toBe(0);
    expect(up.output.downtime.maxSeconds).toBeGreaterThan(7.6);
    expect(up.output.downtime.maxSeconds).toBeLessThan(7.7);
  });

  it("hosts, spares and VM types the scenario lacks are located in the file", () => {
    const found = issuesOf(() =>
      parseScenario(
        `${text}upgrade:\n  hosts: [0, 9]\n  strategy: { default: hyfix, byVmType: { big: terminate } }\n`,
      ),
    );
    expect(found.map((i) => [i.code, i.path.join(".")])).toEqual([
      ["VX_UPGRADE_BAD_CAMPAIGN", "upgrade.hosts.1"],
      ["VX_UPGRADE_BAD_CAMPAIGN", "upgrade.strategy.byVmType.big"],
    ]);
    const schema = issuesOf(() =>
      parseScenario(`${text}upgrade: { strategy: teleport, concurrency: 0 }\n`),
    );
    expect(schema.map((i) => i.path.join("."))).toEqual([
      "upgrade.strategy",
      "upgrade.concurrency",
    ]);
    const spares = issuesOf(() => parseScenario(`${text}upgrade: { spareHosts: 5 }\n`));
    expect(spares.map((i) => i.path.join("."))).toEqual(["upgrade.spareHosts"]);
  });
});

describe("vx upgrade", () => {
  it("--json prints exactly the issue's shape, one row per strategy", () => {
    const r = run(["--hosts", "3", "--vms-per-host", "2", "--ram", "4GiB", "--json"]);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out) as { results: Record<string, unknown>[] };
    expect(Object.keys(json)).toEqual(["results"]);
    expect(json.results.map((x) => x.strategy)).toEqual([
      "evacuate",
      "terminate",
      "hyfix",
      "multifix",
      "hyperfresh",
      "cpr-reboot",
      "cpr-transfer",
    ]);
    for (const row of json.results) {
      expect(Object.keys(row)).toEqual([
        "strategy",
        "outcome",
        "makespanSeconds",
        "maxDowntimeSeconds",
        "meanDowntimeSeconds",
        "bytesMoved",
        "vmsLost",
      ]);
      expect(row.outcome).toBe("completed");
      expect(row.vmsLost).toBe(0);
    }
    // Evacuation moves the RAM of every VM: 3 × 2 × 4 GiB at least.
    expect(json.results[0]?.bytesMoved as number).toBeGreaterThanOrEqual(6 * 4 * 2 ** 30);
  });

  it("the table compares the strategies asked for", () => {
    const r = run([
      "--hosts",
      "2",
      "--vms-per-host",
      "2",
      "--ram",
      "2GiB",
      "--strategy",
      "hyfix,terminate",
    ]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("2 hosts × 2 VMs of 2 GiB");
    expect(r.out).toMatch(/terminate\s+completed/);
    expect(r.out).toMatch(/hyfix\s+completed/);
    expect(r.out).not.toContain("evacuate");
  });

  it("bad flags are refused before anything runs", () => {
    const err = (args: string[]): string => {
      try {
        run(args);
      } catch (e) {
        if (VxError.isInstance(e)) return `${e.code} ${e.path?.join(".") ?? ""}`;
        throw e;
      }
      return "none";
    };
    expect(err(["--strategy", "teleport"])).toBe("VX_CLI_BAD_FLAG --strategy");
    expect(err(["--strategy", "all,hyfix"])).toBe("VX_CLI_BAD_FLAG --strategy");
    expect(err(["--hosts", "0"])).toBe("VX_CLI_BAD_FLAG --hosts");
    expect(err(["--ram", "lots"]).startsWith("VX_CORE_BAD")).toBe(true);
  });
});
