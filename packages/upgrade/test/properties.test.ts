import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type CampaignOrder, STRATEGY_NAMES, UPGRADE_STRATEGIES } from "../src/index.js";
import { cluster, runCampaign } from "./fixtures.js";

const ORDERS: CampaignOrder[] = ["index", "rack", "least-loaded", "most-loaded", "random"];

describe("campaign invariants (fast-check, fixed seed)", () => {
  it("no VM is lost by a strategy that keeps state or restarts VMs, and every host is upgraded exactly once", () => {
    fc.assert(
      fc.property(
        fc.record({
          hosts: fc.integer({ min: 1, max: 6 }),
          vmsPerHost: fc.integer({ min: 1, max: 4 }),
          headroom: fc.integer({ min: 0, max: 2 }),
          utilisation: fc.double({ min: 0, max: 1, noNaN: true }),
          strategy: fc.constantFrom(...STRATEGY_NAMES),
          order: fc.constantFrom(...ORDERS),
          concurrency: fc.integer({ min: 1, max: 3 }),
          spare: fc.boolean(),
          hostsPerRack: fc.integer({ min: 1, max: 4 }),
        }),
        (c) => {
          const spec = cluster({
            hosts: c.hosts,
            vmsPerHost: c.vmsPerHost,
            headroom: c.headroom,
            utilisation: c.utilisation,
            vmRam: "1",
            hostsPerRack: c.hostsPerRack,
            duration: "12h",
          });
          const { output, result } = runCampaign(spec, {
            strategy: c.strategy,
            order: c.order,
            concurrency: c.concurrency,
            spareHosts: c.spare ? 1 : 0,
          });
          // Every strategy promises no loss without faults (pre-copy keeps the VM on its source
          // until it lands; terminated VMs restart).
          expect(UPGRADE_STRATEGIES[c.strategy].keepsState || c.strategy === "terminate").toBe(
            true,
          );
          expect(output.vmsLost).toBe(0);
          expect(result.summary.vmsLost).toBe(0);
          // There is always room (the extra empty host), so every campaign completes.
          expect(output.outcome).toBe("completed");
          expect(output.hostsTargeted).toBe(c.hosts + (c.spare ? 0 : 1));
          for (const h of output.hosts) expect(h.upgrades).toBe(1);
          // Nobody is left down, and no host is in two upgrades at once.
          expect(output.hostsUpgraded).toBe(output.hostsTargeted);
          expect(output.peakHostsInUpgrade).toBeLessThanOrEqual(c.concurrency);
        },
      ),
      { numRuns: 40 },
    );
  });

  it("with host failures, a host is still upgraded at most once and the counts add up", () => {
    fc.assert(
      fc.property(
        fc.record({
          hosts: fc.integer({ min: 1, max: 5 }),
          strategy: fc.constantFrom(...STRATEGY_NAMES),
          p: fc.double({ min: 0, max: 1, noNaN: true }),
          window: fc.integer({ min: 1, max: 300 }),
        }),
        (c) => {
          const { output, result } = runCampaign(
            cluster({ hosts: c.hosts, vmsPerHost: 2, vmRam: "1", duration: "12h" }),
            {
              strategy: c.strategy,
              spareHosts: 1,
              faults: { hostFailureProbability: c.p, failureWindow: c.window, repairTime: 600 },
            },
          );
          for (const h of output.hosts) expect(h.upgrades).toBeLessThanOrEqual(1);
          expect(
            output.hostsUpgraded +
              output.hostsFailed +
              output.hostsGivenUp +
              output.hostsMissed +
              output.hostsUnfinished,
          ).toBe(output.hostsTargeted);
          if (output.hostsFailed === 0) expect(output.vmsLost).toBe(0);
          if (c.strategy === "terminate") expect(output.vmsLost).toBe(0);
          expect(output.vmsLost).toBeLessThanOrEqual(result.summary.vms);
        },
      ),
      { numRuns: 30 },
    );
  });
});
