/**
 * The `pvm` section of `vx run`: a fault campaign of `@vx/pvm` on each host of the data center
 * that carries guests, with that host's VMs as guests.
 */
import { PVM_ARCHITECTURE_NAMES, runFaultCampaign } from "@vx/pvm";
import { describe, expect, it } from "vitest";
import type { PvmOutput, PvmSection } from "../src/features/pvm.js";
import { parseScenario } from "../src/scenario/parse.js";
import { runScenario } from "../src/scenario/run.js";
import { issuesOf } from "./scenario-fixtures.js";

/** Five hosts, eight VMs at constant load, no consolidation: the placement never changes. */
const BASE = `name: pvm-test
seed: 5
duration: 6h
step: 300s
hostTypes:
  g4: { cores: 2, mips: 1860, ram: 4GiB, power: [86, 89.4, 92.6, 96, 99.5, 102, 106, 108, 112, 114, 117] }
hosts:
  - { type: g4, count: 5 }
vmTypes:
  web: { mips: 1000, ram: 1740MB }
  batch: { mips: 500, ram: 613MB }
vms:
  - { types: web, count: 3, workload: { kind: constant, utilisation: 30% } }
  - { types: batch, count: 5, workload: { kind: constant, utilisation: 20% } }
policy: { overload: none }
`;

const SECTION = `pvm:
  latencyCriticalTypes: [web]
  faults:
    perDay: { dom0: 4, xenstore: 4, net: 8, tool: 4 }
`;

function run(text: string): { output: PvmOutput; table: string; section: PvmSection } {
  const scenario = parseScenario(text, { file: "pvm-test.yaml" });
  const { result, tables } = runScenario(scenario);
  const ext = result.extensions?.pvm as { output: PvmOutput } | undefined;
  if (ext === undefined) throw new Error("no pvm output");
  return {
    output: ext.output,
    table: tables.join("\n"),
    section: scenario.extensions.pvm as PvmSection,
  };
}

describe("the pvm section runs a fault campaign on each host of the data center", () => {
  const { output, table, section } = run(BASE + SECTION);

  it("campaigns run on the hosts that carry VMs, with those VMs as guests", () => {
    const guests = output.hosts.reduce(
      (n, h) => n + h.latencyCriticalGuests + h.throughputGuests,
      0,
    );
    expect(guests).toBe(8);
    expect(output.hosts.reduce((n, h) => n + h.latencyCriticalGuests, 0)).toBe(3);
    expect(output.hostsRun + output.hostsIdle).toBe(5);
    expect(output.hostsRun).toBe(output.hosts.length);
    expect(output.hostsRun).toBeGreaterThan(0);
    expect(output.simulatedSeconds).toBe(6 * 3600);
  });

  it("each host's figures are @vx/pvm's campaign on its guests and seed (composition, not a copy)", () => {
    for (const row of output.hosts) {
      const guests = section.template.guests
        .map((g) => ({
          ...g,
          count: g.kind === "latency-critical" ? row.latencyCriticalGuests : row.throughputGuests,
        }))
        .filter((g) => g.count > 0);
      const alone = runFaultCampaign({
        ...section.template,
        guests,
        durationSeconds: 6 * 3600,
        seed: row.seed,
      });
      expect(row.faults).toBe(alone.faultCount);
      expect(row.architectures).toEqual(alone.results.map((r) => r.summary));
    }
  });

  it("totals add up the hosts' summaries, architecture by architecture", () => {
    expect(output.totals.map((t) => t.architecture)).toEqual([...PVM_ARCHITECTURE_NAMES]);
    for (const t of output.totals) {
      let reboots = 0;
      let lost = 0;
      let faults = 0;
      for (const row of output.hosts) {
        const s = row.architectures.find((a) => a.architecture === t.architecture)!;
        reboots += s.faults.hostReboots;
        lost += s.latencyCritical?.lost ?? 0;
        faults += s.faults.injected;
      }
      expect([t.hostReboots, t.latencyCriticalLost, t.faults]).toEqual([reboots, lost, faults]);
    }
    // Same faults on every architecture.
    expect(new Set(output.totals.map((t) => t.faults)).size).toBe(1);
  });

  it("vanilla Xen reboots the host for every fault it notices; the resilient pVM for fewer", () => {
    const by = Object.fromEntries(output.totals.map((t) => [t.architecture, t]));
    expect(by.vanilla!.faults).toBeGreaterThan(0);
    expect(by.vanilla!.hostReboots).toBeGreaterThan(0);
    expect(by.resilient!.hostReboots).toBeLessThan(by.vanilla!.hostReboots);
    expect(by.resilient!.networkAvailability).toBeGreaterThan(by.vanilla!.networkAvailability);
  });

  it("prints one row per architecture", () => {
    expect(table).toContain("pVM fault campaigns on");
    for (const a of PVM_ARCHITECTURE_NAMES) expect(table).toMatch(new RegExp(`\\n${a}\\s`));
  });

  it("the same seed gives the same output; another seed other faults", () => {
    expect(JSON.stringify(run(BASE + SECTION).output)).toBe(JSON.stringify(output));
    const other = run(BASE.replace("seed: 5", "seed: 6") + SECTION).output;
    expect(other.hosts.map((h) => h.seed)).not.toEqual(output.hosts.map((h) => h.seed));
  });

  it("no failure rate: no fault, no reboot; only the planned refreshes cost availability", () => {
    const quiet = run(
      `${BASE}pvm:\n  faults: { perDay: { dom0: 0, xenstore: 0, net: 0, tool: 0 } }\n`,
    ).output;
    const by = Object.fromEntries(quiet.totals.map((t) => [t.architecture, t]));
    for (const t of quiet.totals) expect([t.faults, t.hostReboots]).toEqual([0, 0]);
    // Vanilla Xen does nothing when nothing fails; Xoar's micro-reboots take the network down
    // with no fault at all (docs/pvm-resilience.md, "Where each architecture loses").
    expect(by.vanilla!.networkAvailability).toBe(1);
    expect(by.vanilla!.latencyCriticalLost).toBe(0);
    expect(by.xoar!.networkAvailability).toBeLessThan(1);
  });
});

describe("vx validate refuses a bad pvm section before anything runs", () => {
  const paths = (section: string): string[] =>
    issuesOf(() => parseScenario(BASE + section)).map((i) => i.path.join("."));

  it("an unknown VM type", () => {
    expect(paths("pvm: { latencyCriticalTypes: [web, db] }\n")).toEqual([
      "pvm.latencyCriticalTypes.1",
    ]);
  });

  it("a negative failure rate, an unknown component, an unknown architecture", () => {
    expect(paths("pvm: { faults: { perDay: { net: -1 } } }\n")).toEqual(["pvm.faults.perDay.net"]);
    expect(paths("pvm: { faults: { perDay: { disk: 1 } } }\n")).toEqual(["pvm.faults.perDay.disk"]);
    expect(paths("pvm: { architectures: [vanilla, kvm] }\n")).toEqual(["pvm.architectures.1"]);
  });

  it("@vx/pvm's own checks, at the section's paths", () => {
    expect(paths("pvm: { latencyCriticalGuest: { rate: -5 } }\n")).toEqual([
      "pvm.latencyCriticalGuest.rate",
    ]);
    expect(paths("pvm: { throughputGuest: { concurrency: 0 } }\n")).toEqual([
      "pvm.throughputGuest.concurrency",
    ]);
    expect(
      paths("pvm: { settings: { resilient: { heartbeatPeriod: 1s, heartbeatTimeout: 10ms } } }\n"),
    ).toEqual(["pvm.settings.resilient.heartbeatTimeout"]);
    expect(paths("pvm: { host: { reboot: soon } }\n")).toEqual(["pvm.host.reboot"]);
  });
});
