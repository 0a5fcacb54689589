// Hostile inputs, each in its own `vx` process under a heap cap (HEAP_CAP_MIB) and a hang guard
// (HANG_GUARD_MS): a runaway shows up as a failure, not as a slow machine. The cases are in
// cases.ts (one row each); the harness in harness.ts.
import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HOSTILE_CASES } from "./cases.js";
import { bundleCli, CRASH, HANG_GUARD_MS, HEAP_CAP_MIB, runCase } from "./harness.js";

let bundle: { readonly dir: string; readonly cli: string } | undefined;

beforeAll(async () => {
  bundle = await bundleCli();
});

afterAll(() => {
  if (bundle !== undefined) rmSync(bundle.dir, { recursive: true, force: true });
});

describe(`hostile inputs (each in its own process, heap ≤ ${HEAP_CAP_MIB} MiB)`, () => {
  for (const c of HOSTILE_CASES) {
    it.skipIf(c.skipOn?.includes(process.platform) === true)(
      c.name,
      async () => {
        const r = await runCase(bundle!.cli, c);
        const output = `${r.stdout}\n${r.stderr}`;
        expect(r.timedOut, `still running after ${HANG_GUARD_MS / 1000} s: a hang`).toBe(false);
        expect(r.signal, `killed by ${r.signal}:\n${output}`).toBe(null);
        expect(output).not.toMatch(CRASH);
        expect(r.exit, output).toBe(c.expectExit);
        if (c.expectCode !== undefined) expect(output).toContain(c.expectCode);
        if (c.expectText !== undefined) expect(output).toMatch(c.expectText);
        if (c.forbidText !== undefined) expect(output).not.toMatch(c.forbidText);
      },
      HANG_GUARD_MS + 30_000, // above the guard, so a hang is reported as one
    );
  }
});
