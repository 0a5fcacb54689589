/**
 * `vx validate` rejects exactly what `vx run` rejects: the scenario parser and `runDatacenter`
 * run the same checks. And every example scenario runs.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { VxError } from "@vx/core";
import { runDatacenter } from "@vx/datacenter";
import { nodeTraceLoader } from "@vx/datacenter/node";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { FEATURES } from "../src/features/index.js";
import { specPart } from "../src/scenario/internal/checks.js";
import { parseScenario } from "../src/scenario/parse.js";
import { runScenario } from "../src/scenario/run.js";
import { applyParams } from "../src/sweep/apply.js";
import { MINIMAL, tempDir, writeTree } from "./scenario-fixtures.js";

const here = dirname(fileURLToPath(import.meta.url));
const examples = resolve(here, "../../../examples/scenarios");

const { dir, cleanup } = tempDir("vx-validate-run-");
afterAll(cleanup);
writeTree(dir, {
  "two/a": "10\n20\n",
  "two/b": "30\n40\n",
  "bad/a": "10\nlots\n",
  "u.csv": "time,a,b\n0,0.1,0.2\n300,0.3,0.4\n",
  "dup.csv": "time,a,a\n0,0.1,0.2\n",
  "wide.csv": "time,a\n0,0.1,0.9\n",
  "pct.csv": "time,a\n0,50\n",
});

/** The issues (code and path) of a thrown VxError, or [] when nothing is thrown. */
function issues(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    if (!VxError.isInstance(error)) throw error;
    return error.issues.map((i) => `${i.code} ${i.path.join(".")}`).sort();
  }
  return [];
}

const vms = (workload: string, count = "") =>
  MINIMAL.replace(/vms:[\s\S]*$/, `vms:\n  - { types: small,${count} workload: ${workload} }\n`);

/** Scenario texts, valid and not, that exercise every kind of check. */
const CASES: Readonly<Record<string, string>> = {
  valid: MINIMAL,
  "valid planetlab": vms("{ kind: planetlab, folder: two }"),
  "valid planetlab day": vms("{ kind: planetlab, day: 20110306 }", " count: 4,"),
  "unknown planetlab day": vms("{ kind: planetlab, day: 20110304 }", " count: 4,"),
  "planetlab day and folder": vms("{ kind: planetlab, day: 20110306, folder: two }", " count: 1,"),
  "planetlab without day or folder": vms("{ kind: planetlab }", " count: 1,"),
  "more VMs than the day has": vms("{ kind: planetlab, day: 20110306 }", " count: 899,"),
  "valid csv": vms("{ kind: csv, file: u.csv }"),
  "schema: a wrong type": MINIMAL.replace("count: 7", 'count: "seven"'),
  "unknown host type": MINIMAL.replace("{ type: g5, count: 3 }", "{ type: g6, count: 3 }"),
  "VM too large by per-core MIPS": MINIMAL.replace("small: { mips: 1000,", "small: { mips: 3000,"),
  "VM too large by NIC": MINIMAL.replace(
    "small: { mips: 1000,",
    "small: { nic: 10Gbps, mips: 1000,",
  ),
  "step longer than duration": `${MINIMAL}duration: 1h\nstep: 2h\n`,
  "too many steps": `${MINIMAL}duration: 1000d\nstep: 1s\n`,
  "duration whose arithmetic overflows": `${MINIMAL}duration: 1e308\nstep: 1e307\n`,
  "absurd burst ratio": vms("{ kind: bursty, meanGap: 1ns, meanBurst: 1ns }", " count: 1,"),
  "bad parameter": `${MINIMAL}policy: { overload: mad, parameter: 9 }\n`,
  "too many hosts in all": MINIMAL.replace(
    "- { type: g4, count: 2 }",
    "- { type: g4, count: 9000000 }\n  - { type: g4, count: 9000000 }",
  ),
  "too much memory": MINIMAL.replace("count: 7", "count: 9000000"),
  "missing trace folder": vms("{ kind: planetlab, folder: nope }"),
  "malformed trace line": vms("{ kind: planetlab, folder: bad }"),
  "more VMs than traces": vms("{ kind: planetlab, folder: two }", " count: 3,"),
  "duplicate CSV column": vms("{ kind: csv, file: dup.csv }"),
  "extra CSV cell": vms("{ kind: csv, file: wide.csv }"),
  "CSV value out of range": vms("{ kind: csv, file: pct.csv }"),
  "unknown workload kind": vms("{ kind: sinus }", " count: 1,"),
  "xbzrle with multifd": `${MINIMAL}migration: { model: precopy, xbzrle: true, multifd: true }\n`,
};

describe("vx validate rejects exactly what vx run rejects", () => {
  for (const [name, text] of Object.entries(CASES)) {
    it(name, () => {
      const validated = issues(() => parseScenario(text, { baseDir: dir }));
      const raw = parse(text) as Record<string, unknown>;
      const ran = issues(() =>
        runDatacenter(specPart(raw, FEATURES) as never, {
          loader: nodeTraceLoader({ baseDir: dir }),
        }),
      );
      expect(ran).toEqual(validated);
      if (name.startsWith("valid")) expect(validated).toEqual([]);
      else expect(validated.length).toBeGreaterThan(0);
    });
  }
});

describe("every example scenario runs", () => {
  const files = readdirSync(examples).filter(
    (f) => /\.(ya?ml|json)$/.test(f) && f !== "vx.schema.json",
  );
  for (const file of files) {
    it(`${file}, for its first two hours`, () => {
      const text = readFileSync(join(examples, file), "utf8");
      const doc = applyParams(parse(text), { duration: "2h" });
      const scenario = parseScenario(JSON.stringify(doc), {
        format: "json",
        file: join(examples, file),
      });
      const { result } = runScenario(scenario);
      expect(result.summary.simulatedSeconds).toBe(7200);
      expect(result.summary.energyKWh).toBeGreaterThan(0);
      expect(result.provenance.scenarioHash).toMatch(/^[0-9a-f]{64}$/);
    });
  }
});
