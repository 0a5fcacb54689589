import { describe, expect, it } from "vitest";
import { tsupConfig } from "../src/tsup.js";
import { TEST_TIMEOUT_MS, vitestConfig } from "../src/vitest.js";

describe("base configs", () => {
  it("tsup builds ESM and CJS with declarations for Node 20; overrides add entries", () => {
    expect(tsupConfig()).toMatchObject({
      entry: ["src/index.ts"],
      format: ["esm", "cjs"],
      dts: true,
      target: "node20",
    });
    expect(tsupConfig({ entry: ["src/index.ts", "src/node.ts"], shims: true })).toMatchObject({
      entry: ["src/index.ts", "src/node.ts"],
      shims: true,
      dts: true,
    });
  });

  it("vitest runs the sources (@vx/source, for node tests through ssr) with the setup and the hang guard", () => {
    const c = vitestConfig();
    expect(c.resolve?.conditions).toEqual(["@vx/source"]);
    expect(c.ssr?.resolve?.conditions).toEqual(["@vx/source"]);
    expect(c.test).toMatchObject({
      include: ["test/**/*.test.ts"],
      setupFiles: ["test/setup.ts"],
      testTimeout: TEST_TIMEOUT_MS,
    });
    expect(vitestConfig({ testTimeout: 1 }).test?.testTimeout).toBe(1);
  });
});
