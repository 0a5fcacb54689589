import { vxErrorOf } from "@vx/dev/matchers";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type FaultCampaign,
  PVM_ARCHITECTURE_NAMES,
  PVM_ARCHITECTURES,
  type ResilienceScenarioInput,
  runFaultCampaign,
  simulateResilience,
} from "../src/index.js";
import { LatencyMixture } from "../src/internal/latency-mixture.js";

const campaignInput = fc.record({
  seed: fc.integer({ min: 0, max: 10_000 }),
  count: fc.integer({ min: 1, max: 60 }),
  meanGap: fc.constantFrom(5, 60, 600),
  kinds: fc.record({
    crash: fc.integer({ min: 0, max: 3 }),
    hang: fc.integer({ min: 0, max: 3 }),
    corruption: fc.integer({ min: 1, max: 3 }),
  }),
  blockDomain: fc.boolean(),
  rate: fc.constantFrom(0, 0.05, 2),
});

interface CampaignCase {
  seed: number;
  count: number;
  meanGap: number;
  kinds: { crash: number; hang: number; corruption: number };
  blockDomain: boolean;
  rate: number;
}

function campaign(c: CampaignCase): FaultCampaign {
  return runFaultCampaign({
    seed: c.seed,
    host: { blockDomain: c.blockDomain },
    control: { rate: c.rate },
    guests: [
      { kind: "latency-critical", count: 5 },
      { kind: "throughput", count: 5, uses: ["network", "block"] },
    ],
    faults: { kinds: c.kinds, campaign: { count: c.count, meanGap: c.meanGap } },
  });
}

describe("fault campaigns (property)", () => {
  it("log replay never loses a committed control operation; every loss elsewhere is in the fault records", () => {
    fc.assert(
      fc.property(campaignInput, (c) => {
        const result = campaign(c);
        for (const r of result.results) {
          const s = r.summary;
          const lost = r.faults.reduce((sum, f) => sum + f.committedControlOpsLost, 0);
          const wiped = r.faults.reduce((sum, f) => sum + f.controlOpsWipedByReboot, 0);
          expect(s.control.committedLost).toBe(lost);
          expect(s.control.wipedByReboots).toBe(wiped);
          if (s.architecture === "resilient" || s.architecture === "remus") {
            // XenStore logged (resilient) or replicated with output commit (Remus): a recovery in
            // place keeps every acknowledged operation; only a host reboot wipes them.
            expect(s.control.committedLost).toBe(0);
          }
          if (s.architecture === "resilient") expect(s.control.wipedByReboots).toBe(0);
          for (const f of r.faults) {
            if (f.committedControlOpsLost > 0) expect(f.domain).toBe("xenstore");
          }
        }
      }),
      { numRuns: 40 },
    );
  });

  it("conserves requests and operations, keeps shares in [0, 1], and gives every architecture the same faults", () => {
    fc.assert(
      fc.property(campaignInput, (c) => {
        const result = campaign(c);
        const first = result.results[0]!.faults.map((f) => [f.atSeconds, f.component, f.kind]);
        for (const r of result.results) {
          expect(r.faults.map((f) => [f.atSeconds, f.component, f.kind])).toEqual(first);
          const s = r.summary;
          for (const a of [s.availability.network, s.availability.block, s.availability.control]) {
            expect(a).toBeGreaterThanOrEqual(0);
            expect(a).toBeLessThanOrEqual(1);
          }
          const lc = s.latencyCritical!;
          expect(lc.served + lc.delayed + lc.lost).toBeCloseTo(lc.requests, 3);
          expect(lc.served).toBeGreaterThanOrEqual(0);
          const tp = s.throughput!;
          expect(tp.completed).toBeLessThanOrEqual(tp.ideal * (1 + 1e-12));
          expect(tp.completedFraction).toBeLessThanOrEqual(tp.noFaultCompletedFraction + 1e-12);
          const ops = s.control;
          expect(ops.committed + ops.failed).toBeLessThanOrEqual(ops.arrived);
          expect(ops.committedLost + ops.wipedByReboots).toBeLessThanOrEqual(ops.committed);
          expect(s.faults.masked + s.faults.detected + s.faults.undetected).toBeLessThanOrEqual(
            s.faults.injected,
          );
          for (const f of r.faults) {
            if (f.timeToRecoverSeconds !== null) expect(f.timeToRecoverSeconds).toBeGreaterThan(0);
            if (f.detectedAtSeconds !== null)
              expect(f.detectedAtSeconds).toBeGreaterThanOrEqual(f.atSeconds);
          }
        }
      }),
      { numRuns: 40 },
    );
  });
});

describe("a campaign", () => {
  const input: ResilienceScenarioInput = { seed: 11, faults: { campaign: { count: 300 } } };
  const result = runFaultCampaign(input);
  const by = Object.fromEntries(result.results.map((r) => [r.summary.architecture, r.summary]));

  it("the same input and seed give byte-identical JSON; another seed other faults", () => {
    expect(JSON.stringify(runFaultCampaign(input))).toBe(JSON.stringify(result));
    expect(JSON.stringify(runFaultCampaign({ ...input, seed: 12 }))).not.toBe(
      JSON.stringify(result),
    );
  });

  it("runs every architecture in registry order, until one mean gap after the last fault", () => {
    expect(result.results.map((r) => r.summary.architecture)).toEqual([...PVM_ARCHITECTURE_NAMES]);
    expect(result.faultCount).toBe(300);
    const last = result.results[0]!.faults[299]!.atSeconds;
    expect(result.simulatedSeconds).toBeCloseTo(last + 600, 9);
  });

  it("orders the architectures as their mechanisms say: every vanilla fault reboots the host, none of the resilient pVM's", () => {
    expect(by.vanilla!.faults.hostReboots).toBe(by.vanilla!.faults.detected);
    expect(by.resilient!.faults.hostReboots).toBe(0);
    expect(by.resilient!.availability.network).toBeGreaterThan(by.remus!.availability.network);
    expect(by.remus!.availability.network).toBeGreaterThan(by.vanilla!.availability.network);
    expect(by.resilient!.latencyCritical!.lost).toBeLessThan(by.xoar!.latencyCritical!.lost);
  });

  it("shows where the resilient pVM loses: with no fault its refreshes cost more than vanilla's nothing", () => {
    const quiet = runFaultCampaign({ duration: "1d" });
    const q = Object.fromEntries(quiet.results.map((r) => [r.summary.architecture, r.summary]));
    expect(q.vanilla!.availability.network).toBe(1);
    expect(q.resilient!.availability.network).toBeLessThan(1);
    expect(q.resilient!.latencyCritical!.delayed).toBeGreaterThan(0);
    expect(q.vanilla!.latencyCritical!.delayed).toBe(0);
  });

  it("with 87 % recovery coverage (RVI's figure for Xen's components), some resilient recoveries end in host reboots", () => {
    const r = runFaultCampaign({
      ...input,
      architectures: ["resilient"],
      settings: { resilient: { recoveryCoverage: 0.87 } },
    }).results[0]!.summary;
    expect(r.faults.hostReboots).toBeGreaterThan(0);
    expect(r.faults.hostReboots).toBeLessThan(r.faults.detected * 0.25);
  });
});

describe("failures by rate", () => {
  it("Poisson failures per day, drawn from each component's own stream", () => {
    const r = simulateResilience(
      { duration: "30d", seed: 3, faults: { perDay: { net: 2 } } },
      "resilient",
    );
    // 60 expected over 30 days; a Poisson count within ±4 standard deviations (±31).
    expect(r.faults.length).toBeGreaterThan(29);
    expect(r.faults.length).toBeLessThan(91);
    expect(new Set(r.faults.map((f) => f.component))).toEqual(new Set(["net"]));
    const withXenstore = simulateResilience(
      { duration: "30d", seed: 3, faults: { perDay: { net: 2, xenstore: 1 } } },
      "resilient",
    );
    // Adding a component's failures does not move the others' draws.
    expect(
      withXenstore.faults.filter((f) => f.component === "net").map((f) => f.atSeconds),
    ).toEqual(r.faults.map((f) => f.atSeconds));
  });
});

describe("latency percentiles from the mixture", () => {
  it("an exponential's p99 is mean × ln 100; a uniform wait adds its spread; a point mass sits at its value", () => {
    const m = new LatencyMixture();
    m.addUniform(1000, 0, 0.004);
    expect(m.quantile(0.99)).toBeCloseTo(0.004 * Math.log(100), 8);
    expect(m.meanLatency()).toBeCloseTo(0.004, 12);
    const u = new LatencyMixture();
    u.addUniform(1, 1, 1e-9); // essentially Uniform[0, 1]
    expect(u.quantile(0.5)).toBeCloseTo(0.5, 6);
    const p = new LatencyMixture();
    p.addUniform(98, 0, 0.001);
    p.addPoint(2, 1);
    expect(p.quantile(0.99)).toBeCloseTo(1, 6);
  });
});

describe("bad input", () => {
  it("gives VX_PVM_BAD_RESILIENCE naming the field, before anything runs", () => {
    const cases: [unknown, string][] = [
      [{ duration: "soon" }, "duration"],
      [{ guests: [{ kind: "bursty" }] }, "guests"],
      [{ guests: [{ kind: "latency-critical", rate: -1 }] }, "guests"],
      [{ guests: [{ kind: "latency-critical", utilisation: "100%" }] }, "guests"],
      [{ guests: [{ kind: "throughput", uses: [] }] }, "guests"],
      [{ faults: { injected: [{ at: 10, component: "gpu", kind: "crash" }] } }, "faults"],
      [{ faults: { injected: [{ at: 10, component: "net", kind: "bitflip" }] } }, "faults"],
      [{ faults: { perDay: { net: -1 } } }, "faults"],
      [{ faults: { kinds: { crash: 0, hang: 0, corruption: 0 } } }, "faults"],
      [{ faults: { campaign: { count: 0 } } }, "faults"],
      [{ faults: { campaign: { count: 5, components: { net: 0 } } } }, "faults"],
      [{ architectures: ["hyper-v"] }, "architectures"],
      [
        { settings: { resilient: { heartbeatPeriod: "1s", heartbeatTimeout: "100ms" } } },
        "settings",
      ],
      [{ settings: { remus: { components: { net: { mechanism: "pray" } } } } }, "settings"],
      [{ settings: { xoar: { recoveryCoverage: "120%" } } }, "settings"],
      [{ control: { rate: "often" } }, "control"],
      [{ hosts: {} }, ""],
    ];
    for (const [input, field] of cases) {
      const e = vxErrorOf(() => simulateResilience(input as never, "resilient"));
      expect(e.code).toBe("VX_PVM_BAD_RESILIENCE");
      if (field !== "") expect(e.issues.map((i) => String(i.path[0]))).toContain(field);
    }
  });

  it("an injected fault after the end of the run is an error with its path", () => {
    const e = vxErrorOf(() =>
      simulateResilience(
        { duration: "1h", faults: { injected: [{ at: "2h", component: "net", kind: "crash" }] } },
        "vanilla",
      ),
    );
    expect(e.code).toBe("VX_PVM_BAD_RESILIENCE");
    expect(e.issues[0]!.path).toEqual(["faults", "injected", 0, "at"]);
  });

  it("an unknown architecture is VX_PVM_BAD_ARCHITECTURE", () => {
    expect(vxErrorOf(() => simulateResilience({}, "esx" as never)).code).toBe(
      "VX_PVM_BAD_ARCHITECTURE",
    );
  });

  it("every architecture in the registry documents its sources", () => {
    for (const a of PVM_ARCHITECTURES) expect(a.sources.length).toBeGreaterThan(0);
  });
});
