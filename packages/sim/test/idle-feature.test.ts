import { VxError } from "@vx/core";
import { describe, expect, it } from "vitest";
import { parseScenario } from "../src/scenario/parse.js";
import { runScenario } from "../src/scenario/run.js";
import { MINIMAL } from "./scenario-fixtures.js";

/** The minimal scenario with VMs idle at 2 % between spikes, for 12 h. */
const IDLE = `${MINIMAL.replace(
  "workload: { kind: constant, utilisation: 40% }",
  "workload: { kind: idle-spikes, idle: 2%, spike: 60%, meanGap: 4h, spikeDuration: 10min }",
)}duration: 12h\n`;

describe("the idle section of vx run", () => {
  it("parks idle VMs inside the run (SEaMLESS): fewer hosts on, every wake served, a table", () => {
    const without = runScenario(parseScenario(IDLE)).result;
    const s = parseScenario(
      `${IDLE}idle: { technique: seamless, threshold: 5%, idleAfterSeconds: 15min }\n`,
    );
    const { result, tables } = runScenario(s);
    const idle = result.extensions?.idle as {
      output: { parks: number; wakes: number; served: number; pendingAtEnd: number };
    };
    expect(idle.output.parks).toBeGreaterThan(0);
    expect(idle.output.served + idle.output.pendingAtEnd).toBe(idle.output.wakes);
    expect(result.summary.meanActiveHosts).toBeLessThan(without.summary.meanActiveHosts);
    expect(tables.some((t) => t.startsWith("Idle parking (idle section)"))).toBe(true);
  });

  it("refuses a bad section before the run, with the path", () => {
    let issues: unknown[] = [];
    try {
      parseScenario(`${IDLE}idle: { technique: hibernate, disk: { readBytesPerSecond: 0 } }\n`);
    } catch (error) {
      if (!VxError.isInstance(error)) throw error;
      issues = (error.issues ?? []).map((i) => i.path);
    }
    expect(issues).toEqual(
      expect.arrayContaining([
        ["idle", "technique"],
        ["idle", "disk", "readBytesPerSecond"],
      ]),
    );
  });
});
