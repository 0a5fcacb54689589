/**
 * Memory sections: the unit in which Linux adds and removes memory at run time, and so the unit
 * in which a disaggregated rack hands guest RAM out of memory bricks.
 *
 * Linux's sparse memory model (`CONFIG_SPARSEMEM`) splits physical memory into sections of
 * `2^SECTION_SIZE_BITS` bytes; memory hot-plug adds and removes whole sections (a memory block,
 * the unit of onlining, is one or more sections). Bielski's paravirtualized guest memory resizing
 * (Bielski, Rigo & Pacalet, PDP 2019) backs guest RAM with chunks of section size taken from
 * independent, possibly remote, memory banks, so a request is rounded up to whole sections.
 *
 * Section sizes (`SECTION_SIZE_BITS` in `arch/<arch>/include/asm/sparsemem.h`):
 * - x86_64: 27 bits, 128 MiB.
 * - arm64: 30 bits, 1 GiB, up to Linux 5.11. From 5.12 (commit "arm64/sparsemem: reduce
 *   SECTION_SIZE_BITS", S. Rajagopalan, posted January 2021): 27 bits (128 MiB) with 4 KiB and
 *   16 KiB pages, 29 bits (512 MiB) with 64 KiB pages.
 * - ppc64: 24 bits, 16 MiB.
 *
 * @module
 */

import { VxError } from "@vx/core";

/** An architecture whose section size {@link sectionBytes} knows. */
export type SectionArch = "x86_64" | "arm64" | "ppc64";

/** The base page size of an arm64 kernel (`CONFIG_ARM64_{4K,16K,64K}_PAGES`). */
export type PageSize = "4KiB" | "16KiB" | "64KiB";

/** What decides the section size: architecture, kernel version and page size. */
export interface SectionOptions {
  /** The guest's architecture. Default `"x86_64"`. */
  readonly arch?: SectionArch;
  /**
   * The guest kernel's version, `"major.minor"` (a patch level is ignored), e.g. `"5.10"`.
   * Default `"6.1"`. Only arm64's section size depends on it.
   */
  readonly kernel?: string;
  /** The base page size; only arm64 offers a choice. Default `"4KiB"`. */
  readonly pageSize?: PageSize;
}

/** One row of the section-size table: where it applies and its `SECTION_SIZE_BITS`. */
export interface SectionRule {
  /** Architecture. */
  readonly arch: SectionArch;
  /** First kernel version it applies to, `[major, minor]`. */
  readonly since: readonly [number, number];
  /** Page sizes it applies to. */
  readonly pageSizes: readonly PageSize[];
  /** `SECTION_SIZE_BITS`: the section is `2^bits` bytes. */
  readonly bits: number;
  /** Where the figure comes from. */
  readonly source: string;
}

const ALL_PAGES: readonly PageSize[] = ["4KiB", "16KiB", "64KiB"];

/**
 * The section-size table, newest rule last per architecture: {@link sectionBytes} takes the last
 * rule whose architecture and page size match and whose `since` is not after the kernel.
 */
export const SECTION_RULES: readonly SectionRule[] = [
  {
    arch: "x86_64",
    since: [2, 6],
    pageSizes: ["4KiB"],
    bits: 27,
    source: "arch/x86/include/asm/sparsemem.h: SECTION_SIZE_BITS 27 on x86_64",
  },
  {
    arch: "arm64",
    since: [3, 7],
    pageSizes: ALL_PAGES,
    bits: 30,
    source: "arch/arm64/include/asm/sparsemem.h up to Linux 5.11: SECTION_SIZE_BITS 30",
  },
  {
    arch: "arm64",
    since: [5, 12],
    pageSizes: ["4KiB", "16KiB"],
    bits: 27,
    source:
      'Linux 5.12, "arm64/sparsemem: reduce SECTION_SIZE_BITS": 27 with 4K pages ("16K follows 4K for simplicity")',
  },
  {
    arch: "arm64",
    since: [5, 12],
    pageSizes: ["64KiB"],
    bits: 29,
    source:
      'Linux 5.12, "arm64/sparsemem: reduce SECTION_SIZE_BITS": 29 with 64K pages (at least 512 MiB for MAX_ORDER)',
  },
  {
    arch: "ppc64",
    since: [2, 6],
    pageSizes: ["4KiB", "64KiB"],
    bits: 24,
    source: "arch/powerpc/include/asm/sparsemem.h: SECTION_SIZE_BITS 24",
  },
];

/** Defaults of {@link SectionOptions}. */
export const SECTION_DEFAULTS: {
  readonly arch: SectionArch;
  readonly kernel: string;
  readonly pageSize: PageSize;
} = { arch: "x86_64", kernel: "6.1", pageSize: "4KiB" };

/** The architectures of {@link SECTION_RULES}. */
export const SECTION_ARCHS: readonly SectionArch[] = ["x86_64", "arm64", "ppc64"];

/** The page sizes {@link SectionOptions.pageSize} accepts. */
export const PAGE_SIZES: readonly PageSize[] = ALL_PAGES;

const KERNEL_RE = /^(\d+)\.(\d+)(?:\.\d+)?$/;

/**
 * Reads a kernel version `"major.minor"` or `"major.minor.patch"`.
 *
 * @param kernel - the version string.
 * @param path - where it sits in the input, for the error.
 * @returns `[major, minor]`.
 * @throws {@link @vx/core!VxError} `VX_DISAGG_BAD_KERNEL` for anything else.
 * @example
 * ```ts
 * parseKernelVersion("5.11.22"); // [5, 11]
 * ```
 */
export function parseKernelVersion(
  kernel: string,
  path: readonly (string | number)[] = ["kernel"],
): [number, number] {
  const m = typeof kernel === "string" ? KERNEL_RE.exec(kernel.trim()) : null;
  if (m === null) {
    throw new VxError(
      "VX_DISAGG_BAD_KERNEL",
      `expected a kernel version such as "5.11" or "6.1.12", got ${JSON.stringify(kernel)}.`,
      { path },
    );
  }
  return [Number(m[1]), Number(m[2])];
}

function notAfter(since: readonly [number, number], v: readonly [number, number]): boolean {
  return since[0] < v[0] || (since[0] === v[0] && since[1] <= v[1]);
}

/**
 * The rule of {@link SECTION_RULES} that applies to a guest.
 *
 * @param options - architecture, kernel version, page size.
 * @returns the rule.
 * @throws {@link @vx/core!VxError} `VX_DISAGG_BAD_KERNEL` for an unreadable version;
 *   `VX_DISAGG_NO_SECTION_RULE` for an architecture, page size or kernel the table does not cover
 *   (arm64 before 3.7, 16 KiB pages on x86_64, …).
 * @example
 * ```ts
 * sectionRule({ arch: "arm64", kernel: "5.10" }).bits; // 30
 * ```
 */
export function sectionRule(options: SectionOptions = {}): SectionRule {
  const arch = options.arch ?? SECTION_DEFAULTS.arch;
  const pageSize = options.pageSize ?? SECTION_DEFAULTS.pageSize;
  const version = parseKernelVersion(options.kernel ?? SECTION_DEFAULTS.kernel);
  if (!SECTION_ARCHS.includes(arch)) {
    throw new VxError(
      "VX_DISAGG_NO_SECTION_RULE",
      `unknown architecture ${JSON.stringify(arch)}; use one of ${SECTION_ARCHS.join(", ")}, or give sectionSize directly.`,
      { path: ["arch"] },
    );
  }
  let found: SectionRule | undefined;
  for (const rule of SECTION_RULES) {
    if (rule.arch === arch && rule.pageSizes.includes(pageSize) && notAfter(rule.since, version)) {
      found = rule;
    }
  }
  if (found === undefined) {
    throw new VxError(
      "VX_DISAGG_NO_SECTION_RULE",
      `no section size is known for ${arch} with ${pageSize} pages on Linux ${version.join(".")}; give sectionSize directly.`,
      { path: ["pageSize"] },
    );
  }
  return found;
}

/**
 * The memory section size of a guest, in bytes.
 *
 * @param options - architecture, kernel version, page size.
 * @returns `2^SECTION_SIZE_BITS` bytes.
 * @throws {@link @vx/core!VxError} as {@link sectionRule}.
 * @example
 * ```ts
 * sectionBytes(); // 134_217_728 (x86_64: 128 MiB)
 * sectionBytes({ arch: "arm64", kernel: "5.11" }); // 1 GiB
 * sectionBytes({ arch: "arm64", kernel: "5.15", pageSize: "64KiB" }); // 512 MiB
 * ```
 */
export function sectionBytes(options: SectionOptions = {}): number {
  return 2 ** sectionRule(options).bits;
}

/**
 * How many sections hold `bytes`: requests are rounded up to whole sections.
 *
 * @param bytes - the request, ≥ 0.
 * @param section - the section size in bytes, > 0.
 * @returns `⌈bytes / section⌉`.
 * @throws {@link @vx/core!VxError} `VX_DISAGG_BAD_ARGUMENT` for a negative or non-finite request or a
 *   section size ≤ 0.
 * @example
 * ```ts
 * sectionsFor(MiB(1000), sectionBytes()); // 8 (x86_64: 7.8 sections of 128 MiB)
 * sectionsFor(MiB(1000), sectionBytes({ arch: "arm64", kernel: "4.19" })); // 1
 * ```
 */
export function sectionsFor(bytes: number, section: number): number {
  if (!(bytes >= 0 && bytes < Number.POSITIVE_INFINITY)) {
    throw new VxError("VX_DISAGG_BAD_ARGUMENT", `bytes must be finite and ≥ 0, got ${bytes}.`, {
      path: ["bytes"],
    });
  }
  if (!(section > 0 && section < Number.POSITIVE_INFINITY)) {
    throw new VxError("VX_DISAGG_BAD_ARGUMENT", `a section size must be > 0, got ${section}.`, {
      path: ["section"],
    });
  }
  return Math.ceil(bytes / section);
}
