/**
 * Issue 9: a user who never writes YAML gets from `runDatacenter` (a plain typed spec) the same
 * results as `vx run` gives for the same scenario file; and the report charts the metrics of real
 * migrations (NIC and uplink utilisation over time, distributions of migration times and
 * downtimes).
 */
import { type DatacenterSpecInput, runDatacenter } from "@vx/datacenter";
import { describe, expect, it } from "vitest";
import { renderReportHtml } from "../src/report/html.js";
import { parseScenario } from "../src/scenario/parse.js";
import { runScenario } from "../src/scenario/run.js";

const G4 = [86, 89.4, 92.6, 96, 99.5, 102, 106, 108, 112, 114, 117];
const G5 = [93.7, 97, 101, 105, 110, 116, 121, 125, 129, 133, 135];

/** Five hosts in racks of two (2:1 uplinks), seven VMs at 40 %: consolidation moves VMs across racks. */
const TEXT = `name: lib
seed: 3
duration: 2h
step: 300s
hostTypes:
  g4: { cores: 2, mips: 1860, ram: 4GiB, nic: 1Gbps, power: [${G4.join(", ")}] }
  g5: { cores: 2, mips: 2660, ram: 4GiB, nic: 1Gbps, power: [${G5.join(", ")}] }
hosts:
  - { type: g4, count: 2 }
  - { type: g5, count: 3 }
vmTypes:
  small: { mips: 1000, ram: 1740MB, nic: 100Mbps, dirtyRate: 16MiB/s }
  micro: { mips: 500, ram: 613MB, nic: 100Mbps, dirtyRate: 16MiB/s }
vms:
  - types: [small, micro]
    count: 7
    workload: { kind: constant, utilisation: 40% }
network: { topology: tree, hostsPerRack: 2, oversubscription: 2, latency: 50us, vmTraffic: { kind: trace } }
policy: { overload: thr, parameter: 0.8, selection: mmt }
migration: { model: precopy, maxOutgoing: 1 }
`;

/** The same data center as a typed object, in the units a program would use. */
const SPEC: DatacenterSpecInput = {
  name: "lib",
  seed: 3,
  duration: 7200,
  step: 300,
  hostTypes: {
    g4: { cores: 2, mips: 1860, ram: "4GiB", nic: 125e6, power: G4 },
    g5: { cores: 2, mips: 2660, ram: "4GiB", nic: 125e6, power: G5 },
  },
  hosts: [
    { type: "g4", count: 2 },
    { type: "g5", count: 3 },
  ],
  vmTypes: {
    small: { mips: 1000, ram: 1.74e9, nic: 12.5e6, dirtyRate: 16 * 2 ** 20 },
    micro: { mips: 500, ram: 6.13e8, nic: 12.5e6, dirtyRate: 16 * 2 ** 20 },
  },
  vms: [{ types: ["small", "micro"], count: 7, workload: { kind: "constant", utilisation: 0.4 } }],
  network: {
    topology: "tree",
    hostsPerRack: 2,
    oversubscription: 2,
    latency: 50e-6,
    vmTraffic: { kind: "trace" },
  },
  policy: { overload: "thr", parameter: 0.8, selection: "mmt" },
  migration: { model: "precopy", maxOutgoing: 1 },
};

describe("runDatacenter with a typed spec is vx run without YAML", () => {
  const { result } = runScenario(parseScenario(TEXT));
  const { provenance: _provenance, ...ran } = result;

  it("the same scenario gives byte-identical results through the library and through vx run", () => {
    expect(result.summary.migrations).toBeGreaterThan(0);
    expect(JSON.stringify(runDatacenter(SPEC))).toBe(JSON.stringify(ran));
  });

  it("the report charts NIC and uplink utilisation and the distributions of migration times and downtimes", () => {
    const s = result.summary;
    const series = result.series;
    expect(series.nicUtilisation).toHaveLength(series.time.length);
    expect(series.uplinkUtilisation).toHaveLength(series.time.length);
    // Cross-rack migrations and the VMs' own traffic loaded the uplinks.
    expect(series.uplinkUtilisation!.some((u) => u > 0)).toBe(true);
    expect(s.peakNicUtilisation).toBeGreaterThan(0);
    expect(s.peakNicUtilisation).toBeLessThanOrEqual(1);
    const html = renderReportHtml(result);
    const chart = (id: string): string =>
      html.match(new RegExp(`<svg[^>]*data-chart="${id}"[\\s\\S]*?</svg>`))?.[0] ?? "";
    expect(chart("nic")).toContain("Host NICs: mean utilisation");
    expect(chart("uplink")).toContain("Rack uplinks: mean utilisation");
    expect(chart("migration-times")).toContain("Distribution of migration times");
    expect(chart("downtimes")).toContain("Distribution of downtimes");
    // The histograms draw a closed bar for each non-empty bin.
    expect(chart("migration-times")).toMatch(/<path d="M[^"]*Z"/);
    expect(chart("downtimes")).toMatch(/<path d="M[^"]*Z"/);
    // A CloudSim-delay run has no distributions to draw (its migrations have no downtime).
    const cloudsim = runDatacenter({ ...SPEC, migration: { model: "cloudsim" } });
    const plain = renderReportHtml(cloudsim);
    expect(plain).not.toContain('data-chart="migration-times"');
    expect(plain).not.toContain('data-chart="downtimes"');
  });
});
