import { FluidSystem, Simulation, VxError } from "@vx/core";
import { describe, expect, it } from "vitest";
import {
  DisaggregatedRack,
  type DisaggScenarioInput,
  parseDisaggScenario,
  parseRackLayout,
  parseRackSettings,
  parseWorkload,
  runDisaggregated,
  syntheticWorkload,
  TIMING_DEFAULTS,
} from "../src/index.js";

const rack = {
  trays: [{ bricks: [{ kind: "compute" as const, count: 2 }, { kind: "memory" as const }] }],
};

function issuesOf(f: () => unknown): { code: string; path: string }[] {
  try {
    f();
  } catch (e) {
    expect(VxError.isInstance(e)).toBe(true);
    return (e as VxError).issues.map((i) => ({ code: i.code, path: i.path.join(".") }));
  }
  throw new Error("expected a VxError");
}

describe("scenario validation: every bad field, with its path, before anything runs", () => {
  it("reports problems of the rack, the workload and the settings together", () => {
    const input = {
      rack: { trays: [{ bricks: [{ kind: "memory", cores: 4 }] }] },
      workload: { vms: [{ name: "a", memory: "-1GiB" }] },
      policy: "best-fit",
      memory: { kernel: "latest" },
    } as unknown as DisaggScenarioInput;
    let error: unknown;
    try {
      parseDisaggScenario(input, ["disagg"]);
    } catch (e) {
      error = e;
    }
    expect(VxError.isInstance(error) && error.code).toBe("VX_DISAGG_BAD_SCENARIO");
    const paths = (error as VxError).issues.map((i) => i.path.join("."));
    expect(paths).toEqual(
      expect.arrayContaining([
        "disagg.rack.trays.0.bricks.0.cores",
        "disagg.workload.vms.0.memory",
        "disagg.policy",
        "disagg.memory.kernel",
      ]),
    );
  });

  it("workload: unknown region, steps out of order, departure before arrival, duplicate names, unknown VM", () => {
    const found = issuesOf(() =>
      parseWorkload({
        vms: [
          { name: "a", memory: "1GiB", shared: [{ region: "nope" }] },
          { name: "a", memory: "1GiB" },
          { name: "b", memory: "1GiB", arrival: "1h", departure: "30min" },
          {
            name: "c",
            memory: "1GiB",
            lifetime: "1h",
            memorySteps: [
              { at: "20min", memory: "2GiB" },
              { at: "10min", memory: "3GiB" },
            ],
          },
          { name: "d", memory: "1GiB", departure: "1h", lifetime: "1h" },
        ],
        migrations: [{ at: 1, vm: "zz", kind: "compute" }],
      }),
    );
    expect(found).toEqual(
      expect.arrayContaining([
        { code: "VX_DISAGG_UNKNOWN_REGION", path: "vms.0.shared.0.region" },
        { code: "VX_DISAGG_DUPLICATE", path: "vms.1.name" },
        { code: "VX_SCHEMA_OUT_OF_RANGE", path: "vms.2.departure" },
        { code: "VX_SCHEMA_OUT_OF_RANGE", path: "vms.3.memorySteps.1.at" },
        { code: "VX_DISAGG_CONFLICT", path: "vms.4.lifetime" },
        { code: "VX_DISAGG_UNKNOWN_VM", path: "migrations.0.vm" },
      ]),
    );
  });

  it("settings: a section size that is not a power of two, a kernel with no section rule, bad timings", () => {
    expect(issuesOf(() => parseRackSettings({ memory: { sectionSize: "100MiB" } }))).toEqual([
      { code: "VX_SCHEMA_OUT_OF_RANGE", path: "memory.sectionSize" },
    ]);
    expect(
      issuesOf(() => parseRackSettings({ memory: { arch: "x86_64", pageSize: "64KiB" } })),
    ).toEqual([{ code: "VX_DISAGG_NO_SECTION_RULE", path: "memory.pageSize" }]);
    expect(issuesOf(() => parseRackSettings({ timings: { plugPerGiB: "-1s" } }))).toEqual([
      { code: "VX_CORE_BAD_VALUE", path: "timings.plugPerGiB" },
    ]);
  });

  it("a workload and a synthetic mix together are a conflict; unknown keys are reported", () => {
    expect(
      issuesOf(() => parseDisaggScenario({ rack, workload: { vms: [] }, synthetic: { vms: 3 } })),
    ).toEqual([{ code: "VX_DISAGG_CONFLICT", path: "synthetic" }]);
    expect(
      issuesOf(() =>
        parseDisaggScenario({ rack, durationn: "1h" } as unknown as DisaggScenarioInput),
      ),
    ).toEqual([{ code: "VX_SCHEMA_UNKNOWN_KEY", path: "durationn" }]);
  });

  it("a section size too small for the bricks is refused when the rack is built", () => {
    const sim = new Simulation();
    expect(
      () =>
        new DisaggregatedRack(
          { sim, fluid: new FluidSystem(sim) },
          parseRackLayout({ trays: [{ bricks: [{ kind: "memory", memory: "64TiB" }] }] }),
          parseRackSettings({ memory: { sectionSize: "4KiB" } }),
        ),
    ).toThrow(/VX_DISAGG_TOO_MANY_SECTIONS|at most/);
  });

  it("engine operations refuse unknown VMs and bricks and bad values", () => {
    const sim = new Simulation();
    const r = new DisaggregatedRack({ sim, fluid: new FluidSystem(sim) }, parseRackLayout(rack));
    expect(() => r.resize("ghost", 1)).toThrow(/no VM is named/);
    r.admit(parseWorkload({ vms: [{ name: "a", memory: "1GiB" }] }).vms[0]!);
    expect(() => r.resize("a", 0)).toThrow(/memoryBytes/);
    expect(() => r.setCpuUtilisation("a", 2)).toThrow(/utilisation/);
    expect(() => r.migrate("a", "compute", "nowhere")).toThrow(/no brick/);
    expect(() => r.admit(parseWorkload({ vms: [{ name: "a", memory: "1GiB" }] }).vms[0]!)).toThrow(
      /already known/,
    );
  });
});

describe("scenario defaults and synthetic mixes", () => {
  it("defaults: a day, first fit, x86_64 sections, the documented timings", () => {
    const s = parseDisaggScenario({ rack });
    expect(s.durationSeconds).toBe(86_400);
    expect(s.settings.policy).toBe("first-fit");
    expect(s.settings.sectionBytes).toBe(2 ** 27);
    expect(s.settings.timings).toEqual(TIMING_DEFAULTS);
    expect(s.workload.vms).toEqual([]);
  });

  it("a synthetic mix is drawn from its seed: same seed, same VMs; memory-heavy asks more memory per vCPU", () => {
    const a = syntheticWorkload({
      vms: 500,
      durationSeconds: 86_400,
      mix: "memory-heavy",
      seed: 4,
    });
    const b = syntheticWorkload({
      vms: 500,
      durationSeconds: 86_400,
      mix: "memory-heavy",
      seed: 4,
    });
    expect(a).toEqual(b);
    const c = syntheticWorkload({ vms: 500, durationSeconds: 86_400, mix: "cpu-heavy", seed: 4 });
    const perVcpu = (w: typeof a) =>
      w.vms.reduce((x, v) => x + v.memoryBytes, 0) / w.vms.reduce((x, v) => x + v.vcpus, 0);
    expect(perVcpu(a)).toBeGreaterThan(1.5 * perVcpu(c));
    expect(a.vms.every((v, i) => i === 0 || v.arrivalSeconds >= a.vms[i - 1]!.arrivalSeconds)).toBe(
      true,
    );
  });

  it("runs a synthetic scenario end to end and returns plain JSON with series", () => {
    const r = runDisaggregated({ rack, synthetic: { vms: 40, mix: "balanced" }, duration: "6h" });
    expect(r.summary.requests).toBe(40);
    expect(r.series!.bricksPowered.times.length).toBeGreaterThan(1);
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });
});
