import { GiB, MiB, VxError } from "@vx/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseKernelVersion, sectionBytes, sectionRule, sectionsFor } from "../src/index.js";

describe("section sizes by architecture and kernel (SECTION_SIZE_BITS)", () => {
  it("x86_64 uses 128 MiB sections (27 bits) on every kernel", () => {
    expect(sectionBytes()).toBe(MiB(128));
    expect(sectionBytes({ arch: "x86_64", kernel: "4.19" })).toBe(MiB(128));
    expect(sectionBytes({ arch: "x86_64", kernel: "6.8.1" })).toBe(MiB(128));
  });

  it("arm64 uses 1 GiB sections up to Linux 5.11, whatever the page size", () => {
    for (const pageSize of ["4KiB", "16KiB", "64KiB"] as const) {
      expect(sectionBytes({ arch: "arm64", kernel: "5.11", pageSize })).toBe(GiB(1));
      expect(sectionBytes({ arch: "arm64", kernel: "4.14", pageSize })).toBe(GiB(1));
    }
  });

  it("arm64 from Linux 5.12 uses 128 MiB with 4 KiB or 16 KiB pages and 512 MiB with 64 KiB pages", () => {
    expect(sectionBytes({ arch: "arm64", kernel: "5.12" })).toBe(MiB(128));
    expect(sectionBytes({ arch: "arm64", kernel: "6.1", pageSize: "16KiB" })).toBe(MiB(128));
    expect(sectionBytes({ arch: "arm64", kernel: "5.12.3", pageSize: "64KiB" })).toBe(MiB(512));
  });

  it("ppc64 uses 16 MiB sections (24 bits)", () => {
    expect(sectionRule({ arch: "ppc64" }).bits).toBe(24);
    expect(sectionBytes({ arch: "ppc64", pageSize: "64KiB" })).toBe(MiB(16));
  });
});

describe("requests are rounded up to whole sections", () => {
  it("a 1000 MiB request is 8 sections on x86_64 and 1 on arm64 before 5.12", () => {
    expect(sectionsFor(MiB(1000), sectionBytes({ arch: "x86_64" }))).toBe(8);
    expect(sectionsFor(MiB(1000), sectionBytes({ arch: "arm64", kernel: "5.11" }))).toBe(1);
    expect(
      sectionsFor(MiB(1000), sectionBytes({ arch: "arm64", kernel: "5.15", pageSize: "64KiB" })),
    ).toBe(2);
  });

  it("an exact multiple is not rounded; one byte more takes another section", () => {
    expect(sectionsFor(MiB(1024), MiB(128))).toBe(8);
    expect(sectionsFor(MiB(1024) + 1, MiB(128))).toBe(9);
    expect(sectionsFor(0, MiB(128))).toBe(0);
  });

  it("property: k sections hold the request and k − 1 do not", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 ** 44 }),
        fc.integer({ min: 12, max: 34 }),
        (bytes, bits) => {
          const s = 2 ** bits;
          const k = sectionsFor(bytes, s);
          expect(k * s).toBeGreaterThanOrEqual(bytes);
          expect((k - 1) * s).toBeLessThan(bytes);
        },
      ),
    );
  });
});

describe("bad input to the section functions", () => {
  const code = (f: () => unknown): string => {
    try {
      f();
    } catch (e) {
      expect(VxError.isInstance(e)).toBe(true);
      return (e as VxError).code;
    }
    throw new Error("expected a VxError");
  };

  it("rejects an unreadable kernel version with its path", () => {
    expect(code(() => parseKernelVersion("five"))).toBe("VX_DISAGG_BAD_KERNEL");
    expect(code(() => sectionBytes({ kernel: "6" }))).toBe("VX_DISAGG_BAD_KERNEL");
  });

  it("rejects an architecture, page size or kernel the table does not cover", () => {
    expect(code(() => sectionBytes({ arch: "riscv" as "x86_64" }))).toBe(
      "VX_DISAGG_NO_SECTION_RULE",
    );
    expect(code(() => sectionBytes({ arch: "x86_64", pageSize: "16KiB" }))).toBe(
      "VX_DISAGG_NO_SECTION_RULE",
    );
    expect(code(() => sectionBytes({ arch: "arm64", kernel: "3.2" }))).toBe(
      "VX_DISAGG_NO_SECTION_RULE",
    );
  });

  it("rejects negative requests and non-positive section sizes", () => {
    expect(code(() => sectionsFor(-1, MiB(128)))).toBe("VX_DISAGG_BAD_ARGUMENT");
    expect(code(() => sectionsFor(Number.NaN, MiB(128)))).toBe("VX_DISAGG_BAD_ARGUMENT");
    expect(code(() => sectionsFor(MiB(1), 0))).toBe("VX_DISAGG_BAD_ARGUMENT");
  });
});
