// Shared fixtures of the scenario tests (not a test file itself).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { VxError } from "@vx/core";
import { expect } from "vitest";
import type { ScenarioIssue } from "../src/scenario/parse.js";

/** A small valid scenario: two host types, two VM types, one synthetic group. */
export const MINIMAL = `hostTypes:
  g4: { cores: 2, mips: 1860, ram: 4GiB, power: [86, 89.4, 92.6, 96, 99.5, 102, 106, 108, 112, 114, 117] }
  g5: { cores: 2, mips: 2660, ram: 4GiB, power: [93.7, 97, 101, 105, 110, 116, 121, 125, 129, 133, 135] }
hosts:
  - { type: g4, count: 2 }
  - { type: g5, count: 3 }
vmTypes:
  small: { mips: 1000, ram: 1740MB }
  micro: { mips: 500, ram: 613MB }
vms:
  - types: [small, micro]
    count: 7
    workload: { kind: constant, utilisation: 40% }
`;

/** The issues of the VxError that `fn` throws (fails the test when it throws none). */
export function issuesOf(fn: () => unknown): ScenarioIssue[] {
  try {
    fn();
  } catch (error) {
    expect(VxError.isInstance(error)).toBe(true);
    const e = error as VxError;
    expect(e.code).toBe("VX_SIM_BAD_SCENARIO");
    return e.issues as ScenarioIssue[];
  }
  throw new Error("expected a VxError, but nothing was thrown");
}

/** A temporary folder, removed by the returned function. */
export function tempDir(prefix = "vx-scenario-"): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Writes `files` (path → content) under `dir`, creating folders. */
export function writeTree(dir: string, files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) {
    const full = join(dir, path);
    mkdirSync(join(full, ".."), { recursive: true });
    writeFileSync(full, content);
  }
}
