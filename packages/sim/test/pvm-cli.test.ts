import { VxError } from "@vx/core";
import { PVM_ARCHITECTURE_NAMES, RESILIENCE_DEFAULTS } from "@vx/pvm";
import { describe, expect, it } from "vitest";
import { runCli } from "../src/cli/main.js";
import { pvmCommand } from "../src/cli/pvm.js";

function run(...args: string[]): { code: number; out: string } {
  let out = "";
  const code = pvmCommand.run(args, { out: (s) => (out += s), err: () => {} });
  return { code, out };
}

function fails(...args: string[]): VxError {
  try {
    run(...args);
  } catch (error) {
    if (VxError.isInstance(error)) return error;
    throw error;
  }
  throw new Error("expected the flags to be rejected");
}

interface JsonCampaign {
  seed: number;
  faultCount: number;
  simulatedSeconds: number;
  results: {
    summary: { architecture: string; faults: { injected: number; hostReboots: number } };
    byComponent: unknown[];
    faults?: unknown[];
  }[];
}

describe("vx pvm faults", () => {
  it("prints the campaign summary, then one table per architecture by component and kind", () => {
    const r = run("faults", "--faults", "200", "--seed", "3");
    expect(r.code).toBe(0);
    const lines = r.out.split("\n");
    expect(lines[0]).toMatch(/^pVM fault campaign: 200 faults, seed 3, /);
    expect(lines[2]).toMatch(
      /^architecture\s+host reboots\s+recover mean\s+recover p99\s+network up/,
    );
    for (const name of PVM_ARCHITECTURE_NAMES) {
      expect(r.out).toMatch(new RegExp(`^${name}\\s+\\d+`, "m"));
      expect(r.out).toContain(`\n${name}:\n`);
    }
    expect(r.out).toMatch(/^net\s+crash\s+\d+/m);
  });

  it("--json gives summaries and breakdowns (with --records, every fault), the same for the same seed", () => {
    const a = JSON.parse(run("faults", "--faults", "100", "--json").out) as JsonCampaign;
    expect(a.faultCount).toBe(100);
    expect(a.results.map((x) => x.summary.architecture)).toEqual([...PVM_ARCHITECTURE_NAMES]);
    expect(a.results[0]!.faults).toBeUndefined();
    expect(a.results[0]!.byComponent).toHaveLength(15);
    const b = JSON.parse(
      run("faults", "--faults", "100", "--json", "--records").out,
    ) as JsonCampaign;
    expect(b.results[0]!.faults).toHaveLength(100);
    expect(run("faults", "--faults", "100", "--json").out).toBe(
      run("faults", "--faults", "100", "--json").out,
    );
  });

  it("reads its defaults from @vx/pvm and its flags as documented", () => {
    const c = JSON.parse(
      run(
        "faults",
        "--faults",
        "50",
        "--architecture",
        "vanilla,resilient",
        "--kinds",
        "crash=1,hang=0,corruption=0",
        "--components",
        "net=1",
        "--gap",
        "1h",
        "--guests",
        "10",
        "--json",
        "--records",
      ).out,
    ) as JsonCampaign & { results: { faults: { component: string; kind: string }[] }[] };
    expect(c.results.map((x) => x.summary.architecture)).toEqual(["vanilla", "resilient"]);
    for (const f of c.results[0]!.faults) {
      expect(f.component).toBe("net");
      expect(f.kind).toBe("crash");
    }
    expect(pvmCommand.usage).toContain(`(default: ${RESILIENCE_DEFAULTS.campaign.count})`);
  });

  it("rejects bad flags before running, naming the flag", () => {
    const cases: [string[], string][] = [
      [["faults", "--architecture", "esx"], "--architecture"],
      [["faults", "--faults", "0"], "--faults"],
      [["faults", "--faults", "many"], "--faults"],
      [["faults", "--gap", "0s"], "--gap"],
      [["faults", "--kinds", "crash=-1"], "--kinds"],
      [["faults", "--kinds", "meltdown=1"], "--kinds"],
      [["faults", "--components", "gpu=1"], "--components"],
      [["faults", "--coverage", "150%"], "--coverage"],
      [["faults", "--guests", "0"], "--guests"],
    ];
    for (const [args, flag] of cases) {
      const e = fails(...args);
      expect(e.issues[0]!.path[0]).toBe(flag);
    }
    expect(fails("storm").code).toBe("VX_CLI_BAD_USAGE");
    expect(fails("faults", "--kinds", "crash=0,hang=0,corruption=0").code).toBe(
      "VX_PVM_BAD_RESILIENCE",
    );
  });

  it("is registered: `vx pvm --help` prints its usage, a bad flag exits 2", async () => {
    let out = "";
    let err = "";
    const io = { out: (s: string) => (out += s), err: (s: string) => (err += s) };
    expect(await runCli(["pvm", "--help"], io)).toBe(0);
    expect(out).toContain("Usage: vx pvm faults");
    expect(await runCli(["pvm", "faults", "--faults", "-3"], io)).toBe(2);
    expect(err).toContain("--faults");
  });
});
