/**
 * The `disagg` section: validated with the scenario (`vx validate` rejects what `vx run` would),
 * run inside `vx run` as a data-center extension, the clustered side the plain run's.
 */
import type { DisaggComparison } from "@vx/disagg";
import { describe, expect, it } from "vitest";
import { parseScenario } from "../src/scenario/parse.js";
import { runScenario } from "../src/scenario/run.js";
import { issuesOf, MINIMAL } from "./scenario-fixtures.js";

/** 5 hosts of 2 cores and 4 GiB (ML110 G4, G5); 7 VMs of 1740 and 613 MB at 40 %. */
const BASE = `${MINIMAL}duration: 2h\n`;

describe("the disagg section", () => {
  it("validates with every default filled", () => {
    const s = parseScenario(`${BASE}disagg: {}\n`);
    expect(s.extensions.disagg).toMatchObject({
      localMemoryFraction: 0.25,
      computePerTray: 8,
      memoryPowerShare: 0.3,
      vcpusPerCore: 1,
      vm: { memoryStallFraction: 0.2, memoryBytesPerSecondPerVcpu: 250e6 },
      settings: { policy: "first-fit", sectionBytes: 2 ** 27 },
    });
  });

  it("rejects bad fields with their paths, and VM types the scenario does not have", () => {
    const text = `${BASE}disagg:\n  localMemory: 120%\n  fabric: { ports: 0 }\n  settings: { memory: { arch: sparc } }\n  vmTypes: { huge: { memoryStallFraction: 10% } }\n`;
    const got = issuesOf(() => parseScenario(text))
      .map((i) => `${i.path.join(".")}`)
      .sort();
    expect(got).toEqual([
      "disagg.fabric.ports",
      "disagg.localMemory",
      "disagg.settings.memory.arch",
    ]);
    // Cross-checks run once the schema passes.
    const unknown = issuesOf(() =>
      parseScenario(`${BASE}disagg:\n  vmTypes: { huge: { memoryStallFraction: 10% } }\n`),
    );
    expect(unknown.map((i) => [i.code, i.path.join(".")])).toEqual([
      ["VX_SIM_BAD_DISAGG", "disagg.vmTypes.huge"],
    ]);
    // A rack the run could not build (a brick of more than 2^24 sections) is found by validation.
    const tiny = issuesOf(() =>
      parseScenario(
        `${BASE.replace(/ram: 4GiB/g, "ram: 256GiB")}disagg:\n  settings: { memory: { sectionSize: 4KiB } }\n`,
      ),
    );
    expect(tiny.map((i) => i.code)).toContain("VX_DISAGG_TOO_MANY_SECTIONS");
  });

  it("runs inside vx run: the table and the output side by side; the clustered side is the plain run", () => {
    const withIt = runScenario(
      parseScenario(`${BASE}disagg: { settings: { policy: locality-aware } }\n`),
    );
    const plain = runScenario(parseScenario(BASE));
    const ext = withIt.result.extensions?.disagg as { output: DisaggComparison } | undefined;
    const cmp = ext?.output as DisaggComparison;
    expect(cmp.vms).toBe(7);
    expect(cmp.capacity).toMatchObject({
      hosts: 5,
      cores: 10,
      computeBricks: 5,
      memoryBricks: 1,
      trays: 1,
    });
    // 5 × 4 GiB; a quarter local (1 GiB = 8 sections each), 15 GiB pooled.
    expect(cmp.capacity.memoryBytes).toBe(20 * 2 ** 30);
    expect(cmp.capacity.pooledMemoryBytes).toBe(15 * 2 ** 30);
    // The run itself does not change; its energy and migrations are the clustered column.
    // (Everything but the extensions and the provenance, which records the scenario with its section.)
    const { extensions: _e, provenance: _pa, ...a } = withIt.result;
    const { extensions: _p, provenance: _pb, ...b } = plain.result;
    expect(Object.keys(a).length).toBeGreaterThan(2);
    expect(a).toEqual(b);
    expect(cmp.clustered.energyJoules / 3.6e6).toBeCloseTo(plain.result.summary.energyKWh, 9);
    expect(cmp.clustered.migrations).toBe(plain.result.migrationLog.length);
    expect(cmp.clustered.placed).toBe(7 - plain.result.summary.unplacedVms);
    // Every VM gets a slot on the rack (7 vCPUs of 10 cores, 7.6 GB of 20 GiB).
    expect(cmp.disaggregated.placed).toBe(7);
    expect(withIt.tables.at(-1)).toContain("Clustered vs disaggregated (disagg section)");
    expect(withIt.tables.at(-1)).toMatch(/stranded memory\s+\S+\s+\S+/);
  });
});
