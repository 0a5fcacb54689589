import { FluidSystem, Simulation, type VxError } from "@vx/core";
import { vxErrorOf } from "@vx/dev/matchers";
import { describe, expect, it } from "vitest";
import {
  compareStrategies,
  estimatePrecopy,
  GuestCpu,
  type MigrateOptions,
  migrate,
  prepareMigration,
  SimGridNetwork,
  STRATEGIES,
  startMigration,
  type VmOptions,
} from "../src/index.js";

const LINK = { bandwidth: "10Gbps" };

function bad(vm: unknown, options: unknown): VxError {
  return vxErrorOf(() => migrate(vm as VmOptions, options as MigrateOptions));
}

describe("bad options are VxErrors with the field's path, before anything runs", () => {
  it("an unknown strategy", () => {
    const e = bad({ ram: "1GiB" }, { strategy: "precopy-vmware", link: LINK });
    expect(e.code).toBe("VX_MIGRATION_BAD_OPTIONS");
    expect(e.path).toEqual(["strategy"]);
    expect(e.issues[0]!.code).toBe("VX_SCHEMA_INVALID_VALUE");
    expect(e.message).toContain('"precopy-qemu"');
  });

  it("a missing strategy", () => {
    expect(bad({ ram: "1GiB" }, { link: LINK }).path).toEqual(["strategy"]);
  });

  it("a negative size", () => {
    const e = bad({ ram: -5 }, { strategy: "postcopy", link: LINK });
    expect(e.path).toEqual(["vm", "ram"]);
  });

  it("a size that is not a size", () => {
    const e = bad({ ram: "4 parsecs" }, { strategy: "postcopy", link: LINK });
    expect(e.path).toEqual(["vm", "ram"]);
    expect(e.issues[0]!.code).toBe("VX_CORE_BAD_UNIT");
  });

  it("a rate of zero", () => {
    const e = bad(
      { ram: "1GiB", dirty: { model: "uniform", rate: 0 } },
      { strategy: "precopy-qemu", link: LINK },
    );
    expect(e.path).toEqual(["vm", "dirty", "rate"]);
    expect(e.issues[0]!.code).toBe("VX_SCHEMA_OUT_OF_RANGE");
    expect(
      bad({ ram: "1GiB" }, { strategy: "postcopy", link: { bandwidth: "0Gbps" } }).path,
    ).toEqual(["link", "bandwidth"]);
  });

  it("a downtime limit that is not a duration", () => {
    const e = bad(
      { ram: "1GiB" },
      { strategy: "precopy-qemu", link: LINK, qemu: { downtimeLimit: "300MB" } },
    );
    expect(e.path).toEqual(["qemu", "downtimeLimit"]);
    expect(e.issues[0]!.code).toBe("VX_CORE_BAD_UNIT");
  });

  it("an unknown option, at any depth", () => {
    expect(bad({ ram: "1GiB", swap: "1GiB" }, { strategy: "postcopy", link: LINK }).path).toEqual([
      "vm",
      "swap",
    ]);
    const e = bad({ ram: "1GiB" }, { strategy: "postcopy", link: LINK, qemu: { downtime: 1 } });
    expect(e.path).toEqual(["qemu", "downtime"]);
    expect(e.issues[0]!.code).toBe("VX_SCHEMA_UNKNOWN_KEY");
  });

  it("an unknown dirtying model, and a model without its rate", () => {
    expect(
      bad({ ram: "1GiB", dirty: { model: "random" } }, { strategy: "postcopy", link: LINK }).path,
    ).toEqual(["vm", "dirty", "model"]);
    expect(
      bad({ ram: "1GiB", dirty: { model: "uniform" } }, { strategy: "postcopy", link: LINK }).path,
    ).toEqual(["vm", "dirty", "rate"]);
  });

  it("a working set, zero and free pages that do not fit in RAM", () => {
    const e = bad({ ram: "1GiB", workingSet: "2GiB" }, { strategy: "postcopy", link: LINK });
    expect(e.path).toEqual(["vm", "workingSet"]);
    expect(
      bad(
        { ram: "1GiB", dirty: { model: "hot-cold", rate: "1MiB/s" } },
        { strategy: "postcopy", link: LINK },
      ).path,
    ).toEqual(["vm", "workingSet"]);
  });

  it("a share above 100 %", () => {
    expect(
      bad({ ram: "1GiB", freePages: "120%" }, { strategy: "postcopy", link: LINK }).path,
    ).toEqual(["vm", "freePages"]);
  });

  it("a page size that is not a power of two", () => {
    expect(
      bad({ ram: "1GiB", pageSize: "3KiB" }, { strategy: "postcopy", link: LINK }).path,
    ).toEqual(["vm", "pageSize"]);
  });

  it("page fidelity with a RAM that is not a whole number of pages", () => {
    const e = bad({ ram: "1000000" }, { strategy: "postcopy", fidelity: "page", link: LINK });
    expect(e.path).toEqual(["vm", "ram"]);
  });

  it("xbzrle together with multifd (QEMU refuses it)", () => {
    const e = bad(
      { ram: "1GiB" },
      { strategy: "precopy-qemu", link: LINK, qemu: { xbzrle: true, multifd: true } },
    );
    expect(e.path).toEqual(["qemu", "xbzrle"]);
  });

  it("an integer option that is not an integer", () => {
    expect(
      bad({ ram: "1GiB" }, { strategy: "hybrid", link: LINK, hybrid: { precopyRounds: 1.5 } }).path,
    ).toEqual(["hybrid", "precopyRounds"]);
    expect(bad({ ram: "1GiB", vcpus: 0 }, { strategy: "postcopy", link: LINK }).path).toEqual([
      "vm",
      "vcpus",
    ]);
  });

  it("a missing link, and a fault with an unknown target", () => {
    expect(bad({ ram: "1GiB" }, { strategy: "postcopy" }).path).toEqual(["link"]);
    expect(
      bad(
        { ram: "1GiB" },
        { strategy: "postcopy", link: LINK, faults: [{ at: "1s", target: "power" }] },
      ).path,
    ).toEqual(["faults", 0, "target"]);
  });

  it("every problem is listed at once", () => {
    const e = bad(
      { ram: -1, dirty: { model: "uniform", rate: 0 } },
      { strategy: "nope", link: LINK, qemu: { downtimeLimit: "fast" } },
    );
    expect(e.issues.map((i) => i.path.join("."))).toEqual([
      "vm.ram",
      "vm.dirty.rate",
      "strategy",
      "qemu.downtimeLimit",
    ]);
    expect(e.message.split("\n")).toHaveLength(5);
  });

  it("compareStrategies names the bad strategy by its index", () => {
    const e = vxErrorOf(() =>
      compareStrategies(
        { ram: "1GiB" },
        { link: LINK, strategies: ["postcopy", "teleport" as never] },
      ),
    );
    expect(e.path).toEqual(["strategies", 1]);
  });

  it("estimatePrecopy checks its input too", () => {
    expect(
      vxErrorOf(() => estimatePrecopy({ ram: "1GiB", bandwidth: 0, dirtyRate: "1MiB/s" })).path,
    ).toEqual(["bandwidth"]);
    expect(
      vxErrorOf(() => estimatePrecopy({ ram: "1GiB", bandwidth: "1Gbps", dirtyRate: -1 })).path,
    ).toEqual(["dirtyRate"]);
  });

  it("startMigration needs a route with a link, from the same fluid system", () => {
    const sim = new Simulation();
    const fluid = new FluidSystem(sim);
    const plan = prepareMigration({ ram: "1GiB" }, { strategy: "postcopy" });
    expect(
      vxErrorOf(() => startMigration({ sim, fluid }, plan, { route: { resources: [] } })).path,
    ).toEqual(["route", "resources"]);
    const foreign = new FluidSystem(new Simulation()).resource({ capacity: 1 });
    expect(
      vxErrorOf(() => startMigration({ sim, fluid }, plan, { route: { resources: [foreign] } }))
        .code,
    ).toBe("VX_CORE_INVALID_ARGUMENT");
  });

  it("startMigration checks the guest's CPU and its destination before anything starts", () => {
    const sim = new Simulation();
    const fluid = new FluidSystem(sim);
    const link = fluid.resource({ capacity: 1e9 });
    const host = fluid.resource({ capacity: 1e9 });
    const cpu = new GuestCpu(fluid, { host, coreSpeed: 1e9 });
    const plan = prepareMigration({ ram: "1GiB" }, { strategy: "precopy-simgrid" });
    const route = { resources: [link] };
    const foreign = new FluidSystem(new Simulation()).resource({ capacity: 1e9 });
    const notAGuest = { fluid } as unknown as GuestCpu;
    const e1 = vxErrorOf(() => startMigration({ sim, fluid }, plan, { route, cpu: notAGuest }));
    expect([e1.code, e1.path]).toEqual(["VX_MIGRATION_BAD_OPTIONS", ["cpu"]]);
    const e2 = vxErrorOf(() =>
      startMigration({ sim, fluid }, plan, { route, cpu, destinationCpu: foreign }),
    );
    expect([e2.code, e2.path]).toEqual(["VX_MIGRATION_BAD_OPTIONS", ["destinationCpu"]]);
    // Nothing started: the link carries no transfer, the guest still runs where it was.
    expect(fluid.activityCount).toBe(1);
    expect(cpu.host).toBe(host);
  });

  it("GuestCpu and SimGridNetwork reject bad arguments", () => {
    const fluid = new FluidSystem(new Simulation());
    const host = fluid.resource({ capacity: 1e9 });
    expect(vxErrorOf(() => new GuestCpu(fluid, { host, coreSpeed: 0 })).path).toEqual([
      "coreSpeed",
    ]);
    expect(vxErrorOf(() => new GuestCpu(fluid, { host, coreSpeed: 1, demand: 2 })).path).toEqual([
      "demand",
    ]);
    // A host that is not a resource, or one of another fluid system.
    const foreign = new FluidSystem(new Simulation()).resource({ capacity: 1e9 });
    for (const h of [foreign, {} as typeof host]) {
      const e = vxErrorOf(() => new GuestCpu(fluid, { host: h, coreSpeed: 1 }));
      expect([e.code, e.path]).toEqual(["VX_MIGRATION_BAD_OPTIONS", ["host"]]);
    }
    const notAFluid = {} as FluidSystem;
    expect(vxErrorOf(() => new GuestCpu(notAFluid, { host, coreSpeed: 1 })).path).toEqual([
      "fluid",
    ]);
    const guest = new GuestCpu(fluid, { host, coreSpeed: 1 });
    guest.suspend();
    expect(vxErrorOf(() => guest.resume(foreign)).path).toEqual(["host"]);
    expect(guest.running).toBe(false); // the rejected move changed nothing
    const net = new SimGridNetwork(fluid);
    net.link({ name: "a", bandwidth: 1e6, latency: 0 });
    expect(vxErrorOf(() => net.link({ name: "a", bandwidth: 1e6, latency: 0 })).path).toEqual([
      "name",
    ]);
    expect(vxErrorOf(() => net.link({ name: "b", bandwidth: 0, latency: 0 })).path).toEqual([
      "bandwidth",
    ]);
    expect(vxErrorOf(() => net.route([])).path).toEqual(["links"]);
  });

  it("every strategy accepts the defaults", () => {
    for (const strategy of STRATEGIES) {
      expect(() => prepareMigration({ ram: "1GiB" }, { strategy })).not.toThrow();
    }
  });
});
