import { describe, expect, it } from "vitest";
import {
  type FaultKind,
  type PvmArchitectureName,
  type PvmComponent,
  type ResilienceScenarioInput,
  simulateResilience,
} from "../src/index.js";

/**
 * Hand-computed timelines: one fault at t = 630.01 s in a one-hour run with the default guests
 * (25 latency-critical guests × 200 requests/s, 4 ms mean latency, 1 s client timeout: 5,000
 * requests/s and 20 in flight; 25 throughput guests), one control operation every 20 s.
 *
 * Times: vanilla reboots (dom0 crash: 5 s of Xen's wait, then 120 s + 30 s) or waits for the
 * watchdog (armed at 630 s, fires at 660 s); Xoar restarts on a crash and finds a hang or a
 * corruption at its next micro-reboot (660 s); Remus sees its checkpoints stop 4 epochs after the
 * last one (630.0 + 0.1 s) and fails over in 1 s; the resilient pVM sees a crash at the next beat
 * (630.1 s), a hang after 3 silent beats (630.3 s), a corruption after the 1 s check (631.01 s).
 */
const at = 630.01;
const LC_RATE = 25 * 200;
const IN_FLIGHT = LC_RATE * 0.004;

function one(
  architecture: PvmArchitectureName,
  component: PvmComponent,
  kind: FaultKind,
  extra: ResilienceScenarioInput = {},
) {
  const r = simulateResilience(
    { duration: "1h", ...extra, faults: { injected: [{ at, component, kind }] } },
    architecture,
  );
  return { r, f: r.faults[0]! };
}

/** [architecture, component, domain, detected at, action, recovered at, LC lost, LC delayed, ops lost] */
type Row = [
  PvmArchitectureName,
  PvmComponent,
  string,
  number,
  string,
  number,
  number,
  number,
  number,
];

describe("one crash per component and architecture (hand-computed)", () => {
  // vanilla: any crash is a dom0 crash: 5 s, then 150 s of reboot; D = 155 s: 1 s of arrivals
  // wait and are served late, 154 s of them and the 20 in flight are lost.
  const vanillaLost = LC_RATE * 154 + IN_FLIGHT;
  // Remus: detected at 630.1, failed over at 631.1: D = 1.09 s > 1 s timeout: 0.09 s of arrivals
  // and the requests in flight (4 ms + a 12.5 ms mean output delay) are lost.
  const remusLost = LC_RATE * 0.09 + LC_RATE * (0.004 + 0.0125);
  const rows: Row[] = [
    ["vanilla", "dom0", "dom0", at, "host-reboot", 785.01, vanillaLost, LC_RATE, 0],
    ["vanilla", "xenstore", "dom0", at, "host-reboot", 785.01, vanillaLost, LC_RATE, 0],
    ["vanilla", "net", "dom0", at, "host-reboot", 785.01, vanillaLost, LC_RATE, 0],
    ["vanilla", "tool", "dom0", at, "host-reboot", 785.01, vanillaLost, LC_RATE, 0],
    ["vanilla", "block", "dom0", at, "host-reboot", 785.01, vanillaLost, LC_RATE, 0],
    // Xoar: restarted at once; the block backend lives in dom0; XenStore goes back to its
    // snapshot of 600 s and loses the operation committed at 620 s.
    ["xoar", "dom0", "dom0", at, "restart", 631.01, 0, 0, 0],
    ["xoar", "xenstore", "xenstore", at, "restart", 630.51, 0, 0, 1],
    ["xoar", "net", "net", at, "restart", 631.01, 0, LC_RATE + IN_FLIGHT, 0],
    ["xoar", "tool", "tool", at, "restart", 630.51, 0, 0, 0],
    ["xoar", "block", "dom0", at, "restart", 631.01, 0, 0, 0],
    ["remus", "dom0", "dom0", 630.1, "failover", 631.1, remusLost, LC_RATE, 0],
    ["remus", "xenstore", "dom0", 630.1, "failover", 631.1, remusLost, LC_RATE, 0],
    ["remus", "net", "dom0", 630.1, "failover", 631.1, remusLost, LC_RATE, 0],
    ["remus", "tool", "dom0", 630.1, "failover", 631.1, remusLost, LC_RATE, 0],
    ["remus", "block", "dom0", 630.1, "failover", 631.1, remusLost, LC_RATE, 0],
    // resilient: XenStore restarts in 50 ms and replays its 31 logged operations at 20 µs each.
    ["resilient", "dom0", "dom0", 630.1, "restart", 640.1, 0, 0, 0],
    ["resilient", "xenstore", "xenstore", 630.1, "restart", 630.15062, 0, 0, 0],
    ["resilient", "net", "net", 630.1, "failover", 630.4, 0, LC_RATE * 0.39 + IN_FLIGHT, 0],
    ["resilient", "tool", "tool", 630.1, "restart", 630.2, 0, 0, 0],
    ["resilient", "block", "dom0", 630.1, "restart", 640.1, 0, 0, 0],
  ];
  it.each(rows)(
    "%s, %s crash (domain %s): detected at %d s, %s, back at %d s",
    (architecture, component, domain, detected, action, back, lost, delayed, opsLost) => {
      const { f } = one(architecture, component, "crash");
      expect(f.domain).toBe(domain);
      expect(f.detectedAtSeconds).toBeCloseTo(detected, 9);
      expect(f.action).toBe(action);
      expect(f.recoveredAtSeconds).toBeCloseTo(back, 9);
      expect(f.timeToRecoverSeconds).toBeCloseTo(back - at, 9);
      expect(f.latencyCriticalLost).toBeCloseTo(lost, 6);
      expect(f.latencyCriticalDelayed).toBeCloseTo(delayed, 6);
      expect(f.committedControlOpsLost).toBe(opsLost);
    },
  );

  it("a vanilla host reboot wipes the 31 control operations committed since boot and fails those that waited over 60 s", () => {
    const { r, f } = one("vanilla", "net", "crash");
    expect(f.controlOpsWipedByReboot).toBe(31);
    // Down 630.01–785.01: operations at 640…720 s waited more than 60 s (5 failed), 740…780 s
    // were committed late (3).
    expect(r.summary.control.failed).toBe(5);
    expect(r.summary.control.delayed).toBe(3);
    expect(r.summary.faults.hostReboots).toBe(1);
  });
});

describe("hangs and corruptions (hand-computed)", () => {
  it("vanilla: a hung dom0 is caught by the 30 s watchdog (last armed at 630 s) and the host reboots at 660 s", () => {
    const { f } = one("vanilla", "net", "hang");
    expect(f.detectedBy).toBe("timeout");
    expect(f.detectedAtSeconds).toBe(660);
    expect(f.recoveredAtSeconds).toBe(810);
    expect(f.latencyCriticalLost).toBeCloseTo(LC_RATE * (810 - at - 1) + IN_FLIGHT, 6);
  });

  it("Xoar: nothing watches for hangs: the network is down until the micro-reboot at 660 s (+1 s)", () => {
    const { f } = one("xoar", "net", "hang");
    expect(f.detectedBy).toBe("refresh");
    expect(f.action).toBe("refresh");
    expect(f.recoveredAtSeconds).toBe(661);
    expect(f.latencyCriticalLost).toBeCloseTo(LC_RATE * (661 - at - 1) + IN_FLIGHT, 6);
  });

  it("Xoar: a corrupted XenStore serves until the micro-reboot, which restores the 600 s snapshot: 3 operations lost", () => {
    const { f } = one("xoar", "xenstore", "corruption");
    expect(f.recoveredAtSeconds).toBe(660.5);
    expect(f.committedControlOpsLost).toBe(3); // committed at 620, 640 and 660 s
  });

  it("Remus: a corruption is replicated to the standby, so it cannot fail over: the host reboots", () => {
    const { f } = one("remus", "net", "corruption");
    expect(f.detectedBy).toBe("check");
    expect(f.detectedAtSeconds).toBeCloseTo(631.01, 9);
    expect(f.action).toBe("host-reboot");
    expect(f.recoveredAtSeconds).toBeCloseTo(781.01, 9);
  });

  it("resilient: a hang is declared after 3 silent beats (630.3 s) and the network fails over by 630.6 s", () => {
    const { f } = one("resilient", "net", "hang");
    expect(f.detectedAtSeconds).toBeCloseTo(630.3, 9);
    expect(f.recoveredAtSeconds).toBeCloseTo(630.6, 9);
    expect(f.latencyCriticalLost).toBe(0);
    expect(f.latencyCriticalDelayed).toBeCloseTo(LC_RATE * 0.59 + IN_FLIGHT, 6);
  });

  it("resilient: a corrupted XenStore is rebuilt from its log, nothing acknowledged is lost", () => {
    const { r, f } = one("resilient", "xenstore", "corruption");
    expect(f.recoveredAtSeconds).toBeCloseTo(631.01 + 0.05 + 31 * 20e-6, 9);
    expect(f.committedControlOpsLost).toBe(0);
    expect(r.summary.control.committedLost).toBe(0);
  });
});

describe("the blast radius", () => {
  it("a network domain's failure hits every guest's network I/O and nothing else; XenStore's hits control only", () => {
    const net = one("resilient", "net", "crash").r.summary.availability;
    expect(net.network).toBeLessThan(net.control);
    expect(net.block).toBe(1);
    const xs = one("resilient", "xenstore", "crash").r.summary.availability;
    expect(xs.control).toBeLessThan(xs.network);
    expect(xs.block).toBe(1);
  });

  it("with its own block domain, a block failure no longer takes dom0's 10 s restart", () => {
    const inDom0 = one("resilient", "block", "crash").f;
    const own = one("resilient", "block", "crash", { host: { blockDomain: true } }).f;
    expect(inDom0.domain).toBe("dom0");
    expect(own.domain).toBe("block");
    expect(own.recoveredAtSeconds).toBeCloseTo(630.4, 9);
  });

  it("a recovered network domain waits for XenStore to reconnect its backends", () => {
    const r = simulateResilience(
      {
        duration: "1h",
        faults: {
          injected: [
            { at, component: "xenstore", kind: "crash" },
            { at: 630.02, component: "net", kind: "crash" },
          ],
        },
        settings: { resilient: { components: { xenstore: { recovery: "1s" } } } },
      },
      "resilient",
    );
    const [xs, net] = r.faults as [(typeof r.faults)[0], (typeof r.faults)[0]];
    expect(xs.recoveredAtSeconds).toBeCloseTo(631.10062, 9);
    // Its failover is done at 630.4, but the backends reconnect only when XenStore is back.
    expect(net.recoveredAtSeconds).toBeCloseTo(631.10062, 9);
  });
});

describe("pro-active refresh costs even with no fault", () => {
  it("Xoar's 1 s network micro-reboot every 60 s: 59 in an hour", () => {
    const r = simulateResilience({ duration: "1h" }, "xoar");
    expect(r.summary.availability.network).toBeCloseTo(1 - 59 / 3600, 12);
    expect(r.summary.latencyCritical!.delayed).toBeCloseTo(59 * (LC_RATE + IN_FLIGHT), 3);
  });

  it("the resilient pVM's 10 ms handover every 300 s: 11 in an hour", () => {
    const r = simulateResilience({ duration: "1h" }, "resilient");
    expect(r.summary.availability.network).toBeCloseTo(1 - (11 * 0.01) / 3600, 12);
  });

  it("Remus holds each response up to 25 ms and pauses 2 ms in 25: p99 and throughput pay it with no fault", () => {
    const remus = simulateResilience({ duration: "1h" }, "remus").summary;
    const vanilla = simulateResilience({ duration: "1h" }, "vanilla").summary;
    // Vanilla, no fault: exponential latency of mean 4 ms, p99 = 4 ms × ln 100.
    expect(vanilla.latencyCritical!.p99LatencySeconds).toBeCloseTo(0.004 * Math.log(100), 6);
    expect(remus.latencyCritical!.noFaultP99LatencySeconds).toBeGreaterThan(0.025);
    // Closed loop: 5 ms requests + 12.5 ms of mean output delay, 92 % of the time unpaused.
    expect(remus.throughput!.noFaultCompletedFraction).toBeCloseTo((0.005 / 0.0175) * 0.92, 12);
  });
});
