import { VxError } from "@vx/core";
import { describe, expect, it } from "vitest";
import {
  HYFIX_DEFAULTS,
  inPlaceSchedule,
  strategySettingsSchema,
  upgradeHost,
} from "../src/index.js";

describe("one host: evacuation", () => {
  it("evacuating one idle 256 GB VM at 10 Gbit/s takes 204.8 s of transfer, then the 7.6 s reboot", () => {
    const r = upgradeHost({ strategy: "evacuate", ram: "256GB", link: "10Gbps" });
    expect(r.outcome).toBe("completed");
    // 256e9 bytes × 8 / 10e9 bit/s = 204.8 s; the host reboots once empty.
    expect(r.hostOutOfServiceSeconds).toBeCloseTo(204.8 + 7.6, 3);
    expect(r.bytesMoved).toBe(256e9);
    expect(r.vmsLost).toBe(0);
  });

  it("a dirtying 256 GB VM takes longer than 204.8 s and sends more than its RAM", () => {
    const r = upgradeHost({
      strategy: "evacuate",
      ram: "256GB",
      link: "10Gbps",
      vm: { dirty: { model: "uniform", rate: "100MiB/s" } },
    });
    expect(r.outcome).toBe("completed");
    expect(r.hostOutOfServiceSeconds - 7.6).toBeGreaterThan(204.8);
    expect(r.bytesMoved).toBeGreaterThan(256e9);
    expect(r.maxDowntimeSeconds).toBeGreaterThan(0);
    expect(r.maxDowntimeSeconds).toBeLessThan(1);
  });

  it("evacuation time scales with the link: 2.5 Gbit/s takes 4 × 204.8 s", () => {
    const r = upgradeHost({ strategy: "evacuate", ram: "256GB", link: "2.5Gbps" });
    expect(r.hostOutOfServiceSeconds).toBeCloseTo(4 * 204.8 + 7.6, 3);
  });
});

describe("one host: in place", () => {
  it("Hy-FiX's downtime for a 256 GB VM is 2.31 + 7.6 s, independent of the link", () => {
    for (const link of ["1Gbps", "10Gbps", "100Gbps"]) {
      const r = upgradeHost({ strategy: "hyfix", ram: "256GB", link });
      expect(r.maxDowntimeSeconds).toBeCloseTo(2.31 + 7.6, 9);
      expect(r.hostOutOfServiceSeconds).toBeCloseTo(9.91, 9);
      expect(r.bytesMoved).toBe(0);
    }
  });

  it("Hy-FiX's checkpoint/restore scales with RAM (exponent 1) or not (exponent 0)", () => {
    const linear = upgradeHost({ strategy: "hyfix", ram: "64GB" });
    expect(linear.maxDowntimeSeconds).toBeCloseTo(2.31 / 4 + 7.6, 9);
    const constant = upgradeHost({
      strategy: "hyfix",
      ram: "64GB",
      settings: { hyfix: { ramExponent: 0 } },
    });
    expect(constant.maxDowntimeSeconds).toBeCloseTo(2.31 + 7.6, 9);
  });

  it("Hy-FiX checkpoints VMs one after another; Multi-FiX all at once plus a handover", () => {
    const hy = upgradeHost({ strategy: "hyfix", ram: "256GB", vms: 4 });
    expect(hy.maxDowntimeSeconds).toBeCloseTo(4 * 2.31 + 7.6, 9);
    const multi = upgradeHost({ strategy: "multifix", ram: "256GB", vms: 4 });
    expect(multi.maxDowntimeSeconds).toBeCloseTo(2.31 + 0.05 + 7.6, 9);
  });

  it("HyperFresh pauses VMs 10 ms after 60 s of degraded preparation; no reboot", () => {
    const r = upgradeHost({ strategy: "hyperfresh", ram: "256GB", vms: 3 });
    expect(r.downtimeSeconds).toEqual([0.01, 0.01, 0.01]);
    expect(r.degradedSeconds).toEqual([60, 60, 60]);
  });

  it("QEMU cpr-reboot is state save + reboot + load; cpr-transfer only the pause", () => {
    expect(
      upgradeHost({ strategy: "cpr-reboot", ram: "64GiB", vms: 5 }).maxDowntimeSeconds,
    ).toBeCloseTo(0.2 + 7.6 + 0.2, 9);
    const serial = upgradeHost({
      strategy: "cpr-reboot",
      ram: "64GiB",
      vms: 5,
      settings: { "cpr-reboot": { parallel: false } },
    });
    expect(serial.maxDowntimeSeconds).toBeCloseTo(5 * 0.2 + 7.6 + 5 * 0.2, 9);
    expect(upgradeHost({ strategy: "cpr-transfer", ram: "64GiB" }).maxDowntimeSeconds).toBe(0.1);
  });

  it("terminate: reboot + boot on the same host, the boot alone elsewhere", () => {
    const same = upgradeHost({ strategy: "terminate", ram: "8GiB", vms: 2 });
    expect(same.downtimeSeconds).toEqual([37.6, 37.6]);
    expect(same.vmsRestarted).toBe(2);
    const elsewhere = upgradeHost({
      strategy: "terminate",
      ram: "8GiB",
      settings: { terminate: { restart: "elsewhere" } },
    });
    expect(elsewhere.maxDowntimeSeconds).toBe(30);
  });

  it("an empty host's in-place schedule is the reboot alone", () => {
    const s = inPlaceSchedule("hyfix", strategySettingsSchema.parse({}), []);
    expect(s.downtimeSeconds).toBe(HYFIX_DEFAULTS.rebootSeconds);
    expect(s.checkpointSeconds).toBe(0);
  });
});

describe("one host: bad input", () => {
  const code = (f: () => unknown): { code: string; paths: string[] } => {
    try {
      f();
    } catch (e) {
      if (VxError.isInstance(e)) {
        return { code: e.code, paths: (e.issues ?? []).map((i) => i.path.join(".")) };
      }
      throw e;
    }
    throw new Error("no error");
  };

  it("an unknown strategy, a negative RAM and zero VMs are each reported with their path", () => {
    const e = code(() => upgradeHost({ strategy: "nope" as "hyfix", ram: -1, vms: 0 }));
    expect(e.code).toBe("VX_UPGRADE_BAD_OPTIONS");
    expect(e.paths).toEqual(expect.arrayContaining(["strategy", "ram", "vms"]));
  });

  it("an unknown setting and an out-of-range one are refused", () => {
    const e = code(() =>
      upgradeHost({
        strategy: "hyfix",
        ram: "1GiB",
        settings: { hyfix: { rebootSecs: 3, checkpointShare: 2 } },
      }),
    );
    expect(e.code).toBe("VX_UPGRADE_BAD_OPTIONS");
    expect(e.paths).toEqual(
      expect.arrayContaining(["settings.hyfix.rebootSecs", "settings.hyfix.checkpointShare"]),
    );
  });

  it("a zero link is refused", () => {
    expect(code(() => upgradeHost({ strategy: "evacuate", ram: "1GiB", link: 0 })).paths).toEqual([
      "link",
    ]);
  });
});
