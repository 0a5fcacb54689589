// The Node loader when the install is damaged: the file is missing, or holds the wrong content.
import { beforeEach, describe, expect, it, vi } from "vitest";
import { encodePlanetLabDay } from "../src/encode.js";
import { loadPlanetLabDay } from "../src/node.js";
import { thrown } from "./helpers.js";

const fake = vi.hoisted(() => ({ read: undefined as undefined | (() => Uint8Array) }));

vi.mock("node:fs", async (importOriginal) => {
  const original = await importOriginal<typeof import("node:fs")>();
  return {
    ...original,
    readFileSync: (...args: Parameters<typeof original.readFileSync>) =>
      fake.read ? fake.read() : original.readFileSync(...args),
  };
});

describe("a damaged install", () => {
  beforeEach(() => {
    fake.read = undefined;
  });

  it("a missing file is VX_PLANETLAB_DATA_MISSING naming the path", () => {
    fake.read = () => {
      throw Object.assign(new Error("ENOENT: no such file or directory"), { code: "ENOENT" });
    };
    const error = thrown(() => loadPlanetLabDay("20110303"));
    expect(error.code).toBe("VX_PLANETLAB_DATA_MISSING");
    expect(error.message).toContain("20110303.bin");
    expect(error.message).toContain("install it again");
  });

  it("a file with the right day but the wrong VM count is VX_PLANETLAB_CORRUPT", () => {
    fake.read = () =>
      encodePlanetLabDay({ day: "20110303", names: ["only"], percent: new Uint8Array(288) });
    const error = thrown(() => loadPlanetLabDay("20110303"));
    expect(error.code).toBe("VX_PLANETLAB_CORRUPT");
    expect(error.message).toContain("holds 1 VMs but day 20110303 has 1052");
  });
});
